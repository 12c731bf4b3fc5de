"""`/onrecord summary`: moderators set or stop a channel's daily summary through the real Bolt app."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from fake_slack import Call, FakeSlack
from slack_requests import MEMBER, MODERATOR, SlackDriver, command_reply, in_team
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.failures import APOLOGY
from adapters.slack.permissions import REFUSAL
from adapters.slack.summary import make_poster
from bot.daily.clock import iso_now
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record

CHANNEL = "C0DAILY"
TRANSCRIPT = b"""Transport committee, 13 January 2026

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


async def reply_to(slack: SlackDriver, fake: FakeSlack, text: str, user: str = MODERATOR) -> Call:
    """Send `/onrecord <text>` in CHANNEL and return the one response_url post it caused."""
    return await command_reply(slack, fake, text, user=user, channel=CHANNEL)


async def scheduled(record: Record) -> list[tuple[str, str, str]]:
    return [
        (s.channel_id, s.at.strftime("%H:%M"), s.zone.key) for s in await record.summary_schedules("slack")
    ]


async def follows(record: Record) -> list[tuple[str | None, str | None]]:
    summary = await record.channel_summary("slack", CHANNEL, since=None, until=iso_now())
    return [(f.speaker, f.topic) for f in summary.follows]


async def test_moderator_sets_time_zone_and_follow_for_this_channel(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`summary 07:45 Europe/Paris follow Sadiq Khan on victim support` is stored for the channel typed in."""
    call = await reply_to(slack, fake, "summary 07:45 Europe/Paris follow Sadiq Khan on victim support")
    text = call.rendered
    assert call.data["response_type"] == "ephemeral"
    assert "Daily summary set for 07:45 Europe/Paris" in text
    assert "Following: Sadiq Khan on victim support" in text
    assert await scheduled(record) == [(CHANNEL, "07:45", "Europe/Paris")]
    assert await follows(record) == [("Sadiq Khan", "victim support")]
    assert not fake.of("chat.postMessage")  # setting it posts nothing by itself


@pytest.mark.parametrize(
    ("text", "expected", "followed"),
    [
        ("summary 8:30", (CHANNEL, "08:30", "Europe/London"), []),
        ("summary at 7pm america/new_york", (CHANNEL, "19:00", "America/New_York"), []),
        ("summary 06:00 follow on knife crime", (CHANNEL, "06:00", "Europe/London"), [(None, "knife crime")]),
        ("SUMMARY 06:00 UTC FOLLOW Khan", (CHANNEL, "06:00", "UTC"), [("Khan", None)]),
    ],
)
async def test_summary_forms(
    slack: SlackDriver,
    fake: FakeSlack,
    record: Record,
    text: str,
    expected: tuple[str, str, str],
    followed: list[tuple[str | None, str | None]],
) -> None:
    """The zone defaults to Europe/London, names are read in any case, a follow may be a topic alone."""
    call = await reply_to(slack, fake, text)
    assert "Daily summary set for" in call.rendered
    assert await scheduled(record) == [expected]
    assert await follows(record) == followed


async def test_summary_off_stops_the_channel(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """`summary off` removes the schedule and its follows; a second `off` says there was none."""
    await reply_to(slack, fake, "summary 07:45 follow Khan")
    await in_team(record).set_summary_schedule(
        platform="slack", channel_id="C0OTHER", time_of_day="09:00", timezone="UTC", set_by="test"
    )
    call = await reply_to(slack, fake, "summary off")
    assert "Daily summary stopped for this channel." in call.rendered
    assert await scheduled(record) == [("C0OTHER", "09:00", "UTC")]  # other channels keep theirs
    assert await follows(record) == []
    again = await reply_to(slack, fake, "summary stop")
    assert "This channel had no daily summary." in again.rendered


async def test_unfollow_one_keeps_the_other_and_the_schedule(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`summary unfollow shaun bailey` drops Bailey only; the next summary carries Khan's words, not his."""
    await reply_to(slack, fake, "summary 08:30 follow Sadiq Khan")
    await reply_to(slack, fake, "summary 08:30 follow Shaun Bailey")
    call = await reply_to(slack, fake, "summary unfollow shaun bailey")
    assert call.data["response_type"] == "ephemeral"
    assert (
        "Stopped following Shaun Bailey in this channel; the daily summary continues at 08:30 Europe/London."
        in call.rendered
    )
    assert await follows(record) == [("Sadiq Khan", None)]
    summary = await record.channel_summary("slack", CHANNEL, since=None, until=iso_now())
    passages = [p for f in summary.follows for p in f.passages]
    assert passages and all(p.speaker == "Sadiq Khan" for p in passages)
    assert await scheduled(record) == [(CHANNEL, "08:30", "Europe/London")]


async def test_unfollow_alone_drops_every_follow(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """`summary unfollow` with nothing after it drops all of the channel's follows; the schedule stays."""
    await reply_to(slack, fake, "summary 07:45 follow Khan on knife crime")
    await reply_to(slack, fake, "summary 07:45 follow on housing")
    call = await reply_to(slack, fake, "summary unfollow")
    assert "Stopped following Khan on knife crime; housing in this channel" in call.rendered
    assert await follows(record) == []
    assert await scheduled(record) == [(CHANNEL, "07:45", "Europe/London")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("summary unfollow Bailey", "This channel follows nothing of that. It follows Khan on knife crime."),
        ("summary unfollow Khan on crime", "This channel follows nothing of that."),
        ("summary unfollow on housing", "This channel follows nothing of that."),
    ],
)
async def test_unfollowing_what_is_not_followed_changes_nothing(
    slack: SlackDriver, fake: FakeSlack, record: Record, text: str, message: str
) -> None:
    """Only a follow whose speaker and topic both match goes; otherwise the reply says what is followed."""
    await reply_to(slack, fake, "summary 07:45 follow Khan on knife crime")
    assert message in (await reply_to(slack, fake, text)).rendered
    assert await follows(record) == [("Khan", "knife crime")]


async def test_unfollow_without_a_daily_summary(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """A channel with no daily summary is told so, and none is set up."""
    call = await reply_to(slack, fake, "summary unfollow Khan")
    assert "This channel has no daily summary." in call.rendered
    assert await scheduled(record) == []


async def test_following_again_in_another_case_is_stored_once(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`follow KHAN ON KNIFE CRIME` after `follow Khan on knife crime` keeps one follow."""
    await reply_to(slack, fake, "summary 07:45 follow Khan on knife crime")
    call = await reply_to(slack, fake, "summary 07:45 follow KHAN on KNIFE CRIME")
    assert "Following: Khan on knife crime." in call.rendered
    assert await follows(record) == [("Khan", "knife crime")]


@pytest.mark.parametrize(
    "text",
    [
        "summary 08:00",
        "summary 08:00 Europe/Paris follow Khan",
        "summary off",
        "summary unfollow",
        "summary unfollow Khan",
    ],
)
async def test_member_is_refused_and_nothing_changes(
    slack: SlackDriver, fake: FakeSlack, record: Record, text: str
) -> None:
    """A member who is not a moderator gets the ephemeral refusal; schedules stay as they were."""
    await in_team(record).set_summary_schedule(
        platform="slack",
        channel_id=CHANNEL,
        time_of_day="09:00",
        timezone="UTC",
        set_by="test",
        follow_speaker="Khan",
    )
    call = await reply_to(slack, fake, text, user=MEMBER)
    assert REFUSAL in call.rendered
    assert call.data["response_type"] == "ephemeral"
    assert await scheduled(record) == [(CHANNEL, "09:00", "UTC")]
    assert await follows(record) == [("Khan", None)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("summary 25:99", "is not a time of day"),
        ("summary 08:00 Mars/Olympus", "is not an IANA time zone"),
        ("summary 08:00 Europe/Londn", "Did you mean Europe/London"),
        ("summary 08:00 follow", "Say what to follow"),
        ("summary follow Khan", "Give the time first"),
        ("summary 08:00 Europe/London and more", "/onrecord summary 08:30 Europe/London"),
    ],
)
async def test_bad_summary_commands_are_explained(
    slack: SlackDriver, fake: FakeSlack, record: Record, text: str, message: str
) -> None:
    """A bad time, zone or follow gets a sentence saying what to type; nothing is stored."""
    call = await reply_to(slack, fake, text)
    body = call.rendered
    assert message in body
    assert APOLOGY not in body
    assert call.data["response_type"] == "ephemeral"
    assert await scheduled(record) == []


async def test_words_after_summary_that_are_no_time_are_a_question(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`summary of victim support` from a member is a question, not a refused moderator command."""
    call = await reply_to(slack, fake, "summary of victim support", user=MEMBER)
    body = call.rendered
    assert REFUSAL not in body
    assert "victim support" in body
    assert await scheduled(record) == []


async def test_help_lists_the_summary_commands(slack: SlackDriver, fake: FakeSlack) -> None:
    """`/onrecord help` shows members how to read a summary and moderators how to set and stop it."""
    body = (await reply_to(slack, fake, "help", user=MEMBER)).rendered
    forms = (
        "`/onrecord summary` (the newest session)",
        "`/onrecord summary 3` (session 3)",
        "/onrecord summary 08:30 Europe/London",
        "follow Khan on knife crime",
        "/onrecord summary off",
        "/onrecord summary unfollow Khan on knife crime",
    )
    assert all(form in body for form in forms)


async def test_first_post_lands_in_the_channel_when_the_confirmation_said(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """Set at 11:09 Paris time for 07:45: nothing that day; the next morning's post goes to the channel."""
    with time_machine.travel(datetime(2026, 1, 13, 10, 9, tzinfo=UTC), tick=True):
        call = await reply_to(slack, fake, "summary 07:45 Europe/Paris")
        assert "the next one is due Wed 14 Jan at 07:45 CET" in call.rendered
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    scheduler = SummaryScheduler(record, "slack", make_poster(client))
    with time_machine.travel(datetime(2026, 1, 13, 10, 10, tzinfo=UTC), tick=False):
        assert await scheduler.run_due() == []
    with time_machine.travel(datetime(2026, 1, 13, 20, 0, tzinfo=UTC), tick=False):
        await in_team(record).add_session(
            TRANSCRIPT, source_name="transport.txt", added_by="test", title="Bus fares"
        )
        assert await scheduler.run_due() == []
    with time_machine.travel(datetime(2026, 1, 14, 6, 44, tzinfo=UTC), tick=False):
        assert await scheduler.run_due() == []
    with time_machine.travel(datetime(2026, 1, 14, 6, 45, tzinfo=UTC), tick=False):
        assert [(o.channel_id, o.state) for o in await scheduler.run_due()] == [(CHANNEL, "sent")]
    (post,) = fake.of("chat.postMessage")
    assert post.data["channel"] == CHANNEL
    assert "Bus fares" in post.rendered and "Jane Porter" in post.rendered
