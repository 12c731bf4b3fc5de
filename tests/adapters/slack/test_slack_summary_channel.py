"""Daily summaries only where the app can post: checked at set-up, and the moderator told of refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fake_slack import FakeSlack
from slack_requests import MODERATOR, SlackDriver, command_reply, in_team
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.channels import ARCHIVED, NOT_IN_DM, NOT_VISIBLE
from adapters.slack.summary import make_poster, make_refusal_notifier
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record


async def scheduled(record: Record) -> list[str]:
    return [s.channel_id for s in await record.summary_schedules("slack")]


async def test_public_channel_without_the_app_is_joined_at_set_up(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`summary 08:30` in a public channel the app is not in joins it and says so."""
    fake.channels["C0PUBLIC"] = {"is_channel": True, "is_private": False, "is_member": False}
    call = await command_reply(slack, fake, "summary 08:30", user=MODERATOR, channel="C0PUBLIC")
    assert "Daily summary set for 08:30" in call.rendered and "I joined #c0public" in call.rendered
    (joined,) = fake.of("conversations.join")
    assert joined.data["channel"] == "C0PUBLIC"
    assert await scheduled(record) == ["C0PUBLIC"]


@pytest.mark.parametrize(
    ("channel", "setup", "message"),
    [
        ("C0SECRET", {"channel_errors": "channel_not_found"}, NOT_VISIBLE),
        ("C0OLD", {"channels": {"is_channel": True, "is_member": False, "is_archived": True}}, ARCHIVED),
        ("D0DM", {}, NOT_IN_DM),
    ],
)
async def test_set_up_where_the_app_cannot_post_is_refused_with_the_fix(
    slack: SlackDriver,
    fake: FakeSlack,
    record: Record,
    channel: str,
    setup: dict[str, object],
    message: str,
) -> None:
    """A private channel without the app, an archived channel or a DM: refused, the fix named, nothing set."""
    if "channel_errors" in setup:
        fake.channel_errors[channel] = str(setup["channel_errors"])
    if "channels" in setup:
        fake.channels[channel] = dict(setup["channels"])  # type: ignore[call-overload]
    call = await command_reply(slack, fake, "summary 08:30", user=MODERATOR, channel=channel)
    assert message.replace("`", "") in call.rendered.replace("`", "")
    assert "Daily summary set" not in call.rendered
    assert await scheduled(record) == []
    assert not fake.of("conversations.join")


async def test_join_refused_at_set_up_names_the_invite(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A public channel the app may not join (no channels:join): refused, naming `/invite @onrecord`."""
    fake.channels["C0PUBLIC"] = {"is_channel": True, "is_private": False, "is_member": False}
    fake.errors["conversations.join"] = "missing_scope"
    call = await command_reply(slack, fake, "summary 08:30", user=MODERATOR, channel="C0PUBLIC")
    assert "could not join this channel (missing_scope)" in call.rendered
    assert "/invite @onrecord" in call.rendered
    assert await scheduled(record) == []


async def test_later_refusal_is_told_to_the_moderator_and_not_retried_today(
    fake: FakeSlack, record: Record
) -> None:
    """At post time the channel is gone (channel_not_found): the moderator gets a DM, no retry today."""
    with time_machine.travel(datetime.now(UTC) - timedelta(days=1), tick=True):
        await in_team(record).set_summary_schedule(
            platform="slack",
            channel_id="C0GONE",
            time_of_day="00:00",
            timezone="UTC",
            set_by=f"slack:{MODERATOR}",
        )
    fake.channel_errors["C0GONE"] = "channel_not_found"
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    notify = make_refusal_notifier(client)
    scheduler = SummaryScheduler(
        record, "slack", make_poster(client), retry_after=timedelta(0), on_refused=notify
    )
    (outcome,) = await scheduler.run_due()
    assert outcome.state == "failed" and "channel_not_found" in (outcome.error or "")
    assert await scheduler.run_due() == []  # not retried today, even with no retry interval
    post = await record.summary_post("slack", "C0GONE", outcome.local_day)
    assert post is not None and post.retry_at is not None
    tomorrow = datetime.fromisoformat(outcome.local_day) + timedelta(days=1)
    assert datetime.fromisoformat(post.retry_at) == tomorrow.replace(tzinfo=UTC)  # tomorrow's 00:00 post
    refused, told = fake.of("chat.postMessage")
    assert refused.data["channel"] == "C0GONE"
    assert told.data["channel"] == MODERATOR
    assert "Today's daily summary for <#C0GONE> could not be posted" in told.rendered
    assert "/invite @onrecord" in told.rendered and "/onrecord summary off" in told.rendered
    assert "tried again tomorrow at 00:00 UTC" in told.rendered
