"""/session add url:… end to end: moderators only, fetched through the core's guarded fetch."""

from __future__ import annotations

from discord_harness import Harness, in_guild
from fake_discord import MODERATOR, READER, Member, attachment, option, slash
from shared_data import SAMPLE

EPHEMERAL = 1 << 6


def url_payload(member: Member, url: str) -> dict:
    """/session add url:<url> title:Transport committee as Discord sends it."""
    return slash(
        "session", option("url", url), option("title", "Transport committee"), member=member, subcommand="add"
    )


async def test_non_moderator_url_add_is_refused_and_nothing_is_fetched(
    discord_bot: Harness, committee_site: tuple[str, list[str]], local_fetch: None
) -> None:
    """A member's /session add url:… gets the private refusal; the link is never requested."""
    base, hits = committee_site
    reply = await discord_bot.reply(url_payload(READER, f"{base}/transport.txt"))
    assert reply.json["data"]["flags"] & EPHEMERAL
    assert reply.json["data"]["content"].startswith("Sorry, only moderators can do that")
    assert hits == [] and len(await in_guild(discord_bot.bot.record).sessions()) == 1


async def test_loopback_url_is_refused_with_a_clear_message(
    discord_bot: Harness, committee_site: tuple[str, list[str]]
) -> None:
    """By default a link to the bot's own host is refused in a sentence; no request reaches it."""
    base, hits = committee_site
    reply = await discord_bot.reply(url_payload(MODERATOR, f"{base}/transport.txt"))
    content = reply.json["content"]
    assert "local or private address" in content and base in content
    assert "Sorry, something went wrong" not in content
    assert hits == [] and len(await in_guild(discord_bot.bot.record).sessions()) == 1


async def test_moderator_adds_a_session_from_a_link(
    discord_bot: Harness, committee_site: tuple[str, list[str]], local_fetch: None
) -> None:
    """With the address check relaxed for the test server, the link is fetched and stored as a session."""
    base, hits = committee_site
    reply = await discord_bot.reply(url_payload(MODERATOR, f"{base}/transport.txt"))
    assert reply.json["content"].startswith("Stored session 2: *Transport committee*")
    assert "Jane Porter" in reply.json["content"]
    assert hits == ["/transport.txt"]
    stored = {s.id: s.source_name for s in await in_guild(discord_bot.bot.record).sessions()}
    assert stored[2] == f"{base}/transport.txt"
    quoted = await discord_bot.reply(slash("quotes", option("speaker", "Porter")))
    description = quoted.json["embeds"][0]["description"]
    assert description.count(f"· session 2 · [source]({base}/transport.txt)") == 1  # linked, once


async def test_a_file_and_a_link_together_are_refused(discord_bot: Harness) -> None:
    """Both an attachment and a link is ambiguous: the moderator is told to give one, nothing is stored."""
    file_option, resolved = attachment(discord_bot.fake, SAMPLE.name, SAMPLE.read_bytes())
    payload = slash(
        "session",
        file_option,
        option("url", "https://example.org/report"),
        member=MODERATOR,
        subcommand="add",
        resolved=resolved,
    )
    reply = await discord_bot.reply(payload)
    assert "either a file or a link" in reply.json["data"]["content"]
    assert discord_bot.fake.downloads == [] and len(await in_guild(discord_bot.bot.record).sessions()) == 1
