"""Daily summaries through the real Bolt app's Web API client and the fake Slack Web API."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from fake_slack import FakeSlack
from slack_requests import in_team
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_app, startup_tasks
from adapters.slack.blocks import message_chars
from adapters.slack.summary import make_finder, make_poster
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record
from bot.settings import Settings

HOSTILE = (
    "Jane Doe (Chair): Will the minister tell <!channel> and <@U0BOSS> why £3 million went on "
    "12 new buses & trams?\n\n"
    "John Roe (Minister for Transport): We spent £3 million on *12 new buses* because <!here> asked "
    "for them, and the buses carry 4,000 passengers a day.\n\n"
)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The mrkdwn texts (sections, headers, context parts): what Slack parses."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        out += [e["text"] for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return out


def rich_elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every element inside the rich text blocks (sections and quotes), in order."""
    return [part for b in blocks if b["type"] == "rich_text" for part in b["elements"]]


def rich_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """Each rich text section or quote as the plain text Slack shows."""
    return ["".join(e["text"] for e in part["elements"]) for part in rich_elements(blocks)]


def blocks_of(call_data: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = call_data["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


async def schedule_due_now(record: Record, channel_id: str = "C0DAILY") -> None:
    """A 00:00 UTC daily summary set yesterday, so today's post is due at once.

    (A schedule set today after its time would start tomorrow.)
    """
    with time_machine.travel(datetime.now(UTC) - timedelta(days=1), tick=True):
        await in_team(record).set_summary_schedule(
            platform="slack", channel_id=channel_id, time_of_day="00:00", timezone="UTC", set_by="mod"
        )


async def test_startup_task_posts_to_the_scheduled_channel(
    fake: FakeSlack, record: Record, settings: Settings
) -> None:
    """The app's startup task posts one chat.postMessage of blocks to the scheduled channel."""
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    app = build_app(settings, record, client=client)
    await schedule_due_now(record)
    tasks = [asyncio.create_task(t(app, record, settings)) for t in startup_tasks(settings)]
    try:
        (call,) = await fake.wait_for("chat.postMessage")
        await asyncio.sleep(0.2)
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await t
    assert len(fake.of("chat.postMessage")) == 1
    assert call.data["channel"] == "C0DAILY"
    assert call.authorization == "Bearer xoxb-test"
    blocks = blocks_of(call.data)
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("Mayor's Question Time: victim support")
    body = "\n".join(rich_lines(blocks))
    assert "Shaun Bailey asked Sadiq Khan:" in body
    asked = next(p for p in rich_elements(blocks) if p["elements"][0]["text"] == "Shaun Bailey")
    assert asked["elements"][0]["style"] == {"bold": True}
    assert "£47m" in body and "15 percent" in body
    assert len(blocks) <= 50 and message_chars(blocks) <= 12_000


async def test_record_text_cannot_ping_in_slack(fake: FakeSlack, record: Record) -> None:
    """<!channel>, <@user> and *bold* in a record arrive as plain rich text: shown as written, no ping."""
    await in_team(record).add_session(
        HOSTILE.encode(),
        source_name="hostile.txt",
        added_by="test",
        title="Buses <!everyone>",
        format="transcript",
    )
    await schedule_due_now(record)
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    await SummaryScheduler(record, "slack", make_poster(client)).run_due()
    (call,) = fake.of("chat.postMessage")
    blocks = blocks_of(call.data)
    parsed = "\n".join(texts(blocks)) + call.data["text"]
    assert "<!channel>" not in parsed and "<@U0BOSS>" not in parsed and "<!here>" not in parsed
    assert "&lt;!everyone&gt;" in parsed  # the title, in mrkdwn, is escaped
    # The record's words are plain text elements, shown as written and never parsed.
    shown = "\n".join(rich_lines(blocks))
    assert "<!channel> and <@U0BOSS> why £3 million" in shown
    assert "on *12 new buses* because <!here> asked" in shown  # *…* shown as typed, not bold
    kinds = {e["type"] for part in rich_elements(blocks) for e in part["elements"]}
    assert kinds == {"text"}  # no broadcast, user or link element: nobody is pinged


async def test_refused_post_is_retried_and_posted_once(fake: FakeSlack, record: Record) -> None:
    """Slack answering internal_error (a passing fault) leaves the day to retry; the retry posts once."""
    await schedule_due_now(record)
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    scheduler = SummaryScheduler(record, "slack", make_poster(client), retry_after=timedelta(0))
    fake.errors["chat.postMessage"] = "internal_error"
    (failed,) = await scheduler.run_due()
    assert failed.state == "failed" and "internal_error" in (failed.error or "")
    del fake.errors["chat.postMessage"]
    assert [o.state for o in await scheduler.run_due()] == ["sent"]
    assert await scheduler.run_due() == []
    calls = fake.of("chat.postMessage")
    assert len(calls) == 2 and all(c.data["channel"] == "C0DAILY" for c in calls)


async def test_a_post_whose_answer_was_lost_is_found_not_sent_again(fake: FakeSlack, record: Record) -> None:
    """Slack made the message but the connection closed before the answer: slack_sdk does not resend,
    and the scheduler's retry finds the message by its metadata in conversations.history."""
    await schedule_due_now(record)
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    scheduler = SummaryScheduler(
        record, "slack", make_poster(client), find_earlier=make_finder(client), retry_after=timedelta(0)
    )
    fake.drop_answers["chat.postMessage"] = 1
    (failed,) = await scheduler.run_due()
    assert failed.state == "failed"
    assert len(fake.of("chat.postMessage")) == 1  # no resend on the lost connection
    (sent,) = await scheduler.run_due()
    (message,) = fake.posted["C0DAILY"]
    assert (sent.state, sent.message_ref) == ("sent", message["ts"])
    assert len(fake.of("chat.postMessage")) == 1 and await scheduler.run_due() == []
    assert message["metadata"] == {
        "event_type": "onrecord_daily_summary",
        "event_payload": {"post_id": f"slack:C0DAILY:{failed.local_day}"},
    }
    (history,) = fake.of("conversations.history")
    assert history.data["channel"] == "C0DAILY"
    assert history.data["include_all_metadata"] in (True, "1", "true")


async def test_a_refused_post_is_looked_for_then_sent_once(fake: FakeSlack, record: Record) -> None:
    """A refusal made no message: the retry's look finds none in the channel, and posts it once."""
    await schedule_due_now(record)
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    scheduler = SummaryScheduler(
        record, "slack", make_poster(client), find_earlier=make_finder(client), retry_after=timedelta(0)
    )
    fake.errors["chat.postMessage"] = "internal_error"
    assert [o.state for o in await scheduler.run_due()] == ["failed"]
    del fake.errors["chat.postMessage"]
    assert [o.state for o in await scheduler.run_due()] == ["sent"]
    assert len(fake.posted["C0DAILY"]) == 1 and len(fake.of("conversations.history")) == 1
