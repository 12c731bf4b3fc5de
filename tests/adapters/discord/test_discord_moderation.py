"""Moderator commands end to end: who may change the record, and what they are told."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from discord_harness import Harness, in_guild, start_bot, stop_bot
from fake_discord import (
    CHANNEL_ID,
    MODERATOR,
    MODERATOR_ROLE_ID,
    READER,
    ROLE_HOLDER,
    FakeDiscord,
    Member,
    attachment,
    modal_submit,
    option,
    slash,
)
from shared_data import SAMPLE

from bot.daily.clock import iso_now
from bot.record import Record
from bot.settings import Settings
from bot.wording import WAITING_FOR_ADD

EPHEMERAL = 1 << 6
TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


RESOLVED_CHANNEL = {
    "channels": {str(CHANNEL_ID): {"id": str(CHANNEL_ID), "name": "politics", "type": 0, "permissions": "0"}}
}


def daily_payload(
    member: Member, time: str = "18:30", timezone: str | None = None, **follow: str
) -> dict[str, Any]:
    """/daily set channel:#politics time:<time> [timezone:<tz>] [follow_…] as Discord sends it."""
    options = [option("channel", str(CHANNEL_ID), kind=7), option("time", time)]
    if timezone is not None:
        options.append(option("timezone", timezone))
    options += [option(name, value) for name, value in follow.items()]
    return slash("daily", *options, member=member, subcommand="set", resolved=RESOLVED_CHANNEL)


def daily_off_payload(member: Member) -> dict[str, Any]:
    """/daily off channel:#politics as Discord sends it."""
    channel = option("channel", str(CHANNEL_ID), kind=7)
    return slash("daily", channel, member=member, subcommand="off", resolved=RESOLVED_CHANNEL)


def daily_unfollow_payload(member: Member, **parts: str) -> dict[str, Any]:
    """/daily unfollow channel:#politics [speaker:…] [topic:…] as Discord sends it."""
    options = [option("channel", str(CHANNEL_ID), kind=7)] + [option(k, v) for k, v in parts.items()]
    return slash("daily", *options, member=member, subcommand="unfollow", resolved=RESOLVED_CHANNEL)


def add_payload(
    fake: FakeDiscord, member: Member, content: bytes = TRANSCRIPT, name: str = "transport.txt"
) -> dict:
    """/session add file:<name> title:... date:... with the file served by the fake."""
    file_option, resolved = attachment(fake, name, content)
    return slash(
        "session",
        file_option,
        option("title", "Transport committee"),
        option("date", "2024-03-03"),
        member=member,
        subcommand="add",
        resolved=resolved,
    )


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda fake: add_payload(fake, READER), id="add"),
        pytest.param(
            lambda fake: slash("session", option("id", 1, kind=4), member=READER, subcommand="remove"),
            id="remove",
        ),
        pytest.param(lambda fake: daily_payload(READER), id="daily set"),
        pytest.param(lambda fake: daily_payload(READER, follow_speaker="Khan"), id="daily follow"),
        pytest.param(lambda fake: daily_off_payload(READER), id="daily off"),
        pytest.param(lambda fake: daily_unfollow_payload(READER), id="daily unfollow"),
    ],
)
async def test_non_moderator_is_refused_politely_and_nothing_changes(
    discord_bot: Harness, build: Any
) -> None:
    """A member without Manage Server or the moderator role gets a private refusal; the store is untouched."""
    record = discord_bot.bot.record
    await in_guild(record).set_summary_schedule(
        platform="discord", channel_id="42", time_of_day="09:00", timezone="UTC", set_by="test"
    )
    before = await in_guild(record).sessions()
    reply = await discord_bot.reply(build(discord_bot.fake))
    assert reply.callback_type == 4
    assert reply.json["data"]["flags"] & EPHEMERAL
    assert reply.json["data"]["content"].startswith("Sorry, only moderators can do that")
    assert await in_guild(record).sessions() == before
    assert [s.channel_id for s in await record.summary_schedules("discord")] == ["42"]
    assert await follows(record, "42") == []
    assert discord_bot.fake.downloads == []  # the attachment was never even fetched


async def test_moderator_adds_a_session_from_an_attachment(discord_bot: Harness) -> None:
    """Manage Server: the attachment is downloaded from Discord, stored, and the extraction reported."""
    token = await discord_bot.interact(add_payload(discord_bot.fake, MODERATOR))
    followup = await discord_bot.fake.wait_for_followup(token)
    assert discord_bot.fake.requests_for(token)[0].callback_type == 5  # deferred first
    assert discord_bot.fake.downloads == ["transport.txt"]
    content = followup.json["content"]
    assert content.startswith("Stored session 2: *Transport committee* (2024-03-03)")
    assert "3 statements: 3 attributed to 3 speakers" in content
    assert "Jane Porter" in content
    stored = await in_guild(discord_bot.bot.record).sessions()
    assert [(s.title, s.source_name) for s in stored if s.id == 2] == [
        ("Transport committee", "transport.txt")
    ]
    assert next(s for s in stored if s.id == 2).added_by == f"mod (discord:{MODERATOR.user_id})"


async def test_adding_the_sample_reports_unattributed_passages(discord_bot: Harness) -> None:
    """The report on a news story says how many passages were stored without a speaker."""
    await in_guild(discord_bot.bot.record).remove_session(1, removed_by="test")
    payload = add_payload(discord_bot.fake, MODERATOR, SAMPLE.read_bytes(), SAMPLE.name)
    reply = await discord_bot.reply(payload)
    content = reply.json["content"]
    assert "Sadiq Khan" in content
    assert "stored without a speaker" in content


@pytest.mark.parametrize("role", ["Record keepers", "record KEEPERS", str(MODERATOR_ROLE_ID)])
async def test_configured_moderator_role_may_add(
    settings: Settings, sample_record: Record, fake: FakeDiscord, role: str
) -> None:
    """DISCORD_MODERATOR_ROLE, by name (any case) or id, lets a member without Manage Server add sessions."""
    settings.discord_moderator_role = role
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        reply = await Harness(bot, fake).reply(add_payload(fake, ROLE_HOLDER))
        assert reply.json["content"].startswith("Stored session 2")
    finally:
        await stop_bot(bot, task)


async def test_role_holder_is_refused_when_no_role_is_configured(discord_bot: Harness) -> None:
    """Holding some role is not enough: without DISCORD_MODERATOR_ROLE only Manage Server counts."""
    reply = await discord_bot.reply(add_payload(discord_bot.fake, ROLE_HOLDER))
    assert reply.json["data"]["content"].startswith("Sorry, only moderators can do that")
    assert len(await in_guild(discord_bot.bot.record).sessions()) == 1


async def test_session_add_without_a_file_opens_a_paste_modal(discord_bot: Harness) -> None:
    """Without an attachment /session add opens a modal; submitting it stores the pasted text."""
    payload = slash("session", option("title", "Pasted committee"), member=MODERATOR, subcommand="add")
    modal = await discord_bot.reply(payload)
    assert modal.callback_type == 9
    inputs = [c["component"] for c in modal.json["data"]["components"]]
    assert [i["custom_id"] for i in inputs] == ["record_text", "session_title", "session_date"]
    assert inputs[1]["value"] == "Pasted committee"

    submitted = modal_submit(
        modal.json["data"]["custom_id"],
        {"record_text": TRANSCRIPT.decode(), "session_title": "Pasted committee", "session_date": ""},
    )
    reply = await discord_bot.reply(submitted)
    assert reply.json["content"].startswith("Stored session 2: *Pasted committee*")
    assert [s.source_name for s in await in_guild(discord_bot.bot.record).sessions() if s.id == 2] == [
        "pasted text"
    ]


async def test_moderator_removes_a_session(discord_bot: Harness) -> None:
    """/session remove deletes the session and confirms what went."""
    reply = await discord_bot.reply(
        slash("session", option("id", 1, kind=4), member=MODERATOR, subcommand="remove")
    )
    assert reply.json["data"]["content"].startswith(
        "Removed session 1: *Mayor's Question Time: victim support*"
    )
    assert await in_guild(discord_bot.bot.record).sessions() == []


async def test_removing_an_unknown_session_says_so(discord_bot: Harness) -> None:
    """An OnrecordError (no such session) reaches the moderator as its own sentence, privately."""
    reply = await discord_bot.reply(
        slash("session", option("id", 999, kind=4), member=MODERATOR, subcommand="remove")
    )
    assert reply.json["data"]["flags"] & EPHEMERAL
    assert "999" in reply.json["data"]["content"]
    assert "Sorry, something went wrong" not in reply.json["data"]["content"]


async def test_moderator_replaces_a_session_keeping_its_id(discord_bot: Harness) -> None:
    """/session replace swaps the content in place and reports the new extraction."""
    file_option, resolved = attachment(discord_bot.fake, "transport.txt", TRANSCRIPT)
    payload = slash(
        "session",
        option("id", 1, kind=4),
        file_option,
        member=MODERATOR,
        subcommand="replace",
        resolved=resolved,
    )
    reply = await discord_bot.reply(payload)
    assert reply.json["content"].startswith("Replaced session 1")
    assert [s.source_name for s in await in_guild(discord_bot.bot.record).sessions()] == ["transport.txt"]


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "empty.txt", "empty"),
        (bytes(range(256)) * 8, "image.bin", "binary"),
    ],
)
async def test_bad_attachments_get_a_clear_message(
    discord_bot: Harness, content: bytes, name: str, expected: str
) -> None:
    """Unreadable files are refused with the core's explanation and nothing is stored."""
    reply = await discord_bot.reply(add_payload(discord_bot.fake, MODERATOR, content, name))
    assert expected in reply.json["content"]
    assert len(await in_guild(discord_bot.bot.record).sessions()) == 1


async def test_attachment_over_the_size_limit_is_not_downloaded(
    settings: Settings, sample_record: Record, fake: FakeDiscord
) -> None:
    """A file larger than ONRECORD_MAX_SOURCE_MB is refused before download."""
    settings.onrecord_max_source_mb = 0.001
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        reply = await Harness(bot, fake).reply(
            add_payload(fake, MODERATOR, b"Chair: words. " * 200, "big.txt")
        )
        assert "at most 0.001 MB" in reply.json["content"]
        assert fake.downloads == []
    finally:
        await stop_bot(bot, task)


async def follows(record: Record, channel_id: str = str(CHANNEL_ID)) -> list[tuple[str | None, str | None]]:
    """What a Discord channel follows, as its next daily post would carry it."""
    summary = await record.channel_summary("discord", channel_id, since=None, until=iso_now())
    return [(f.speaker, f.topic) for f in summary.follows]


async def test_moderator_sets_the_daily_summary(discord_bot: Harness) -> None:
    """/daily set stores the channel, time and zone; set mid-morning, the first post is tomorrow's."""
    with time_machine.travel(datetime(2026, 1, 13, 10, 9, tzinfo=UTC), tick=True):
        reply = await discord_bot.reply(daily_payload(MODERATOR, "07:45", "Europe/Paris"))
    assert reply.callback_type == 4
    schedules = await discord_bot.bot.record.summary_schedules("discord")
    assert [(s.channel_id, s.at.isoformat("minutes"), str(s.zone)) for s in schedules] == [
        (str(CHANNEL_ID), "07:45", "Europe/Paris")
    ]
    content = reply.json["data"]["content"]
    assert content.startswith(f"<#{CHANNEL_ID}>: Daily summary set for 07:45 Europe/Paris")
    assert "the next one is due Wed 14 Jan at 07:45 CET" in content  # not "at 11:09 CET"


async def test_moderator_sets_a_follow_with_the_summary(discord_bot: Harness) -> None:
    """follow_speaker and follow_topic are stored with the schedule and listed in the confirmation."""
    payload = daily_payload(MODERATOR, "08:00", follow_speaker="Sadiq Khan", follow_topic="victim support")
    reply = await discord_bot.reply(payload)
    assert "Following: Sadiq Khan on victim support." in reply.json["data"]["content"]
    assert await follows(discord_bot.bot.record) == [("Sadiq Khan", "victim support")]
    topic_only = await discord_bot.reply(daily_payload(MODERATOR, "08:00", follow_topic="knife crime"))
    assert "Following: Sadiq Khan on victim support; knife crime." in topic_only.json["data"]["content"]
    assert (None, "knife crime") in await follows(discord_bot.bot.record)


async def test_moderator_stops_the_daily_summary(discord_bot: Harness) -> None:
    """/daily off removes the channel's schedule and follows; other channels keep theirs."""
    record = discord_bot.bot.record
    await discord_bot.reply(daily_payload(MODERATOR, "08:00", follow_speaker="Khan"))
    await in_guild(record).set_summary_schedule(
        platform="discord", channel_id="42", time_of_day="09:00", timezone="UTC", set_by="test"
    )
    reply = await discord_bot.reply(daily_off_payload(MODERATOR))
    assert reply.json["data"]["content"] == f"<#{CHANNEL_ID}>: Daily summary stopped for this channel."
    assert [s.channel_id for s in await record.summary_schedules("discord")] == ["42"]
    assert await follows(record) == []
    again = await discord_bot.reply(daily_off_payload(MODERATOR))
    assert again.json["data"]["content"].endswith("This channel had no daily summary.")


@pytest.mark.parametrize(("time", "timezone"), [("25:99", None), ("18:30", "Mars/Olympus")])
async def test_bad_summary_settings_are_explained(
    discord_bot: Harness, time: str, timezone: str | None
) -> None:
    """A bad time or zone name gets the core's explanation and stores nothing."""
    reply = await discord_bot.reply(daily_payload(MODERATOR, time, timezone))
    assert reply.json["data"]["flags"] & EPHEMERAL
    assert "Sorry, something went wrong" not in reply.json["data"]["content"]
    assert await discord_bot.bot.record.summary_schedules("discord") == []


async def test_timezone_autocomplete_finds_zones(discord_bot: Harness) -> None:
    """Typing "london" offers Europe/London."""
    payload = slash(
        "daily",
        option("time", "18:30"),
        option("timezone", "london", focused=True),
        subcommand="set",
        autocomplete=True,
    )
    reply = await discord_bot.reply(payload)
    assert {"name": "Europe/London", "value": "Europe/London"} in reply.json["data"]["choices"]


@pytest.mark.parametrize(("typed", "wanted"), [("kha", "Sadiq Khan"), ("bail", "Shaun Bailey")])
async def test_follow_speaker_autocomplete_offers_stored_speakers(
    discord_bot: Harness, typed: str, wanted: str
) -> None:
    """The speaker to follow is completed from the speakers on record."""
    focused = option("follow_speaker", typed, focused=True)
    payload = slash("daily", option("time", "08:00"), focused, subcommand="set", autocomplete=True)
    reply = await discord_bot.reply(payload)
    assert reply.callback_type == 8
    assert wanted in [c["value"] for c in reply.json["data"]["choices"]]


async def test_follow_topic_autocomplete_offers_terms_from_the_record(discord_bot: Harness) -> None:
    """The topic to follow is completed from terms in the record."""
    payload = slash(
        "daily", option("follow_topic", "vict", focused=True), subcommand="set", autocomplete=True
    )
    values = [c["value"] for c in (await discord_bot.reply(payload)).json["data"]["choices"]]
    assert values and all("vict" in v.lower() for v in values)


async def test_moderator_unfollows_one_speaker_and_the_summary_goes_on(discord_bot: Harness) -> None:
    """/daily unfollow speaker:Shaun Bailey keeps Khan and the schedule; Bailey's words leave the post."""
    record = discord_bot.bot.record
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Sadiq Khan"))
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Shaun Bailey"))
    reply = await discord_bot.reply(daily_unfollow_payload(MODERATOR, speaker="shaun bailey"))
    assert reply.json["data"]["content"] == (
        f"<#{CHANNEL_ID}>: Stopped following Shaun Bailey in this channel; "
        "the daily summary continues at 08:30 Europe/London."
    )
    assert await follows(record) == [("Sadiq Khan", None)]
    summary = await record.channel_summary("discord", str(CHANNEL_ID), since=None, until=iso_now())
    passages = [p for f in summary.follows for p in f.passages]
    assert passages and all(p.speaker == "Sadiq Khan" for p in passages)
    assert [s.channel_id for s in await record.summary_schedules("discord")] == [str(CHANNEL_ID)]


async def test_moderator_unfollows_everything(discord_bot: Harness) -> None:
    """/daily unfollow with neither speaker nor topic drops every follow; the schedule stays."""
    record = discord_bot.bot.record
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Sadiq Khan"))
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_topic="victim support"))
    reply = await discord_bot.reply(daily_unfollow_payload(MODERATOR))
    content = reply.json["data"]["content"]
    assert content.startswith(
        f"<#{CHANNEL_ID}>: Stopped following Sadiq Khan; victim support in this channel"
    )
    assert await follows(record) == []
    assert [s.channel_id for s in await record.summary_schedules("discord")] == [str(CHANNEL_ID)]
    nothing = await discord_bot.reply(daily_unfollow_payload(MODERATOR, topic="housing"))
    assert nothing.json["data"]["content"].endswith(
        "This channel follows nothing; the daily summary continues at 08:30 Europe/London."
    )


async def test_unfollow_in_a_channel_without_a_daily_summary(discord_bot: Harness) -> None:
    """Unfollowing where no summary is set says so and sets nothing up."""
    reply = await discord_bot.reply(daily_unfollow_payload(MODERATOR, speaker="Sadiq Khan"))
    assert reply.json["data"]["content"] == f"<#{CHANNEL_ID}>: This channel has no daily summary."
    assert await discord_bot.bot.record.summary_schedules("discord") == []


async def test_member_may_not_unfollow(discord_bot: Harness) -> None:
    """A member's /daily unfollow is refused and the channel keeps what it follows."""
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Sadiq Khan"))
    reply = await discord_bot.reply(daily_unfollow_payload(READER, speaker="Sadiq Khan"))
    assert reply.json["data"]["content"].startswith("Sorry, only moderators can do that")
    assert await follows(discord_bot.bot.record) == [("Sadiq Khan", None)]


async def unfollow_choices(discord_bot: Harness, focus: str, typed: str) -> list[str]:
    """The choices autocomplete offers for /daily unfollow channel:#politics <focus>:<typed>."""
    options = [option("channel", str(CHANNEL_ID), kind=7), option(focus, typed, focused=True)]
    payload = slash(
        "daily",
        *options,
        subcommand="unfollow",
        autocomplete=True,
        member=MODERATOR,
        resolved=RESOLVED_CHANNEL,
    )
    reply = await discord_bot.reply(payload)
    assert reply.callback_type == 8
    return [c["value"] for c in reply.json["data"]["choices"]]


@pytest.mark.parametrize(
    ("focus", "typed", "expected"),
    [
        ("speaker", "", ["Sadiq Khan", "Shaun Bailey"]),
        ("speaker", "bail", ["Shaun Bailey"]),
        ("speaker", "sahota", []),
        ("topic", "", ["knife crime"]),
    ],
)
async def test_unfollow_completes_what_the_channel_follows(
    discord_bot: Harness, focus: str, typed: str, expected: list[str]
) -> None:
    """The speaker or topic to unfollow is completed from the chosen channel's own follows,
    not from everyone on record (Onkar Sahota is on record but not followed)."""
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Sadiq Khan"))
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_speaker="Shaun Bailey"))
    await discord_bot.reply(daily_payload(MODERATOR, "08:30", follow_topic="knife crime"))
    assert await unfollow_choices(discord_bot, focus, typed) == expected


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("xoxb-2741-Pasted-By-Mistake-9f3a", "DISCORD_MODERATOR_ROLE matches no role in this server"),
        (str(MODERATOR_ROLE_ID), "the 'Record keepers' role or the Manage Server permission"),
        ("record KEEPERS", "the 'Record keepers' role or the Manage Server permission"),
    ],
)
async def test_the_refusal_names_the_servers_role_never_the_setting(
    settings: Settings, sample_record: Record, fake: FakeDiscord, role: str, shown: str
) -> None:
    """A token pasted into DISCORD_MODERATOR_ROLE is never shown to members; a real role is named as the
    server names it."""
    settings.discord_moderator_role = role
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        reply = await Harness(bot, fake).reply(add_payload(fake, READER))
    finally:
        await stop_bot(bot, task)
    content = reply.json["data"]["content"]
    assert content.startswith("Sorry, only moderators can do that") and shown in content
    assert role not in content  # the setting itself never
    assert "pasted-by-mistake" not in content.casefold()


async def test_an_add_that_queues_says_so_in_its_deferred_reply(
    discord_bot: Harness, settings: Settings
) -> None:
    """Another process is writing: the private "thinking…" becomes the waiting sentence, then the report."""
    lock = sqlite3.connect(settings.onrecord_db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what another add's write holds
    try:
        token = await discord_bot.interact(add_payload(discord_bot.fake, MODERATOR))
        note = await discord_bot.fake.wait_for(
            lambda r: r.method == "PATCH"
            and r.path.endswith(f"/{token}/messages/@original")
            and (r.json or {}).get("content") == WAITING_FOR_ADD,
            within=30,
        )
        assert note.json["allowed_mentions"] == {"parse": []}
        (shown,) = discord_bot.fake.shown_for(token)
        assert (shown.content, shown.ephemeral) == (WAITING_FOR_ADD, True)
    finally:
        lock.execute("COMMIT")
        lock.close()
    await discord_bot.fake.wait_for(
        lambda r: r.method == "PATCH"
        and r.path.endswith(f"/{token}/messages/@original")
        and (r.json or {}).get("content", "").startswith("Stored session 2"),
        within=30,
    )
    (shown,) = discord_bot.fake.shown_for(token)  # the same private message, now the report
    assert shown.ephemeral
    assert shown.content.startswith("Stored session 2: *Transport committee* (2024-03-03)")
    assert [s.id for s in await in_guild(discord_bot.bot.record).sessions()].count(2) == 1
