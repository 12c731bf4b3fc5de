"""``onrecord summary [SESSION] [--since ISO] [--json]``: print a session's summary.

The same ``DailySummary`` the chat platforms render: speakers, topics, exchanges and key
figures. Only the speaker's own words go in quotation marks, one pair per passage;
reported speech is labelled "(reported)" and left unquoted. ``--json`` prints it as one
JSON object, each quote with its ``kind``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from typing import Any

from adapters.cli.store import community_option
from bot.errors import OnrecordError
from bot.models import DailySummary, Quote, SessionSummary
from bot.record import Record
from bot.settings import load_settings
from bot.wording import GAP, counted, speaker_details


def register(sub: Any) -> None:
    """Add the ``summary`` subcommand."""
    p = sub.add_parser("summary", help="summarise a session (default: the newest one)")
    p.add_argument("session", nargs="?", type=int, metavar="SESSION", help="session id")
    p.add_argument("--since", help="every session added after this UTC time (ISO 8601)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    community_option(p)
    p.set_defaults(handler=lambda a: asyncio.run(run(a)))


async def run(args: argparse.Namespace) -> int:
    """Print the summary asked for; a missing session or empty store is a one-line error."""
    settings = load_settings()
    try:
        async with await Record.from_settings(settings) as record:
            summary = await record.community(args.community).summary(args.session, since=args.since)
    except OnrecordError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(asdict(summary), ensure_ascii=False))
    else:
        print(render_text(summary))
    return 0


def render_text(summary: DailySummary) -> str:
    """The summary as plain text for a terminal."""
    if summary.is_empty:
        return "Nothing new on the record."
    parts = [_session_text(s) for s in summary.sessions]
    if summary.more:
        parts.append(f"({counted(summary.more, 'more session')} not shown)")
    return "\n\n".join(parts)


def words_of(quotes: tuple[Quote, ...] | list[Quote]) -> str:
    """Passages as text: each verbatim one in its own quotation marks, reported ones bare.

    Passages are joined with a visible gap, never glued into one quotation; a summary
    only joins passages of one kind, so the label in front covers them all.
    """
    return GAP.join(q.framed("“", "”") if q.verbatim else q.framed() for q in quotes)


def _label(name: str, quotes: tuple[Quote, ...] | list[Quote]) -> str:
    return f"{name} (reported)" if quotes and not quotes[0].verbatim else name


def _session_text(s: SessionSummary) -> str:
    lines = [
        f"# {s.title}"
        + (f" ({s.date})" if s.date else "")
        + (f" · session {s.session_id}" if s.session_id is not None else "")
    ]
    lines.append(f"{counted(s.statements, 'statement')}, {s.unattributed} unattributed")
    lines.append("\nWho spoke:")
    for x in s.speakers:
        about = speaker_details(x.name, x.role, x.party)
        lines.append(
            f"  {x.name}"
            + (f" ({about})" if about else "")
            + f": {counted(x.statements, 'statement')}, {counted(x.words, 'word')}"
        )
    if s.topics:
        lines.append("\nTopics: " + " · ".join(s.topics))
    if s.exchanges:
        lines.append("\nExchanges:")
        for e in s.exchanges:
            asked = [e.question]
            lines.append(f"  {e.asker} asked {_label(e.answerer, asked)}: {words_of(asked)}")
            lines.append(f"    {_label(e.answerer, e.answer)}: {words_of(e.answer)}")
    if s.figures:
        lines.append("\nKey figures:")
        for f in s.figures:
            who = _label(f.speaker or "speaker not certain", [f.context])
            lines.append(f"  {f.figure}: {words_of([f.context])} — {who}")
    return "\n".join(lines)
