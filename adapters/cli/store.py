"""``onrecord add / ask / sessions / speakers / remove / share``: the store from the command line.

Each reads and writes one community's record: ``--community NAME`` (default ``local``,
the command line's own; ``discord:<guild id>`` or ``slack:<team id>`` for a server's or a
workspace's). ``share`` makes local sessions readable by every community.

``add`` takes files and web addresses alike: an argument starting with http:// or https://
is fetched (``Record.add_url``, which refuses local and private addresses).

``ask --json --batch`` is the contract benchmarks rely on (../shared/DESIGN.md): one question per
stdin line, one JSON object per line on stdout, in order.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from adapters.cli.render import answer_json, render_answer
from bot.errors import OnrecordError
from bot.models import AddResult
from bot.record import LOCAL, CommunityRecord, Record
from bot.settings import load_settings
from bot.wording import WAITING_FOR_ADD, counted, speaker_details


def community_option(parser: argparse.ArgumentParser) -> None:
    """``--community NAME``: whose record a command reads and writes."""
    parser.add_argument(
        "--community",
        default=LOCAL,
        metavar="NAME",
        help="whose record: local (default), discord:<guild id> or slack:<team id>",
    )


def register(sub: Any) -> None:
    """Add the store subcommands."""
    add = sub.add_parser(
        "add", help="add session files or web pages to the database (prints each session id)"
    )
    add.add_argument("paths", nargs="+", metavar="PATH|URL", help="a file, or an http(s):// address to fetch")
    add.add_argument("--title", help="session title (default: from the file name)")
    add.add_argument("--date", help="session date, YYYY-MM-DD")
    add.add_argument(
        "--format",
        choices=Record.FORMATS,
        help="force a file's format instead of detecting it (not for URLs)",
    )
    add.add_argument(
        "--replace", action="store_true", help="replace a stored session with the same content or title"
    )
    community_option(add)
    add.set_defaults(handler=lambda a: asyncio.run(_add(a)))

    ask = sub.add_parser("ask", help='ask a question, e.g. "what did Khan say on victim support"')
    ask.add_argument("question", nargs="?", help="the question (omit with --batch)")
    ask.add_argument("--json", action="store_true", help="print JSON (the contract in ../shared/DESIGN.md)")
    ask.add_argument("--batch", action="store_true", help="read one question per stdin line")
    ask.add_argument("--limit", type=int, default=5, help="passages per answer (default 5)")
    community_option(ask)
    ask.set_defaults(handler=lambda a: asyncio.run(_ask(a)))

    ses = sub.add_parser("sessions", help="list stored sessions")
    ses.add_argument("--json", action="store_true")
    community_option(ses)
    ses.set_defaults(handler=lambda a: asyncio.run(_sessions(a)))

    spk = sub.add_parser("speakers", help="list speakers (in the store or one session)")
    spk.add_argument("--session", type=int, help="only this session id")
    spk.add_argument("--json", action="store_true")
    community_option(spk)
    spk.set_defaults(handler=lambda a: asyncio.run(_speakers(a)))

    rem = sub.add_parser("remove", help="remove a session and its statements")
    rem.add_argument("session_id", type=int, metavar="ID")
    community_option(rem)
    rem.set_defaults(handler=lambda a: asyncio.run(_remove(a)))

    share = sub.add_parser(
        "share", help="make local sessions readable by every community (Discord servers, Slack workspaces)"
    )
    share.add_argument("session_ids", type=int, nargs="*", metavar="ID", help="the sessions (see --all)")
    share.add_argument("--all", action="store_true", help="every session of the local community")
    share.add_argument("--stop", action="store_true", help="make them readable by the local community only")
    share.set_defaults(handler=lambda a: asyncio.run(_share(a)))

    move = sub.add_parser(
        "move", help="give one community's whole record to another that has none (e.g. local to a server)"
    )
    move.add_argument("--from", dest="source", default=LOCAL, metavar="NAME", help="default: local")
    move.add_argument("--to", dest="target", required=True, metavar="NAME", help="e.g. discord:<guild id>")
    move.set_defaults(handler=lambda a: asyncio.run(_move(a)))


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in some containers
        return "cli"


async def _open() -> Record:
    settings = load_settings()
    return await Record.from_settings(settings)


def _view(record: Record, args: argparse.Namespace) -> CommunityRecord:
    """The record of ``--community``; ``OnrecordError`` for a name that cannot be one."""
    return record.community(getattr(args, "community", LOCAL))


def _err(message: str) -> None:
    print(f"onrecord: {message}", file=sys.stderr)


def is_url(argument: str) -> bool:
    """Whether an ``add`` argument is a web address to fetch rather than a file path."""
    return argument.lower().startswith(("http://", "https://"))


async def _add_one(record: CommunityRecord, source: str, args: argparse.Namespace, total: int) -> AddResult:
    """Add one file or URL; raises ``OnrecordError`` with the sentence to show."""
    stem = source.rstrip("/").rsplit("/", 1)[-1] if is_url(source) else Path(source).stem
    title = args.title if total == 1 or args.title is None else f"{args.title} ({stem})"
    if is_url(source):
        if args.replace:
            raise OnrecordError("--replace works with files only; remove the session, then add the URL.")
        return await record.add_url(source, added_by=_actor(), title=title, date=args.date)
    path = Path(source)
    # The size and the file's type are checked before reading, and at most the limit is read.
    data = await asyncio.to_thread(record.read_source_file, path)

    async def progress(message: str) -> None:
        # Stage lines stay quiet; a queued add says so, or it would look hung.
        if message == WAITING_FOR_ADD:
            print(f"onrecord: {source}: {message}", file=sys.stderr, flush=True)

    return await record.add_session(
        data,
        source_name=path.name,
        added_by=_actor(),
        title=title,
        date=args.date,
        format=args.format,
        replace=args.replace,
        progress=progress,
    )


async def _add(args: argparse.Namespace) -> int:
    failed = 0
    total = len(args.paths)
    async with await _open() as store:
        record = _view(store, args)
        for n, path in enumerate(args.paths, 1):
            if total > 1:
                print(f"[{n}/{total}] {path}", file=sys.stderr, flush=True)
            try:
                result = await _add_one(record, path, args, total)
            except OSError as exc:
                failed += 1
                _err(f"{path} could not be read ({exc.strerror or exc}).")
                continue
            except OnrecordError as exc:
                failed += 1
                _err(f"{path}: {exc}")
                continue
            for warning in result.warnings:
                _err(f"{path}: {warning}")
            verb = "replaced" if result.replaced else "added"
            print(
                f"{path}: {verb} session {result.session.id} ({result.session.title!r}): "
                f"{result.statements} statements, {result.unattributed} unattributed, "
                f"{len(result.speakers)} speakers",
                file=sys.stderr,
            )
            print(result.session.id, flush=True)
    return 1 if failed else 0


async def _ask(args: argparse.Namespace) -> int:
    if args.batch == (args.question is not None):
        _err("give either a QUESTION or --batch (questions on stdin), not both or neither.")
        return 2
    if args.limit < 1:
        _err("--limit must be at least 1.")
        return 2
    async with await _open() as store:
        record = _view(store, args)
        if not args.batch:
            answer = await record.ask(args.question, limit=args.limit)
            print(json.dumps(answer_json(answer), ensure_ascii=False) if args.json else render_answer(answer))
            return 0
        for line in sys.stdin:
            question = line.rstrip("\n")
            answer = await record.ask(question, limit=args.limit)
            if args.json:
                print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
            else:
                print(f"Q: {question}\n{render_answer(answer)}\n", flush=True)
    return 0


async def _sessions(args: argparse.Namespace) -> int:
    async with await _open() as store:
        rows = await _view(store, args).sessions(limit=10_000)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
    elif not rows:
        print("No sessions stored yet: add one with `onrecord add PATH`.")
    for r in rows if not args.json else ():
        counts = f"{counted(r.statements, 'statement')}, {counted(r.speakers, 'speaker')}"
        print(f"{r.id}\t{r.date or '-'}\t{r.title}\t{counts}\t{r.source_name}")
    return 0


async def _speakers(args: argparse.Namespace) -> int:
    async with await _open() as store:
        rows = await _view(store, args).speakers(args.session)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        extra = speaker_details(r.name, r.role, r.party)
        said = f"{counted(r.statements, 'statement')} in {counted(r.sessions, 'session')}"
        print(f"{r.name}{f' ({extra})' if extra else ''}\t{said}")
    return 0


async def _remove(args: argparse.Namespace) -> int:
    async with await _open() as store:
        try:
            info = await _view(store, args).remove_session(args.session_id, removed_by=_actor())
        except OnrecordError as exc:
            _err(str(exc))
            return 1
    print(f"Removed session {info.id} ({info.title!r}) and its {info.statements} statements.")
    return 0


async def _share(args: argparse.Namespace) -> int:
    if args.all == bool(args.session_ids):
        _err("give session ids or --all, not both or neither.")
        return 2
    failed = 0
    async with await _open() as record:
        ids = args.session_ids
        if args.all:
            ids = [s.id for s in await record.sessions(limit=1_000_000) if s.shared == args.stop]
        for session_id in ids:
            try:
                info = await record.share_session(session_id, shared=not args.stop, by=_actor())
            except OnrecordError as exc:
                failed += 1
                _err(str(exc))
                continue
            now = "readable by the local community only" if args.stop else "readable by every community"
            print(f"Session {info.id} ({info.title!r}) is {now}.")
    return 1 if failed else 0


async def _move(args: argparse.Namespace) -> int:
    async with await _open() as record:
        try:
            moved = await record.move_community(args.source, args.target, by=_actor())
        except OnrecordError as exc:
            _err(str(exc))
            return 1
    print(
        f"Moved {moved} sessions, with their speakers, schedules and audit log, "
        f"from {args.source} to {args.target}."
    )
    return 0
