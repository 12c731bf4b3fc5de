"""An answer as Slack messages: one header, each speaker's group cited once, passages verbatim.

Layout, for five short passages of one speaker in one session: the header (what was
asked), one line of what was understood, one citation line for the group (speaker,
session title and date, a link to the source when it is a web address), then each passage
as one rich text block ending in its place in the record (``[1] chars 120–380 · p. 4``),
and one row of buttons: Share (on a private answer) and a numbered **Context** per passage,
which shows that passage with the record's text just before and after it, to the clicker
only. A no-match answer carries no Share button: there is nothing to share.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.slack.blocks import (
    FALLBACK_CHARS,
    MAX_SECTION_CHARS,
    REPORTED_LABEL,
    Block,
    Message,
    context,
    escape,
    header,
    pack,
    section,
    text_chunks,
    truncate,
)
from bot.errors import OnrecordError
from bot.models import Answer, Passage
from bot.wording import EXCHANGE_CHARS, asked_line, clock, replied_line

SHARE_ACTION_ID = "onrecord_share"
CONTEXT_ACTION_ID = "onrecord_context"  # one button per passage: "onrecord_context:1", ":2"…
CONTEXT_CHARS = 700  # of record text shown on each side of a passage
CONTEXT_PASSAGE_CHARS = 1500  # of the passage itself in the Context view
UNATTRIBUTED = "Unattributed (speaker not certain)"


def speaker_label(speaker: str | None) -> str:
    """How a passage's speaker is named; ``None`` says plainly that it is unattributed."""
    return speaker if speaker else UNATTRIBUTED


def answer_title(answer: Answer) -> str:
    """The one header of an answer: who on what, as understood, else the question itself."""
    if answer.speaker and answer.topic:
        return f"{answer.speaker} on {answer.topic}"
    if answer.speaker:
        return f"What {answer.speaker} said"
    if answer.topic:
        return f"On {answer.topic}"
    return answer.question


def source_link(source: str | None) -> str | None:
    """A mrkdwn link to a session's source when it is a plain web address, else None."""
    if not source or not source.lower().startswith(("http://", "https://")):
        return None
    if any(ch.isspace() or ch in "<>|" for ch in source):
        return None  # would break out of Slack's <url|label> link syntax
    return f"<{source}|source>"


def citation(p: Passage, source: str | None) -> Block:
    """The group's one citation: speaker, session title, date and id, and the source link."""
    parts = [f"*{escape(speaker_label(p.speaker))}*", f"_{escape(truncate(p.title, 200))}_"]
    parts.append(escape(p.date) if p.date else "undated")
    parts.append(f"session {p.session_id}")
    if p.source:
        parts.append(f"from {escape(p.source)}")
    link = source_link(source)
    if link:
        parts.append(link)
    return section(" · ".join(parts), verbatim=True)


def place(p: Passage, number: int) -> str:
    """Where a passage sits in the record, numbered like its Context button."""
    parts = [f"[{number}] chars {p.start}–{p.end}"]
    if p.page is not None:
        parts.append(f"p. {p.page}")
    if p.seconds is not None:
        parts.append(f"at {clock(p.seconds)}")
    if p.kind == "indirect":
        parts.append("reported speech")
    if p.is_question:
        parts.append("question")
    return " · ".join(parts)


def _plain_section(text: str) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}


def passage_blocks(p: Passage, number: int) -> list[Block]:
    """A passage as rich text (the speaker's words quoted, reported speech marked), then its place.

    Plain text elements: Slack shows them exactly as recorded. A passage longer than one
    block is split at whitespace; its place ends the last piece.
    """
    where = place(p, number)
    reported = p.kind == "indirect"
    budget = MAX_SECTION_CHARS - len(where) - 1 - (len(REPORTED_LABEL) if reported else 0)
    # Room for the other side of the exchange: a shortened line, plus who said it.
    budget -= sum(EXCHANGE_CHARS + 80 for side in (p.in_reply_to, p.reply) if side is not None)
    chunks = text_chunks(p.text, budget)
    out: list[Block] = []
    for i, chunk in enumerate(chunks):
        words: dict[str, Any]
        if reported:
            label = {"type": "text", "text": REPORTED_LABEL, "style": {"italic": True}}
            words = {"type": "rich_text_section", "elements": [label, {"type": "text", "text": chunk}]}
        else:
            words = {"type": "rich_text_quote", "elements": [{"type": "text", "text": chunk}]}
        elements = [words]
        if i == 0 and p.in_reply_to is not None:
            # The question this replies to, attributed, so "Yes." says what it agreed to.
            elements.insert(0, _plain_section(asked_line(p.in_reply_to.speaker, p.in_reply_to.text)))
        if i == len(chunks) - 1:
            if p.reply is not None:
                elements.append(_plain_section(replied_line(p.reply.speaker, p.reply.text)))
            note = {"type": "text", "text": where, "style": {"italic": True}}
            elements.append({"type": "rich_text_section", "elements": [note]})
        out.append({"type": "rich_text", "elements": elements})
    return out


def _passage_units(passages: Sequence[Passage], sources: Mapping[int, str]) -> list[list[Block]]:
    """Consecutive passages of one speaker in one session share one citation line."""
    units: list[list[Block]] = []
    previous: tuple[str | None, int] | None = None
    for number, p in enumerate(passages, start=1):
        unit: list[Block] = []
        if (p.speaker, p.session_id) != previous:
            unit.append(citation(p, sources.get(p.session_id)))
            previous = (p.speaker, p.session_id)
        unit.extend(passage_blocks(p, number))
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
    blocks: list[Block] = [header(answer_title(answer)), context(" · ".join(understood))]
    if answer.note:
        blocks.append(section(escape(truncate(answer.note, MAX_SECTION_CHARS - 500))))
    if answer.candidates:
        blocks.append(context("Did you mean: " + ", ".join(escape(c) for c in answer.candidates[:10])))
    # The core's note already offers its suggestions ("Perhaps: …"); say them once.
    fresh = [s for s in answer.suggestions[:10] if s not in (answer.note or "")]
    if fresh:
        blocks.append(context("Try: " + ", ".join(escape(s) for s in fresh)))
    return blocks


def answer_fallback(answer: Answer) -> str:
    """Plain notification text for an answer (escaped: Slack parses it too)."""
    who = answer.speaker or "the record"
    if answer.passages:
        return escape(truncate(f"{len(answer.passages)} passage(s) from {who}: {answer.question}", 300))
    return escape(truncate(answer.note or f"Nothing found for: {answer.question}", FALLBACK_CHARS))


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value[:2000],
    }


def context_value(p: Passage) -> str:
    """What a Context button carries: where the passage is (read back by ``read_context_value``)."""
    return json.dumps({"session": p.session_id, "start": p.start, "end": p.end})


def read_context_value(value: str) -> tuple[int, int, int]:
    """(session id, start, end) from a Context button; anything else is a usage error."""
    try:
        data = json.loads(value)
        where = (int(data["session"]), int(data["start"]), int(data["end"]))
    except (ValueError, TypeError, KeyError) as exc:
        raise OnrecordError("That button no longer works; ask the question again.") from exc
    if not 0 <= where[1] <= where[2]:
        raise OnrecordError("That button no longer works; ask the question again.")
    return where


def render_answer(
    answer: Answer,
    *,
    share: str | None = None,
    shared_by: str | None = None,
    sources: Mapping[int, str] | None = None,
) -> list[Message]:
    """An answer as one or more messages; the buttons (and ``shared_by``'s line) end the last.

    ``share`` is the command to re-run when Share is pressed (a private answer's button);
    ``sources`` maps session ids to where each session came from, for the source link.
    """
    buttons = []
    if share is not None and answer.passages:
        buttons.append(_button(SHARE_ACTION_ID, "Share to channel", share))
    buttons += [
        _button(f"{CONTEXT_ACTION_ID}:{n}", f"Context {n}", context_value(p))
        for n, p in enumerate(answer.passages[:24], start=1)
    ]
    tail: list[Block] = [context(shared_by)] if shared_by else []
    if buttons:
        tail.append({"type": "actions", "elements": buttons})
    units = [_intro(answer), *_passage_units(answer.passages, sources or {})]
    return pack(units, answer_fallback(answer), tail)


def _around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The passage and up to ``CONTEXT_CHARS`` of record text each side, cut at whitespace."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in before:
        before = "… " + before.split(" ", 1)[1].lstrip()
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0].rstrip() + " …"
    return before, text[start:end], after


def render_context(text: str, session_id: int, start: int, end: int) -> list[Message]:
    """The record around one passage: the text before, the passage quoted, the text after.

    All three are the stored record verbatim (what the passage offsets point into), as
    plain rich text, so nothing in them is formatted or pings anyone.
    """
    if end > len(text):
        raise OnrecordError("That passage is no longer in the record (the session was replaced); ask again.")
    before, passage, after = _around(text, start, end)
    passage = truncate(passage.strip(), CONTEXT_PASSAGE_CHARS)  # the three fit one block
    parts: list[dict[str, Any]] = []
    if before.strip():
        parts.append({"type": "rich_text_section", "elements": [{"type": "text", "text": before.strip()}]})
    parts.append({"type": "rich_text_quote", "elements": [{"type": "text", "text": passage.strip()}]})
    if after.strip():
        parts.append({"type": "rich_text_section", "elements": [{"type": "text", "text": after.strip()}]})
    blocks: list[Block] = [
        context(f"Context in session {session_id}, chars {start}–{end}: the record as stored"),
        {"type": "rich_text", "elements": parts},
    ]
    return [Message(text=f"Context of session {session_id}, chars {start}–{end}", blocks=blocks)]
