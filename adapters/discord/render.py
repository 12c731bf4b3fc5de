"""Core dataclasses as Discord messages: embeds and pages that always fit Discord's limits.

Limits (../shared/DESIGN.md): content 2000 characters; embed title 256, description 4096, field
name 256 and value 1024, footer 2048, at most 25 fields, 6000 characters across a message's
embeds. Text is shortened or split only between words, and quoted text is escaped so a
record's ``*`` or ``>`` shows as written instead of turning into formatting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import discord
from discord.utils import escape_markdown

from bot.models import AddResult, Answer, Passage, SessionInfo, SpeakerInfo, TopicInfo
from bot.wording import clock, counted, speaker_details

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELDS_LIMIT = 25
EMBEDS_TOTAL_LIMIT = 6000

# A page holds less than the hard limit so a screenful stays readable.
PAGE_BUDGET = 3500
PASSAGES_PER_PAGE = 3
ELLIPSIS = "…"
COLOUR = discord.Colour(0x2F6F8F)

_WORD = re.compile(r"\S+\s*")


def clip(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]
    cut = head.rstrip()
    if len(cut) > room:
        space = max(head.rfind(" ", 0, room + 1), head.rfind("\n", 0, room + 1))
        # One word longer than the whole limit cannot be kept whole; cut it.
        cut = head[:space].rstrip() if space > 0 else head[:room]
    return cut + ELLIPSIS


def split_words(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """``text`` in consecutive pieces, each measuring at most ``limit``, split only between words.

    ``measure`` gives a piece's size once rendered (escaping makes text longer), so the
    limit holds for what is actually sent. A single word too long for the limit is the one
    case that must be cut inside the word.
    """
    pieces: list[str] = []
    current = ""
    for word in _WORD.findall(text.strip()):
        candidate = current + word
        if measure(candidate.rstrip()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current.rstrip())
        current = word
        while measure(current.rstrip()) > limit:
            size = _longest_prefix(current, limit, measure)
            pieces.append(current[:size])
            current = current[size:]
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def _longest_prefix(word: str, limit: int, measure: Callable[[str], int]) -> int:
    size = min(len(word), limit)
    while size > 1 and measure(word[:size]) > limit:
        size -= 1
    return size


def quote(text: str) -> str:
    """Verbatim text as a Discord block quote, markdown escaped so it shows as written."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(f"> {escape_markdown(line)}" for line in lines if line)


def reported(text: str) -> str:
    """Reported speech: the record's paraphrase, so it is never shown as a block quote."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(f"*Reported:* {escape_markdown(line)}" for line in lines if line)


def body(passage: Passage, text: str) -> str:
    """A passage's words: a block quote when verbatim, marked as reported otherwise."""
    return reported(text) if passage.kind == "indirect" else quote(text)


def citation(passage: Passage) -> str:
    """Who said it and where: speaker, session title and date, page or timestamp, session id."""
    who = "*speaker not certain in the record*"
    if passage.speaker:
        who = f"**{escape_markdown(passage.speaker)}**"
    where = f"*{escape_markdown(clip(passage.title, 200))}*"
    if passage.date:
        where += f" ({passage.date})"
    if passage.page is not None:
        where += f", p. {passage.page}"
    if passage.seconds is not None:
        where += f", at {clock(passage.seconds)}"
    asked = " (question)" if passage.is_question else ""
    kind = " (reported speech)" if passage.kind == "indirect" else ""
    source = f" · from {passage.source}" if passage.source else ""
    return f"— {who}{asked}{kind}, {where} · session {passage.session_id}{source}"


def passage_blocks(passage: Passage, limit: int = PAGE_BUDGET) -> list[str]:
    """One passage as quote + citation blocks, split between words if it exceeds ``limit``."""
    cite = citation(passage)
    whole = f"{body(passage, passage.text)}\n{cite}"
    if len(whole) <= limit:
        return [whole]
    # Leave room for the citation and a "(part i of n)" marker on every part.
    room = limit - len(cite) - len(" (part 99 of 99)") - 1
    parts = split_words(passage.text, room, lambda t: len(body(passage, t)))
    return [f"{body(passage, part)}\n{cite} (part {i} of {len(parts)})" for i, part in enumerate(parts, 1)]


def _understood(answer: Answer) -> str:
    bits = []
    if answer.speaker:
        bits.append(f"speaker {answer.speaker}")
    if answer.topic:
        bits.append(f"topic {answer.topic}")
    return "Understood: " + ", ".join(bits) if bits else ""


def _names_field(name: str, values: Sequence[str]) -> tuple[str, str]:
    return name, clip(", ".join(escape_markdown(v) for v in values), FIELD_VALUE_LIMIT)


def answer_pages(answer: Answer) -> list[discord.Embed]:
    """An answer as one embed per page; passages verbatim, each with its citation."""
    title = clip(escape_markdown(answer.question), TITLE_LIMIT) or "Answer"
    extra: list[tuple[str, str]] = []
    if answer.note:
        extra.append(("Note", clip(escape_markdown(answer.note), FIELD_VALUE_LIMIT)))
    if answer.candidates:
        extra.append(_names_field("Which one did you mean?", answer.candidates))
    if answer.suggestions:
        extra.append(_names_field("Try", answer.suggestions))

    blocks = [block for p in answer.passages for block in passage_blocks(p)]
    pages = _pack(blocks) or [
        escape_markdown(answer.note) if answer.note else "Nothing on record matches that question."
    ]
    if not answer.passages:
        extra = [f for f in extra if f[0] != "Note"]
    understood = _understood(answer)
    embeds = []
    for number, description in enumerate(pages, 1):
        embed = discord.Embed(title=title, description=clip(description, DESCRIPTION_LIMIT), colour=COLOUR)
        footer = " · ".join(
            x for x in (understood, f"page {number} of {len(pages)}" if len(pages) > 1 else "") if x
        )
        if footer:
            embed.set_footer(text=clip(footer, FOOTER_LIMIT))
        if number == 1:
            add_fields(embed, extra)
        embeds.append(embed)
    return embeds


def add_fields(embed: discord.Embed, fields: Sequence[tuple[str, str]]) -> None:
    """Add fields while the embed stays within 25 fields and 6000 characters in all."""
    for name, value in fields[:FIELDS_LIMIT]:
        room = EMBEDS_TOTAL_LIMIT - len(embed) - len(name)
        if room < 40:  # not enough left for anything useful
            return
        embed.add_field(name=name, value=clip(value, min(room, FIELD_VALUE_LIMIT)) or "—", inline=False)


def _pack(blocks: Iterable[str], budget: int = PAGE_BUDGET, per_page: int = PASSAGES_PER_PAGE) -> list[str]:
    pages: list[str] = []
    current: list[str] = []
    for block in blocks:
        joined = "\n\n".join([*current, block])
        if current and (len(joined) > budget or len(current) >= per_page):
            pages.append("\n\n".join(current))
            current = []
        current.append(block)
    if current:
        pages.append("\n\n".join(current))
    return pages


def _listing(title: str, lines: Sequence[str], empty: str) -> discord.Embed:
    """Lines in an embed description, as many as fit, with a count of the rest."""
    shown: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        rest = len(lines) - i
        tail = f"\n… and {rest} more" if rest > 1 else ""
        if used + len(line) + 1 + len(tail) > DESCRIPTION_LIMIT:
            shown.append(f"… and {rest} more")
            break
        shown.append(line)
        used += len(line) + 1
    return discord.Embed(title=title, description="\n".join(shown) or empty, colour=COLOUR)


def sessions_embed(sessions: Sequence[SessionInfo]) -> discord.Embed:
    """The stored sessions, newest first."""
    lines = [
        f"`{s.id}` **{escape_markdown(clip(s.title, 200))}**"
        f"{f' ({s.date})' if s.date else ''} · {counted(s.statements, 'statement')}, "
        f"{counted(s.speakers, 'speaker')}"
        for s in sessions
    ]
    empty = "No sessions are stored yet. A moderator can add one with /session add."
    return _listing("Sessions on record", lines, empty)


def speakers_embed(speakers: Sequence[SpeakerInfo], session_id: int | None = None) -> discord.Embed:
    """People on record (in one session if given), most statements first."""
    lines = []
    for s in speakers:
        about = escape_markdown(speaker_details(s.name, s.role, s.party))
        lines.append(
            f"**{escape_markdown(s.name)}**{f' ({about})' if about else ''} · "
            f"{counted(s.statements, 'statement')} in {counted(s.sessions, 'session')}"
        )
    if session_id is None:
        return _listing("Speakers on record", lines, "No attributed speakers yet.")
    return _listing(
        f"Speakers in session {session_id}", lines, _nothing_in(session_id, "attributed speakers")
    )


def topics_embed(topics: Sequence[TopicInfo], session_id: int | None = None) -> discord.Embed:
    """The main topics on record (in one session if given)."""
    lines = [f"**{escape_markdown(t.term)}** · {counted(t.statements, 'statement')}" for t in topics]
    if session_id is None:
        return _listing("Topics on record", lines, "No topics yet.")
    return _listing(f"Topics in session {session_id}", lines, _nothing_in(session_id, "topics"))


def _nothing_in(session_id: int, what: str) -> str:
    return f"No {what} in session {session_id}; /sessions lists the stored sessions and their ids."


def _session_line(info: SessionInfo) -> str:
    date = f" ({info.date})" if info.date else ""
    return f"session {info.id}: *{escape_markdown(clip(info.title, 200))}*{date}"


def added_message(result: AddResult) -> str:
    """A moderator's report of what was extracted from a new or replaced session."""
    verb = "Replaced" if result.replaced is not None else "Stored"
    names = ", ".join(escape_markdown(n) for n in result.speakers[:10])
    more = f" and {len(result.speakers) - 10} more" if len(result.speakers) > 10 else ""
    lines = [
        f"{verb} {_session_line(result.session)}, read as {result.format} ({result.encoding}).",
        f"{counted(result.statements, 'statement')}: {result.attributed} attributed to "
        f"{counted(len(result.speakers), 'speaker')}"
        f"{f' ({names}{more})' if names else ''}.",
    ]
    if result.unattributed:
        plural = "s" if result.unattributed != 1 else ""
        lines.append(
            f"{result.unattributed} passage{plural} stored without a speaker: "
            "the record does not say with certainty who spoke."
        )
    lines.extend(f"Warning: {escape_markdown(w)}" for w in result.warnings)
    return clip("\n".join(lines), CONTENT_LIMIT)


def removed_message(info: SessionInfo) -> str:
    """Confirmation that a session and its statements are gone."""
    gone = counted(info.statements, "statement")
    return clip(f"Removed {_session_line(info)} and its {gone}.", CONTENT_LIMIT)
