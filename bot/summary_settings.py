"""Daily-summary settings and the post ledger the scheduler drives.

Which channel gets a summary when, what it follows, and which (channel, day) posts were
claimed, sent or refused.

Settings live in the core so every adapter (and every process) sees the same schedule;
the posting itself is the adapters'. SQL is in ``storage.schedules``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.schedule import (
    ChannelSchedule,
    channel_schedule,
    iso_now,
    parse_time_of_day,
    parse_zone,
    schedule_row,
    schedule_sentence,
    unfollow_sentence,
)
from bot.store_handles import StoreHandles
from storage import schedules
from storage.schedules import PostRow


class SummarySettings:
    """Schedules, follows and the post ledger of one store."""

    def __init__(self, handles: StoreHandles) -> None:
        self._h = handles
        self._wakers: list[Callable[[], None]] = []  # schedulers to wake on a change

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
        row = schedule_row(platform, channel_id, at, zone, when_empty, set_by)
        speaker = (follow_speaker or "").strip()[:100] or None
        topic = (follow_topic or "").strip()[:100] or None
        async with self._h.transaction() as conn:
            await schedules.upsert_schedule(conn, row)
            if speaker or topic:
                await schedules.add_follow(conn, platform, channel_id, speaker, topic, set_by, row.set_at)
        follows = await schedules.follows(self._h.w.conn, platform, channel_id)
        for wake in self._wakers:
            wake()
        return schedule_sentence(row, follows)

    def on_change(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever a channel's schedule is set."""
        self._wakers.append(wake)

    async def remove_schedule(self, *, platform: str, channel_id: str) -> str:
        """Stop a channel's daily summary (and its follows); a sentence saying what happened."""
        async with self._h.write_lock:
            removed = await schedules.remove_schedule(self._h.w.conn, platform, channel_id)
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
            row = await schedules.schedule(conn, platform, channel_id)
            if row is None:
                return "This channel has no daily summary."
            before = await schedules.follows(conn, platform, channel_id)
            await schedules.remove_follows(conn, platform, channel_id, speaker, topic)
            kept = {f.id for f in await schedules.follows(conn, platform, channel_id)}
        return unfollow_sentence(row, [f for f in before if f.id not in kept], before)

    async def follows(self, platform: str, channel_id: str) -> list[tuple[str | None, str | None]]:
        """A channel's follows as (speaker, topic), oldest first (for completing an unfollow)."""
        return [(f.speaker, f.topic) for f in await schedules.follows(self._h.r.conn, platform, channel_id)]

    async def schedules(self, platform: str) -> list[ChannelSchedule]:
        """Every channel of ``platform`` with a daily summary."""
        return [channel_schedule(r) for r in await schedules.schedules(self._h.r.conn, platform)]

    async def post(self, platform: str, channel_id: str, local_day: str) -> PostRow | None:
        """The ledger entry of a channel's post on a local day."""
        return await schedules.post(self._h.w.conn, platform, channel_id, local_day)

    async def covered_until(self, platform: str, channel_id: str) -> str | None:
        """Up to when the channel's last post covered sessions (None: never posted)."""
        return await schedules.last_covered(self._h.w.conn, platform, channel_id)

    async def claim(self, **claim: Any) -> bool:
        """Atomically take a (channel, day) post; see ``storage.schedules.claim``."""
        async with self._h.write_lock:
            return await schedules.claim(self._h.w.conn, **claim)

    async def finish(
        self, platform: str, channel_id: str, local_day: str, owner: str, message_ref: str | None
    ) -> None:
        """Mark a claimed post as done (``message_ref`` None: nothing needed posting)."""
        async with self._h.write_lock:
            await schedules.mark_sent(
                self._h.w.conn,
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
        async with self._h.write_lock:
            await schedules.mark_failed(
                self._h.w.conn,
                platform=platform,
                channel_id=channel_id,
                local_day=local_day,
                owner=owner,
                error=error,
                retry_at=retry_at,
            )
