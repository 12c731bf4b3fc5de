"""/onrecord through the real Bolt app: signed requests in, Web API calls to the fake out."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from fake_slack import TEAM, FakeSlack
from slack_requests import MEMBER, MODERATOR, SlackDriver, in_team, make_settings, serve, sign

from adapters.slack.failures import APOLOGY
from bot.record import Record

QUESTION = "what did Khan say on victim support"
TRANSCRIPT = (
    "Council budget meeting\n\n"
    "Jane Smith: Good evening. <!channel> everyone should read the budget & the *appendix* first.\n"
    "Tom Brown: I agree with the chair on the budget timetable.\n"
    "Jane Smith: Then we move to item two, the library closures.\n"
    "Tom Brown: The budget line is _not_ ~final~; see `annex 2` of the budget.\n"
)


async def test_ask_returns_khans_victim_support_passages_as_blocks(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """`/onrecord ask …` on the sample acks 200, then Khan's £47m passage arrives via response_url."""
    reply = await slack.command(f"ask {QUESTION}")
    assert reply.status == 200
    (call,) = await fake.wait_for("response_url")
    text = call.rendered
    assert "£47m" in text
    assert '"text": "Sadiq Khan on victim support"' in text  # the one header
    assert "*Sadiq Khan* · _Mayor's Question Time: victim support_ · 2018-05-17 · session 1" in text
    assert "2018-05-17" in text
    assert call.data["response_type"] == "ephemeral"
    assert '"action_id": "onrecord_share"' in text
    assert not fake.of("chat.postMessage")


async def test_plain_question_is_asked_by_default(slack: SlackDriver, fake: FakeSlack) -> None:
    """Text that is not a subcommand is a question: same passages as with `ask`."""
    await slack.command(QUESTION)
    (call,) = await fake.wait_for("response_url")
    assert "£47m" in call.rendered


async def test_in_channel_visibility_posts_for_everyone_without_share(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """With SLACK_ANSWER_VISIBILITY=in_channel the answer is in_channel and has no Share button."""
    settings = make_settings(tmp_path, slack_answer_visibility="in_channel")
    async with serve(fake, record, settings) as slack:
        await slack.command(QUESTION)
        (call,) = await fake.wait_for("response_url")
    assert call.data["response_type"] == "in_channel"
    assert "onrecord_share" not in call.rendered


async def test_bad_signature_is_rejected_without_any_api_call(slack: SlackDriver, fake: FakeSlack) -> None:
    """A request signed with the wrong secret gets 401 and the app calls nothing."""
    body, _ = slack.command_body(QUESTION)
    ts = str(int(time.time()))
    reply = await slack.post(body, "application/x-www-form-urlencoded", signature=sign(body, ts, "wrong"))
    assert reply.status == 401
    await fake.settle()
    assert fake.api_calls == []


async def test_stale_timestamp_is_rejected_without_any_api_call(slack: SlackDriver, fake: FakeSlack) -> None:
    """A correctly signed request from ten minutes ago (a replay) gets 401 and no call."""
    body, _ = slack.command_body(QUESTION)
    old = str(int(time.time()) - 600)
    reply = await slack.post(
        body, "application/x-www-form-urlencoded", timestamp=old, signature=sign(body, old)
    )
    assert reply.status == 401
    await fake.settle()
    assert fake.api_calls == []


def quoted_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The plain text elements of every rich text quote in the blocks."""
    return [
        element["text"]
        for block in blocks
        if block["type"] == "rich_text"
        for part in block["elements"]
        if part["type"] == "rich_text_quote"
        for element in part["elements"]
        if element["type"] == "text" and "style" not in element
    ]


def mrkdwn_of(blocks: list[dict[str, Any]]) -> str:
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    contexts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    return "\n".join(sections + contexts)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "quotes Jane Smith on budget",
            "Good evening. <!channel> everyone should read the budget & the *appendix* first.",
        ),
        ("quotes Tom Brown on budget", "The budget line is _not_ ~final~; see `annex 2` of the budget."),
    ],
)
async def test_record_text_arrives_verbatim_as_rich_text(
    slack: SlackDriver, fake: FakeSlack, record: Record, question: str, said: str
) -> None:
    """<!channel>, &, *bold*, _italic_, ~strike~ and `code` in a record reach Slack as unparsed plain text."""
    await in_team(record).add_session(
        TRANSCRIPT.encode(), source_name="budget.txt", added_by="test", title="Budget"
    )
    await slack.command(question)
    (call,) = await fake.wait_for("response_url")
    assert said in quoted_texts(call.blocks)
    assert said not in mrkdwn_of(call.blocks) and "<!channel>" not in mrkdwn_of(call.blocks)
    assert "<!channel>" not in str(call.data["text"])


async def test_failing_handler_yields_error_message_and_app_keeps_serving(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """views.open failing inside a handler: the user gets the apology, the next request works."""
    fake.errors["views.open"] = "expired_trigger_id"
    await slack.command("add", user=MODERATOR)
    (failure,) = await fake.wait_for("response_url")
    assert APOLOGY in failure.rendered
    assert "expired_trigger_id" not in failure.rendered
    await slack.command(QUESTION)
    calls = await fake.wait_for("response_url", count=2)
    assert "£47m" in calls[1].rendered


async def test_user_facing_error_is_shown_as_its_sentence(slack: SlackDriver, fake: FakeSlack) -> None:
    """An OnrecordError (removing a session that does not exist) is shown as its own sentence."""
    await slack.command("remove 999", user=MODERATOR)
    (call,) = await fake.wait_for("response_url")
    text = call.rendered
    assert "999" in text and APOLOGY not in text


async def test_failure_after_ack_keeps_the_ack(
    slack: SlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler failing after ack() still acks at once: Bolt never reports a missing ack."""
    caplog.set_level(logging.WARNING, logger="slack_bolt")
    reply = await slack.command("add", user=MEMBER)
    assert reply.status == 200
    await fake.wait_for("response_url")
    assert not [r for r in caplog.records if "didn't call ack()" in r.getMessage()]


async def test_usage_error_explains_how_to_write_the_command(slack: SlackDriver, fake: FakeSlack) -> None:
    """`/onrecord quotes` without a speaker says how to name one."""
    await slack.command("quotes")
    (call,) = await fake.wait_for("response_url")
    assert "Name a speaker" in call.rendered


async def test_listing_commands_render_what_the_record_holds(slack: SlackDriver, fake: FakeSlack) -> None:
    """speakers, sessions and help each answer via response_url with the stored content."""
    for text in ("speakers", "sessions", "help"):
        await slack.command(text)
    calls = await fake.wait_for("response_url", count=3)
    joined = "".join(c.rendered for c in calls)
    assert "Sadiq Khan" in joined and "Shaun Bailey" in joined
    assert "Mayor's Question Time: victim support" in joined
    assert "/onrecord quotes" in joined


async def test_context_button_shows_the_record_around_the_passage_to_the_clicker(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """Context 1 under an answer: an ephemeral reply holding the record's text before and after passage 1."""
    await slack.command(QUESTION)
    (answer,) = await fake.wait_for("response_url")
    button = next(b for b in answer.blocks[-1]["elements"] if b["action_id"] == "onrecord_context:1")
    where = json.loads(button["value"])
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": MEMBER, "team_id": TEAM},
        "channel": {"id": "C0CHAN"},
        "container": {"type": "message", "is_ephemeral": True, "channel_id": "C0CHAN"},
        "response_url": fake.response_url("context"),
        "actions": [{**button, "block_id": "b1", "action_ts": "1.3"}],
    }
    await slack.interact(payload)
    shown = (await fake.wait_for("response_url", count=2))[1]
    assert shown.data["response_type"] == "ephemeral"
    text = await in_team(record).session_text(where["session"])
    before, passage, after = (
        text[: where["start"]].split()[-5:],
        text[where["start"] : where["end"]].strip(),
        text[where["end"] :].split()[:5],
    )
    (rich,) = [b for b in shown.blocks if b["type"] == "rich_text"]
    parts = {p["type"]: p["elements"][0]["text"] for p in rich["elements"][1:2]}
    assert parts == {"rich_text_quote": passage}
    shown_text = " ".join(" ".join(p["elements"][0]["text"] for p in rich["elements"]).split())
    assert " ".join(before) in shown_text and " ".join(after) in shown_text


async def test_forged_context_button_is_a_sentence(slack: SlackDriver, fake: FakeSlack) -> None:
    """A Context button whose value is not a place in the record gets 'ask again', not the apology."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": MEMBER, "team_id": TEAM},
        "channel": {"id": "C0CHAN"},
        "response_url": fake.response_url("context"),
        "actions": [{"action_id": "onrecord_context:1", "value": '{"session": "x"}'}],
    }
    await slack.interact(payload)
    (call,) = await fake.wait_for("response_url")
    assert "That button no longer works" in call.rendered and APOLOGY not in call.rendered
