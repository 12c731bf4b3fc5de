"""Daily posts under faults: refusals, answers lost after the send, midnight, a busy store.

Reported: with 30% of posts refused, 17 of 168 channel-days were lost (a 23:55 post's retry
fell on the next local day, and that day was then skipped), a send that succeeded but
timed out on the way back was sent again (10 doubles in 168), and a post due while a large
add held the store went out 15 minutes late. The exactly-once run below has two
schedulers (two connections to one file, as two processes) contest 168 channel-days over
a fortnight across the UK's clock change, against a platform that refuses 30% of sends and
loses the answer to 10% more after making the message: 0 lost, 0 doubled.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from shared_data import SAMPLE

import bot.daily.service
from bot.daily.clock import first_day, parse_time_of_day, post_instant
from bot.daily.scheduler import MAX_ATTEMPTS, PostFailedError, PostKey, SummaryScheduler
from bot.models import DailySummary
from bot.record import Record
from storage.connection import BUSY_TIMEOUT_MS

START = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)  # UK clocks go forward on Sunday 29 March 2026
DAYS = 14
# Twelve channels: late evening posts whose retries cross midnight, midnight itself, a time
# that does not exist on the day clocks go forward, and ordinary ones, in three zones.
CHANNELS = {
    "C-2355-london": ("23:55", "Europe/London"),
    "C-2359-london": ("23:59", "Europe/London"),
    "C-2350-newyork": ("23:50", "America/New_York"),
    "C-2345-tokyo": ("23:45", "Asia/Tokyo"),
    "C-0000-london": ("00:00", "Europe/London"),
    "C-0130-london": ("01:30", "Europe/London"),
    "C-0800-london": ("08:00", "Europe/London"),
    "C-0800-newyork": ("08:00", "America/New_York"),
    "C-1230-tokyo": ("12:30", "Asia/Tokyo"),
    "C-1700-london": ("17:00", "Europe/London"),
    "C-1815-newyork": ("18:15", "America/New_York"),
    "C-2200-london": ("22:00", "Europe/London"),
}


class StopClock(Exception):
    """Ends the run once every scheduler sleeps past the end."""


class SharedClock:
    """Time for several schedulers at once: it moves (time-machine) to the earliest wake once all sleep.

    So two schedulers really contest each due post at the same instant, and none oversleeps
    another's retry.
    """

    def __init__(self, traveller: time_machine.Coordinates, sleepers: int, end: datetime) -> None:
        self.traveller = traveller
        self.sleepers = sleepers
        self.end = end
        self.waiting: list[tuple[datetime, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime, wake: asyncio.Event) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((max(moment, self.now()), future))
        if len(self.waiting) == self.sleepers:
            self._advance()
        await future

    def _advance(self) -> None:
        soonest = min(m for m, _ in self.waiting)
        if soonest >= self.end:
            for _, future in self.waiting:
                future.set_exception(StopClock())
            self.waiting = []
            return
        if soonest > self.now():
            self.traveller.move_to(soonest)
        due = [f for m, f in self.waiting if m <= soonest]
        self.waiting = [(m, f) for m, f in self.waiting if m > soonest]
        for future in due:
            future.set_result(None)


class Platform:
    """A chat platform as the scheduler meets it, keeping every message it made per post.

    Each send is refused (nothing made) with probability ``refuse``, or made but its answer
    lost (a timeout on the way back) with probability ``lose``; at most ``faults`` times
    per post, so every post has attempts left (the report's 16 lost days had).
    """

    def __init__(self, seed: int, refuse: float = 0.3, lose: float = 0.1, faults: int = 3) -> None:
        self.rng = random.Random(seed)
        self.refuse, self.lose, self.faults = refuse, lose, faults
        self.made: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
        self.faults_of: Counter[str] = Counter()
        self.refused = self.answers_lost = self.found = 0

    async def post(self, channel_id: str, summary: DailySummary, key: PostKey) -> str:
        roll = self.rng.random()
        faulty = self.faults_of[key.id] < self.faults
        if faulty and roll < self.refuse:
            self.faults_of[key.id] += 1
            self.refused += 1
            raise PostFailedError("refused")
        ref = f"m{sum(len(v) for v in self.made.values()) + 1}"
        self.made[key.id].append((ref, datetime.now(UTC)))
        if faulty and roll < self.refuse + self.lose:
            self.faults_of[key.id] += 1
            self.answers_lost += 1
            raise TimeoutError  # the message is in the channel; the answer never came back
        return ref

    async def find(self, key: PostKey, since: datetime) -> str | None:
        for ref, at in self.made.get(key.id, ()):
            if at >= since:
                self.found += 1
                return ref
        return None


@pytest.fixture
def traveller() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as t:
        yield t


@pytest.fixture
async def record(tmp_path: Path, traveller: time_machine.Coordinates) -> AsyncIterator[Record]:
    async with await Record.open(tmp_path / "daily.sqlite3") as r:
        await r.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test")
        yield r


async def set_schedule(record: Record, channel: str, at: str, zone: str) -> None:
    await record.set_summary_schedule(
        platform="slack", channel_id=channel, time_of_day=at, timezone=zone, set_by="mod", when_empty="note"
    )


def owed_days(at: str, zone: str, set_at: datetime, until: datetime) -> list[str]:
    """Every local day a channel owes a post for, from its first day to the last due before ``until``."""
    when, tz = parse_time_of_day(at), ZoneInfo(zone)
    day, days = first_day(set_at, when, tz), []
    while post_instant(day, when, tz) < until:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


@pytest.mark.timeout(600)
async def test_exactly_once_under_refusals_lost_answers_and_midnight(
    record: Record, traveller: time_machine.Coordinates, tmp_path: Path
) -> None:
    """168 channel-days, two contesting schedulers, 30% refused and 10% answers lost: each day posted once."""
    for channel, (at, zone) in CHANNELS.items():
        await set_schedule(record, channel, at, zone)
    platform = Platform(seed=16)
    assert platform.faults < MAX_ATTEMPTS  # every post has attempts left, as the lost ones had
    end = START + timedelta(days=DAYS)
    clock = SharedClock(traveller, sleepers=2, end=end)
    async with await Record.open(tmp_path / "daily.sqlite3") as other:
        contest = [
            SummaryScheduler(r, "slack", platform.post, clock=clock, find_earlier=platform.find, owner=name)
            for r, name in ((record, "one"), (other, "two"))
        ]
        results = await asyncio.gather(*(s.run_forever() for s in contest), return_exceptions=True)
    assert all(isinstance(r, StopClock) for r in results), results

    # Retries of the last day may still be running at the end: count the days due an hour before.
    owed = {
        (channel, day)
        for channel, (at, zone) in CHANNELS.items()
        for day in owed_days(at, zone, START, end - timedelta(hours=1))
    }
    assert len(owed) == 12 * DAYS
    made = Counter()
    for post_id, messages in platform.made.items():
        _, channel, day = post_id.split(":")
        made[(channel, day)] += len(messages)
    lost = sorted(k for k in owed if made[k] == 0)
    doubled = sorted(k for k, n in made.items() if n > 1)
    assert lost == [] and doubled == []
    # The faults really happened, and the lost answers were found, not resent.
    assert platform.refused > 30 and platform.answers_lost > 10
    assert platform.found == platform.answers_lost
    # Some late-evening post's retry went out after local midnight and still counted for its day.
    def local_date(post_id: str, at: datetime) -> str:
        return at.astimezone(ZoneInfo(CHANNELS[post_id.split(":")[1]][1])).date().isoformat()

    crossed = [
        post_id
        for post_id, messages in platform.made.items()
        for _, at in messages
        if local_date(post_id, at) > post_id.split(":")[2]
    ]
    assert crossed, "no retry crossed midnight: the case the report lost"
    # And the ledger agrees: every owed day is marked sent, with the message the platform made.
    for channel, day in owed:
        row = await record.summary_post("slack", channel, day)
        assert row is not None and row.state == "sent"
        assert row.message_ref == platform.made[f"slack:{channel}:{day}"][0][0]


async def test_a_2355_post_refused_is_retried_after_midnight_as_that_days_post(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """Refused at 23:55, retried at 00:10 on the next local day: posted once, for the day it was due."""
    await set_schedule(record, "C1", "23:55", "Europe/London")
    platform = Platform(seed=0, refuse=1.0, lose=0.0, faults=1)  # the first send is refused
    scheduler = SummaryScheduler(record, "slack", platform.post, find_earlier=platform.find)
    traveller.move_to(datetime(2026, 3, 26, 23, 55, tzinfo=UTC))  # 23:55 GMT, the 26th
    assert [(o.local_day, o.state) for o in await scheduler.run_due()] == [("2026-03-26", "failed")]
    assert await scheduler.next_wake() == datetime(2026, 3, 27, 0, 10, tzinfo=UTC)
    traveller.move_to(datetime(2026, 3, 27, 0, 10, tzinfo=UTC))
    assert [(o.local_day, o.state) for o in await scheduler.run_due()] == [("2026-03-26", "sent")]
    assert await scheduler.run_due() == []
    assert list(platform.made) == ["slack:C1:2026-03-26"]
    # The 27th's own post is still made at its own 23:55.
    platform.refuse = 0.0
    traveller.move_to(datetime(2026, 3, 27, 23, 55, tzinfo=UTC))
    assert [(o.local_day, o.state) for o in await scheduler.run_due()] == [("2026-03-27", "sent")]


async def test_a_retry_that_would_come_after_the_next_days_post_is_left_to_it(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """A day's post is owed until the next day's is due; after that the next one covers its sessions."""
    await set_schedule(record, "C1", "08:00", "Europe/London")
    platform = Platform(seed=0, refuse=1.0, lose=0.0, faults=1)
    scheduler = SummaryScheduler(
        record, "slack", platform.post, find_earlier=platform.find, retry_after=timedelta(hours=30)
    )
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    platform.refuse = 0.0
    traveller.move_to(datetime(2026, 3, 28, 14, 0, tzinfo=UTC))  # past the 27th's retry time
    assert [(o.local_day, o.state) for o in await scheduler.run_due()] == [("2026-03-28", "sent")]
    assert list(platform.made) == ["slack:C1:2026-03-28"]


async def test_a_send_whose_answer_was_lost_is_found_not_sent_again(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """The message was made but the answer timed out: the retry finds it, marks it sent, sends nothing."""
    await set_schedule(record, "C1", "08:00", "Europe/London")
    platform = Platform(seed=0, refuse=0.0, lose=1.0, faults=1)
    scheduler = SummaryScheduler(
        record, "slack", platform.post, find_earlier=platform.find, retry_after=timedelta(minutes=15)
    )
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    traveller.move_to(datetime(2026, 3, 27, 8, 15, tzinfo=UTC))
    (outcome,) = await scheduler.run_due()
    assert (outcome.state, outcome.message_ref) == ("sent", "m1")
    assert len(platform.made["slack:C1:2026-03-27"]) == 1 and platform.found == 1
    row = await record.summary_post("slack", "C1", "2026-03-27")
    assert row is not None and (row.state, row.message_ref, row.attempts) == ("sent", "m1", 2)


async def test_a_check_that_cannot_be_made_does_not_lose_the_day(
    record: Record, traveller: time_machine.Coordinates
) -> None:
    """When the platform cannot be asked (no history scope), the retry posts rather than giving up."""
    await set_schedule(record, "C1", "08:00", "Europe/London")
    platform = Platform(seed=0, refuse=1.0, lose=0.0, faults=1)

    async def cannot_look(key: PostKey, since: datetime) -> str | None:
        raise PermissionError("missing_scope")

    scheduler = SummaryScheduler(
        record, "slack", platform.post, find_earlier=cannot_look, retry_after=timedelta(0)
    )
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    assert [o.state for o in await scheduler.run_due()] == ["sent"]


# --- a busy store (item 3) -------------------------------------------------------------


def hold_write_lock(db: Path) -> sqlite3.Connection:
    """Another process's write in progress (a large add committing)."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


@pytest.mark.timeout(120)
async def test_a_claim_waits_out_a_write_longer_than_the_busy_timeout(
    record: Record, traveller: time_machine.Coordinates, tmp_path: Path
) -> None:
    """The claim queues behind another process's write (held past SQLite's 10 s busy timeout) and posts."""
    await set_schedule(record, "C1", "08:00", "Europe/London")
    platform = Platform(seed=0, refuse=0.0, lose=0.0)
    scheduler = SummaryScheduler(record, "slack", platform.post, find_earlier=platform.find)
    traveller.move_to(datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    holder = hold_write_lock(tmp_path / "daily.sqlite3")
    release = threading.Timer(BUSY_TIMEOUT_MS / 1000 + 2, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assert [o.state for o in await scheduler.run_due()] == ["sent"]
    finally:
        release.join()
        holder.close()
    assert list(platform.made) == ["slack:C1:2026-03-27"]


async def test_a_store_busy_past_the_claims_patience_is_tried_again_in_a_minute(
    record: Record, traveller: time_machine.Coordinates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Still busy after the claim's patience: the pass is tried a minute later (not 15), and posts then."""
    monkeypatch.setattr(bot.daily.service, "CLAIM_PATIENCE_S", 0.5)
    await set_schedule(record, "C1", "08:00", "Europe/London")
    platform = Platform(seed=0, refuse=0.0, lose=0.0)
    due = datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    traveller.move_to(due)
    holder = hold_write_lock(tmp_path / "daily.sqlite3")
    sleeps: list[tuple[datetime, datetime]] = []

    class Clock:
        def now(self) -> datetime:
            return datetime.now(UTC)

        async def sleep_until(self, moment: datetime, wake: asyncio.Event) -> None:
            sleeps.append((self.now(), moment))
            if len(sleeps) == 1:
                holder.execute("COMMIT")  # the add finished meanwhile
            if len(sleeps) == 2:
                raise StopClock
            traveller.move_to(moment)

    scheduler = SummaryScheduler(record, "slack", platform.post, clock=Clock(), find_earlier=platform.find)
    with pytest.raises(StopClock):
        await scheduler.run_forever()
    holder.close()
    assert sleeps[0] == (due, due + timedelta(minutes=1))
    ((_, sent_at),) = platform.made["slack:C1:2026-03-27"]
    assert sent_at == due + timedelta(minutes=1)
