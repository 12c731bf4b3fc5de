"""Daily summary scheduling with a controlled clock: local times across DST, exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from shared_data import SAMPLE

from bot.daily.clock import (
    ChannelSchedule,
    ScheduleError,
    next_post,
    parse_time_of_day,
    parse_zone,
    post_instant,
)
from bot.daily.scheduler import PostFailedError, PostKey, SummaryScheduler, SystemClock
from bot.models import DailySummary
from bot.record import Record

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 27, 6, 0, tzinfo=UTC)  # UK clocks go forward on Sunday 29 March 2026


class StopClock(Exception):
    """Raised by the fake clock to end a run_forever test at a chosen time."""


class TravelClock:
    """The scheduler's clock driven by time-machine: sleeping moves wall time forward."""

    def __init__(self, traveller: time_machine.Coordinates, end: datetime | None = None) -> None:
        self.traveller = traveller
        self.end = end
        self.sleeps: list[tuple[datetime, datetime]] = []

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime, wake: asyncio.Event) -> None:
        self.sleeps.append((self.now(), moment))
        if self.end is not None and moment >= self.end:
            raise StopClock
        if moment > self.now():
            self.traveller.move_to(moment)
        await asyncio.sleep(0)


class Poster:
    """A platform stand-in recording each post; channels in ``failing`` refuse ``fail_times`` times."""

    def __init__(self, failing: frozenset[str] = frozenset(), fail_times: int = 1) -> None:
        self.posts: list[tuple[str, datetime, DailySummary]] = []
        self.failing = failing
        self.left = dict.fromkeys(failing, fail_times)

    async def __call__(self, channel_id: str, summary: DailySummary, key: PostKey) -> str:
        if self.left.get(channel_id, 0) > 0:
            self.left[channel_id] -= 1
            raise PostFailedError("missing_scope")
        self.posts.append((channel_id, datetime.now(UTC), summary))
        return f"m{len(self.posts)}"


@pytest.fixture
def traveller() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as t:
        yield t


@pytest.fixture
async def record(tmp_path: Path, traveller: time_machine.Coordinates) -> AsyncIterator[Record]:
    async with await Record.open(tmp_path / "sched.db") as r:
        await r.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test")
        yield r


async def schedule(record: Record, channel: str = "C1", at: str = "08:00", when_empty: str = "note") -> str:
    return await record.set_summary_schedule(
        platform="slack",
        channel_id=channel,
        time_of_day=at,
        timezone="Europe/London",
        set_by="mod",
        when_empty=when_empty,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", time(8)),
        ("8:30", time(8, 30)),
        ("7pm", time(19)),
        ("12am", time(0)),
        ("19.45", time(19, 45)),
    ],
)
def test_parse_time_of_day(text: str, expected: time) -> None:
    """Common ways of writing a time of day are read correctly."""
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "08:61", "13pm", "noonish", "8:5"])
def test_bad_time_of_day_is_a_clear_error(text: str) -> None:
    """A time that is not one says how to write it."""
    with pytest.raises(ScheduleError, match=r"HH:MM|1 to 12"):
        parse_time_of_day(text)


def test_unknown_zone_suggests_names() -> None:
    """A misspelt zone is refused with near IANA names; path tricks are refused too."""
    assert parse_zone("Europe/London").key == "Europe/London"
    with pytest.raises(ScheduleError, match="Europe/London"):
        parse_zone("Europe/Londn")
    with pytest.raises(ScheduleError, match="not an IANA time zone"):
        parse_zone("../../etc/passwd")


@pytest.mark.parametrize(
    ("typed", "key"), [("europe/paris", "Europe/Paris"), ("utc", "UTC"), ("ASIA/TOKYO", "Asia/Tokyo")]
)
def test_zone_names_are_read_in_any_case(typed: str, key: str) -> None:
    """People type zone names in lower case; the stored key is the IANA spelling."""
    assert parse_zone(typed).key == key


@pytest.mark.parametrize(
    ("day", "at", "zone", "utc"),
    [
        (date(2026, 3, 28), time(8), "Europe/London", datetime(2026, 3, 28, 8, tzinfo=UTC)),  # GMT
        (date(2026, 3, 29), time(8), "Europe/London", datetime(2026, 3, 29, 7, tzinfo=UTC)),  # BST
        (date(2026, 3, 29), time(1, 30), "Europe/London", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # gap
        (date(2026, 10, 25), time(1, 30), "Europe/London", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # fold
        (date(2026, 11, 2), time(9), "America/New_York", datetime(2026, 11, 2, 14, tzinfo=UTC)),
    ],
)
def test_post_instant_follows_local_clock(day: date, at: time, zone: str, utc: datetime) -> None:
    """The post instant is the local wall time, through DST gaps and folds."""
    assert post_instant(day, at, ZoneInfo(zone)) == utc


def test_next_post_today_or_tomorrow() -> None:
    """Before the time: today; after it and done: tomorrow; after it and not done: now."""
    morning = datetime(2026, 3, 28, 7, tzinfo=UTC)
    evening = datetime(2026, 3, 28, 20, tzinfo=UTC)
    assert next_post(morning, time(8), LONDON, done_today=False) == datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert next_post(evening, time(8), LONDON, done_today=True) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert next_post(evening, time(8), LONDON, done_today=False) == evening


async def test_confirmation_names_time_and_zone(record: Record) -> None:
    """Setting a schedule answers with the time, the zone and the next post; follows are listed."""
    text = await record.set_summary_schedule(
        platform="slack",
        channel_id="C1",
        time_of_day="8:00",
        timezone="Europe/London",
        set_by="mod",
        follow_speaker="Sadiq Khan",
        follow_topic="knife crime",
    )
    assert "08:00 Europe/London" in text and "Fri 27 Mar at 08:00 GMT" in text
    assert "Sadiq Khan on knife crime" in text
    with pytest.raises(ScheduleError, match="IANA"):
        await record.set_summary_schedule(
            platform="slack", channel_id="C1", time_of_day="8:00", timezone="London", set_by="mod"
        )


@pytest.mark.parametrize(
    ("set_at", "at", "zone", "due"),
    [
        # Set mid-morning after 07:45 Paris: tomorrow, not "now" (the 11:09 CET bug).
        (datetime(2026, 1, 13, 10, 9, tzinfo=UTC), "07:45", "Europe/Paris", "Wed 14 Jan at 07:45 CET"),
        (datetime(2026, 1, 13, 10, 9, tzinfo=UTC), "17:45", "Europe/Paris", "Tue 13 Jan at 17:45 CET"),
        # Exactly at the time still counts as today.
        (datetime(2026, 1, 13, 6, 45, tzinfo=UTC), "07:45", "Europe/Paris", "Tue 13 Jan at 07:45 CET"),
        # Local day ahead of / behind UTC.
        (datetime(2026, 1, 13, 10, 9, tzinfo=UTC), "07:45", "Pacific/Auckland", "Wed 14 Jan at 07:45 NZDT"),
        (datetime(2026, 1, 13, 10, 9, tzinfo=UTC), "07:45", "America/Los_Angeles", "Tue 13 Jan at 07:45 PST"),
        # After Saturday's time, the next post falls on the first morning of summer time.
        (datetime(2026, 3, 28, 9, 0, tzinfo=UTC), "08:00", "Europe/London", "Sun 29 Mar at 08:00 BST"),
    ],
)
async def test_confirmation_names_the_first_real_post(
    record: Record, traveller: time_machine.Coordinates, set_at: datetime, at: str, zone: str, due: str
) -> None:
    """The confirmation gives the first post's local time: today if still ahead, else tomorrow."""
    traveller.move_to(set_at)
    text = await record.set_summary_schedule(
        platform="slack", channel_id="C1", time_of_day=at, timezone=zone, set_by="mod"
    )
    assert f"the next one is due {due}." in text


async def test_schedule_set_after_todays_time_starts_tomorrow(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """Set after today's time: nothing posts now; the first post comes when the confirmation said."""
    traveller.move_to(datetime(2026, 3, 27, 11, 9, tzinfo=UTC))
    text = await schedule(record, at="07:45")
    assert "Sat 28 Mar at 07:45 GMT" in text
    poster = Poster()
    assert await SummaryScheduler(record, "slack", poster).run_due() == []
    clock = TravelClock(traveller, end=datetime(2026, 3, 28, 12, tzinfo=UTC))
    scheduler = SummaryScheduler(record, "slack", poster, clock=clock)
    assert await scheduler.next_wake() > datetime(2026, 3, 27, 11, 9, tzinfo=UTC)  # no busy loop
    with pytest.raises(StopClock):
        await scheduler.run_forever()
    assert [when for _, when, _ in poster.posts] == [datetime(2026, 3, 28, 7, 45, tzinfo=UTC)]
    # The first post still carries the session added before the schedule was set.
    assert len(poster.posts[0][2].sessions) == 1


async def test_posts_at_local_time_across_dst(record: Record, traveller: time_machine.Coordinates) -> None:
    """08:00 Europe/London posts at 08:00 GMT before the change and 08:00 BST (07:00 UTC) after."""
    await schedule(record)
    poster = Poster()
    clock = TravelClock(traveller, end=datetime(2026, 3, 31, 12, tzinfo=UTC))
    scheduler = SummaryScheduler(record, "slack", poster, clock=clock)
    with pytest.raises(StopClock):
        await scheduler.run_forever()
    times = [when for _, when, _ in poster.posts]
    assert times == [
        datetime(2026, 3, 27, 8, tzinfo=UTC),
        datetime(2026, 3, 28, 8, tzinfo=UTC),
        datetime(2026, 3, 29, 7, tzinfo=UTC),
        datetime(2026, 3, 30, 7, tzinfo=UTC),
        datetime(2026, 3, 31, 7, tzinfo=UTC),
    ]
    # The first post carries the session; later days have nothing new (a one-line note).
    assert [len(s.sessions) for _, _, s in poster.posts] == [1, 0, 0, 0, 0]
    # No busy loop: every sleep is forward in time, and few of them.
    assert all(until > at for at, until in clock.sleeps)
    assert len(clock.sleeps) < 5 * 48


async def test_restart_before_post_time_posts_once(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A bot restarted before 08:00 posts once at 08:00; another restart after that posts nothing."""
    await schedule(record)
    poster = Poster()
    traveller.move_to(datetime(2026, 3, 27, 7, 59, tzinfo=UTC))
    assert await SummaryScheduler(record, "slack", poster).run_due() == []
    traveller.move_to(datetime(2026, 3, 27, 8, 0, 30, tzinfo=UTC))
    assert [o.state for o in await SummaryScheduler(record, "slack", poster).run_due()] == ["sent"]
    traveller.move_to(datetime(2026, 3, 27, 8, 5, tzinfo=UTC))
    assert await SummaryScheduler(record, "slack", poster).run_due() == []
    assert len(poster.posts) == 1


async def test_down_at_post_time_posts_once_when_back(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A bot down for days posts once when it returns, not a backlog, then resumes daily."""
    await schedule(record)
    poster = Poster()
    traveller.move_to(datetime(2026, 3, 30, 15, tzinfo=UTC))  # down since Friday morning
    outcomes = await SummaryScheduler(record, "slack", poster).run_due()
    assert [(o.local_day, o.state) for o in outcomes] == [("2026-03-30", "sent")]
    assert len(poster.posts[0][2].sessions) == 1  # the session added before the outage
    assert await SummaryScheduler(record, "slack", poster).run_due() == []
    traveller.move_to(datetime(2026, 3, 31, 7, 1, tzinfo=UTC))
    assert [o.local_day for o in await SummaryScheduler(record, "slack", poster).run_due()] == ["2026-03-31"]
    assert len(poster.posts) == 2


async def test_two_schedulers_on_one_database_post_once(
    record: Record, traveller: time_machine.Coordinates, tmp_path: Path
) -> None:
    """Two processes (separate connections to one file) due at once: one post."""
    await schedule(record)
    traveller.move_to(datetime(2026, 3, 27, 8, 1, tzinfo=UTC))
    poster = Poster()
    async with await Record.open(tmp_path / "sched.db") as other:
        a = SummaryScheduler(record, "slack", poster)
        b = SummaryScheduler(other, "slack", poster)
        results = await asyncio.gather(a.run_due(), b.run_due(), a.run_due(), b.run_due())
    assert sum(len(r) for r in results) == 1
    assert len(poster.posts) == 1


async def test_failed_channel_is_retried_and_others_unaffected(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A channel whose post the platform refuses is retried later; the other channel posts once."""
    await schedule(record, "C1")
    await schedule(record, "C2")
    poster = Poster(failing=frozenset({"C1"}))
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    scheduler = SummaryScheduler(record, "slack", poster, retry_after=timedelta(minutes=15))
    first = {o.channel_id: o.state for o in await scheduler.run_due()}
    assert first == {"C1": "failed", "C2": "sent"}
    assert await scheduler.next_wake() == datetime(2026, 3, 27, 8, 15, tzinfo=UTC)
    traveller.move_to(datetime(2026, 3, 27, 8, 10, tzinfo=UTC))
    assert await scheduler.run_due() == []  # not yet
    traveller.move_to(datetime(2026, 3, 27, 8, 15, tzinfo=UTC))
    again = await SummaryScheduler(record, "slack", poster).run_due()  # even after a restart
    assert [(o.channel_id, o.state) for o in again] == [("C1", "sent")]
    assert sorted(c for c, _, _ in poster.posts) == ["C1", "C2"]
    # The retried post still carries the session the failed one would have.
    assert all(len(s.sessions) == 1 for _, _, s in poster.posts)


async def test_quiet_day_is_skipped_when_set_to_skip(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """With nothing new and 'skip', no post is made but the day counts as done."""
    await schedule(record, when_empty="skip")
    poster = Poster()
    traveller.move_to(datetime(2026, 3, 27, 8, 1, tzinfo=UTC))
    await SummaryScheduler(record, "slack", poster).run_due()
    traveller.move_to(datetime(2026, 3, 28, 8, 1, tzinfo=UTC))
    outcomes = await SummaryScheduler(record, "slack", poster).run_due()
    assert [o.state for o in outcomes] == ["empty"]
    assert len(poster.posts) == 1


async def test_follow_is_delivered_with_the_post(record: Record, traveller: time_machine.Coordinates) -> None:
    """A channel following Khan on victim support gets his passages with the daily post."""
    await record.set_summary_schedule(
        platform="slack",
        channel_id="C1",
        time_of_day="08:00",
        timezone="Europe/London",
        set_by="mod",
        follow_speaker="Khan",
        follow_topic="victim support",
    )
    poster = Poster()
    traveller.move_to(datetime(2026, 3, 27, 8, 1, tzinfo=UTC))
    await SummaryScheduler(record, "slack", poster).run_due()
    (follow,) = poster.posts[0][2].follows
    assert follow.passages and all(p.speaker == "Sadiq Khan" for p in follow.passages)
    assert any("victim support" in p.text for p in follow.passages)


async def test_system_clock_reads_the_wall_clock(traveller: time_machine.Coordinates) -> None:
    """The default clock is the wall clock (so time-machine controls it) and returns when woken."""
    clock = SystemClock()
    assert clock.now() == START
    wake = asyncio.Event()
    wake.set()
    await asyncio.wait_for(clock.sleep_until(START + timedelta(hours=5), wake), timeout=5)


async def test_refusal_with_retry_after_is_retried_when_the_platform_said(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A post refused with retry_after (a rate limit's Retry-After) is due again then, not 15 min later."""

    class RateLimited(Poster):
        async def __call__(self, channel_id: str, summary: DailySummary, key: PostKey) -> str:
            if not self.posts and self.left.get(channel_id, 0) > 0:
                self.left[channel_id] -= 1
                raise PostFailedError("ratelimited", retry_after=timedelta(seconds=3))
            return await super().__call__(channel_id, summary, key)

    await schedule(record, "C1")
    poster = RateLimited(failing=frozenset({"C1"}))
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    scheduler = SummaryScheduler(record, "slack", poster, retry_after=timedelta(minutes=15))
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    assert await scheduler.next_wake() == datetime(2026, 3, 27, 8, 0, 3, tzinfo=UTC)
    traveller.move_to(datetime(2026, 3, 27, 8, 0, 3, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["sent"]


async def test_permanent_refusal_is_told_once_and_the_next_day_posts(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A refusal no retry can cure (channel gone): whoever set it is told, no retry today, tomorrow posts."""

    class Gone(Poster):
        async def __call__(self, channel_id: str, summary: DailySummary, key: PostKey) -> str:
            if self.left.get(channel_id, 0) > 0:
                self.left[channel_id] -= 1
                raise PostFailedError("channel_not_found", permanent=True)
            return await super().__call__(channel_id, summary, key)

    told: list[tuple[str, str, str]] = []

    async def on_refused(sched: ChannelSchedule, exc: PostFailedError) -> None:
        told.append((sched.channel_id, sched.set_by, str(exc)))

    await schedule(record, "C1")
    poster = Gone(failing=frozenset({"C1"}))
    scheduler = SummaryScheduler(record, "slack", poster, retry_after=timedelta(0), on_refused=on_refused)
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    traveller.move_to(datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
    assert await scheduler.run_due() == []
    assert told == [("C1", "mod", "channel_not_found")]
    traveller.move_to(datetime(2026, 3, 28, 8, 0, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["sent"]
    assert len(told) == 1
