"""Two servers, two records: the real discord.py client against the fake gateway with two guilds.

A Manage Server member of guild B cannot list, answer from, replace, remove or schedule
anything of guild A; B's adds leave A's answers as they were; with ONRECORD_COMMUNITIES
an unlisted server is left and its commands refused; a DM reads the user's one server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from discord_harness import Harness, in_guild, start_bot, stop_bot
from fake_discord import (
    CHANNEL_B_ID,
    CHANNEL_ID,
    GUILD_B_ID,
    GUILD_ID,
    MODERATOR,
    READER,
    FakeDiscord,
    Member,
    attachment,
    component,
    guild_payload,
    option,
    slash,
)
from shared_data import SAMPLE

from bot.errors import OnrecordError
from bot.record import Record
from bot.settings import Settings

TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""
QUESTION = "what did Khan say on victim support"


def channel_resolved(channel_id: int, guild_id: int) -> dict[str, Any]:
    """The ``resolved`` block of a channel option."""
    entry = {
        "id": str(channel_id),
        "name": "politics",
        "type": 0,
        "permissions": "0",
        "guild_id": str(guild_id),
    }
    return {"channels": {str(channel_id): entry}}


def in_b(name: str, *options: dict[str, Any], member: Member = MODERATOR, **kw: Any) -> dict[str, Any]:
    """An interaction in guild B, by a member holding Manage Server there (by default)."""
    return slash(name, *options, member=member, guild=GUILD_B_ID, channel=CHANNEL_B_ID, **kw)


@pytest.fixture
async def two_guilds(settings: Settings, sample_record: Record, fake: FakeDiscord) -> AsyncIterator[Harness]:
    """The bot in guilds A (holding the sample, with a daily summary) and B (empty)."""
    fake.guilds.append(guild_payload(GUILD_B_ID, CHANNEL_B_ID, "Other Town"))
    await in_guild(sample_record).set_summary_schedule(
        platform="discord", channel_id=str(CHANNEL_ID), time_of_day="08:00", timezone="UTC", set_by="a-mod"
    )
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        yield Harness(bot, fake)
    finally:
        await stop_bot(bot, task)


def text_of(reply: Any) -> str:
    """Everything a reply says: content and embed text."""
    body = reply.json.get("data", reply.json) if isinstance(reply.json, dict) else {}
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def test_a_moderator_of_guild_b_can_neither_see_nor_change_guild_a(two_guilds: Harness) -> None:
    """List, ask, complete, replace, remove, schedule: refused or empty; A's record and log as before."""
    record = two_guilds.bot.record
    a = in_guild(record)
    sessions, audit = await a.sessions(), await a.audit_log()
    answer = await a.ask(QUESTION)
    assert answer.passages and sessions
    (sample,) = sessions

    listed = text_of(await two_guilds.reply(in_b("sessions")))
    assert sample.title not in listed
    asked = text_of(await two_guilds.reply(in_b("ask", option("question", QUESTION))))
    assert "Khan" not in asked.replace(QUESTION, "") and "empty" in asked
    for command, focused in (("quotes", "speaker"), ("summary", "session")):
        payload = in_b(command, option(focused, "", focused=True), autocomplete=True)
        token = await two_guilds.interact(payload)
        callback = await two_guilds.fake.wait_for_callback(token)
        assert callback.json["data"]["choices"] == [], command
    summary = text_of(await two_guilds.reply(in_b("summary", option("session", sample.id, kind=4))))
    assert f"no session {sample.id}" in summary

    removed = text_of(
        await two_guilds.reply(in_b("session", option("id", sample.id, kind=4), subcommand="remove"))
    )
    assert f"There is no session {sample.id} on the record" in removed
    file_option, resolved = attachment(two_guilds.fake, "new.txt", TRANSCRIPT)
    replaced = await two_guilds.reply(
        in_b("session", option("id", sample.id, kind=4), file_option, subcommand="replace", resolved=resolved)
    )
    assert f"There is no session {sample.id} on the record" in text_of(replaced)
    # A's channel given to B's /daily: discord.py finds no such channel in guild B and refuses it.
    resolved_a = channel_resolved(CHANNEL_ID, GUILD_ID)
    channel_a = option("channel", str(CHANNEL_ID), kind=7)
    for sub, extra in (("off", ()), ("set", (option("time", "23:00"),)), ("unfollow", ())):
        reply = await two_guilds.reply(in_b("daily", channel_a, *extra, subcommand=sub, resolved=resolved_a))
        assert "not understood" in text_of(reply), sub
    # And were a channel id of A's to reach guild B's record, the core refuses it too.
    b = in_guild(record, GUILD_B_ID)
    with pytest.raises(OnrecordError, match="another community's"):
        await b.set_summary_schedule(
            platform="discord", channel_id=str(CHANNEL_ID), time_of_day="23:00", timezone="UTC", set_by="b"
        )
    assert "no daily summary" in await b.remove_summary_schedule(
        platform="discord", channel_id=str(CHANNEL_ID)
    )
    assert "no daily summary" in await b.remove_summary_follows(
        platform="discord", channel_id=str(CHANNEL_ID)
    )
    assert await b.summary_follows(platform="discord", channel_id=str(CHANNEL_ID)) == []

    assert await a.sessions() == sessions
    assert await a.audit_log() == audit
    assert await a.ask(QUESTION) == answer
    (schedule,) = await record.summary_schedules("discord")
    assert (schedule.channel_id, schedule.at.strftime("%H:%M")) == (str(CHANNEL_ID), "08:00")
    assert await in_guild(record, GUILD_B_ID).audit_log() == []


async def test_guild_b_adds_its_own_and_guild_a_answers_as_before(two_guilds: Harness) -> None:
    """B's moderator adds a session: B answers from it, A's answers and lists do not change."""
    record = two_guilds.bot.record
    a, b = in_guild(record), in_guild(record, GUILD_B_ID)
    before_khan, before_fares = await a.ask(QUESTION), await a.ask("what was said on bus fares")
    before_speakers = await a.speakers()
    file_option, resolved = attachment(two_guilds.fake, "transport.txt", TRANSCRIPT)
    added = await two_guilds.reply(in_b("session", file_option, subcommand="add", resolved=resolved))
    assert "Stored session 2" in text_of(added)
    assert [s.title for s in await b.sessions()] and len(await a.sessions()) == 1
    fares = text_of(
        await two_guilds.reply(in_b("ask", option("question", "what did Porter say on bus fares")))
    )
    assert "Jane Porter" in fares
    assert await a.ask(QUESTION) == before_khan
    assert await a.ask("what was said on bus fares") == before_fares
    assert await a.speakers() == before_speakers
    assert await a.complete_speakers("Port") == []
    assert [e.action for e in await b.audit_log()] == ["add"]


async def test_a_dm_reads_the_one_server_the_user_is_in_and_asks_when_several(two_guilds: Harness) -> None:
    """In a DM: a member of only guild A gets A's record; a member of both is asked to use a server."""
    fake = two_guilds.fake
    fake.members = {GUILD_ID: {READER.user_id}}
    only_a = text_of(await two_guilds.reply(slash("ask", option("question", QUESTION), guild=None)))
    assert "Sadiq Khan" in only_a
    lookups = [r for r in fake.requests if "/members/" in r.path]
    assert len(lookups) == 2  # one per served server
    await two_guilds.reply(slash("sessions", guild=None))
    assert len([r for r in fake.requests if "/members/" in r.path]) == 2  # remembered for a minute
    fake.members = {GUILD_ID: {READER.user_id}, GUILD_B_ID: {READER.user_id}}
    two_guilds.bot.communities._dm_servers.clear()  # what a minute's wait would do
    both = text_of(await two_guilds.reply(slash("ask", option("question", QUESTION), guild=None)))
    assert "more than one server" in both and "Khan" not in both.replace(QUESTION, "")
    fake.members = {}
    two_guilds.bot.communities._dm_servers.clear()
    neither = text_of(await two_guilds.reply(slash("sessions", guild=None)))
    assert "not in any server you are in" in neither


@pytest.fixture
async def allow_listed(
    settings: Settings, sample_record: Record, fake: FakeDiscord
) -> AsyncIterator[Harness]:
    """The bot with ONRECORD_COMMUNITIES naming guild A only, in A and (already) B."""
    settings.onrecord_communities = str(GUILD_ID)
    fake.guilds.append(guild_payload(GUILD_B_ID, CHANNEL_B_ID, "Other Town"))
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        yield Harness(bot, fake)
    finally:
        await stop_bot(bot, task)


async def test_an_unlisted_guild_is_left_with_one_message_and_its_commands_refused(
    allow_listed: Harness,
) -> None:
    """Joining (or finding itself in) an unlisted server: one polite message, then the leave call."""
    fake = allow_listed.fake
    left = await fake.wait_for(lambda r: r.method == "DELETE" and r.path == f"/users/@me/guilds/{GUILD_B_ID}")
    assert left is not None
    goodbye = [
        r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{CHANNEL_B_ID}/messages"
    ]
    assert len(goodbye) == 1 and "leaving" in goodbye[0].json["content"]
    third = 900000000000000012
    await fake.dispatch("GUILD_CREATE", guild_payload(third, 900000000000000022, "Third"))
    await fake.wait_for(lambda r: r.method == "DELETE" and r.path == f"/users/@me/guilds/{third}")
    assert fake.left_guilds == [str(GUILD_B_ID), str(third)]
    # A command that still arrives from the unlisted server is refused, and nothing is stored.
    file_option, resolved = attachment(fake, "transport.txt", TRANSCRIPT)
    refused = await allow_listed.reply(in_b("session", file_option, subcommand="add", resolved=resolved))
    assert "does not serve this server" in text_of(refused)
    assert "does not serve this server" in text_of(await allow_listed.reply(in_b("sessions", member=READER)))
    assert await in_guild(allow_listed.bot.record, GUILD_B_ID).sessions() == []
    # The listed server is served as before, and was not left.
    assert "Sadiq Khan" in text_of(await allow_listed.reply(slash("ask", option("question", QUESTION))))
    assert str(GUILD_ID) not in fake.left_guilds


async def test_guild_a_page_button_pressed_in_guild_b_shows_nothing_of_a(two_guilds: Harness) -> None:
    """A's long answer has page buttons naming its kept question; pressed from guild B, no page of it."""
    # The store's local community (and guild A) hold the sample: only B has nothing.
    await two_guilds.bot.record.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="cli")
    reply = await two_guilds.reply(slash("quotes", option("speaker", "Khan")))
    next_id = reply.json["components"][0]["components"][2]["custom_id"]
    turned = await two_guilds.reply(
        component(next_id, reply.response, member=READER, guild=GUILD_B_ID, channel=CHANNEL_B_ID)
    )
    shown = json.dumps(turned.json)
    assert "Khan" not in shown and "page 2" not in shown, shown
    # The same press in guild A turns the page, so the button itself works.
    in_a = await two_guilds.reply(component(next_id, reply.response, member=READER))
    assert "page 2" in json.dumps(in_a.json)
