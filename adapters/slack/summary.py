"""A summary as one Slack message of Block Kit blocks (the daily post, a member's read), and the poster.

One ``chat.postMessage`` per post (≤ 50 blocks, sections ≤ 3000 characters, about 12k in
all), so a retry after a refused post never repeats half a summary. Record text is escaped
(``&``, ``<``, ``>``): a quote holding ``<!channel>`` pings nobody. Only the speaker's own
words are ``>`` quoted or put in quotation marks; reported speech is marked ``_Reported:_``
instead, and separate passages are joined with a visible " … ", never glued into one quote.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_CHARS,
    Block,
    Message,
    context,
    escape,
    header,
    message_chars,
    quote_chunks,
    reported_chunks,
    section,
    truncate,
)
from bot.daily.scheduler import Poster, PostFailedError
from bot.models import DailySummary, FollowUpdate, Quote, SessionSummary
from bot.wording import GAP, counted, speaker_details

log = logging.getLogger(__name__)

MAX_SPEAKERS = 12
NOTHING_NEW = "Nothing new on the record since the last summary."


def _quote(text: str, limit: int, *, verbatim: bool = True) -> str:
    chunks = quote_chunks if verbatim else reported_chunks
    return chunks(truncate(text, limit), MAX_SECTION_CHARS)[0]


def passages(quotes: tuple[Quote, ...], limit: int) -> str:
    """One reply's passages: ``>`` quoted speaker's words joined by " … ", or marked reported."""
    return _quote(GAP.join(q.text for q in quotes), limit, verbatim=bool(quotes) and quotes[0].verbatim)


def _speakers(s: SessionSummary) -> str:
    lines = []
    for x in s.speakers[:MAX_SPEAKERS]:
        about = speaker_details(x.name, x.role, x.party)
        label = f"*{escape(x.name)}*" + (f" ({escape(about)})" if about else "")
        lines.append(f"{label}: {counted(x.statements, 'statement')}, {counted(x.words, 'word')}")
    if len(s.speakers) > MAX_SPEAKERS:
        lines.append(f"… and {counted(len(s.speakers) - MAX_SPEAKERS, 'more speaker')}")
    return truncate("\n".join(lines) or "No attributed statements.", MAX_SECTION_CHARS)


def session_units(s: SessionSummary) -> list[list[Block]]:
    """One session as units of blocks, most important first, so the tail can be dropped."""
    title = s.title + (f" ({s.date})" if s.date else "")
    facts = counted(s.statements, "statement") + (
        f", {s.unattributed} unattributed" if s.unattributed else ""
    )
    if s.session_id is not None:
        facts = f"session {s.session_id} · " + facts
    units: list[list[Block]] = [[header(title), context(escape(facts)), section(_speakers(s))]]
    if s.topics:
        units.append(
            [section(truncate("*Topics:* " + " · ".join(escape(t) for t in s.topics), MAX_SECTION_CHARS))]
        )
    for e in s.exchanges:
        text = (
            f"*{escape(e.asker)}* asked *{escape(e.answerer)}*:\n{passages((e.question,), 600)}\n"
            f"*{escape(e.answerer)}*:\n{passages(e.answer, 1500)}"
        )
        units.append([section(truncate(text, MAX_SECTION_CHARS), verbatim=True)])
    if s.figures:
        lines = [
            f"*{escape(f.figure)}* — "
            + (
                _shown(f.context).framed("“", "”")
                if f.context.verbatim
                else "_reported:_ " + _shown(f.context).framed()
            )
            + f" — {escape(f.speaker) if f.speaker else '_speaker not certain_'}"
            for f in s.figures
        ]
        units.append(
            [section(truncate("*Key figures*\n" + "\n".join(lines), MAX_SECTION_CHARS), verbatim=True)]
        )
    return units


def _follow_units(follows: tuple[FollowUpdate, ...]) -> list[list[Block]]:
    units: list[list[Block]] = []
    for f in follows:
        if not f.passages:
            continue
        name = " on ".join(x for x in (f.speaker, f.topic) if x)
        body = "\n".join(
            f"{_quote(p.text, 600, verbatim=p.kind != 'indirect')}\n"
            f"— {escape(p.speaker or 'speaker not certain')}, _{escape(p.title)}_"
            for p in f.passages
        )
        units.append(
            [section(truncate(f"*Following {escape(name)}*\n{body}", MAX_SECTION_CHARS), verbatim=True)]
        )
    return units


def render_summary(summary: DailySummary, *, label: str = "Daily summary") -> Message:
    """The whole post as one message within Slack's limits; ``label`` starts its fallback text.

    Every session keeps its header and speakers; the rest (topics, exchanges, figures,
    follows) is added round-robin across sessions while it fits, so shortening thins each
    session's detail instead of dropping later sessions.
    """
    if summary.is_empty:
        return Message(text=NOTHING_NEW, blocks=[section(NOTHING_NEW)])
    per_session = [session_units(s) for s in summary.sessions]
    chosen: list[list[list[Block]]] = [units[:1] for units in per_session]
    follows = _follow_units(summary.follows)
    used = [b for units in chosen for unit in units for b in unit]
    dropped = False

    def fits(unit: list[Block]) -> bool:
        return (
            len(used) + len(unit) <= MAX_BLOCKS - 1
            and message_chars([*used, *unit]) <= MAX_MESSAGE_CHARS - 200
        )

    depth = max((len(u) for u in per_session), default=0)
    for level in range(1, depth):
        for i, units in enumerate(per_session):
            if level < len(units):
                if fits(units[level]):
                    chosen[i].append(units[level])
                    used.extend(units[level])
                else:
                    dropped = True
    blocks = [b for units in chosen for unit in units for b in unit]
    for unit in follows:
        if fits(unit):
            blocks.extend(unit)
            used.extend(unit)
        else:
            dropped = True
    if summary.more or dropped:
        note = f"{counted(summary.more, 'more session')} not shown. " if summary.more else ""
        blocks.append(
            context(note + "Shortened to fit one message; ask for a session's summary for all of it.")
        )
    titles = ", ".join(s.title for s in summary.sessions)
    return Message(text=truncate(escape(f"{label}: {titles}"), 300), blocks=blocks)


def make_poster(client: AsyncWebClient) -> Poster:
    """The scheduler's poster: ``chat.postMessage`` to the channel; Slack errors are reported."""

    async def post(channel_id: str, summary: DailySummary) -> str | None:
        message = render_summary(summary)
        try:
            response = await client.chat_postMessage(
                channel=channel_id,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise PostFailedError(f"Slack refused the post ({exc.response.get('error')}).") from exc
        ts = response.get("ts")
        return str(ts) if ts else None

    return post


def _shown(quote: Quote) -> Quote:
    """A figure's context escaped for mrkdwn and kept short, its trim marks intact."""
    return replace(quote, text=escape(truncate(quote.text, 300)))
