"""`/onrecord add <link>` through the real Bolt app: moderators only, fetched by the core's guarded fetch."""

from __future__ import annotations

from fake_slack import FakeSlack
from slack_requests import MEMBER, MODERATOR, SlackDriver, in_team

from adapters.slack.permissions import REFUSAL
from bot.record import Record


async def test_non_moderator_link_add_is_refused_and_nothing_is_fetched(
    slack: SlackDriver,
    fake: FakeSlack,
    record: Record,
    committee_site: tuple[str, list[str]],
    local_fetch: None,
) -> None:
    """A member's `/onrecord add <link>` gets the refusal; the link is never requested."""
    base, hits = committee_site
    await slack.command(f"add {base}/transport.txt", user=MEMBER)
    (call,) = await fake.wait_for("response_url")
    assert REFUSAL in call.rendered and call.data["response_type"] == "ephemeral"
    await fake.settle()
    assert hits == [] and len(await in_team(record).sessions()) == 1


async def test_loopback_link_is_refused_with_a_clear_message(
    slack: SlackDriver, fake: FakeSlack, record: Record, committee_site: tuple[str, list[str]]
) -> None:
    """By default a link to the bot's own host is refused in a sentence; no request reaches it."""
    base, hits = committee_site
    await slack.command(f"add <{base}/transport.txt>", user=MODERATOR)
    calls = await fake.wait_for("response_url", count=2)
    said = " ".join(c.rendered for c in calls)
    assert "local or private address" in said and f"{base}/transport.txt" in said
    assert "Sorry, something went wrong" not in said
    assert hits == [] and len(await in_team(record).sessions()) == 1


async def test_moderator_adds_a_session_from_a_link(
    slack: SlackDriver,
    fake: FakeSlack,
    record: Record,
    committee_site: tuple[str, list[str]],
    local_fetch: None,
) -> None:
    """With the address check relaxed for the test server, the link is fetched and reported as stored."""
    base, hits = committee_site
    await slack.command(f"add {base}/transport.txt", user=MODERATOR)
    calls = await fake.wait_for("response_url", count=2)
    assert "Fetching" in calls[0].rendered
    assert "Stored session 2" in calls[1].rendered and "Jane Porter" in calls[1].rendered
    assert hits == ["/transport.txt"]
    assert {s.id: s.source_name for s in await in_team(record).sessions()}[2] == f"{base}/transport.txt"
    assert not fake.of("views.open")
