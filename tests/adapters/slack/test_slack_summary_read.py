"""`/onrecord summary [id]`: a member reads a session's summary through the real Bolt app."""

from __future__ import annotations

import pytest
from fake_slack import BOT_USER, Call, FakeSlack
from slack_requests import MEMBER, MODERATOR, SlackDriver, command_reply, in_team

from adapters.slack.failures import APOLOGY
from adapters.slack.permissions import REFUSAL
from adapters.slack.queries import SCHEDULE_IN_SLASH
from bot.errors import NotFoundError
from bot.record import Record

CHANNEL = "C0READ"
TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


async def reply_to(slack: SlackDriver, fake: FakeSlack, text: str, user: str = MEMBER) -> Call:
    """Send `/onrecord <text>` in CHANNEL and return the one response_url post it caused."""
    return await command_reply(slack, fake, text, user=user, channel=CHANNEL)


async def not_found_sentence(record: Record, session: int | None = None) -> str:
    """What the core says when there is no such session (or none at all)."""
    with pytest.raises(NotFoundError) as refused:
        await in_team(record).summary(session)
    return str(refused.value)


async def add_transport(record: Record) -> int:
    added = await in_team(record).add_session(TRANSCRIPT, source_name="transport.txt", added_by="test")
    return added.session.id


async def test_member_reads_the_newest_sessions_summary(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`summary` alone, from a member, answers privately with the newest session: title, speakers, id."""
    newest_id = await add_transport(record)
    newest = (await in_team(record).sessions())[0]
    assert newest.id == newest_id
    call = await reply_to(slack, fake, "summary")
    assert call.data["response_type"] == "ephemeral"
    blocks = call.blocks
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].startswith(newest.title)
    body = call.rendered
    speakers = [s.name for s in await in_team(record).speakers(newest_id)]
    assert speakers and all(name in body for name in speakers)
    sample_only = {s.name for s in await in_team(record).speakers(1)} - set(speakers)
    assert sample_only and not any(name in body for name in sample_only)
    assert f"session {newest_id}" in body
    assert call.data["text"].startswith(f"Summary: {newest.title}")
    assert REFUSAL not in body


async def test_member_reads_one_sessions_summary(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """`summary 1` shows the sample session even when a newer one exists: its speakers and key figure."""
    await add_transport(record)
    sample = next(s for s in await in_team(record).sessions() if s.id == 1)
    call = await reply_to(slack, fake, "summary 1")
    assert call.data["response_type"] == "ephemeral"
    assert call.blocks[0]["text"]["text"] == f"{sample.title} ({sample.date})"
    body = call.rendered
    top = [s.name for s in await in_team(record).speakers(1)][:3]
    assert top and all(name in body for name in top)
    assert "£47m" in body
    assert "Jane Porter" not in body


@pytest.mark.parametrize("session", [999, 0])
async def test_unknown_session_gets_the_cores_sentence(
    slack: SlackDriver, fake: FakeSlack, record: Record, session: int
) -> None:
    """`summary 999` answers privately with the sentence saying there is no such session."""
    call = await reply_to(slack, fake, f"summary {session}")
    body = call.rendered
    assert await not_found_sentence(record, session) in body
    assert APOLOGY not in body
    assert call.data["response_type"] == "ephemeral"


async def test_empty_store_says_to_add_a_session(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """With nothing on record `summary` says so in a sentence, and the app keeps answering."""
    await in_team(record).remove_session(1, removed_by="test")
    body = (await reply_to(slack, fake, "summary")).rendered
    assert await not_found_sentence(record) in body
    assert APOLOGY not in body
    assert "Mayor" not in (await reply_to(slack, fake, "sessions")).rendered


async def test_member_may_read_but_not_schedule(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """The same member is refused `summary 08:30` (nothing stored) and served `summary` right after."""
    refused = await reply_to(slack, fake, "summary 08:30", user=MEMBER)
    assert REFUSAL in refused.rendered
    assert await record.summary_schedules("slack") == []
    served = await reply_to(slack, fake, "summary", user=MEMBER)
    assert "Sadiq Khan" in served.rendered and REFUSAL not in served.rendered
    assert await record.summary_schedules("slack") == []


async def test_moderator_reading_a_summary_sets_nothing(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A moderator's bare `summary` or `summary 1` reads the summary; no schedule is set."""
    for text in ("summary", "summary 1"):
        call = await reply_to(slack, fake, text, user=MODERATOR)
        assert "Sadiq Khan" in call.rendered
        assert "Daily summary set" not in call.rendered
    assert await record.summary_schedules("slack") == []


async def test_mention_summary_answers_in_the_thread(slack: SlackDriver, fake: FakeSlack) -> None:
    """`@onrecord summary` in a channel gets the newest session's summary in the mention's thread."""
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": f"<@{BOT_USER}> summary",
        "ts": "1715000000.000300",
        "channel": CHANNEL,
        "event_ts": "1715000000.000300",
    }
    assert (await slack.event(event, "EvSum1")).status == 200
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["thread_ts"] == "1715000000.000300"
    assert "Sadiq Khan" in post.rendered and "£47m" in post.rendered


async def test_mention_cannot_set_a_schedule(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """`@onrecord summary 08:30` points to the slash command, even from a moderator, and stores nothing."""
    event = {
        "type": "app_mention",
        "user": MODERATOR,
        "text": f"<@{BOT_USER}> summary 08:30",
        "ts": "1715000000.000400",
        "channel": CHANNEL,
        "event_ts": "1715000000.000400",
    }
    await slack.event(event, "EvSum2")
    (post,) = await fake.wait_for("chat.postMessage")
    assert SCHEDULE_IN_SLASH in post.rendered
    assert await record.summary_schedules("slack") == []
