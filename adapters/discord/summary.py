"""A summary as one Discord message of embeds: the daily post, and a member's /summary.

One message (at most 10 embeds, 6000 characters across them) so a post is all-or-nothing:
a retry after a refused post can never repeat half of it. Record text is escaped (markdown,
mentions, custom emoji: ``render.escape``) and the message is sent with every mention
disabled. Only the speaker's own words are block-quoted or put in quotation marks;
reported speech is marked "*Reported:*" instead, and separate passages are joined with a
visible " … ", never glued into one quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import discord

from adapters.discord.render import (
    COLOUR,
    DESCRIPTION_LIMIT,
    EMBEDS_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    body,
    clip,
    escape,
    quote,
    reported,
)
from adapters.discord.replies import NO_MENTIONS
from bot.daily.scheduler import Finder, Poster, PostFailedError, PostKey
from bot.models import DailySummary, FollowUpdate, Quote, SessionSummary, SpeakerShare
from bot.wording import GAP, counted, speaker_details

MAX_EMBEDS = 10
MAX_SPEAKERS = 12


def _who(share: SpeakerShare) -> str:
    about = speaker_details(share.name, share.role, share.party)
    label = f"**{escape(share.name)}**" + (f" ({escape(about)})" if about else "")
    asked = f", {share.questions} asking" if share.questions else ""
    return f"{label} — {counted(share.statements, 'statement')}, {counted(share.words, 'word')}{asked}"


def _description(s: SessionSummary) -> str:
    lines = [_who(x) for x in s.speakers[:MAX_SPEAKERS]]
    if len(s.speakers) > MAX_SPEAKERS:
        lines.append(f"… and {counted(len(s.speakers) - MAX_SPEAKERS, 'more speaker')}")
    if s.topics:
        lines.append("\n**Topics:** " + " · ".join(escape(t) for t in s.topics))
    return clip("\n".join(lines) or "No attributed statements.", DESCRIPTION_LIMIT)


def passages(quotes: Sequence[Quote], limit: int) -> str:
    """One reply's passages, clipped to ``limit``, shown for what they are.

    The speaker's words are a block quote (passages joined by " … "); reported speech is
    marked as reported and never block-quoted.
    """
    text = clip(GAP.join(q.text for q in quotes), limit)
    return quote(text) if quotes and quotes[0].verbatim else reported(text)


def _figure_lines(s: SessionSummary) -> list[str]:
    out = []
    for f in s.figures:
        who = escape(f.speaker) if f.speaker else "speaker not certain"
        words = replace(f.context, text=escape(clip(f.context.text, 300)))
        if f.context.verbatim:
            out.append(f"**{escape(f.figure)}** — {words.framed('“', '”')} — {who}")
        else:
            out.append(f"**{escape(f.figure)}** — *reported:* {words.framed()} — {who}")
    return out


def escaped_clip(text: str, limit: int) -> str:
    """``text`` markdown-escaped within ``limit``: shortened before escaping, so no escape is cut in two."""
    room = limit
    while len(shown := escape(clip(text, room))) > limit:
        room -= max(1, len(shown) - limit)
    return shown


def session_embed(s: SessionSummary, budget: int = EMBEDS_TOTAL_LIMIT) -> discord.Embed:
    """One session as an embed of at most ``budget`` characters (fields dropped to fit).

    The title is the record's text, so markdown in it (``**``, ``_``, a backquote) shows as
    written, as everywhere else in the embed.
    """
    title = s.title + (f" ({s.date})" if s.date else "")
    embed = discord.Embed(title=escaped_clip(title, TITLE_LIMIT), description=_description(s), colour=COLOUR)
    fields: list[tuple[str, str]] = []
    for e in s.exchanges:
        name = escaped_clip(f"{e.asker} asked {e.answerer}", FIELD_NAME_LIMIT)
        asked = passages([e.question], 350)
        head = f"{asked}\n**{escape(e.answerer)}:**\n"
        value = head + passages(e.answer, max(50, FIELD_VALUE_LIMIT - len(head) - 60))
        fields.append((name, clip(value, FIELD_VALUE_LIMIT)))
    figures = _figure_lines(s)
    while figures and len(fields) < FIELDS_LIMIT:
        chunk: list[str] = []
        while figures and len("\n".join([*chunk, figures[0]])) <= FIELD_VALUE_LIMIT:
            chunk.append(figures.pop(0))
        if not chunk:  # one line longer than a field: shorten it
            chunk.append(clip(figures.pop(0), FIELD_VALUE_LIMIT))
        fields.append(("Key figures", "\n".join(chunk)))
    unattributed = f" ({s.unattributed} unattributed)" if s.unattributed else ""
    session = f"session {s.session_id} · " if s.session_id is not None else ""
    embed.set_footer(
        text=clip(
            f"{session}{counted(s.statements, 'statement')}{unattributed}"
            " · quoted words are the record's own",
            FOOTER_LIMIT,
        )
    )
    for name, value in fields[:FIELDS_LIMIT]:
        embed.add_field(name=name, value=value, inline=False)
        if len(embed) > budget:
            embed.remove_field(-1)
            break
    if len(embed) > budget:
        embed.description = clip(
            embed.description or "", max(50, budget - len(embed) + len(embed.description or ""))
        )
    return embed


def _follow_embed(follows: Sequence[FollowUpdate], budget: int) -> discord.Embed | None:
    found = [f for f in follows if f.passages]
    if not found:
        return None
    embed = discord.Embed(title="Followed", colour=COLOUR)
    for f in found[:FIELDS_LIMIT]:
        name = " on ".join(x for x in (f.speaker, f.topic) if x)
        parts = [
            f"{body(p, clip(p.text, 300))}\n— {escape(p.speaker or 'speaker not certain')}, "
            f"*{escape(clip(p.title, 80))}*"
            for p in f.passages
        ]
        embed.add_field(
            name=escaped_clip(name, FIELD_NAME_LIMIT),
            value=clip("\n".join(parts), FIELD_VALUE_LIMIT),
            inline=False,
        )
        if len(embed) > budget:
            embed.remove_field(-1)
            break
    return embed


def day_mark(local_day: str) -> str:
    """What a daily post's last footer ends with: says the day to readers, and lets a resend find it."""
    return f"daily summary of {local_day}"


def summary_embeds(summary: DailySummary, *, mark: str | None = None) -> list[discord.Embed]:
    """The whole post as embeds for one message: ≤ 10 embeds, ≤ 6000 characters in all.

    ``mark`` (a daily post's ``day_mark``) ends the last embed's footer, whole.
    """
    embeds = _embeds(summary)
    if mark:
        footer = embeds[-1].footer.text or ""
        room = FOOTER_LIMIT - len(mark) - 3
        embeds[-1].set_footer(text=f"{clip(footer, room)} · {mark}" if footer else mark)
    return embeds


def _embeds(summary: DailySummary) -> list[discord.Embed]:
    if summary.is_empty:
        return [discord.Embed(description="Nothing new on the record since the last summary.", colour=COLOUR)]
    sessions = list(summary.sessions[: MAX_EMBEDS - 1])
    parts = len(sessions) + (1 if any(f.passages for f in summary.follows) else 0)
    budget = (EMBEDS_TOTAL_LIMIT - 100) // max(1, parts)
    embeds = [session_embed(s, budget) for s in sessions]
    follow = _follow_embed(summary.follows, budget)
    if follow is not None:
        embeds.append(follow)
    more = summary.more + len(summary.sessions) - len(sessions)
    if more and embeds:
        footer = embeds[-1].footer.text or ""
        embeds[-1].set_footer(
            text=clip(f"{footer} · {counted(more, 'more session')} not shown", FOOTER_LIMIT)
        )
    return embeds


async def _channel(client: discord.Client, channel_id: str) -> discord.abc.Messageable:
    channel = client.get_channel(int(channel_id)) or await client.fetch_channel(int(channel_id))
    if not isinstance(channel, discord.abc.Messageable):
        raise PostFailedError(f"Channel {channel_id} cannot receive messages.")
    return channel


def make_poster(client: discord.Client) -> Poster:
    """The scheduler's poster: one message per post, mentions off, HTTP errors reported.

    The message carries the post's nonce (discord.py sends it with ``enforce_nonce``, so
    Discord answers a repeat within minutes with the message already made) and its day
    in the footer, which ``make_finder`` looks for later.
    """

    async def post(channel_id: str, summary: DailySummary, key: PostKey) -> str | None:
        try:
            channel = await _channel(client, channel_id)
            message = await channel.send(
                embeds=summary_embeds(summary, mark=day_mark(key.local_day)),
                allowed_mentions=NO_MENTIONS,
                nonce=key.nonce,
            )
        except discord.HTTPException as exc:
            raise PostFailedError(f"Discord refused the post ({exc.status}).") from exc
        return str(message.id)

    return post


HISTORY_LIMIT = 100  # messages read back before a resend (a day's post is among the newest)


def make_finder(client: discord.Client) -> Finder:
    """The scheduler's ``find_earlier``: the bot's own message since then whose footer has the day.

    Discord keeps a nonce only for minutes and does not return it when history is read,
    so a retry 15 minutes on looks for the post's day mark instead.
    """

    async def find(key: PostKey, since: datetime) -> str | None:
        channel = await _channel(client, key.channel_id)
        mark = day_mark(key.local_day)
        me = client.user.id if client.user else None
        async for message in channel.history(limit=HISTORY_LIMIT, after=since):
            if message.author.id == me and any((e.footer.text or "").endswith(mark) for e in message.embeds):
                return str(message.id)
        return None

    return find
