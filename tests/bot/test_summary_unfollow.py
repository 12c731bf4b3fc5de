"""Dropping what a channel follows while its daily summary goes on (the core, on a real store)."""

from __future__ import annotations

import pytest

from bot.daily.clock import iso_now
from bot.record import Record


@pytest.fixture
def record(sample_record: Record) -> Record:
    """These tests follow speakers of the sample session (tests/conftest.py)."""
    return sample_record


async def follow(record: Record, speaker: str | None, topic: str | None = None, channel: str = "C1") -> str:
    return await record.set_summary_schedule(
        platform="slack",
        channel_id=channel,
        time_of_day="08:30",
        timezone="Europe/London",
        set_by="mod",
        follow_speaker=speaker,
        follow_topic=topic,
    )


async def followed(record: Record, channel: str = "C1") -> list[tuple[str | None, str | None]]:
    summary = await record.channel_summary("slack", channel, since=None, until=iso_now())
    return [(f.speaker, f.topic) for f in summary.follows]


async def test_unfollow_one_keeps_the_other_and_its_passages_go(record: Record) -> None:
    """Dropping Bailey leaves Khan and the schedule; the next summary carries none of Bailey's words."""
    await follow(record, "Sadiq Khan")
    await follow(record, "Shaun Bailey")
    before = await record.channel_summary("slack", "C1", since=None, until=iso_now())
    assert {p.speaker for f in before.follows for p in f.passages} == {"Sadiq Khan", "Shaun Bailey"}
    text = await record.remove_summary_follows(platform="slack", channel_id="C1", speaker="shaun BAILEY")
    assert text == (
        "Stopped following Shaun Bailey in this channel; the daily summary continues at 08:30 Europe/London."
    )
    after = await record.channel_summary("slack", "C1", since=None, until=iso_now())
    assert [(f.speaker, f.topic) for f in after.follows] == [("Sadiq Khan", None)]
    passages = [p for f in after.follows for p in f.passages]
    assert passages and all(p.speaker == "Sadiq Khan" for p in passages)
    assert [s.channel_id for s in await record.summary_schedules("slack")] == ["C1"]


async def test_speaker_and_topic_must_both_match(record: Record) -> None:
    """`Khan on victim support` goes; Khan alone and housing by anyone stay."""
    await follow(record, "Sadiq Khan", "victim support")
    await follow(record, "Sadiq Khan")
    await follow(record, None, "housing")
    text = await record.remove_summary_follows(
        platform="slack", channel_id="C1", speaker="Sadiq Khan", topic="Victim Support"
    )
    assert text.startswith("Stopped following Sadiq Khan on victim support in this channel;")
    assert await followed(record) == [("Sadiq Khan", None), (None, "housing")]


async def test_unfollow_everything_keeps_the_schedule(record: Record) -> None:
    """With neither speaker nor topic every follow goes and the summary stays set."""
    await follow(record, "Sadiq Khan", "victim support")
    await follow(record, None, "housing")
    text = await record.remove_summary_follows(platform="slack", channel_id="C1")
    assert text == (
        "Stopped following Sadiq Khan on victim support; housing in this channel; "
        "the daily summary continues at 08:30 Europe/London."
    )
    assert await followed(record) == []
    assert [s.channel_id for s in await record.summary_schedules("slack")] == ["C1"]
    again = await record.remove_summary_follows(platform="slack", channel_id="C1")
    assert again == "This channel follows nothing; the daily summary continues at 08:30 Europe/London."


async def test_unfollowing_what_is_not_followed_says_what_is(record: Record) -> None:
    """A name the channel does not follow changes nothing and the reply lists what it does follow."""
    await follow(record, "Sadiq Khan")
    text = await record.remove_summary_follows(platform="slack", channel_id="C1", speaker="Khan")
    assert text == "This channel follows nothing of that. It follows Sadiq Khan."
    assert await followed(record) == [("Sadiq Khan", None)]


async def test_unfollow_without_a_schedule(record: Record) -> None:
    """A channel with no daily summary is told so; other channels' follows stay."""
    await follow(record, "Sadiq Khan", channel="C2")
    text = await record.remove_summary_follows(platform="slack", channel_id="C1", speaker="Sadiq Khan")
    assert text == "This channel has no daily summary."
    assert await followed(record, "C2") == [("Sadiq Khan", None)]


async def test_a_follow_repeated_in_another_case_is_stored_once(record: Record) -> None:
    """Following "sadiq khan on VICTIM SUPPORT" after "Sadiq Khan on victim support" adds nothing."""
    await follow(record, "Sadiq Khan", "victim support")
    text = await follow(record, " sadiq khan ", "VICTIM SUPPORT")
    assert text.count("Sadiq Khan on victim support") == 1 and "sadiq khan" not in text
    assert await followed(record) == [("Sadiq Khan", "victim support")]
