"""Events API through the real Bolt app: mentions in threads, retries, DMs with files."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fake_slack import BOT_USER, FakeSlack
from shared_data import SAMPLE, SHARED
from slack_requests import MEMBER, MODERATOR, SlackDriver, in_team, make_settings, serve

from adapters.slack.events import EventDeduplicator
from adapters.slack.failures import APOLOGY
from bot.record import Record
from bot.wording import WAITING_FOR_ADD

# PolNeAR v1.0.0 dev article (see ../shared/corpus/SOURCES.md): a real news report.
ARTICLE = (
    SHARED / "corpus" / "polnear-dev" / "text" / "huff-post_2016-09-20_elizabeth-warren-hammers-wells-f.txt"
)
MENTION_TS = "1715000000.000100"


def mention(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": MEMBER,
        "text": f"<@{BOT_USER}> {text}",
        "ts": MENTION_TS,
        "channel": "C0CHAN",
        "event_ts": MENTION_TS,
        **extra,
    }


def dm(text: str, user: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D0DM",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": "1715000001.000200",
        "event_ts": "1715000001.000200",
        **extra,
    }


async def test_mention_is_answered_in_its_thread(slack: SlackDriver, fake: FakeSlack) -> None:
    """`@onrecord what did Khan say on victim support` gets Khan's passages in the mention's thread."""
    reply = await slack.event(mention("what did Khan say on victim support"), "Ev001")
    assert reply.status == 200
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["channel"] == "C0CHAN"
    assert post.data["thread_ts"] == MENTION_TS
    assert "£47m" in post.rendered
    assert post.authorization == "Bearer xoxb-test"


async def test_mention_inside_a_thread_answers_in_that_thread(slack: SlackDriver, fake: FakeSlack) -> None:
    """A mention made inside an existing thread is answered in that thread, not a new one."""
    await slack.event(mention("speakers", thread_ts="1714999999.000001"), "Ev002")
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["thread_ts"] == "1714999999.000001"


async def test_retried_event_is_answered_once(slack: SlackDriver, fake: FakeSlack) -> None:
    """The same event_id sent again with X-Slack-Retry-Num is acked but not answered twice."""
    event = mention("what did Khan say on victim support")
    first = await slack.event(event, "Ev003")
    await fake.wait_for("chat.postMessage")
    posts_after_first = len(fake.of("chat.postMessage"))
    retry = await slack.event(event, "Ev003", retry_num=1)
    assert (first.status, retry.status) == (200, 200)
    await fake.settle()
    assert len(fake.of("chat.postMessage")) == posts_after_first


async def test_different_events_are_each_answered(slack: SlackDriver, fake: FakeSlack) -> None:
    """De-duplication goes by event id: two distinct mentions both get answers."""
    await slack.event(mention("speakers"), "Ev004")
    await slack.event(mention("topics"), "Ev005")
    await fake.wait_for("chat.postMessage", count=2)


def test_deduplicator_forgets_oldest_beyond_capacity() -> None:
    """The memory of event ids is bounded: the oldest id is forgotten first."""
    seen = EventDeduplicator(capacity=2)
    assert [seen.first_time(x) for x in ("a", "b", "a", "c", "b", "a")] == [
        True,
        True,
        False,
        True,
        True,
        True,
    ]


async def test_moderator_dm_with_file_and_add_ingests_it(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A moderator's DM holding a news report and the word "add" stores it and confirms in the DM."""
    stub = fake.add_file("F0FILE", ARTICLE.name, ARTICLE.read_bytes())
    event = dm("add", MODERATOR, subtype="file_share", files=[stub])
    await slack.event(event, "Ev006")
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["channel"] == "D0DM" and "thread_ts" not in post.data
    assert "Stored session" in post.rendered
    (download,) = fake.of("download")
    assert download.authorization == "Bearer xoxb-test"
    titles = [s.source_name for s in await in_team(record).sessions()]
    assert ARTICLE.name in titles


async def test_non_moderator_dm_add_is_refused_and_nothing_downloaded(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A member's DM "add" with a file is refused; the file is never fetched or stored."""
    stub = fake.add_file("F0FILE", "x.txt", b"Jane Smith: words.\nTom Brown: more words.\n")
    await slack.event(dm("add", MEMBER, subtype="file_share", files=[stub]), "Ev007")
    (post,) = await fake.wait_for("chat.postMessage")
    assert "Only moderators" in post.rendered
    assert not fake.of("files.info") and not fake.of("download")
    assert len(await in_team(record).sessions()) == 1


async def test_dm_question_is_answered_in_the_dm(slack: SlackDriver, fake: FakeSlack) -> None:
    """A plain DM to the app is a question, answered in the DM (no thread)."""
    await slack.event(dm("what did Khan say on victim support", MEMBER), "Ev008")
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["channel"] == "D0DM" and "thread_ts" not in post.data
    assert "£47m" in post.rendered


@pytest.mark.parametrize(
    "event",
    [
        dm("edited", MEMBER, subtype="message_changed"),
        dm("from a bot", MEMBER, bot_id="B0OTHER"),
        {**dm("in a channel", MEMBER), "channel_type": "channel", "channel": "C0CHAN"},
    ],
)
async def test_other_messages_are_ignored(slack: SlackDriver, fake: FakeSlack, event: dict[str, Any]) -> None:
    """Edits, other bots' posts and channel messages get no reply."""
    reply = await slack.event(event, "Ev009")
    assert reply.status == 200
    await fake.settle()
    assert not fake.of("chat.postMessage")


async def test_oversized_file_is_refused_before_download(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """A file over ONRECORD_MAX_SOURCE_MB is refused by its size, never downloaded or stored."""
    settings = make_settings(tmp_path, onrecord_max_source_mb=0.001)
    stub = fake.add_file("F0BIG", "big.txt", SAMPLE.read_bytes())
    async with serve(fake, record, settings) as slack:
        await slack.event(dm("add", MODERATOR, subtype="file_share", files=[stub]), "Ev010")
        (post,) = await fake.wait_for("chat.postMessage")
    assert "larger than the 0.001 MB limit" in post.rendered
    assert not fake.of("download")
    assert len(await in_team(record).sessions()) == 1


async def test_dm_question_in_a_thread_is_answered_in_that_thread(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """A question asked inside a thread of the DM is answered in that thread, not at the DM's top level."""
    await slack.event(
        dm("what did Khan say on victim support", MEMBER, thread_ts="1715000000.000050"), "Ev011"
    )
    (post,) = await fake.wait_for("chat.postMessage")
    assert post.data["channel"] == "D0DM" and post.data["thread_ts"] == "1715000000.000050"


async def test_dm_file_slack_cannot_find_gets_its_own_sentence(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """files.info → file_not_found: the moderator is told Slack could not find the file and what to do."""
    stub = {"id": "F0GONE", "name": "budget.pdf", "mode": "hosted"}  # not served by the fake
    await slack.event(dm("add", MODERATOR, subtype="file_share", files=[stub]), "Ev012")
    (post,) = await fake.wait_for("chat.postMessage")
    assert "Slack could not find budget.pdf (file_not_found)" in post.rendered
    assert "Upload it again in a DM to the app" in post.rendered
    assert APOLOGY not in post.rendered
    assert not fake.of("download") and len(await in_team(record).sessions()) == 1


async def test_a_dm_add_that_queues_says_so_before_the_report(
    slack: SlackDriver, fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """Another process is writing: the moderator is told the add waits, then told it is stored."""
    lock = sqlite3.connect(tmp_path / "onrecord.sqlite3", isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what another add's write holds
    try:
        stub = fake.add_file("F0WAIT", ARTICLE.name, ARTICLE.read_bytes())
        await slack.event(dm("add", MODERATOR, subtype="file_share", files=[stub]), "Ev020")
        (note,) = await fake.wait_for("chat.postMessage", within=30)
        assert note.data["channel"] == "D0DM"
        assert note.data["text"] == WAITING_FOR_ADD
        assert ARTICLE.name not in [s.source_name for s in await in_team(record).sessions()]
    finally:
        lock.execute("COMMIT")
        lock.close()
    _, report = await fake.wait_for("chat.postMessage", count=2, within=30)
    assert "Stored session" in report.rendered
    assert ARTICLE.name in [s.source_name for s in await in_team(record).sessions()]
