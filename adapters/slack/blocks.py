"""Block Kit rendering of core results, within Slack's limits and safe to post.

Record text is escaped (``&``, ``<``, ``>``) so a quote holding ``<!channel>`` or
``<@U123>`` pings nobody, and marked ``verbatim`` so Slack does not link-ify names in it.
Long answers are split into several messages (≤ 50 blocks, section text ≤ 3000 chars,
about 12k chars in all) at passage boundaries, and inside a passage at whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import Answer, Passage, SessionInfo, SpeakerInfo, TopicInfo
from bot.wording import clock, counted, speaker_details

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_CHARS = 2000
MAX_MESSAGE_CHARS = 12_000
MAX_MESSAGES = 5  # a response_url takes five replies
FALLBACK_CHARS = 300

SHARE_ACTION_ID = "onrecord_share"
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


def message_chars(blocks: Iterable[Block]) -> int:
    """Characters of text across ``blocks``: what Slack's practical size limit counts."""
    total = 0
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            total += len(text.get("text", ""))
        for element in block.get("elements", ()):
            if isinstance(element, dict) and element.get("type") in ("mrkdwn", "plain_text"):
                total += len(element.get("text", ""))
            elif isinstance(element, dict) and isinstance(element.get("text"), dict):
                total += len(element["text"].get("text", ""))
    return total


def section(text: str, *, verbatim: bool = False) -> Block:
    """A mrkdwn section; ``text`` must already be escaped and within the section limit."""
    obj: dict[str, Any] = {"type": "mrkdwn", "text": text}
    if verbatim:
        obj["verbatim"] = True
    return {"type": "section", "text": obj}


def context(*parts: str) -> Block:
    """A context line of already-escaped mrkdwn parts."""
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(p, MAX_CONTEXT_CHARS)} for p in parts[:10]],
    }


def header(text: str) -> Block:
    """A header block (plain text, which Slack never parses for mentions)."""
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_CHARS)}}


def quote_chunks(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Render ``text`` as escaped mrkdwn block quotes, each at most ``limit`` characters.

    Splits at whitespace (a word longer than a whole section is cut), never inside an
    escaped entity, and quotes every line so a chunk reads as a quote on its own.
    """
    budget = limit - 2  # the leading "> "
    chunks: list[str] = []
    current: list[str] = []
    used = 0

    def cost(piece: str) -> int:
        return len(escape(piece)) + 2 * piece.count("\n")

    def flush() -> None:
        nonlocal current, used
        raw = "".join(current).strip()
        if raw:
            chunks.append("> " + escape(raw).replace("\n", "\n> "))
        current, used = [], 0

    for token in _TOKEN.findall(text.strip()):
        size = cost(token)
        if used + size > budget:
            flush()
            if token.isspace():
                continue
            while cost(token) > budget:
                cut = _longest_prefix(token, budget)
                current, used = [token[:cut]], cost(token[:cut])
                flush()
                token = token[cut:]
            size = cost(token)
        current.append(token)
        used += size
    flush()
    return chunks


REPORTED = "_Reported:_ "


def reported_chunks(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Reported speech as escaped mrkdwn, marked and never shown as a block quote.

    A reporter's paraphrase is not the speaker's words, so it must not look like a quotation.
    """
    chunks = quote_chunks(text, limit - len(REPORTED))
    return [REPORTED + chunk[2:].replace("\n> ", "\n") for chunk in chunks]


def _longest_prefix(token: str, budget: int) -> int:
    """Length of the longest prefix of ``token`` whose escaped form fits ``budget``."""
    used = 0
    for i, ch in enumerate(token):
        used += len(escape(ch))
        if used > budget:
            return max(i, 1)
    return len(token)


def passage_context(p: Passage) -> Block:
    """Date, session and place in the record of one passage."""
    parts = [f"*{escape(p.date)}*" if p.date else "_undated_", f"_{escape(truncate(p.title, 200))}_"]
    parts.append(f"session {p.session_id}, chars {p.start}–{p.end}")
    if p.page is not None:
        parts.append(f"p. {p.page}")
    if p.seconds is not None:
        parts.append(f"at {clock(p.seconds)}")
    if p.kind == "indirect":
        parts.append("reported speech")
    if p.is_question:
        parts.append("question")
    return context(" · ".join(parts))


def speaker_label(speaker: str | None) -> str:
    """How a passage's speaker is named; ``None`` says plainly that it is unattributed."""
    return speaker if speaker else "Unattributed (speaker not certain)"


def _passage_units(passages: Sequence[Passage]) -> list[list[Block]]:
    """Group consecutive passages by speaker and session under one header each."""
    units: list[list[Block]] = []
    previous: tuple[str | None, int] | None = None
    for p in passages:
        key = (p.speaker, p.session_id)
        unit: list[Block] = []
        if key != previous:
            unit.append(header(f"{speaker_label(p.speaker)} — {p.title}"))
            previous = key
        chunks = reported_chunks(p.text) if p.kind == "indirect" else quote_chunks(p.text)
        unit.extend(section(chunk, verbatim=True) for chunk in chunks)
        unit.append(passage_context(p))
        units.append(unit)
    return units


def _intro(answer: Answer) -> list[Block]:
    understood = []
    if answer.speaker:
        understood.append(f"*Speaker:* {escape(answer.speaker)}")
    if answer.topic:
        understood.append(f"*Topic:* {escape(answer.topic)}")
    count = len(answer.passages)
    understood.append(f"{count} passage{'s' if count != 1 else ''}" if count else "no passages")
    blocks: list[Block] = [context(" · ".join(understood))]
    if answer.note:
        blocks.append(section(escape(truncate(answer.note, MAX_SECTION_CHARS - 500))))
    if answer.candidates:
        blocks.append(context("Did you mean: " + ", ".join(escape(c) for c in answer.candidates[:10])))
    if answer.suggestions:
        blocks.append(context("Try: " + ", ".join(escape(s) for s in answer.suggestions[:10])))
    return blocks


def answer_fallback(answer: Answer) -> str:
    """Plain notification text for an answer (escaped: Slack parses it too)."""
    who = answer.speaker or "the record"
    if answer.passages:
        return escape(truncate(f"{len(answer.passages)} passage(s) from {who}: {answer.question}", 300))
    return escape(truncate(answer.note or f"Nothing found for: {answer.question}", FALLBACK_CHARS))


def render_answer(answer: Answer, *, tail: Sequence[Block] = ()) -> list[Message]:
    """An answer as one or more messages; ``tail`` (e.g. a Share button) ends the last."""
    return pack([_intro(answer), *_passage_units(answer.passages)], answer_fallback(answer), tail)


def share_actions(value: str) -> Block:
    """The "Share to channel" button under an ephemeral answer."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION_ID,
                "text": {"type": "plain_text", "text": "Share to channel"},
                "value": value,
            }
        ],
    }


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
