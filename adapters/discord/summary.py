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
from bot.daily.scheduler import Poster, PostFailedError
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


def session_embed(s: SessionSummary, budget: int = EMBEDS_TOTAL_LIMIT) -> discord.Embed:
    """One session as an embed of at most ``budget`` characters (fields dropped to fit)."""
    title = s.title + (f" ({s.date})" if s.date else "")
    embed = discord.Embed(title=clip(title, TITLE_LIMIT), description=_description(s), colour=COLOUR)
    fields: list[tuple[str, str]] = []
    for e in s.exchanges:
        name = clip(f"{e.asker} asked {e.answerer}", FIELD_NAME_LIMIT)
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
            name=clip(name, FIELD_NAME_LIMIT), value=clip("\n".join(parts), FIELD_VALUE_LIMIT), inline=False
        )
        if len(embed) > budget:
            embed.remove_field(-1)
            break
    return embed


def summary_embeds(summary: DailySummary) -> list[discord.Embed]:
    """The whole post as embeds for one message: ≤ 10 embeds, ≤ 6000 characters in all."""
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


def make_poster(client: discord.Client) -> Poster:
    """The scheduler's poster: one message per post, mentions off, HTTP errors reported."""

    async def post(channel_id: str, summary: DailySummary) -> str | None:
        try:
            channel = client.get_channel(int(channel_id)) or await client.fetch_channel(int(channel_id))
            if not isinstance(channel, discord.abc.Messageable):
                raise PostFailedError(f"Channel {channel_id} cannot receive messages.")
            message = await channel.send(embeds=summary_embeds(summary), allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise PostFailedError(f"Discord refused the post ({exc.status}).") from exc
        return str(message.id)

    return post
