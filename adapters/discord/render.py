"""Core dataclasses as Discord messages: embeds and pages that always fit Discord's limits.

Limits (../shared/DESIGN.md): content 2000 characters; embed title 256, description 4096, field
name 256 and value 1024, footer 2048, at most 25 fields, 6000 characters across a message's
embeds. Text is shortened or split only between words, and record text is escaped
(``escape``) so a record's ``*``, ``>``, ``<@&123>`` or ``@everyone`` shows as written
instead of turning into formatting, a mention pill or a highlight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

import discord
from discord.utils import escape_markdown

from bot.models import AddResult, Answer, Passage, SessionInfo, SpeakerInfo, TopicInfo
from bot.wording import asked_line, clock, counted, replied_line, speaker_details

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELDS_LIMIT = 25
EMBEDS_TOTAL_LIMIT = 6000

# A page's description: under the 4096 limit, leaving the 6000 across the embed for the
# title (256), footer and, on page 1, the note and suggestions.
PAGE_BUDGET = 4000
PASSAGES_PER_PAGE = 6
TOPIC_SHOWN_LIMIT = 80  # a longer "topic" is the whole question, already the title
ELLIPSIS = "…"
COLOUR = discord.Colour(0x2F6F8F)

_WORD = re.compile(r"\S+\s*")
# Discord's angle-bracket syntax: <@user>, <@!user>, <@&role>, <#channel>, </command:id>,
# <:emoji:id>, <a:emoji:id>, <t:unix:style>, <id:browse>. A backslash before "<" shows it as
# written; "@everyone"/"@here" likewise, and a discord.com/channels link loses its pill
# once its "://" is escaped.
_ANGLE = re.compile(r"<(?=[@#:/]|a:|t:|id:)")
_BROADCAST = re.compile(r"@(?=everyone|here)")
_CHANNEL_LINK = re.compile(r"(?i)\b(https?)://(?=(?:[a-z]+\.)?discord(?:app)?\.com/channels/)")


def escape(text: str) -> str:
    """Record text as Discord shows it literally: markdown, mentions, channel links, custom emoji.

    ``escape_markdown`` covers formatting (and backslashes, so nothing here can be undone);
    ``discord.utils.escape_mentions`` would only cover the @ forms with 17-20 digit ids.
    Nothing pings either way (every message is sent with mentions off), but a quote that
    shows "@Councillors" as this server's role pill is not the record's words.
    """
    text = escape_markdown(text)
    text = _ANGLE.sub(r"\\<", text)
    text = _BROADCAST.sub(r"\\@", text)
    return _CHANNEL_LINK.sub(r"\1\\://", text)


def clip(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]
    cut = head.rstrip()
    if len(cut) > room:
        space = max(head.rfind(" ", 0, room + 1), head.rfind("\n", 0, room + 1))
        # One word longer than the whole limit cannot be kept whole; cut it (between characters).
        cut = head[:space].rstrip() if space > 0 else head[: grapheme_cut(head, room)]
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
    return grapheme_cut(word, size)


def _joins_previous(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (a mark, ZWJ, selector, skin tone, tag)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or code == 0x200D  # zero-width joiner
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF  # two of these make one flag


def grapheme_cut(text: str, at: int) -> int:
    """The nearest index at or before ``at`` that does not split what a reader sees as one character.

    Keeps ZWJ emoji (👩‍👩‍👧), skin tones, flags and accents whole. A cluster longer than
    the whole room is cut where asked, since something must be shown.
    """
    cut = at
    while 0 < cut < len(text) and (_joins_previous(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    if 0 < cut < len(text) and _regional(text[cut]) and _regional(text[cut - 1]):
        run = 0
        while cut - 1 - run >= 0 and _regional(text[cut - 1 - run]):
            run += 1
        cut -= run % 2
    return cut if cut > 0 else at


def quote(text: str) -> str:
    """Verbatim text as a Discord block quote, markdown escaped so it shows as written."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(f"> {escape(line)}" for line in lines if line)


def reported(text: str) -> str:
    """Reported speech: the record's paraphrase, so it is never shown as a block quote."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(f"*Reported:* {escape(line)}" for line in lines if line)


def body(passage: Passage, text: str) -> str:
    """A passage's words: a block quote when verbatim, marked as reported otherwise."""
    return reported(text) if passage.kind == "indirect" else quote(text)


def citation(passage: Passage) -> str:
    """Who said it and where: speaker, session title and date, page or timestamp, session id."""
    who = "*speaker not certain in the record*"
    if passage.speaker:
        who = f"**{escape(passage.speaker)}**"
    where = f"*{escape(clip(passage.title, 200))}*"
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


def header(passage: Passage) -> str:
    """The citation shared by a group of passages: speaker, session, date, id, link to the source."""
    who = f"**{escape(passage.speaker)}**" if passage.speaker else "*speaker not certain in the record*"
    where = f"*{escape(clip(passage.title, 200))}*" + (f" ({passage.date})" if passage.date else "")
    link = ""
    if passage.source_url:  # a masked link; brackets in the address would end it early
        link = f" · [source]({passage.source_url.replace('(', '%28').replace(')', '%29')})"
    return f"{who} — {where} · session {passage.session_id}{link}"


def position(passage: Passage) -> str:
    """Where one passage is in its record (page, time, characters) and what it is, as one line.

    The same places the command line shows: "p. 4 · at 1:02:03 · chars 120-388".
    """
    marks = [f"p. {passage.page}"] if passage.page is not None else []
    if passage.seconds is not None:
        marks.append(f"at {clock(passage.seconds)}")
    marks.append(f"chars {passage.start}-{passage.end}")
    if passage.is_question:
        marks.append("question")
    if passage.kind == "indirect":
        marks.append("reported speech")
    return " · ".join(marks)


def exchange_lines(passage: Passage) -> tuple[str, str]:
    """The other side of a passage's exchange: the question above it, or the reply below it."""
    above = below = ""
    if passage.in_reply_to is not None:
        above = f"-# {escape(asked_line(passage.in_reply_to.speaker, passage.in_reply_to.text))}\n"
    if passage.reply is not None:
        below = f"\n-# {escape(replied_line(passage.reply.speaker, passage.reply.text))}"
    return above, below


def passage_blocks(passage: Passage, limit: int = PAGE_BUDGET) -> list[str]:
    """One passage as its words and a position line, split between words if over ``limit``.

    A reply is shown under the question it answers, a question over the reply it got, so
    "Yes." says what it agreed to.
    """
    where = position(passage)
    above, below = exchange_lines(passage)
    whole = f"{above}{body(passage, passage.text)}{below}\n*{where}*"
    if len(whole) <= limit:
        return [whole]
    # Leave room for the exchange, the position line and a "(part i of n)" marker on every part.
    room = limit - len(above) - len(below) - len(where) - len(" · part 99 of 99") - 3
    parts = split_words(passage.text, room, lambda t: len(body(passage, t)))
    last = len(parts)
    out = []
    for i, part in enumerate(parts, 1):
        words = f"{above if i == 1 else ''}{body(passage, part)}{below if i == last else ''}"
        out.append(f"{words}\n*{where} · part {i} of {last}*")
    return out


def _understood(answer: Answer) -> str:
    bits = []
    if answer.speaker:
        bits.append(f"speaker {answer.speaker}")
    # A topic as long as a paragraph is the question itself, already the title: not echoed.
    if answer.topic and len(answer.topic) <= TOPIC_SHOWN_LIMIT:
        bits.append(f"topic {answer.topic}")
    return "Understood: " + ", ".join(bits) if bits else ""


def _names_field(name: str, values: Sequence[str]) -> tuple[str, str]:
    return name, clip(", ".join(escape(v) for v in values), FIELD_VALUE_LIMIT)


def _extra_fields(answer: Answer) -> list[tuple[str, str]]:
    """The note, the names to choose from and suggestions, each said once."""
    extra: list[tuple[str, str]] = []
    if answer.note and answer.passages:  # without passages the note is the message itself
        extra.append(("Note", clip(escape(answer.note), FIELD_VALUE_LIMIT)))
    # The core's note on an ambiguous name already lists the people it could mean.
    if answer.candidates and not (answer.note and all(c in answer.note for c in answer.candidates)):
        extra.append(_names_field("Which one did you mean?", answer.candidates))
    if answer.suggestions:
        extra.append(_names_field("Try", answer.suggestions))
    return extra


def _grouped(passages: Sequence[Passage]) -> list[tuple[str, list[str]]]:
    """Passages under one header per speaker and session, groups in order of their best passage."""
    groups: dict[tuple[str | None, int], tuple[str, list[str]]] = {}
    for p in passages:
        head = header(p)
        _, blocks = groups.setdefault((p.speaker, p.session_id), (head, []))
        blocks.extend(passage_blocks(p, PAGE_BUDGET - len(head) - 2))
    return list(groups.values())


def _pack(
    groups: Sequence[tuple[str, list[str]]], budget: int = PAGE_BUDGET, per_page: int = PASSAGES_PER_PAGE
) -> list[str]:
    """Pages of at most ``per_page`` passages and ``budget`` characters.

    A header opens each group on every page it appears on, so each page says whose words
    it shows.
    """
    pages: list[str] = []
    current = ""
    count = 0
    for head, blocks in groups:
        opened = False
        for block in blocks:
            if opened:
                joined = f"{current}\n{block}"
            else:
                joined = f"{current}\n\n{head}\n{block}" if current else f"{head}\n{block}"
            if current and (len(joined) > budget or count >= per_page):
                pages.append(current)
                current, count = "", 0
                joined = f"{head}\n{block}"
            current, count, opened = joined, count + 1, True
    if current:
        pages.append(current)
    return pages


def answer_pages(answer: Answer) -> list[discord.Embed]:
    """An answer as one embed per page: passages verbatim, grouped under who said them where."""
    title = clip(escape(answer.question), TITLE_LIMIT) or "Answer"
    pages = _pack(_grouped(answer.passages)) or [
        escape(answer.note) if answer.note else "Nothing on record matches that question."
    ]
    extra = _extra_fields(answer)
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


def sessions_embed(
    sessions: Sequence[SessionInfo], total: int | None = None, first: int = 0
) -> discord.Embed:
    """A page of the stored sessions, newest first, saying how many more there are.

    ``first`` is how many newer sessions come before this page and ``total`` how many
    are stored, so a page of 25 out of 1,500 says "… and 1450 more" and where it stands.
    """
    lines = [
        f"`{s.id}` **{escape(clip(s.title, 200))}**"
        f"{f' ({s.date})' if s.date else ''} · {counted(s.statements, 'statement')}, "
        f"{counted(s.speakers, 'speaker')}"
        for s in sessions
    ]
    total = len(sessions) if total is None else total
    older = total - first - len(sessions)
    if older > 0 and lines:
        lines.append(f"… and {older} more, older: turn the page, or type a title word or date in /summary")
    empty = "No sessions are stored yet. A moderator can add one with /session add."
    embed = _listing("Sessions on record", lines, empty)
    if total > len(sessions) and sessions:
        shown = f"{first + 1}–{first + len(sessions)}"
        embed.set_footer(text=f"{shown} of {counted(total, 'session')}, newest first")
    return embed


def speakers_embed(speakers: Sequence[SpeakerInfo], session_id: int | None = None) -> discord.Embed:
    """People on record (in one session if given), most statements first."""
    lines = []
    for s in speakers:
        about = escape(speaker_details(s.name, s.role, s.party))
        lines.append(
            f"**{escape(s.name)}**{f' ({about})' if about else ''} · "
            f"{counted(s.statements, 'statement')} in {counted(s.sessions, 'session')}"
        )
    if session_id is None:
        return _listing("Speakers on record", lines, "No attributed speakers yet.")
    return _listing(
        f"Speakers in session {session_id}", lines, _nothing_in(session_id, "attributed speakers")
    )


def topics_embed(topics: Sequence[TopicInfo], session_id: int | None = None) -> discord.Embed:
    """The main topics on record (in one session if given)."""
    lines = [f"**{escape(t.term)}** · {counted(t.statements, 'statement')}" for t in topics]
    if session_id is None:
        return _listing("Topics on record", lines, "No topics yet.")
    return _listing(f"Topics in session {session_id}", lines, _nothing_in(session_id, "topics"))


def _nothing_in(session_id: int, what: str) -> str:
    return f"No {what} in session {session_id}; /sessions lists the stored sessions and their ids."


def _session_line(info: SessionInfo) -> str:
    date = f" ({info.date})" if info.date else ""
    return f"session {info.id}: *{escape(clip(info.title, 200))}*{date}"


def added_message(result: AddResult) -> str:
    """A moderator's report of what was extracted from a new or replaced session."""
    verb = "Replaced" if result.replaced is not None else "Stored"
    names = ", ".join(escape(n) for n in result.speakers[:10])
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
    lines.extend(f"Warning: {escape(w)}" for w in result.warnings)
    return clip("\n".join(lines), CONTENT_LIMIT)


def removed_message(info: SessionInfo) -> str:
    """Confirmation that a session and its statements are gone."""
    gone = counted(info.statements, "statement")
    return clip(f"Removed {_session_line(info)} and its {gone}.", CONTENT_LIMIT)
