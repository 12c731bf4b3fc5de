"""Daily-summary settings, the sentences confirming them, and the post ledger the scheduler drives.

Which channel gets a summary when, what it follows, and which (channel, day) posts were
claimed, sent or refused.

Settings live in the core so every adapter (and every process) sees the same schedule;
the posting itself is the adapters'. SQL is in ``storage.schedules``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.daily.clock import (
    ChannelSchedule,
    ScheduleError,
    first_day,
    iso_now,
    parse_time_of_day,
    parse_zone,
    post_instant,
)
from bot.open_store import StoreHandles
from storage import schedules
from storage.communities import LOCAL
from storage.schedules import PostRow

# How long the scheduler's claim of a post waits for the write lock before it gives up
# this pass (it tries again a minute later): well inside a minute, not 15.
CLAIM_PATIENCE_S = 45.0


def schedule_row(
    platform: str,
    channel_id: str,
    at: time,
    zone: ZoneInfo,
    when_empty: str,
    set_by: str,
    community: str = LOCAL,
) -> schedules.ScheduleRow:
    """The stored form of a channel's setting, checking what a moderator typed."""
    if when_empty not in ("skip", "note"):
        raise ScheduleError(f"{when_empty!r} is not a choice for quiet days; use skip or note.")
    if not channel_id.strip():
        raise ScheduleError("A daily summary needs a channel to post in.")
    return schedules.ScheduleRow(
        platform=platform,
        channel_id=channel_id,
        time_of_day=at.strftime("%H:%M"),
        timezone=zone.key,
        when_empty=when_empty,
        set_by=set_by,
        set_at=iso_now(),
        community=community,
    )


def channel_schedule(row: schedules.ScheduleRow) -> ChannelSchedule:
    """Parse a stored setting (stored values were checked when they were set)."""
    return ChannelSchedule(
        platform=row.platform,
        channel_id=row.channel_id,
        at=parse_time_of_day(row.time_of_day),
        zone=parse_zone(row.timezone),
        when_empty="note" if row.when_empty == "note" else "skip",
        set_at=datetime.fromisoformat(row.set_at),
        set_by=row.set_by,
    )


def follows_phrase(follows: list[schedules.FollowRow]) -> str:
    """What a channel follows, as words: "Sadiq Khan on victim support; housing"."""
    return "; ".join(" on ".join(x for x in (f.speaker, f.topic) if x) for f in follows)


def unfollow_sentence(
    row: schedules.ScheduleRow, removed: list[schedules.FollowRow], before: list[schedules.FollowRow]
) -> str:
    """The moderator's confirmation of an unfollow: what went, and that the summary goes on."""
    going_on = f"the daily summary continues at {row.time_of_day} {row.timezone}."
    if removed:
        return f"Stopped following {follows_phrase(removed)} in this channel; {going_on}"
    if not before:
        return f"This channel follows nothing; {going_on}"
    return f"This channel follows nothing of that. It follows {follows_phrase(before)}."


def schedule_sentence(row: schedules.ScheduleRow, follows: list[schedules.FollowRow]) -> str:
    """The moderator's confirmation: when the post comes, and what the channel follows."""
    zone = ZoneInfo(row.timezone)
    at = parse_time_of_day(row.time_of_day)
    start = first_day(datetime.fromisoformat(row.set_at), at, zone)
    first = post_instant(start, at, zone).astimezone(zone)
    text = (
        f"Daily summary set for {row.time_of_day} {row.timezone}; "
        f"the next one is due {first:%a %d %b at %H:%M %Z}."
    )
    if follows:
        text += " Following: " + follows_phrase(follows) + "."
    if row.when_empty == "skip":
        text += " Days with nothing new are skipped."
    return text


class SummarySettings:
    """One community's schedules and follows, and the store's post ledger (which spans communities)."""

    def __init__(self, handles: StoreHandles, community: str) -> None:
        self._h = handles
        self._c = community
        self._wakers = handles.wakers  # schedulers to wake on a change, shared by every community

    async def set_schedule(
        self,
        *,
        platform: str,
        channel_id: str,
        time_of_day: str,
        timezone: str,
        set_by: str,
        follow_speaker: str | None,
        follow_topic: str | None,
        when_empty: str,
    ) -> str:
        """Store a channel's schedule (and a follow); a confirmation sentence."""
        at, zone = parse_time_of_day(time_of_day), parse_zone(timezone)
        row = schedule_row(platform, channel_id, at, zone, when_empty, set_by, self._c)
        speaker = (follow_speaker or "").strip()[:100] or None
        topic = (follow_topic or "").strip()[:100] or None
        async with self._h.transaction() as conn:
            if not await schedules.upsert_schedule(conn, row):
                raise ScheduleError(
                    "That channel's daily summary is another community's; nothing was changed."
                )
            if speaker or topic:
                await schedules.add_follow(
                    conn, self._c, platform, channel_id, speaker, topic, set_by, row.set_at
                )
        follows = await schedules.follows(self._h.w.conn, self._c, platform, channel_id)
        for wake in self._wakers:
            wake()
        return schedule_sentence(row, follows)

    def on_change(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever a channel's schedule is set."""
        self._wakers.append(wake)

    async def remove_schedule(self, *, platform: str, channel_id: str) -> str:
        """Stop a channel's daily summary (and its follows); a sentence saying what happened."""
        async with self._h.write_lock:
            removed = await schedules.remove_schedule(self._h.w.conn, self._c, platform, channel_id)
        return "Daily summary stopped for this channel." if removed else "This channel had no daily summary."

    async def remove_follows(
        self, *, platform: str, channel_id: str, speaker: str | None = None, topic: str | None = None
    ) -> str:
        """Stop following a speaker and/or topic (everything, with neither) but keep the summary.

        A sentence saying what went, or why nothing did. What went is read as the
        difference of the follows before and after, in the same transaction, so the
        sentence names exactly the rows the delete matched.
        """
        speaker = (speaker or "").strip()[:100] or None
        topic = (topic or "").strip()[:100] or None
        async with self._h.transaction() as conn:
            row = await schedules.schedule(conn, self._c, platform, channel_id)
            if row is None:
                return "This channel has no daily summary."
            before = await schedules.follows(conn, self._c, platform, channel_id)
            await schedules.remove_follows(conn, self._c, platform, channel_id, speaker, topic)
            kept = {f.id for f in await schedules.follows(conn, self._c, platform, channel_id)}
        return unfollow_sentence(row, [f for f in before if f.id not in kept], before)

    async def follows(self, platform: str, channel_id: str) -> list[tuple[str | None, str | None]]:
        """A channel's follows as (speaker, topic), oldest first (for completing an unfollow)."""
        return [
            (f.speaker, f.topic)
            for f in await schedules.follows(self._h.r.conn, self._c, platform, channel_id)
        ]

    # --- the scheduler's side: every community's channels, one ledger -----------------
    async def schedules(self, platform: str) -> list[ChannelSchedule]:
        """Every channel of ``platform`` with a daily summary, whichever community set it."""
        return [channel_schedule(r) for r in await schedules.schedules(self._h.r.conn, platform)]

    async def community_of(self, platform: str, channel_id: str) -> str | None:
        """Whose daily summary a channel has (its post reads only that community's record)."""
        return await schedules.community_of(self._h.r.conn, platform, channel_id)

    async def post(self, platform: str, channel_id: str, local_day: str) -> PostRow | None:
        """The ledger entry of a channel's post on a local day."""
        return await schedules.post(self._h.w.conn, platform, channel_id, local_day)

    async def covered_until(self, platform: str, channel_id: str) -> str | None:
        """Up to when the channel's last post covered sessions (None: never posted)."""
        return await schedules.last_covered(self._h.w.conn, platform, channel_id)

    async def failed(self, platform: str, channel_id: str, max_attempts: int) -> list[PostRow]:
        """A channel's refused posts with attempts left, of any day, oldest first."""
        return await schedules.failed(self._h.w.conn, platform, channel_id, max_attempts)

    async def claim(self, **claim: Any) -> bool:
        """Atomically take a (channel, day) post; see ``storage.schedules.claim``.

        Waits at most ``CLAIM_PATIENCE_S`` for the write lock (a large add may hold it):
        then ``StoreBusyError``, and the scheduler tries again within a minute.
        """
        async with self._h.transaction(patience=CLAIM_PATIENCE_S) as conn:
            return await schedules.claim(conn, **claim)

    async def finish(
        self, platform: str, channel_id: str, local_day: str, owner: str, message_ref: str | None
    ) -> None:
        """Mark a claimed post as done (``message_ref`` None: nothing needed posting).

        The post went out, so this waits as long as any writer would for the lock:
        giving up would leave the day claimed but not marked sent.
        """
        async with self._h.transaction() as conn:
            await schedules.mark_sent(
                conn,
                platform=platform,
                channel_id=channel_id,
                local_day=local_day,
                owner=owner,
                sent_at=iso_now(),
                message_ref=message_ref,
            )

    async def fail(
        self, platform: str, channel_id: str, local_day: str, owner: str, error: str, retry_at: str
    ) -> None:
        """Mark a claimed post as refused by the platform, to be retried at ``retry_at``."""
        async with self._h.transaction() as conn:
            await schedules.mark_failed(
                conn,
                platform=platform,
                channel_id=channel_id,
                local_day=local_day,
                owner=owner,
                error=error,
                retry_at=retry_at,
            )
