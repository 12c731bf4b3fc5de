"""Members' slash commands end to end: the real discord.py client against the local fake Discord."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from discord_harness import Harness, in_guild, start_bot, stop_bot
from discord_markup import as_shown, live_markup
from fake_discord import APPLICATION_ID, GUILD_ID, READER, FakeDiscord, Member, component, option, slash

from bot.record import Record
from bot.settings import Settings

KHAN_QUESTION = "what did Khan say on victim support?"
README_TEXT = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
EPHEMERAL = 1 << 6
# Privileged gateway intents: members, presences, message content.
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)

PING_TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: @everyone should know that bus fares rise in April, and @here too. I oppose the bus fare rise.

Jane Porter: I wrote to <@&123> and <@456> about the bus fares, and @everyone on the committee.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


async def test_login_syncs_commands_to_the_test_guild_without_privileged_intents(
    discord_bot: Harness,
) -> None:
    """Logging in syncs every command to DISCORD_GUILD_ID and identifies with no privileged intent."""
    fake = discord_bot.fake
    sync = await fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"))
    assert sync.path == f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    by_name = {c["name"]: c for c in sync.json}
    assert set(by_name) == {"ask", "quotes", "speakers", "topics", "sessions", "summary", "session", "daily"}
    assert {o["name"] for o in by_name["session"]["options"]} == {"add", "replace", "remove"}
    (session_option,) = by_name["summary"]["options"]
    assert (session_option["name"], session_option["required"]) == ("session", False)
    assert session_option["autocomplete"]
    daily = {o["name"]: o for o in by_name["daily"]["options"]}
    assert set(daily) == {"set", "unfollow", "off"}
    set_options = {o["name"]: o for o in daily["set"]["options"]}
    assert [n for n, o in set_options.items() if o["required"]] == ["channel", "time"]
    assert {n for n, o in set_options.items() if o.get("autocomplete")} == {
        "timezone",
        "follow_speaker",
        "follow_topic",
    }
    assert [o["name"] for o in daily["off"]["options"]] == ["channel"]
    unfollow_options = {o["name"]: o for o in daily["unfollow"]["options"]}
    assert [n for n, o in unfollow_options.items() if o["required"]] == ["channel"]
    assert {n for n, o in unfollow_options.items() if o.get("autocomplete")} == {"speaker", "topic"}
    for moderated in ("session", "daily"):
        assert int(by_name[moderated]["default_member_permissions"]) == 1 << 5  # Manage Server
    for members in ("ask", "summary"):
        assert by_name[members]["default_member_permissions"] is None
    intents = fake.identify_payloads[0]["intents"]
    assert intents & PRIVILEGED == 0


async def test_every_command_option_says_what_it_is_for(discord_bot: Harness) -> None:
    """No option shows discord.py's placeholder "…" as its description (e.g. /session replace title)."""
    sync = await discord_bot.fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"))

    def options(command: dict, path: str) -> list[tuple[str, str]]:
        found = []
        for o in command.get("options", []):
            if o["type"] in (1, 2):  # subcommand (group)
                found += options(o, f"{path} {o['name']}")
            else:
                found.append((f"{path} {o['name']}", o["description"]))
        return found

    described = [pair for c in sync.json for pair in options(c, "/" + c["name"])]
    assert ("/session replace title", "New session title (read from the record if left out)") in described
    assert [name for name, text in described if text in ("…", "")] == []


async def test_without_a_guild_commands_sync_globally(
    settings: Settings, record: Record, fake: FakeDiscord
) -> None:
    """With DISCORD_GUILD_ID unset the command tree is synced globally."""
    settings.discord_guild_id = None
    bot, task = await start_bot(settings, record, fake)
    try:
        sync = await fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"))
        assert sync.path == f"/applications/{APPLICATION_ID}/commands"
    finally:
        await stop_bot(bot, task)


async def test_ask_answers_with_khans_victim_support_passages(discord_bot: Harness) -> None:
    """/ask on the sample session cites Khan's own words on victim support, £47m pledge first."""
    reply = await discord_bot.reply(slash("ask", option("question", KHAN_QUESTION)))
    embed = reply.json["embeds"][0]
    head, first_quote, where = embed["description"].split("\n")[:3]
    assert head == "**Sadiq Khan** — *Mayor's Question Time: victim support* (2017-01-19) · session 1"
    assert "£47m" in first_quote and first_quote.startswith("> ")
    assert re.fullmatch(r"\*chars \d+-\d+\*", where)
    assert embed["description"].count("**Sadiq Khan**") == 1  # cited once, not under every passage
    assert "Shaun Bailey" not in embed["description"]
    assert "Sadiq Khan" in embed["footer"]["text"]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("ask", [option("question", KHAN_QUESTION)]),
        ("quotes", [option("speaker", "Khan"), option("topic", "victim support")]),
    ],
)
async def test_slow_commands_defer_then_follow_up(discord_bot: Harness, name: str, options: list) -> None:
    """Questions answer the interaction with a deferral (type 5) first, then a webhook follow-up."""
    token = await discord_bot.interact(slash(name, *options))
    followup = await discord_bot.fake.wait_for_followup(token)
    sent = discord_bot.fake.requests_for(token)
    assert sent[0].callback_type == 5
    assert sent[0].query == {"with_response": "1"}
    assert "Authorization" not in sent[0].headers  # callbacks are authorised by the token in the URL
    assert sent.index(followup) > 0
    assert "£47m" in followup.json["embeds"][0]["description"]


async def test_long_answer_pages_turn_with_buttons(discord_bot: Harness) -> None:
    """A long answer (Khan's ten passages) comes as pages; Next shows page 2 in place, for the asker."""
    reply = await discord_bot.reply(slash("quotes", option("speaker", "Khan")))
    buttons = reply.json["components"][0]["components"]
    previous, counter, following = (b["label"] for b in buttons)
    pages = int(counter.split(" / ")[1])
    assert (previous, counter, following, pages > 1) == ("Previous", f"1 / {pages}", "Next", True)
    assert buttons[0]["disabled"]
    message = reply.response
    next_id = buttons[2]["custom_id"]

    stranger = await discord_bot.reply(component(next_id, message, member=Member(user_id=7)))
    assert stranger.json["data"]["flags"] & EPHEMERAL

    turned = await discord_bot.reply(component(next_id, message))
    assert turned.callback_type == 7  # update the message in place
    page_two = turned.json["data"]["embeds"][0]
    assert f"page 2 of {pages}" in page_two["footer"]["text"]
    assert page_two["description"] != reply.json["embeds"][0]["description"]
    labels = [b["label"] for b in turned.json["data"]["components"][0]["components"]]
    assert labels == ["Previous", f"2 / {pages}", "Next"]


async def test_page_buttons_work_after_the_bot_restarts(
    settings: Settings, sample_record: Record, fake: FakeDiscord
) -> None:
    """An answer's Next button, pressed after the bot was stopped and started afresh, turns the page."""
    bot, task = await start_bot(settings, sample_record, fake)
    token = await Harness(bot, fake).interact(slash("ask", option("question", "what did the mayor say?")))
    first = await fake.wait_for_shown(token)
    page_one = first.embeds[0]["description"]
    pages = int(first.embeds[0]["footer"]["text"].rsplit(" of ", 1)[1])
    ids = [b["custom_id"] for b in first.components[0]["components"]]
    assert re.fullmatch(rf"onrecord:page:a:\d+:{READER.user_id}:1:n", ids[2])  # question number, page
    await stop_bot(bot, task)

    record = await Record.open(settings.onrecord_db)  # a new process: new client, same store
    restarted, task = await start_bot(settings, record, fake)
    try:
        harness = Harness(restarted, fake)
        second = await harness.press(first.id, "Next")
        assert f"page 2 of {pages}" in second.embeds[0]["footer"]["text"]
        assert second.embeds[0]["description"] != page_one
        back = await harness.press(first.id, "Previous")
        assert back.embeds[0]["description"] == page_one
    finally:
        await stop_bot(restarted, task)
        await record.close()


async def test_quotes_pages_turn_from_the_kept_speaker_and_topic(discord_bot: Harness) -> None:
    """/quotes keeps its speaker and topic for the buttons: page 2 is still Khan's words."""
    token = await discord_bot.interact(slash("quotes", option("speaker", "Khan")))
    first = await discord_bot.fake.wait_for_shown(token)
    assert first.components, "expected more than one page of Khan's words"
    second = await discord_bot.press(first.id, "Next")
    assert "Sadiq Khan" in second.embeds[0]["description"]
    assert "Shaun Bailey**" not in second.embeds[0]["description"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kh", ["Sadiq Khan"]),
        ("bail", ["Shaun Bailey"]),
        ("", ["Sadiq Khan", "Shaun Bailey", "Onkar Sahota", "Umnesh Desai"]),
    ],
)
async def test_speaker_autocomplete_returns_matching_speakers(
    discord_bot: Harness, typed: str, expected: list[str]
) -> None:
    """Autocomplete for /quotes speaker answers (type 8) with the stored speakers matching the input."""
    payload = slash("quotes", option("speaker", typed, focused=True), autocomplete=True)
    reply = await discord_bot.reply(payload)
    assert reply.callback_type == 8
    choices = reply.json["data"]["choices"]
    assert len(choices) <= 25
    assert sorted(c["value"] for c in choices) == sorted(expected)


async def test_topic_autocomplete_offers_terms_from_the_record(discord_bot: Harness) -> None:
    """Autocomplete for /quotes topic offers terms found in the stored record."""
    payload = slash(
        "quotes", option("speaker", "Khan"), option("topic", "vict", focused=True), autocomplete=True
    )
    reply = await discord_bot.reply(payload)
    values = [c["value"] for c in reply.json["data"]["choices"]]
    assert values
    assert all("vict" in v.lower() for v in values)


async def test_quote_holding_mentions_is_shown_as_the_records_words(discord_bot: Harness) -> None:
    """A record holding <@&123>, <@456> and @everyone: the quote shows them as literal text."""
    await in_guild(discord_bot.bot.record).add_session(
        PING_TRANSCRIPT, source_name="transport.txt", added_by="test"
    )
    reply = await discord_bot.reply(
        slash("quotes", option("speaker", "Porter"), option("topic", "bus fares"))
    )
    description = reply.json["embeds"][0]["description"]
    assert live_markup(description) == []
    shown = as_shown(description)
    assert "@everyone should know" in shown
    assert "I wrote to <@&123> and <@456> about the bus fares, and @everyone on the committee." in shown
    assert reply.json["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sessions", "Mayor's Question Time: victim support"),
        ("speakers", "**Sadiq Khan**"),
        ("topics", "statements"),
    ],
)
async def test_listings_answer_at_once(discord_bot: Harness, name: str, expected: str) -> None:
    """/sessions, /speakers and /topics reply directly (type 4) with what is on record."""
    reply = await discord_bot.reply(slash(name))
    assert reply.callback_type == 4
    assert expected in reply.json["data"]["embeds"][0]["description"]


async def test_exception_in_a_command_gets_an_apology_and_the_bot_keeps_working(
    discord_bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in a command is logged with its traceback, the user gets an apology, the next command works."""
    record = in_guild(discord_bot.bot.record)

    async def broken(*args: object) -> list:
        raise RuntimeError("disk on fire at /srv/secret/path")

    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR):
        patch.setattr(record, "sessions", broken)
        failed = await discord_bot.reply(slash("sessions"))
    assert failed.json["data"]["flags"] & EPHEMERAL
    assert "Sorry, something went wrong" in failed.json["data"]["content"]
    assert "secret" not in failed.json["data"]["content"]
    logged = [
        r
        for r in caplog.records
        if r.exc_info and "disk on fire" in str(r.exc_info[1].__cause__ or r.exc_info[1])
    ]
    assert len(logged) == 1

    again = await discord_bot.reply(slash("sessions"))
    assert "Mayor's Question Time" in again.json["data"]["embeds"][0]["description"]


async def test_listing_an_unknown_session_says_where_to_look(discord_bot: Harness) -> None:
    """/speakers for a session id that does not exist says so and points to /sessions."""
    reply = await discord_bot.reply(slash("speakers", option("session", 999, kind=4)))
    description = reply.json["data"]["embeds"][0]["description"]
    assert "session 999" in description
    assert "/sessions" in description


@pytest.mark.parametrize(
    "question", ['victim" OR *', "@everyone what about <@&123>?", "?", "ünïcödé ☃ " * 40]
)
async def test_odd_questions_get_an_answer_not_an_apology(discord_bot: Harness, question: str) -> None:
    """Search syntax, mentions, punctuation and long unicode are just words: the bot answers."""
    reply = await discord_bot.reply(slash("ask", option("question", question)))
    body = reply.json if "embeds" in reply.json else reply.json.get("data", {})
    assert "Sorry, something went wrong" not in str(body.get("content"))
    assert body.get("embeds") or body.get("content")


@pytest.mark.parametrize("typed", ['"', "*", "%", "' OR 1=1 --", "x" * 100])
async def test_autocomplete_tolerates_odd_input(discord_bot: Harness, typed: str) -> None:
    """Autocomplete answers (possibly with nothing) whatever is typed."""
    reply = await discord_bot.reply(
        slash("quotes", option("speaker", typed, focused=True), autocomplete=True)
    )
    assert reply.callback_type == 8
    assert isinstance(reply.json["data"]["choices"], list)


async def test_readme_shows_an_answer_exactly_as_rendered(discord_bot: Harness) -> None:
    """The README's example answer is what /ask sends for the sample: title, description, footer."""
    section = README_TEXT.split("### An answer as rendered", 1)[1]
    example = section.split("\n```\n", 2)[1]  # the one code block
    reply = await discord_bot.reply(slash("ask", option("question", KHAN_QUESTION)))
    (embed,) = reply.json["embeds"]
    assert example == f"{embed['title']}\n\n{embed['description']}\n\n{embed['footer']['text']}"
