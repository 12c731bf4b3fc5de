"""Share to channel: through the click's response_url wherever /onrecord worked, else as the app."""

from __future__ import annotations

import json
from typing import Any

from fake_slack import Call, FakeSlack
from slack_requests import MEMBER, SlackDriver

from adapters.slack.views import NOT_A_MEMBER, SHARE_EXPIRED

QUESTION = "what did Khan say on victim support"


async def shown_privately(slack: SlackDriver, fake: FakeSlack, channel: str) -> Call:
    """Ask in ``channel``; the private answer with its Share button."""
    await slack.command(QUESTION, channel=channel)
    (answer,) = await fake.wait_for("response_url")
    return answer


def click(answer: Call, fake: FakeSlack, channel: str, key: str = "share") -> dict[str, Any]:
    """The block_actions payload Slack sends when Share under ``answer`` is pressed."""
    button = answer.blocks[-1]["elements"][0]
    return {
        "type": "block_actions",
        "user": {"id": MEMBER},
        "team": {"id": "T0TEAM"},
        "api_app_id": "A0APP",
        "container": {"type": "message", "is_ephemeral": True, "channel_id": channel},
        "channel": {"id": channel, "name": "private-group"},
        "trigger_id": "trigger.share",
        "response_url": fake.response_url(key),
        "actions": [{**button, "block_id": "b1", "action_ts": "1.2"}],
    }


async def test_share_in_a_private_channel_the_app_is_not_in(slack: SlackDriver, fake: FakeSlack) -> None:
    """In a private channel without the app, Share goes in_channel via response_url; no chat.postMessage."""
    fake.channel_errors["C0PRIVATE"] = "not_in_channel"  # what Slack would say: the app is no member
    answer = await shown_privately(slack, fake, "C0PRIVATE")
    await slack.interact(click(answer, fake, "C0PRIVATE"))
    shared, deleted = (await fake.wait_for("response_url", count=3))[1:]
    assert shared.path.endswith("/share") and shared.data["response_type"] == "in_channel"
    assert shared.data["replace_original"] is False
    assert "£47m" in shared.rendered and f"Shared by <@{MEMBER}>" in shared.rendered
    assert deleted.data == {"delete_original": True}
    await fake.settle()
    assert not fake.of("chat.postMessage")


async def test_share_waits_out_a_rate_limited_response_url(slack: SlackDriver, fake: FakeSlack) -> None:
    """Share's response_url answering 429 (Retry-After 1) is posted after the wait, not apologised for."""
    answer = await shown_privately(slack, fake, "C0CHAN")
    fake.rate_limit("response_url", 1)
    await slack.interact(click(answer, fake, "C0CHAN"))
    calls = await fake.wait_for("response_url", count=4)
    refused, shared = calls[1], calls[2]
    assert (refused.status, shared.status) == (429, 200) and shared.at - refused.at >= 1.0
    assert shared.data["response_type"] == "in_channel" and "£47m" in shared.rendered


async def test_share_falls_back_to_posting_as_the_app_where_it_is_a_member(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """A response_url Slack refuses: the app posts with chat.postMessage in a channel it is in."""
    answer = await shown_privately(slack, fake, "C0CHAN")
    fake.gone.add("share")
    await slack.interact(click(answer, fake, "C0CHAN"))
    (posted,) = await fake.wait_for("chat.postMessage")
    assert posted.data["channel"] == "C0CHAN" and "£47m" in posted.rendered


async def test_share_refused_everywhere_in_a_dm_does_not_ask_for_an_invite(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    """In a 1:1 DM nobody can invite the app: a dead Share says to ask again, not to /invite."""
    answer = await shown_privately(slack, fake, "D0DM")
    fake.gone.add("share")
    fake.channel_errors["D0DM"] = "channel_not_found"  # a DM between two people: the app is no member
    await slack.interact(click(answer, fake, "D0DM"))
    refused, *told = await fake.wait_for("chat.postMessage", count=3)  # the share; the notice by DM
    assert refused.data["channel"] == "D0DM"
    assert {t.data["channel"] for t in told} == {MEMBER}
    notice = json.dumps([t.data for t in told])
    assert SHARE_EXPIRED in notice and "/invite" not in notice


async def test_share_refused_in_a_channel_says_how_to_invite(slack: SlackDriver, fake: FakeSlack) -> None:
    """A dead Share in a channel the app is not in names /invite @onrecord."""
    answer = await shown_privately(slack, fake, "C0OTHER")
    fake.gone.add("share")
    fake.channel_errors["C0OTHER"] = "not_in_channel"
    await slack.interact(click(answer, fake, "C0OTHER"))
    refused, *told = await fake.wait_for("chat.postMessage", count=3)
    assert refused.data["channel"] == "C0OTHER"
    assert NOT_A_MEMBER in json.dumps([t.data for t in told]) and "/invite @onrecord" in NOT_A_MEMBER
