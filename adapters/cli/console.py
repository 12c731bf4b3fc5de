"""``onrecord console``: ask questions of the default store in a terminal.

It is also what ``onrecord start`` runs with no chat tokens, so it loads the sample
session into an empty store first (unless ``ONRECORD_LOAD_SAMPLE=false``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, TextIO

from adapters.cli.render import render_answer
from adapters.cli.store import community_option
from bot.errors import OnrecordError
from bot.record import LOCAL, Record
from bot.sample import ensure_sample
from bot.settings import Settings, load_settings
from bot.wording import counted, speaker_details

HELP = """Ask about the record in plain words, for example:
  what did Khan say on victim support
  who asked about violent crime
  what did the mayor say about police cuts
Commands: sessions, speakers, topics, help, quit (or Ctrl-D)."""


async def _read_line(stream: TextIO) -> str | None:
    line = await asyncio.to_thread(stream.readline)
    return line if line else None


async def run_console(
    settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None, community: str = LOCAL
) -> int:
    """Answer questions typed on ``stdin`` from ``community``'s record until ``quit`` or end of input."""
    src = stdin or sys.stdin
    out = stdout or sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    async with await Record.from_settings(settings) as store:
        if settings.onrecord_load_sample and await ensure_sample(store):
            say("Loaded the sample session (London Mayor's Question Time on victim support).")
        record = store.community(community)
        count = len(await record.sessions(limit=10_000))
        say(f"onrecord console on {settings.onrecord_db} ({count} session{'s' if count != 1 else ''}).")
        say("Type a question, or help.")
        while True:
            if src.isatty():
                print("> ", end="", file=out, flush=True)
            line = await _read_line(src)
            if line is None:
                break
            text = line.strip()
            command = text.lower()
            if not text:
                continue
            if command in {"quit", "exit", "q"}:
                break
            try:
                if command in {"help", "?"}:
                    say(HELP)
                elif command == "sessions":
                    for s in await record.sessions():
                        counts = f"{counted(s.statements, 'statement')}, {counted(s.speakers, 'speaker')}"
                        say(f"{s.id}. {s.title} ({s.date or 'no date'}): {counts}")
                elif command == "speakers":
                    for p in await record.speakers():
                        extra = speaker_details(p.name, p.role, p.party)
                        say(f"{p.name}{f' ({extra})' if extra else ''}: {counted(p.statements, 'statement')}")
                elif command == "topics":
                    say(", ".join(t.term for t in await record.topics()))
                else:
                    say(render_answer(await record.ask(text)))
            except OnrecordError as exc:
                say(str(exc))
            say("")
    return 0


def register(sub: Any) -> None:
    """Add the ``console`` subcommand."""
    p = sub.add_parser("console", help="ask questions interactively (loads the sample into an empty store)")
    community_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the console."""
    return asyncio.run(run_console(load_settings(), community=args.community))
