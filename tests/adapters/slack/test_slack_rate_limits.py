"""Slack's 429 ratelimited with Retry-After: every client waits and sends again, nothing is lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fake_slack import FakeSlack
from slack_requests import MEMBER, MODERATOR, SlackDriver
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from test_slack_events import mention
from test_slack_summary import schedule_due_now

from adapters.slack.failures import APOLOGY
from adapters.slack.summary import make_poster
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record


def waited(fake: FakeSlack, kind: str, seconds: float) -> None:
    """The one refused call of ``kind`` was sent again, accepted, no sooner than ``seconds`` later."""
    refused, accepted = fake.of(kind)
    assert (refused.status, accepted.status) == (429, 200)
    assert accepted.at - refused.at >= seconds


async def test_mention_answer_waits_out_a_rate_limit(slack: SlackDriver, fake: FakeSlack) -> None:
    """A mention's chat.postMessage met with 429 (Retry-After 1) is posted after the wait, no apology."""
    fake.rate_limit("chat.postMessage", 1)
    await slack.event(mention("what did Khan say on victim support"), "EvRate1")
    await fake.wait_for("chat.postMessage", count=2)
    waited(fake, "chat.postMessage", 1.0)
    (post,) = fake.answered("chat.postMessage")
    assert "£47m" in post.rendered and APOLOGY not in post.rendered


async def test_command_answer_waits_out_a_rate_limited_response_url(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """`/onrecord` answered through a response_url that says 429 arrives after Retry-After."""
    fake.rate_limit("response_url", 1)
    await slack.command("what did Khan say on victim support", user=MEMBER)
    await fake.wait_for("response_url", count=2)
    waited(fake, "response_url", 1.0)
    (answer,) = fake.answered("response_url")
    assert "£47m" in answer.rendered


async def test_add_form_opens_after_a_rate_limited_views_open(slack: SlackDriver, fake: FakeSlack) -> None:
    """`/onrecord add`'s views.open met with 429 opens the form after the wait (within the trigger's 3 s)."""
    fake.rate_limit("views.open", 1)
    await slack.command("add", user=MODERATOR)
    await fake.wait_for("views.open", count=2)
    waited(fake, "views.open", 1.0)
    (opened,) = fake.answered("views.open")
    assert opened.data["view"]["callback_id"] == "onrecord_session"
    assert not fake.of("response_url")  # no apology


async def test_daily_post_waits_out_a_rate_limit(fake: FakeSlack, record: Record) -> None:
    """The daily summary's chat.postMessage met with 429 is posted once after the wait: one post, day done."""
    await schedule_due_now(record)
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    fake.rate_limit("chat.postMessage", 1)
    (outcome,) = await SummaryScheduler(record, "slack", make_poster(client)).run_due()
    assert outcome.state == "sent"
    waited(fake, "chat.postMessage", 1.0)


async def test_still_rate_limited_daily_post_is_retried_when_slack_says(
    fake: FakeSlack, record: Record
) -> None:
    """Past the client's own waits, the scheduler retries after Retry-After (3 s), not its 15 minutes."""
    await schedule_due_now(record)
    # One wait in the client (instead of three) keeps the test short.
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=f"{fake.base_url}/api/",
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.rate_limit("chat.postMessage", 1, 3)
    scheduler = SummaryScheduler(record, "slack", make_poster(client), retry_after=timedelta(minutes=15))
    (outcome,) = await scheduler.run_due()
    refused_at = datetime.now(UTC)
    assert outcome.state == "failed" and "ratelimited" in (outcome.error or "")
    post = await record.summary_post("slack", "C0DAILY", outcome.local_day)
    assert post is not None and post.retry_at is not None
    delay = datetime.fromisoformat(post.retry_at) - refused_at
    assert timedelta(seconds=1) < delay <= timedelta(seconds=4)
    assert await scheduler.next_wake() <= refused_at + timedelta(seconds=4)
