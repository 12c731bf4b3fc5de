"""``onrecord add / ask / sessions / speakers / remove``: the store from the command line.

``add`` takes files and web addresses alike: an argument starting with http:// or https://
is fetched (``Record.add_url``, which refuses local and private addresses).

``ask --json --batch`` is the contract benchmarks rely on (DESIGN.md): one question per
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

from bot.errors import OnrecordError
from bot.ingest.detect import FORMATS
from bot.models import AddResult, Answer, Passage
from bot.record import Record
from bot.settings import load_settings
from bot.wording import clock, counted, speaker_details


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
        choices=sorted(FORMATS),
        help="force a file's format instead of detecting it (not for URLs)",
    )
    add.add_argument(
        "--replace", action="store_true", help="replace a stored session with the same content or title"
    )
    add.set_defaults(handler=lambda a: asyncio.run(_add(a)))

    ask = sub.add_parser("ask", help='ask a question, e.g. "what did Khan say on victim support"')
    ask.add_argument("question", nargs="?", help="the question (omit with --batch)")
    ask.add_argument("--json", action="store_true", help="print JSON (the contract in DESIGN.md)")
    ask.add_argument("--batch", action="store_true", help="read one question per stdin line")
    ask.add_argument("--limit", type=int, default=5, help="passages per answer (default 5)")
    ask.set_defaults(handler=lambda a: asyncio.run(_ask(a)))

    ses = sub.add_parser("sessions", help="list stored sessions")
    ses.add_argument("--json", action="store_true")
    ses.set_defaults(handler=lambda a: asyncio.run(_sessions(a)))

    spk = sub.add_parser("speakers", help="list speakers (in the store or one session)")
    spk.add_argument("--session", type=int, help="only this session id")
    spk.add_argument("--json", action="store_true")
    spk.set_defaults(handler=lambda a: asyncio.run(_speakers(a)))

    rem = sub.add_parser("remove", help="remove a session and its statements")
    rem.add_argument("session_id", type=int, metavar="ID")
    rem.set_defaults(handler=lambda a: asyncio.run(_remove(a)))


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in some containers
        return "cli"


async def _open() -> Record:
    settings = load_settings()
    return await Record.from_settings(settings)


def _err(message: str) -> None:
    print(f"onrecord: {message}", file=sys.stderr)


def is_url(argument: str) -> bool:
    """Whether an ``add`` argument is a web address to fetch rather than a file path."""
    return argument.lower().startswith(("http://", "https://"))


async def _add_one(record: Record, source: str, args: argparse.Namespace, total: int) -> AddResult:
    """Add one file or URL; raises ``OnrecordError`` (or ``OSError`` for an unreadable file)."""
    stem = source.rstrip("/").rsplit("/", 1)[-1] if is_url(source) else Path(source).stem
    title = args.title if total == 1 or args.title is None else f"{args.title} ({stem})"
    if is_url(source):
        if args.replace:
            raise OnrecordError("--replace works with files only; remove the session, then add the URL.")
        return await record.add_url(source, added_by=_actor(), title=title, date=args.date)
    path = Path(source)
    data = await asyncio.to_thread(path.read_bytes)
    return await record.add_session(
        data,
        source_name=path.name,
        added_by=_actor(),
        title=title,
        date=args.date,
        format=args.format,
        replace=args.replace,
    )


async def _add(args: argparse.Namespace) -> int:
    failed = 0
    total = len(args.paths)
    async with await _open() as record:
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


def answer_json(answer: Answer) -> dict[str, Any]:
    """An answer in the CLI JSON contract (plus note, suggestions and candidates)."""
    return {
        "question": answer.question,
        "speaker": answer.speaker,
        "topic": answer.topic,
        "results": [
            {
                "session_id": p.session_id,
                "title": p.title,
                "date": p.date,
                "speaker": p.speaker,
                "kind": p.kind,
                "text": p.text,
                "start": p.start,
                "end": p.end,
                "is_question": p.is_question,
                "page": p.page,
                "seconds": p.seconds,
                "score": p.score,
            }
            for p in answer.passages
        ],
        "note": answer.note,
        "suggestions": list(answer.suggestions),
        "candidates": list(answer.candidates),
        "speakers_found": list(answer.speakers_found),
    }


def citation(p: Passage) -> str:
    """Where a passage is in its source: page or time when the source had them, and the characters."""
    where = [f"p. {p.page}"] if p.page is not None else []
    if p.seconds is not None:
        where.append(f"at {clock(p.seconds)}")
    where.append(f"chars {p.start}-{p.end}")
    return ", ".join(where)


def render_answer(answer: Answer) -> str:
    """An answer as plain text for a terminal."""
    lines: list[str] = []
    about = []
    if answer.speaker:
        about.append(f"speaker: {answer.speaker}")
    if answer.topic:
        about.append(f"topic: {answer.topic}")
    if about:
        lines.append("(" + "; ".join(about) + ")")
    if answer.speakers_found and not answer.speaker:
        lines.append("Speakers: " + ", ".join(answer.speakers_found))
    for i, p in enumerate(answer.passages, 1):
        who = p.speaker or "unattributed"
        when = f", {p.date}" if p.date else ""
        flag = " (question)" if p.is_question else ""
        if p.kind == "indirect":
            flag += " (reported)"
        lines.append(f"{i}. {who}{flag} — {p.title}{when} [{citation(p)}]")
        # Reported speech is the record's paraphrase, so it never gets quotation marks.
        lines.append(f"   reported: {p.text}" if p.kind == "indirect" else f"   “{p.text}”")
    if answer.note:
        lines.append(answer.note)
    if answer.candidates:
        lines.append("Did you mean: " + ", ".join(answer.candidates) + "?")
    return "\n".join(lines) if lines else "Nothing found."


async def _ask(args: argparse.Namespace) -> int:
    if args.batch == (args.question is not None):
        _err("give either a QUESTION or --batch (questions on stdin), not both or neither.")
        return 2
    if args.limit < 1:
        _err("--limit must be at least 1.")
        return 2
    async with await _open() as record:
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
    async with await _open() as record:
        rows = await record.sessions(limit=10_000)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
    elif not rows:
        print("No sessions stored yet: add one with `onrecord add PATH`.")
    for r in rows if not args.json else ():
        counts = f"{counted(r.statements, 'statement')}, {counted(r.speakers, 'speaker')}"
        print(f"{r.id}\t{r.date or '-'}\t{r.title}\t{counts}\t{r.source_name}")
    return 0


async def _speakers(args: argparse.Namespace) -> int:
    async with await _open() as record:
        rows = await record.speakers(args.session)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        extra = speaker_details(r.name, r.role, r.party)
        said = f"{counted(r.statements, 'statement')} in {counted(r.sessions, 'session')}"
        print(f"{r.name}{f' ({extra})' if extra else ''}\t{said}")
    return 0


async def _remove(args: argparse.Namespace) -> int:
    async with await _open() as record:
        try:
            info = await record.remove_session(args.session_id, removed_by=_actor())
        except OnrecordError as exc:
            _err(str(exc))
            return 1
    print(f"Removed session {info.id} ({info.title!r}) and its {info.statements} statements.")
    return 0
