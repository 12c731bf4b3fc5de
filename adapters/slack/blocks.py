"""Block Kit building blocks within Slack's limits and safe to post, and the simple lists.

The record's words go out as rich text of plain text elements (see ``answers`` and
``summary``): Slack shows them exactly as recorded (``*bold*`` stays asterisks,
``<!channel>`` pings nobody). Other record text in mrkdwn (titles, names, notes) is
escaped (``&``, ``<``, ``>``) and marked ``verbatim`` so Slack does not link-ify names in
it. Long replies are packed into several messages (≤ 50 blocks, section text ≤ 3000 chars,
about 12k chars in all) at unit boundaries, and inside a passage at whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import SessionInfo, SpeakerInfo, TopicInfo
from bot.wording import counted, speaker_details

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_CHARS = 2000
MAX_MESSAGE_CHARS = 12_000
MAX_MESSAGES = 5  # a response_url takes five replies
FALLBACK_CHARS = 300

_TOKEN = re.compile(r"\s+|\S+")


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup: ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Message:
    """One Slack message: blocks plus the plain fallback text notifications show."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def _element_chars(elements: Iterable[Any]) -> int:
    total = 0
    for element in elements:
        if not isinstance(element, dict):
            continue
        text = element.get("text")
        if isinstance(text, str):
            total += len(text)
        elif isinstance(text, dict):
            total += len(text.get("text", ""))
        total += _element_chars(element.get("elements", ()))
    return total


def message_chars(blocks: Iterable[Block]) -> int:
    """Characters of text across ``blocks``: what Slack's practical size limit counts.

    Counts section and header text, context parts, button labels and the text inside
    rich text blocks (their elements nest).
    """
    return _element_chars(blocks)


def section(text: str, *, verbatim: bool = False) -> Block:
    """A mrkdwn section; ``text`` must already be escaped and within the section limit."""
    obj: dict[str, Any] = {"type": "mrkdwn", "text": text}
    if verbatim:
        obj["verbatim"] = True
    return {"type": "section", "text": obj}


def context(*parts: str) -> Block:
    """A context line of already-escaped mrkdwn parts, marked ``verbatim``.

    Context lines carry record text (session titles, names, what a question was read as):
    verbatim keeps Slack from turning a ``#channel`` name, an ``@name`` or a bare address
    in it into a link, as a section's record text already is.
    """
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": truncate(p, MAX_CONTEXT_CHARS), "verbatim": True} for p in parts[:10]
        ],
    }


def header(text: str) -> Block:
    """A header block (plain text, which Slack never parses for mentions)."""
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_CHARS)}}


def text_chunks(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Plain ``text`` in stripped pieces of at most ``limit`` characters, cut at whitespace.

    A word longer than a whole piece is hard-cut.
    """
    chunks: list[str] = []
    current = ""
    for token in _TOKEN.findall(text.strip()):
        if len(current) + len(token) > limit:
            if current.strip():
                chunks.append(current.strip())
            current = ""
            if token.isspace():
                continue
            while len(token) > limit:
                chunks.append(token[:limit])
                token = token[limit:]
        current += token
    if current.strip():
        chunks.append(current.strip())
    return chunks


REPORTED_LABEL = "Reported: "


def pack(units: Sequence[list[Block]], fallback: str, tail: Sequence[Block] = ()) -> list[Message]:
    """Pack units of blocks into messages within Slack's limits, keeping a unit whole if it fits.

    A unit bigger than one message is split between its blocks; beyond ``MAX_MESSAGES``
    the rest is dropped and the last message says how much was left out.
    """
    reserve_blocks = len(tail) + 1  # tail plus a possible "left out" note
    reserve_chars = message_chars(tail) + 200
    block_room = MAX_BLOCKS - reserve_blocks
    char_room = MAX_MESSAGE_CHARS - reserve_chars - len(fallback)
    messages: list[list[Block]] = [[]]
    dropped = 0

    def fits(msg: list[Block], extra: Sequence[Block]) -> bool:
        return len(msg) + len(extra) <= block_room and message_chars([*msg, *extra]) <= char_room

    for unit in units:
        if dropped:
            dropped += 1
            continue
        if not fits(messages[-1], unit):
            if messages[-1] and fits([], unit):
                if len(messages) == MAX_MESSAGES:
                    dropped += 1
                    continue
                messages.append([])
            else:
                for block in unit:
                    if not fits(messages[-1], [block]):
                        if len(messages) == MAX_MESSAGES:
                            break
                        messages.append([])
                    messages[-1].append(block)
                continue
        messages[-1].extend(unit)
    if dropped:
        messages[-1].append(context(f"{dropped} more item(s) not shown: narrow the question to see them."))
    messages[-1].extend(tail)
    return [Message(text=fallback, blocks=m) for m in messages if m]


def _list_units(lines: Iterable[str]) -> list[list[Block]]:
    """Lines (already escaped) joined into sections of at most the section limit."""
    units: list[list[Block]] = []
    current = ""
    for line in lines:
        line = truncate(line, MAX_SECTION_CHARS)
        if current and len(current) + 1 + len(line) > MAX_SECTION_CHARS:
            units.append([section(current, verbatim=True)])
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        units.append([section(current, verbatim=True)])
    return units


def render_speakers(speakers: Sequence[SpeakerInfo]) -> list[Message]:
    """The people in the store, most statements first."""
    if not speakers:
        return [Message(text="No speakers yet.", blocks=[section("No speakers yet: add a session first.")])]
    lines = []
    for s in speakers:
        about = escape(speaker_details(s.name, s.role, s.party))
        lines.append(
            f"• *{escape(s.name)}*{f' ({about})' if about else ''} — {counted(s.statements, 'statement')} "
            f"in {counted(s.sessions, 'session')}"
        )
    return pack([[header("Speakers")], *_list_units(lines)], f"{len(speakers)} speakers")


def render_topics(topics: Sequence[TopicInfo]) -> list[Message]:
    """The main topic terms in the store."""
    if not topics:
        return [Message(text="No topics yet.", blocks=[section("No topics yet: add a session first.")])]
    lines = [f"• {escape(t.term)} ({t.statements})" for t in topics]
    return pack([[header("Topics")], *_list_units(lines)], f"{len(topics)} topics")


def render_sessions(sessions: Sequence[SessionInfo]) -> list[Message]:
    """Stored sessions, newest first, with the ids moderators need for remove/replace."""
    if not sessions:
        return [Message(text="No sessions yet.", blocks=[section("No sessions stored yet.")])]
    lines = [
        f"• *{s.id}* · {escape(s.title)} · {escape(s.date or 'undated')} · "
        f"{counted(s.statements, 'statement')}, {counted(s.speakers, 'speaker')}"
        for s in sessions
    ]
    return pack([[header("Sessions")], *_list_units(lines)], f"{len(sessions)} sessions")


def render_text(text: str) -> list[Message]:
    """A short notice (help, confirmations, errors): escaped, one section per 3000 chars."""
    units = _list_units(escape(text).split("\n"))
    return pack(units, escape(truncate(text, FALLBACK_CHARS)))
