"""A summary as one Slack message of Block Kit blocks (the daily post, a member's read), and the poster.

One ``chat.postMessage`` per post (≤ 50 blocks, sections ≤ 3000 characters, about 12k in
all), so a retry after a refused post never repeats half a summary. The record's words
(exchanges, follows, key figures) are rich text of plain text elements, shown exactly as
recorded: ``*bold*`` stays asterisks and ``<!channel>`` pings nobody; other record text in
mrkdwn is escaped (``&``, ``<``, ``>``). Only the speaker's own words are quoted (a rich
text quote, or quotation marks); reported speech is marked *Reported:* instead, and
separate passages are joined with a visible " … ", never glued into one quote.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import clients, replies
from adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_CHARS,
    REPORTED_LABEL,
    Block,
    Message,
    context,
    escape,
    header,
    message_chars,
    section,
    truncate,
)
from adapters.slack.channels import POST_REFUSALS
from bot.daily.clock import ChannelSchedule
from bot.daily.scheduler import Finder, Poster, PostFailedError, PostKey, Refused
from bot.models import DailySummary, FollowUpdate, Quote, SessionSummary
from bot.wording import GAP, counted, speaker_details

log = logging.getLogger(__name__)

RichElement = dict[str, Any]  # a rich text section, quote or text element

MAX_SPEAKERS = 12
NOTHING_NEW = "Nothing new on the record since the last summary."


def _text(text: str, **style: bool) -> RichElement:
    element: RichElement = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def _line(*parts: RichElement) -> RichElement:
    return {"type": "rich_text_section", "elements": list(parts)}


def _words(text: str, limit: int, *, verbatim: bool = True) -> RichElement:
    """Record words as a rich text quote, or (reported speech) a line marked *Reported:*."""
    shown = _text(truncate(text, limit))
    if verbatim:
        return {"type": "rich_text_quote", "elements": [shown]}
    return _line(_text(REPORTED_LABEL, italic=True), shown)


def passages(quotes: tuple[Quote, ...], limit: int) -> RichElement:
    """One reply's passages: the speaker's words quoted and joined by " … ", or marked reported."""
    return _words(GAP.join(q.text for q in quotes), limit, verbatim=bool(quotes) and quotes[0].verbatim)


def rich_text(*elements: RichElement) -> Block:
    """A rich text block of sections and quotes."""
    return {"type": "rich_text", "elements": list(elements)}


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
        units.append(
            [
                rich_text(
                    _line(
                        _text(e.asker, bold=True), _text(" asked "), _text(e.answerer, bold=True), _text(":")
                    ),
                    passages((e.question,), 600),
                    _line(_text(e.answerer, bold=True), _text(":")),
                    passages(e.answer, 1500),
                )
            ]
        )
    if s.figures:
        lines = [_line(_text("Key figures", bold=True))]
        for f in s.figures:
            said = replace(f.context, text=truncate(f.context.text, 300))
            if said.verbatim:
                words = [_text(" — " + said.framed("“", "”"))]
            else:
                words = [_text(" — "), _text("reported:", italic=True), _text(" " + said.framed())]
            who = _text(f" — {f.speaker}") if f.speaker else _text(" — speaker not certain", italic=True)
            line = _line(_text(f.figure, bold=True), *words, who)
            if message_chars([rich_text(*lines, line)]) > MAX_SECTION_CHARS:
                break
            lines.append(line)
        units.append([rich_text(*lines)])
    return units


def _follow_units(follows: tuple[FollowUpdate, ...]) -> list[list[Block]]:
    units: list[list[Block]] = []
    for f in follows:
        if not f.passages:
            continue
        name = " on ".join(x for x in (f.speaker, f.topic) if x)
        elements: list[RichElement] = [_line(_text(f"Following {name}", bold=True))]
        for p in f.passages:
            elements.append(_words(p.text, 600, verbatim=p.kind != "indirect"))
            elements.append(
                _line(_text(f"— {p.speaker or 'speaker not certain'}, "), _text(p.title, italic=True))
            )
        units.append([rich_text(*elements)])
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


class SlackPostRefusedError(PostFailedError):
    """Slack refused a daily post; ``error`` is Slack's word for why (``not_in_channel``…)."""

    def __init__(self, error: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(
            f"Slack refused the post ({error}).", retry_after=retry_after, permanent=error in POST_REFUSALS
        )
        self.error = error


ClientFor = Callable[[str], Awaitable[AsyncWebClient]]
"""The Web API client with the token of the workspace a channel is in (several workspaces, OAuth)."""


# The message metadata every daily post carries, so a resend can find an earlier attempt.
POST_EVENT = "onrecord_daily_summary"
HISTORY_PAGE = 200  # conversations.history's page (Slack allows up to 999)


def post_metadata(key: PostKey) -> dict[str, Any]:
    """Message metadata naming the post (``event_payload.post_id``), as chat.postMessage takes it."""
    return {"event_type": POST_EVENT, "event_payload": {"post_id": key.id}}


def make_poster(client: AsyncWebClient, client_for: ClientFor | None = None) -> Poster:
    """The scheduler's poster: ``chat.postMessage`` to the channel; Slack errors are reported.

    With ``client_for`` each channel is posted to with its own workspace's token. Each post
    carries its ``PostKey`` in the message metadata (see ``make_finder``), and is sent
    without slack_sdk's resend after a dropped connection (the message may have been
    made): the scheduler retries after looking for it.
    """
    clients.with_retries(client)

    async def post(channel_id: str, summary: DailySummary, key: PostKey) -> str | None:
        message = render_summary(summary)
        poster = clients.without_resends(await client_for(channel_id) if client_for else client)
        try:
            response = await poster.chat_postMessage(
                channel=channel_id,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=post_metadata(key),
            )
        except SlackApiError as exc:
            # Still rate limited after the client's own waits: the scheduler tries again
            # when Slack said to, not after its usual interval.
            error = str(exc.response.get("error") or "unknown_error")
            raise SlackPostRefusedError(error, retry_after=clients.retry_after(exc)) from exc
        ts = response.get("ts")
        return str(ts) if ts else None

    return post


def make_finder(client: AsyncWebClient, client_for: ClientFor | None = None) -> Finder:
    """The scheduler's ``find_earlier``: the channel's messages since then, by their metadata.

    Before a retry the scheduler asks whether an earlier attempt arrived although its
    answer was lost (a timeout after Slack had posted it); ``conversations.history`` with
    ``include_all_metadata`` shows each message's metadata, and the post id in it says.
    """

    async def find(key: PostKey, since: datetime) -> str | None:
        reader = await client_for(key.channel_id) if client_for else client
        cursor: str | None = None
        while True:
            response = await reader.conversations_history(
                channel=key.channel_id,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                cursor=cursor,
            )
            for message in response.get("messages") or ():
                meta = message.get("metadata") or {}
                if meta.get("event_type") == POST_EVENT and (meta.get("event_payload") or {}).get(
                    "post_id"
                ) == key.id:
                    return str(message.get("ts"))
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None

    return find


def refusal_notice(channel_id: str, error: str, at: str) -> str:
    """What the moderator who set a channel's summary is told when Slack refuses it for good (mrkdwn).

    The channel is a ``<#C…>`` link, so Slack shows its name; the id is Slack's own, kept
    to its letters and digits.
    """
    why = POST_REFUSALS.get(error, f"Slack answered {escape(error)}")
    channel = "".join(ch for ch in channel_id if ch.isalnum())
    return (
        f"Today's daily summary for <#{channel}> could not be posted: {why}. "
        f"It will be tried again tomorrow at {at}; to stop it, type `/onrecord summary off` in that channel."
    )


def make_refusal_notifier(client: AsyncWebClient, client_for: ClientFor | None = None) -> Refused:
    """The scheduler's ``on_refused``: a DM from the app to the moderator who set the summary."""

    async def tell(schedule: ChannelSchedule, refusal: PostFailedError) -> None:
        platform, _, user = schedule.set_by.partition(":")
        if platform != "slack" or not user:
            log.warning("daily summary for %s refused; no Slack user to tell", schedule.channel_id)
            return
        error = refusal.error if isinstance(refusal, SlackPostRefusedError) else "unknown_error"
        at = f"{schedule.at:%H:%M} {schedule.zone.key}"
        notice = refusal_notice(schedule.channel_id, error, at)
        sender = await client_for(schedule.channel_id) if client_for else client
        await replies.direct_message(sender, user, [Message(text=notice, blocks=[section(notice)])])

    return tell
