"""When each channel's daily summary is due, and a loop that posts it exactly once.

A channel posts at a local time of day in an IANA time zone, so 08:00 Europe/London is
08:00 GMT in winter and 08:00 BST in summer. Each post is claimed in the database under
its (channel, local day) key before it is sent: a restart, a crash or a second process
cannot post it twice, a bot that was down at post time posts once when it comes back the
same day (never a backlog of old days), and a post the platform refused is retried later
without holding up other channels. A schedule set after that day's time starts the next
day. The loop sleeps until the next due time: no polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process

from bot.errors import OnrecordError
from bot.summaries import DailySummary
from storage import schedules

if TYPE_CHECKING:
    from bot.record import Record

log = logging.getLogger(__name__)

DEFAULT_ZONE = "Europe/London"  # when a moderator names no time zone
RETRY_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5
# Even with nothing due, wake this often: a suspended laptop or a changed wall clock is
# noticed within this time (sleeps run on the monotonic clock).
MAX_SLEEP = timedelta(minutes=30)


class ScheduleError(OnrecordError):
    """A summary schedule could not be set: bad time of day or unknown time zone."""


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


Poster = Callable[[str, DailySummary], Awaitable["str | None"]]
"""Send ``summary`` to a channel id; return the platform's message id (None if none)."""

Refused = Callable[["ChannelSchedule", PostFailedError], Awaitable[None]]
"""Tell whoever set ``schedule`` that its post was refused for good (see ``permanent``)."""


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time_of_day(text: str) -> time:
    """Read "08:00", "8:30", "7pm" or "19.45" as a time of day."""
    m = _TIME.match(text or "")
    if not m:
        raise ScheduleError(f"{text!r} is not a time of day; use 24-hour HH:MM, for example 08:30.")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    meridiem = (m.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"{text!r} is not a time of day; with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{text!r} is not a time of day; use 24-hour HH:MM, for example 08:30.")
    return time(hour, minute)


def parse_zone(name: str) -> ZoneInfo:
    """An IANA time zone by name ("Europe/London", any case), suggesting near names when unknown."""
    clean = (name or "").strip()
    if clean and ".." not in clean and not clean.startswith("/"):
        try:
            return ZoneInfo(clean)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        # Zone files are found case-sensitively on most systems; people type "europe/paris".
        folded = [z for z in available_timezones() if z.casefold() == clean.casefold()]
        if len(folded) == 1:
            return ZoneInfo(folded[0])
    near = [m[0] for m in process.extract(clean, sorted(available_timezones()), limit=3)] if clean else []
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    raise ScheduleError(f"{clean!r} is not an IANA time zone name such as Europe/London.{hint}")


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """The calendar day it is in ``zone`` at the instant ``now``."""
    return now.astimezone(zone).date()


def post_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``.

    On the day clocks go forward a time in the gap (01:30 in London) does not exist; it is
    read with the offset before the change, so it falls just after the gap (02:30 BST).
    On the day they go back a repeated time means its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def due_today(now: datetime, at: time, zone: ZoneInfo) -> tuple[date, bool]:
    """Today's local day and whether its post time has come."""
    day = local_day(now, zone)
    return day, now >= post_instant(day, at, zone)


def first_day(set_at: datetime, at: time, zone: ZoneInfo) -> date:
    """The first local day a schedule set at ``set_at`` posts on.

    That is the day it was set if its time had not yet come, else the next day: 07:45 set
    at 11:09 starts tomorrow morning rather than posting at once. The catch-up of a bot
    that was down at post time is for days the channel was already scheduled.
    """
    day = local_day(set_at, zone)
    return day if post_instant(day, at, zone) >= set_at else day + timedelta(days=1)


def next_post(now: datetime, at: time, zone: ZoneInfo, *, done_today: bool) -> datetime:
    """The next instant a post is due: today's time if not yet done, else tomorrow's."""
    day, passed = due_today(now, at, zone)
    if not passed:
        return post_instant(day, at, zone)
    if not done_today:
        return now
    return post_instant(day + timedelta(days=1), at, zone)


def iso(moment: datetime) -> str:
    """A UTC ISO 8601 string (seconds), the form every stored time takes."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_now() -> str:
    """The current UTC time as stored (honours a test's frozen clock)."""
    return iso(datetime.now(UTC))


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
class ChannelSchedule:
    """A channel's daily summary setting, parsed."""

    platform: str
    channel_id: str
    at: time
    zone: ZoneInfo
    when_empty: Literal["skip", "note"]
    set_at: datetime
    set_by: str = ""  # who set it, as the adapter wrote it ("slack:U123"): told of refusals

    def due(self, now: datetime) -> tuple[date, bool]:
        """Today's local day and whether it has a post due by now (see ``first_day``)."""
        day, passed = due_today(now, self.at, self.zone)
        return day, passed and day >= first_day(self.set_at, self.at, self.zone)


@dataclass(frozen=True)
class PostOutcome:
    """What one due channel's turn came to."""

    channel_id: str
    local_day: str
    state: Literal["sent", "empty", "failed", "taken"]
    message_ref: str | None = None
    error: str | None = None


def schedule_row(
    platform: str, channel_id: str, at: time, zone: ZoneInfo, when_empty: str, set_by: str
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


class SummaryScheduler:
    """Posts each scheduled channel's summary of one platform, once per local day."""

    def __init__(
        self,
        record: Record,
        platform: str,
        poster: Poster,
        *,
        clock: Clock | None = None,
        owner: str | None = None,
        retry_after: timedelta = RETRY_AFTER,
        max_attempts: int = MAX_ATTEMPTS,
        on_refused: Refused | None = None,
    ) -> None:
        self.record = record
        self.platform = platform
        self.poster = poster
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
        """Post every channel whose time has come today and is not done; one pass."""
        now = self.clock.now()
        outcomes: list[PostOutcome] = []
        for sched in await self.record.summary_schedules(self.platform):
            day, passed = sched.due(now)
            if passed:
                outcome = await self._post_one(sched, day.isoformat(), now)
                if outcome is not None:
                    outcomes.append(outcome)
        return outcomes

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
        try:
            summary = await self.record.channel_summary(
                self.platform, sched.channel_id, since=since, until=iso(now)
            )
            if summary.is_empty and sched.when_empty == "skip":
                await self.record.finish_summary_post(self.platform, sched.channel_id, day, self.owner, None)
                return PostOutcome(sched.channel_id, day, "empty")
            ref = await self.poster(sched.channel_id, summary)
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
        """When something is next due: a channel's post time or today's retry of a failed post."""
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
                log.exception("daily summary pass failed; trying again later")
                wake_at = self.clock.now() + self.retry_after
            await self.clock.sleep_until(wake_at, self._wake)
