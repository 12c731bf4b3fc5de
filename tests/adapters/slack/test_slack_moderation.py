"""Moderator commands through the real Bolt app: permissions, the add/replace modal, remove."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fake_slack import Call, FakeSlack
from shared_data import SAMPLE, SHARED
from slack_requests import MEMBER, MODERATOR, SlackDriver, command_reply, in_team, make_settings, serve

from adapters.slack.permissions import GROUP_UNREADABLE, REFUSAL
from bot.record import Record

# PolNeAR v1.0.0 dev articles (see ../shared/corpus/SOURCES.md): real news reports.
POLNEAR = SHARED / "corpus" / "polnear-dev" / "text"
PASTED = POLNEAR / "politico_2016-09-08_flynn-says-trump-absolutely-righ.txt"
UPLOADED = POLNEAR / "huff-post_2016-09-20_elizabeth-warren-hammers-wells-f.txt"


def submission(
    view: dict[str, Any],
    user: str,
    *,
    title: str = "",
    date: str | None = None,
    text: str = "",
    files: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The view_submission payload Slack sends when the modal ``view`` is submitted."""
    values = {
        "title": {"value": {"type": "plain_text_input", "value": title or None}},
        "date": {"value": {"type": "datepicker", "selected_date": date}},
        "text": {"value": {"type": "plain_text_input", "value": text or None}},
        "file": {"value": {"type": "file_input", "files": files or []}},
    }
    return {
        "type": "view_submission",
        "team": {"id": "T0TEAM", "domain": "fake"},
        "user": {"id": user, "team_id": "T0TEAM"},
        "api_app_id": "A0APP",
        "trigger_id": "trigger.submit",
        "view": {**view, "id": "VFAKE", "state": {"values": values}, "hash": "h1"},
        "response_urls": [],
    }


async def open_modal(slack: SlackDriver, fake: FakeSlack, text: str = "add", user: str = MODERATOR) -> Call:
    await slack.command(text, user=user)
    (opened,) = await fake.wait_for("views.open")
    return opened


async def test_non_moderator_add_is_refused_and_stores_nothing(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A member's `/onrecord add` gets the ephemeral refusal; no modal opens, nothing is stored."""
    await slack.command("add", user=MEMBER)
    (call,) = await fake.wait_for("response_url")
    assert REFUSAL in call.rendered
    assert call.data["response_type"] == "ephemeral"
    await fake.settle()
    assert not fake.of("views.open")
    assert len(await in_team(record).sessions()) == 1


async def test_non_moderator_remove_is_refused_and_session_stays(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A member's `/onrecord remove 1` is refused and session 1 is still stored."""
    (session,) = await in_team(record).sessions()
    await slack.command(f"remove {session.id}", user=MEMBER)
    (call,) = await fake.wait_for("response_url")
    assert REFUSAL in call.rendered
    assert [s.id for s in await in_team(record).sessions()] == [session.id]


async def test_moderator_modal_submission_stores_the_session(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`/onrecord add` opens the modal; submitting pasted text stores it and confirms in the channel."""
    opened = await open_modal(slack, fake)
    assert opened.data["trigger_id"].startswith("trigger.cmd")
    view = opened.data["view"]
    assert view["callback_id"] == "onrecord_session"
    text = PASTED.read_text(encoding="utf-8")
    reply = await slack.interact(
        submission(view, MODERATOR, title="Flynn on Trump", date="2016-09-08", text=text)
    )
    assert reply.status == 200 and reply.text == ""
    (confirmation,) = await fake.wait_for("response_url")
    assert "Stored session" in confirmation.rendered
    stored = {s.title: s for s in await in_team(record).sessions()}
    assert stored["Flynn on Trump"].date == "2016-09-08"
    assert stored["Flynn on Trump"].added_by == f"slack:{MODERATOR}"


async def test_moderator_modal_with_a_file_downloads_and_stores_it(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A file attached in the modal is fetched with the bot token and stored under its name."""
    opened = await open_modal(slack, fake)
    stub = fake.add_file("F0UP", UPLOADED.name, UPLOADED.read_bytes())
    await slack.interact(submission(opened.data["view"], MODERATOR, title="Warren hearing", files=[stub]))
    (confirmation,) = await fake.wait_for("response_url")
    assert "Stored session" in confirmation.rendered
    assert fake.of("download")[0].authorization == "Bearer xoxb-test"
    assert UPLOADED.name in [s.source_name for s in await in_team(record).sessions()]


async def test_incomplete_modal_shows_field_errors_and_stores_nothing(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """No title and no text: the ack carries response_action=errors for both fields."""
    opened = await open_modal(slack, fake)
    reply = await slack.interact(submission(opened.data["view"], MODERATOR))
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"title", "text"}
    assert len(await in_team(record).sessions()) == 1


async def test_forged_submission_by_non_moderator_stores_nothing(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """A view_submission from a member (the modal is never offered to them) is refused."""
    opened = await open_modal(slack, fake)
    await slack.interact(
        submission(opened.data["view"], MEMBER, title="Sneaky", text=PASTED.read_text(encoding="utf-8"))
    )
    (call,) = await fake.wait_for("response_url")
    assert REFUSAL in call.rendered
    assert [s.title for s in await in_team(record).sessions()] == ["Mayor's Question Time: victim support"]


async def test_duplicate_paste_is_refused_with_the_existing_id(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """Pasting a record that is stored already says which session holds it."""
    opened = await open_modal(slack, fake)
    text = SAMPLE.read_text(encoding="utf-8")
    await slack.interact(submission(opened.data["view"], MODERATOR, title="Again", text=text))
    (call,) = await fake.wait_for("response_url")
    assert "already stored as session" in call.rendered
    assert len(await in_team(record).sessions()) == 1


async def test_moderator_removes_a_session(slack: SlackDriver, fake: FakeSlack, record: Record) -> None:
    """`/onrecord remove <id>` by a moderator removes it and says which one."""
    (session,) = await in_team(record).sessions()
    await slack.command(f"remove {session.id}", user=MODERATOR)
    (call,) = await fake.wait_for("response_url")
    assert f"Removed session {session.id}" in call.rendered
    assert await in_team(record).sessions() == []


async def test_moderator_replaces_a_session_keeping_its_id(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """`/onrecord replace <id>` opens a prefilled modal; submitting swaps the content in place."""
    (session,) = await in_team(record).sessions()
    opened = await open_modal(slack, fake, f"replace {session.id}")
    view = opened.data["view"]
    title_block = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title_block["element"]["initial_value"] == session.title
    text = PASTED.read_text(encoding="utf-8")
    await slack.interact(submission(view, MODERATOR, title="Flynn, replacing", text=text))
    (call,) = await fake.wait_for("response_url")
    assert "Replaced session" in call.rendered
    (after,) = await in_team(record).sessions()
    assert (after.id, after.title) == (session.id, "Flynn, replacing")


async def test_replace_of_unknown_session_opens_nothing(slack: SlackDriver, fake: FakeSlack) -> None:
    """`/onrecord replace 99` says there is no such session and opens no modal."""
    await slack.command("replace 99", user=MODERATOR)
    (call,) = await fake.wait_for("response_url")
    assert "no session 99" in call.rendered
    assert not fake.of("views.open")


async def test_member_of_moderator_group_may_add(fake: FakeSlack, record: Record, tmp_path: Path) -> None:
    """A user in SLACK_MODERATOR_GROUP (read via usergroups.users.list) gets the modal."""
    fake.usergroups["S0MODS"] = ["UGROUPIE"]
    settings = make_settings(tmp_path, slack_moderator_group="S0MODS")
    async with serve(fake, record, settings) as slack:
        await slack.command("add", user="UGROUPIE")
        await fake.wait_for("views.open")
    (lookup,) = fake.of("usergroups.users.list")
    assert lookup.data["usergroup"] == "S0MODS"


async def test_unreadable_moderator_group_refuses_without_crashing(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """A wrong group id refuses its would-be members but still lets listed moderators in."""
    settings = make_settings(tmp_path, slack_moderator_group="S0WRONG")
    async with serve(fake, record, settings) as slack:
        await slack.command("add", user="UGROUPIE")
        (call,) = await fake.wait_for("response_url")
        assert GROUP_UNREADABLE["no_such_subteam"] in call.rendered
        await slack.command("add", user=MODERATOR)
        await fake.wait_for("views.open")


@pytest.mark.parametrize(
    ("group", "error", "sentence"),
    [
        ("S0MODS", "missing_scope", GROUP_UNREADABLE["missing_scope"]),
        ("S0WRONG", None, GROUP_UNREADABLE["no_such_subteam"]),
    ],
)
async def test_unreadable_moderator_group_says_why_instead_of_refusing(
    fake: FakeSlack, record: Record, tmp_path: Path, group: str, error: str | None, sentence: str
) -> None:
    """usergroups.users.list → missing_scope / no_such_subteam: the member is told the fix, not refused."""
    fake.usergroups["S0MODS"] = ["UGROUPIE"]
    if error:
        fake.errors["usergroups.users.list"] = error
    async with serve(fake, record, make_settings(tmp_path, slack_moderator_group=group)) as slack:
        call = await command_reply(slack, fake, "add", user="UGROUPIE", channel="C0CHAN")
    assert (
        sentence.split(":")[0] in call.rendered and "SLACK_MODERATORS can moderate meanwhile" in call.rendered
    )
    assert REFUSAL not in call.rendered
    assert not fake.of("views.open")


async def test_add_form_outcome_comes_by_dm_when_the_response_url_has_expired(
    slack: SlackDriver, fake: FakeSlack, record: Record, caplog: pytest.LogCaptureFixture
) -> None:
    """A form submitted after the command's response_url expired: logged, and the outcome is DM'd."""
    opened = await open_modal(slack, fake)
    url = json.loads(opened.data["view"]["private_metadata"])["response_url"]
    fake.gone.add(url.rsplit("/", 1)[1])
    text = PASTED.read_text(encoding="utf-8")
    await slack.interact(submission(opened.data["view"], MODERATOR, title="Flynn late", text=text))
    posts = await fake.wait_for("chat.postMessage", count=2)
    assert [p.data["channel"] for p in posts] == [MODERATOR, MODERATOR]
    assert "expires after 30 minutes" in posts[0].rendered
    assert "Stored session" in posts[1].rendered and "Flynn late" in posts[1].rendered
    (refused,) = fake.of("response_url")
    assert refused.status == 404
    assert "Slack refused a response_url post (HTTP 404: expired_url)" in caplog.text
    assert url not in caplog.text  # the address can post: never logged
