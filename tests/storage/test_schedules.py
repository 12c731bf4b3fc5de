"""The schedule tables and the post ledger on real SQLite files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import schedules
from storage.connection import Store, connect, migrate

T0 = "2026-03-27T08:00:00+00:00"
T1 = "2026-03-27T08:15:00+00:00"
LATER = "2026-03-27T09:00:00+00:00"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await connect(tmp_path / "ledger.db")
    await migrate(s)
    yield s
    await s.close()


async def claim(
    store: Store, owner: str, now: str = T0, day: str = "2026-03-27", max_attempts: int = 3
) -> bool:
    return await schedules.claim(
        store.conn,
        platform="slack",
        channel_id="C1",
        local_day=day,
        owner=owner,
        now=now,
        covers_from=None,
        covers_to=now,
        max_attempts=max_attempts,
    )


async def mark_sent(store: Store, owner: str, message_ref: str | None = None) -> None:
    await schedules.mark_sent(
        store.conn,
        platform="slack",
        channel_id="C1",
        local_day="2026-03-27",
        owner=owner,
        sent_at=T0,
        message_ref=message_ref,
    )


async def mark_failed(store: Store, owner: str, error: str = "x") -> None:
    await schedules.mark_failed(
        store.conn,
        platform="slack",
        channel_id="C1",
        local_day="2026-03-27",
        owner=owner,
        error=error,
        retry_at=T1,
    )


async def test_migration_applies_after_initial(store: Store) -> None:
    """0002 lands after 0001: user_version is at least 2 and the ledger table exists."""
    async with store.conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    assert row is not None and row[0] >= 2
    async with store.conn.execute("SELECT count(*) FROM summary_posts") as cur:
        assert (await cur.fetchone()) is not None


async def test_first_claim_wins_and_second_loses(store: Store) -> None:
    """Only one owner can claim a (channel, day); a claimed row is never taken over."""
    assert await claim(store, "a")
    assert not await claim(store, "b")
    assert not await claim(store, "a", now=LATER)  # not even by itself: the post may be out
    post = await schedules.post(store.conn, "slack", "C1", "2026-03-27")
    assert post is not None and post.state == "claimed" and post.claimed_by == "a"


async def test_sent_is_final(store: Store) -> None:
    """After a post is marked sent nobody can claim that day again."""
    assert await claim(store, "a")
    await mark_sent(store, "a", message_ref="123.456")
    assert not await claim(store, "b", now=LATER)
    assert await schedules.last_covered(store.conn, "slack", "C1") == T0
    assert await claim(store, "b", day="2026-03-28")  # the next day is a new post


async def test_failed_is_retried_only_when_due_and_within_attempts(store: Store) -> None:
    """A failed post is claimable again at its retry time, until attempts run out."""
    assert await claim(store, "a")
    await mark_failed(store, "a", error="channel_not_found")
    assert not await claim(store, "b", now=T0)  # too early
    assert await claim(store, "b", now=T1)
    post = await schedules.post(store.conn, "slack", "C1", "2026-03-27")
    assert post is not None and post.attempts == 2 and post.claimed_by == "b" and post.retry_at is None
    await mark_failed(store, "b")
    assert await claim(store, "c", now=LATER)  # third attempt
    await mark_failed(store, "c")
    assert not await claim(store, "d", now=LATER)  # out of attempts (max 3)


async def test_marking_needs_the_owner(store: Store) -> None:
    """A process that lost the claim cannot mark someone else's post sent or failed."""
    assert await claim(store, "a")
    await mark_sent(store, "b")
    await mark_failed(store, "b")
    post = await schedules.post(store.conn, "slack", "C1", "2026-03-27")
    assert post is not None and post.state == "claimed"


async def test_two_connections_race_for_one_claim(tmp_path: Path) -> None:
    """Two processes' connections claiming at once: exactly one gets the post."""
    first = await connect(tmp_path / "race.db")
    await migrate(first)
    stores = [first] + [await connect(tmp_path / "race.db") for _ in range(3)]
    try:
        results = await asyncio.gather(*(claim(s, f"owner-{i}") for i, s in enumerate(stores)))
    finally:
        for s in stores:
            await s.close()
    assert sorted(results) == [False, False, False, True]


async def test_schedules_follows_and_cascade(store: Store) -> None:
    """Schedules upsert by channel; follows are unique and go when the schedule goes."""
    row = schedules.ScheduleRow("discord", "42", "08:00", "Europe/London", "skip", "mod", T0)
    await schedules.upsert_schedule(store.conn, row)
    await schedules.upsert_schedule(
        store.conn, schedules.ScheduleRow("discord", "42", "09:30", "UTC", "note", "m", T1)
    )
    (only,) = await schedules.schedules(store.conn, "discord")
    assert (only.time_of_day, only.timezone, only.when_empty) == ("09:30", "UTC", "note")
    for _ in range(2):
        await schedules.add_follow(
            store.conn, "local", "discord", "42", "Sadiq Khan", "knife crime", "mod", T0
        )
    await schedules.add_follow(store.conn, "local", "discord", "42", None, "housing", "mod", T0)
    assert [(f.speaker, f.topic) for f in await schedules.follows(store.conn, "local", "discord", "42")] == [
        ("Sadiq Khan", "knife crime"),
        (None, "housing"),
    ]
    assert await schedules.remove_schedule(store.conn, "local", "discord", "42")
    assert await schedules.follows(store.conn, "local", "discord", "42") == []
    assert not await schedules.remove_schedule(store.conn, "local", "discord", "42")


async def _scheduled_with_follows(store: Store, *pairs: tuple[str | None, str | None]) -> None:
    row = schedules.ScheduleRow("slack", "C1", "08:30", "Europe/London", "skip", "mod", T0)
    await schedules.upsert_schedule(store.conn, row)
    for speaker, topic in pairs:
        await schedules.add_follow(store.conn, "local", "slack", "C1", speaker, topic, "mod", T0)


FOLLOWS = (("Sadiq Khan", "knife crime"), ("Sadiq Khan", None), (None, "knife crime"), ("Shaun Bailey", None))


@pytest.mark.parametrize(
    ("speaker", "topic", "left"),
    [
        (None, None, []),
        ("sadiq khan", None, [(None, "knife crime"), ("Shaun Bailey", None)]),
        (None, "KNIFE CRIME", [("Sadiq Khan", None), ("Shaun Bailey", None)]),
        ("Sadiq Khan", "knife crime", [("Sadiq Khan", None), (None, "knife crime"), ("Shaun Bailey", None)]),
        ("Khan", None, list(FOLLOWS)),
    ],
)
async def test_remove_follows_matches_what_is_given_in_any_case(
    store: Store, speaker: str | None, topic: str | None, left: list[tuple[str | None, str | None]]
) -> None:
    """Each given part must equal the follow's own, ignoring case; none given removes them all."""
    await _scheduled_with_follows(store, *FOLLOWS)
    other = schedules.ScheduleRow("slack", "C2", "09:00", "UTC", "skip", "mod", T0)
    await schedules.upsert_schedule(store.conn, other)
    await schedules.add_follow(store.conn, "local", "slack", "C2", "Sadiq Khan", None, "mod", T0)
    removed = await schedules.remove_follows(store.conn, "local", "slack", "C1", speaker, topic)
    assert removed == len(FOLLOWS) - len(left)
    assert [(f.speaker, f.topic) for f in await schedules.follows(store.conn, "local", "slack", "C1")] == left
    assert len(await schedules.follows(store.conn, "local", "slack", "C2")) == 1  # other channels untouched
    assert await schedules.schedule(store.conn, "local", "slack", "C1") is not None


async def test_add_follow_ignores_a_repeat_in_another_case(store: Store) -> None:
    """A follow repeated in another letter case ("sadiq khan on KNIFE CRIME") is not stored again."""
    await _scheduled_with_follows(store, ("Sadiq Khan", "knife crime"), ("sadiq khan", "KNIFE CRIME"))
    await schedules.add_follow(store.conn, "local", "slack", "C1", None, "Housing", "mod", T0)
    await schedules.add_follow(store.conn, "local", "slack", "C1", None, "housing", "mod", T0)
    assert [(f.speaker, f.topic) for f in await schedules.follows(store.conn, "local", "slack", "C1")] == [
        ("Sadiq Khan", "knife crime"),
        (None, "Housing"),
    ]


async def test_migration_0004_keeps_the_oldest_of_case_repeats(tmp_path: Path) -> None:
    """A store made before 0004 with "Khan" and "KHAN" follows keeps only the first when migrated."""
    path = tmp_path / "old.db"
    store = await connect(path)
    await migrate(store, upto=3)
    await store.conn.execute(
        "INSERT INTO summary_schedules(platform, channel_id, time_of_day, timezone, set_by, set_at) "
        "VALUES ('slack', 'C1', '08:30', 'Europe/London', 'mod', ?)",
        (T0,),
    )
    for speaker, topic in (("Khan", None), ("KHAN", None), (None, "crime"), ("khan", "Crime")):
        await store.conn.execute(
            "INSERT INTO summary_follows(platform, channel_id, speaker, topic, set_by, set_at) "
            "VALUES ('slack', 'C1', ?, ?, 'mod', ?)",
            (speaker, topic, T0),
        )
    assert await migrate(store) >= 4
    assert [(f.speaker, f.topic) for f in await schedules.follows(store.conn, "local", "slack", "C1")] == [
        ("Khan", None),
        (None, "crime"),
        ("khan", "Crime"),
    ]
    await store.close()
