"""A loop that posts each channel's daily summary exactly once, when it is due.

Each post is claimed in the database under its (channel, local day) key before it is
sent: a restart, a crash or a second process cannot post it twice, a bot that was down at
post time posts once when it comes back the same day (never a backlog of old days), and a
post the platform refused is retried later (when a rate limit said, or after an interval;
a refusal no retry can cure only the next day, its setter told) without holding up other
channels. A schedule
set after that day's time starts the next day (``bot.daily.clock``). The loop sleeps until
the next due time: no polling. It drives a ``Ledger`` (``Record`` is one), so it needs no
store of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bot.daily.clock import ChannelSchedule, due_today, first_day, iso, next_post, post_instant
from bot.errors import OnrecordError
from bot.models import DailySummary

if TYPE_CHECKING:
    from storage.schedules import PostRow

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=15)
# A pass that failed as a whole (the store busy past the claim's patience, a read that
# failed) is tried again this soon, not after RETRY_AFTER: a post due meanwhile goes out
# within a minute or two of the add that held the store, not 15 minutes late.
PASS_RETRY = timedelta(minutes=1)
MAX_ATTEMPTS = 5
# Even with nothing due, wake this often: a suspended laptop or a changed wall clock is
# noticed within this time (sleeps run on the monotonic clock).
MAX_SLEEP = timedelta(minutes=30)


class PostFailedError(Exception):
    """Raised by an adapter's poster when the platform refused the post (it was not made).

    ``retry_after`` is how long the platform asked to wait before trying again (a rate
    limit's Retry-After); None leaves the scheduler's own retry interval. ``permanent``
    says no retry today can succeed (the channel is gone, archived, or the app is not in
    it): the day is not retried, and whoever set the schedule is told.
    """

    def __init__(self, reason: str, *, retry_after: timedelta | None = None, permanent: bool = False) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True)
class PostKey:
    """Which post a message is: one channel's daily summary on one local day.

    Posters put it on the message (Discord: the nonce and the footer's day; Slack: the
    message metadata) so a resend can first look for an earlier attempt that arrived
    although its answer did not.
    """

    platform: str
    channel_id: str
    local_day: str

    @property
    def id(self) -> str:
        """``slack:C123:2026-03-27``: unique across platforms, channels and days."""
        return f"{self.platform}:{self.channel_id}:{self.local_day}"

    @property
    def nonce(self) -> str:
        """The id as 25 hex digits (Discord caps a nonce at 25 characters)."""
        return hashlib.sha256(self.id.encode()).hexdigest()[:25]


Poster = Callable[[str, DailySummary, PostKey], Awaitable["str | None"]]
"""Send ``summary`` to a channel id as post ``key``; return the platform's message id (None if none)."""

Finder = Callable[[PostKey, datetime], Awaitable["str | None"]]
"""The message id of post ``key`` if an earlier attempt made it, looking at messages since the instant."""

Refused = Callable[[ChannelSchedule, PostFailedError], Awaitable[None]]
"""Tell whoever set ``schedule`` that its post was refused for good (see ``permanent``)."""


class Ledger(Protocol):
    """The schedules and post ledger the scheduler drives; ``bot.record.Record`` satisfies it."""

    def on_summary_schedule_change(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever a channel's schedule is set."""
        ...

    async def summary_schedules(self, platform: str) -> list[ChannelSchedule]:
        """Every channel of ``platform`` with a daily summary."""
        ...

    async def summary_post(self, platform: str, channel_id: str, local_day: str) -> PostRow | None:
        """The ledger entry of a channel's post on a local day."""
        ...

    async def summary_covered_until(self, platform: str, channel_id: str) -> str | None:
        """Up to when the channel's last post covered sessions (None: never posted)."""
        ...

    async def claim_summary_post(self, **claim: Any) -> bool:
        """Atomically take a (channel, day) post."""
        ...

    async def summary_failed_posts(self, platform: str, channel_id: str, max_attempts: int) -> list[PostRow]:
        """A channel's refused posts with attempts left, of any day, oldest first."""
        ...

    async def channel_summary(
        self, platform: str, channel_id: str, *, since: str | None, until: str
    ) -> DailySummary:
        """What a channel's daily post holds: sessions added in (since, until] and its follows."""
        ...

    async def finish_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, message_ref: str | None
    ) -> None:
        """Mark a claimed post as done (``message_ref`` None: nothing needed posting)."""
        ...

    async def fail_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, error: str, retry_at: str
    ) -> None:
        """Mark a claimed post as refused by the platform, to be retried at ``retry_at``."""
        ...


class Clock(Protocol):
    """Where the scheduler gets the time and how it waits (swapped for a fake in tests)."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...

    async def sleep_until(self, moment: datetime, wake: asyncio.Event) -> None:
        """Return at ``moment`` or as soon as ``wake`` is set, whichever comes first."""
        ...


class SystemClock:
    """The real clock: wall time for due times, a monotonic sleep for waiting."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime, wake: asyncio.Event) -> None:
        """Sleep until ``moment`` (at most ``MAX_SLEEP``), or until woken."""
        seconds = min((moment - self.now()).total_seconds(), MAX_SLEEP.total_seconds())
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=seconds)


@dataclass(frozen=True)
class PostOutcome:
    """What one due channel's turn came to."""

    channel_id: str
    local_day: str
    state: Literal["sent", "empty", "failed", "taken"]
    message_ref: str | None = None
    error: str | None = None


class SummaryScheduler:
    """Posts each scheduled channel's summary of one platform, once per local day."""

    def __init__(
        self,
        record: Ledger,
        platform: str,
        poster: Poster,
        *,
        clock: Clock | None = None,
        owner: str | None = None,
        retry_after: timedelta = RETRY_AFTER,
        max_attempts: int = MAX_ATTEMPTS,
        on_refused: Refused | None = None,
        find_earlier: Finder | None = None,
    ) -> None:
        self.record = record
        self.platform = platform
        self.poster = poster
        self.find_earlier = find_earlier
        self.clock: Clock = clock or SystemClock()
        self.owner = owner or f"{platform}-{uuid.uuid4().hex[:12]}"
        self.retry_after = retry_after
        self.max_attempts = max_attempts
        self.on_refused = on_refused
        self._wake = asyncio.Event()
        record.on_summary_schedule_change(self.wake)

    def wake(self) -> None:
        """Re-read the schedules now (call after a moderator changes one)."""
        self._wake.set()

    async def run_due(self) -> list[PostOutcome]:
        """Post every channel whose time has come and is not done; one pass.

        Besides today's post, a refused post of an earlier day whose retry has come is
        still owed, whatever the date (a 23:55 post refused at 23:55 is retried at 00:10,
        on the next local day): until it is sent, its attempts are spent, or the next
        day's own post is due (which then covers its sessions, from the last post sent).
        """
        now = self.clock.now()
        outcomes: list[PostOutcome] = []
        for sched in await self.record.summary_schedules(self.platform):
            today, passed = sched.due(now)
            days = [d for d, retry in await self._owed(sched, now) if d < today and retry <= now]
            if passed:
                days.append(today)
            for day in days:
                outcome = await self._post_one(sched, day.isoformat(), now)
                if outcome is not None:
                    outcomes.append(outcome)
        return outcomes

    async def _owed(self, sched: ChannelSchedule, now: datetime) -> list[tuple[date, datetime]]:
        """Refused posts of this channel still owed, as (local day, retry instant), oldest first."""
        owed = []
        failed = await self.record.summary_failed_posts(self.platform, sched.channel_id, self.max_attempts)
        for post in failed:
            if not post.retry_at:
                continue
            day = date.fromisoformat(post.local_day)
            retry = datetime.fromisoformat(post.retry_at)
            # A retry at or after the next day's post is that post's business (a permanent
            # refusal is given exactly that time: it is not retried).
            if retry < post_instant(day + timedelta(days=1), sched.at, sched.zone):
                owed.append((day, retry))
        return owed

    async def _post_one(self, sched: ChannelSchedule, day: str, now: datetime) -> PostOutcome | None:
        since = await self.record.summary_covered_until(self.platform, sched.channel_id)
        if since is None:
            since = iso(sched.set_at - timedelta(days=1))
        claimed = await self.record.claim_summary_post(
            platform=self.platform,
            channel_id=sched.channel_id,
            local_day=day,
            owner=self.owner,
            now=iso(now),
            covers_from=since,
            covers_to=iso(now),
            max_attempts=self.max_attempts,
        )
        if not claimed:
            return None  # sent, being sent, or failed and not yet due again
        key = PostKey(self.platform, sched.channel_id, day)
        try:
            earlier = await self._arrived_earlier(sched, key)
            if earlier is not None:
                # An earlier attempt reached the channel although its answer never came
                # back (a timeout after the send): it is the post, not sent again.
                await self.record.finish_summary_post(
                    self.platform, sched.channel_id, day, self.owner, earlier
                )
                return PostOutcome(sched.channel_id, day, "sent", message_ref=earlier)
            summary = await self.record.channel_summary(
                self.platform, sched.channel_id, since=since, until=iso(now)
            )
            if summary.is_empty and sched.when_empty == "skip":
                await self.record.finish_summary_post(self.platform, sched.channel_id, day, self.owner, None)
                return PostOutcome(sched.channel_id, day, "empty")
            ref = await self.poster(sched.channel_id, summary, key)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Anything short of a confirmed post leaves the day retryable; the claim stays
            # ours until then, so no other process posts it meanwhile.
            reason = str(exc) if isinstance(exc, PostFailedError | OnrecordError) else type(exc).__name__
            log.warning("daily summary for %s %s failed: %s", self.platform, sched.channel_id, reason)
            await self.record.fail_summary_post(
                self.platform,
                sched.channel_id,
                day,
                self.owner,
                reason[:500],
                self._retry_at(exc, sched, day),
            )
            if isinstance(exc, PostFailedError) and exc.permanent:
                await self._tell_refused(sched, exc)
            return PostOutcome(sched.channel_id, day, "failed", error=reason)
        await self.record.finish_summary_post(self.platform, sched.channel_id, day, self.owner, ref)
        return PostOutcome(sched.channel_id, day, "sent", message_ref=ref)

    async def _arrived_earlier(self, sched: ChannelSchedule, key: PostKey) -> str | None:
        """On a retry, the message an earlier attempt of this post made, if the platform has it."""
        if self.find_earlier is None:
            return None
        post = await self.record.summary_post(self.platform, key.channel_id, key.local_day)
        if post is None or post.attempts <= 1:
            return None  # the first attempt: nothing can have been sent before it
        # No attempt of this day's post was made before its own time.
        since = post_instant(date.fromisoformat(key.local_day), sched.at, sched.zone) - timedelta(minutes=1)
        try:
            return await self.find_earlier(key, since)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Not knowing is no reason to lose the day: post, as before there was a check
            # (a Slack app without channels:history, a channel the bot can no longer read).
            log.warning("could not check for an earlier %s post; posting: %s", key.id, type(exc).__name__)
            return None

    def _retry_at(self, exc: Exception, sched: ChannelSchedule, day: str) -> str:
        """When a failed post is tried again, counted from the refusal (not the pass's start).

        A permanent refusal is not retried today: the next try is tomorrow's post, on its
        own row. Otherwise it is when the platform said (Retry-After), else our interval.
        """
        if isinstance(exc, PostFailedError) and exc.permanent:
            return iso(post_instant(date.fromisoformat(day) + timedelta(days=1), sched.at, sched.zone))
        wait = self.retry_after
        if isinstance(exc, PostFailedError) and exc.retry_after is not None:
            wait = exc.retry_after
        return iso(self.clock.now() + wait)

    async def _tell_refused(self, sched: ChannelSchedule, exc: PostFailedError) -> None:
        """Best effort: a notice that cannot be sent must not stop other channels' posts."""
        if self.on_refused is None:
            return
        try:
            await self.on_refused(sched, exc)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("could not tell %s that %s's summary was refused", sched.set_by, sched.channel_id)

    async def next_wake(self) -> datetime:
        """When something is next due: a post time, or the retry of a refused post of any day."""
        now = self.clock.now()
        soonest = now + MAX_SLEEP
        for sched in await self.record.summary_schedules(self.platform):
            day, _ = due_today(now, sched.at, sched.zone)
            post = await self.record.summary_post(self.platform, sched.channel_id, day.isoformat())
            if post is None:
                before_start = day < first_day(sched.set_at, sched.at, sched.zone)
                moment = next_post(now, sched.at, sched.zone, done_today=before_start)
            elif post.state == "failed" and post.attempts < self.max_attempts and post.retry_at:
                moment = max(now, datetime.fromisoformat(post.retry_at))
            else:
                moment = next_post(now, sched.at, sched.zone, done_today=True)
            for owed_day, retry in await self._owed(sched, now):
                if owed_day < day:
                    moment = min(moment, max(now, retry))
            soonest = min(soonest, moment)
        return soonest

    async def run_forever(self) -> None:
        """Post what is due, sleep until the next due time, repeat; cancel to stop."""
        while True:
            self._wake.clear()
            try:
                await self.run_due()
                wake_at = await self.next_wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("daily summary pass failed; trying again in a minute")
                wake_at = self.clock.now() + min(self.retry_after, PASS_RETRY)
            await self.clock.sleep_until(wake_at, self._wake)
