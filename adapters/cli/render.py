"""Answers as the terminal shows them: plain text for people, JSON for programs.

The JSON is the contract benchmarks rely on (``../shared/DESIGN.md``): the passage fields
with their character offsets into the stored text.
"""

from __future__ import annotations

from typing import Any

from bot.models import Answer, Passage
from bot.wording import asked_line, clock, replied_line


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
                "source": p.source,
                "in_reply_to": _side(p.in_reply_to),
                "reply": _side(p.reply),
            }
            for p in answer.passages
        ],
        "note": answer.note,
        "suggestions": list(answer.suggestions),
        "candidates": list(answer.candidates),
        "speakers_found": list(answer.speakers_found),
    }


def _side(p: Passage | None) -> dict[str, Any] | None:
    """The other side of an exchange: who, their words, and where they are."""
    if p is None:
        return None
    return {"speaker": p.speaker, "text": p.text, "start": p.start, "end": p.end}


def citation(p: Passage) -> str:
    """Where a passage is in its source: page or time when the source had them, and the characters."""
    where = [f"p. {p.page}"] if p.page is not None else []
    if p.seconds is not None:
        where.append(f"at {clock(p.seconds)}")
    where.append(f"chars {p.start}-{p.end}")
    if p.source:
        where.append(f"from {p.source}")
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
        if p.in_reply_to is not None:
            lines.append("   " + asked_line(p.in_reply_to.speaker, p.in_reply_to.text))
        # Reported speech is the record's paraphrase, so it never gets quotation marks.
        lines.append(f"   reported: {p.text}" if p.kind == "indirect" else f"   “{p.text}”")
        if p.reply is not None:
            lines.append("   " + replied_line(p.reply.speaker, p.reply.text))
    if answer.note:
        lines.append(answer.note)
    if answer.candidates:
        lines.append("Did you mean: " + ", ".join(answer.candidates) + "?")
    return "\n".join(lines) if lines else "Nothing found."
