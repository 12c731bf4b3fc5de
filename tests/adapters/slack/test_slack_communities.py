"""Two workspaces, two records: signed requests from two team ids to the real Bolt app.

A moderator acting from workspace B cannot list, answer from, replace, remove or schedule
anything of workspace A; B's adds leave A's answers as they were; with
ONRECORD_COMMUNITIES an unlisted workspace is refused.
"""

from __future__ import annotations

from pathlib import Path

from fake_slack import FakeSlack
from slack_requests import MODERATOR, SlackDriver, in_team, make_settings, serve

from bot.record import Record

OTHER = "T0OTHER"
QUESTION = "what did Khan say on victim support"
TRANSCRIPT = (
    b"Transport committee, 3 March 2024\n\nChair: Welcome to this meeting.\n\n"
    b"Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.\n\n"
    b"Tom Ames: The bus fare rise is needed to keep rural routes running.\n"
)


async def said(slack: SlackDriver, fake: FakeSlack, text: str, team: str, channel: str = "C0CHAN") -> str:
    """Send `/onrecord <text>` from ``team`` and return what its one reply shows."""
    before = len(fake.of("response_url"))
    assert (await slack.command(text, user=MODERATOR, channel=channel, team=team)).status == 200
    calls = await fake.wait_for("response_url", count=before + 1)
    return calls[before].rendered


async def test_a_moderator_in_workspace_b_can_neither_see_nor_change_workspace_a(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """sessions, ask, summary, remove, replace, daily summary from B: empty or refused; A unchanged."""
    a = in_team(record)
    await a.set_summary_schedule(
        platform="slack", channel_id="C0CHAN", time_of_day="08:00", timezone="UTC", set_by="slack:UA"
    )
    sessions, audit, answer = await a.sessions(), await a.audit_log(), await a.ask(QUESTION)
    assert answer.passages
    (sample,) = sessions

    assert sample.title not in await said(slack, fake, "sessions", OTHER)
    assert "£47m" not in await said(slack, fake, QUESTION, OTHER)
    assert f"no session {sample.id}" in await said(slack, fake, f"summary {sample.id}", OTHER)
    assert f"There is no session {sample.id}" in await said(slack, fake, f"remove {sample.id}", OTHER)
    assert f"There is no session {sample.id}" in await said(slack, fake, f"replace {sample.id}", OTHER)
    assert not fake.of("views.open")
    assert "no daily summary" in await said(slack, fake, "summary off", OTHER)
    assert "another community's" in await said(slack, fake, "summary 23:00", OTHER)
    assert "no daily summary" in await said(slack, fake, "summary unfollow", OTHER)

    assert await a.sessions() == sessions and await a.audit_log() == audit
    assert await a.ask(QUESTION) == answer
    (schedule,) = await record.summary_schedules("slack")
    assert schedule.at.strftime("%H:%M") == "08:00"
    assert await in_team(record, OTHER).audit_log() == []


async def test_workspace_b_adds_its_own_and_workspace_a_answers_as_before(
    slack: SlackDriver, fake: FakeSlack, record: Record
) -> None:
    """B's moderator DMs a file with "add": B answers from it; A's answers and speakers stay as they were."""
    a, b = in_team(record), in_team(record, OTHER)
    before = (await a.ask(QUESTION), await a.ask("what was said on bus fares"), await a.speakers())
    stub = fake.add_file("F0BUS", "transport.txt", TRANSCRIPT)
    event = {
        "type": "message",
        "channel": "D0DM",
        "channel_type": "im",
        "user": MODERATOR,
        "text": "add",
        "subtype": "file_share",
        "files": [stub],
        "ts": "1715000001.000200",
        "event_ts": "1715000001.000200",
    }
    await slack.event(event, "EvB1", team=OTHER)
    (post,) = await fake.wait_for("chat.postMessage")
    assert "Stored session 2" in post.rendered
    assert [s.id for s in await b.sessions()] == [2] and [s.id for s in await a.sessions()] == [1]
    assert "Jane Porter" in await said(slack, fake, "what did Porter say on bus fares", OTHER)
    assert (await a.ask(QUESTION), await a.ask("what was said on bus fares"), await a.speakers()) == before
    assert "Jane Porter" not in await said(slack, fake, "what did Porter say on bus fares", "T0TEAM")


async def test_an_unlisted_workspace_is_refused(fake: FakeSlack, record: Record, tmp_path: Path) -> None:
    """With ONRECORD_COMMUNITIES=T0TEAM, a command from another team is refused and nothing is read."""
    settings = make_settings(tmp_path, onrecord_communities="T0TEAM")
    async with serve(fake, record, settings) as slack:
        refused = await said(slack, fake, QUESTION, OTHER)
        assert "does not serve this workspace" in refused and "£47m" not in refused
        assert "does not serve this workspace" in await said(slack, fake, "remove 1", OTHER)
        assert "£47m" in await said(slack, fake, QUESTION, "T0TEAM")
    assert len(await in_team(record).sessions()) == 1
