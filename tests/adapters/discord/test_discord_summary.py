"""Summaries through the real discord.py client and the fake Discord: a member's /summary, the daily post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from discord_harness import Harness, in_guild, start_bot, stop_bot
from discord_markup import as_shown, live_markup
from fake_discord import CHANNEL_ID, READER, FakeDiscord, Request, option, slash

from adapters.discord import app as app_module
from adapters.discord.app import OnrecordBot
from adapters.discord.summary import make_finder, make_poster
from bot.daily.scheduler import PostKey, SummaryScheduler
from bot.errors import NotFoundError
from bot.record import Record
from bot.settings import Settings

HOSTILE = (
    "Jane Doe (Chair): Will the minister tell @everyone and <@&900000000000000030> why £3 million "
    "went on 12 **new** buses?\n\n"
    "John Roe (Minister for Transport): We spent £3 million on 12 new buses because @here asked "
    "for them, and the buses carry 4,000 passengers a day.\n\n"
)

TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""
EPHEMERAL = 1 << 6
APOLOGY = "Sorry, something went wrong"


def summary_command(session: int | None = None) -> dict:
    """/summary [session:<id>] as a member without Manage Server sends it."""
    options = [option("session", session, kind=4)] if session is not None else []
    return slash("summary", *options, member=READER)


async def not_found_sentence(record: Record, session: int | None = None) -> str:
    """What the core says when there is no such session (or none at all)."""
    with pytest.raises(NotFoundError) as refused:
        await in_guild(record).summary(session)
    return str(refused.value)


async def test_member_summary_shows_the_newest_session(discord_bot: Harness) -> None:
    """A member's /summary defers, then follows up with the newest session's embed: its title and speakers."""
    record = discord_bot.bot.record
    added = await in_guild(record).add_session(TRANSCRIPT, source_name="transport.txt", added_by="test")
    newest = (await in_guild(record).sessions())[0]
    assert newest.id == added.session.id
    token = await discord_bot.interact(summary_command())
    followup = await discord_bot.fake.wait_for_followup(token)
    assert discord_bot.fake.requests_for(token)[0].callback_type == 5  # deferred first
    assert followup.json["allowed_mentions"] == {"parse": []}
    (embed,) = followup.json["embeds"]
    assert embed["title"].startswith(newest.title)
    speakers = [s.name for s in await in_guild(record).speakers(newest.id)]
    assert speakers and all(name in embed["description"] for name in speakers)
    sample_only = {s.name for s in await in_guild(record).speakers(1)} - set(speakers)
    assert sample_only and not any(name in embed["description"] for name in sample_only)
    assert f"session {newest.id}" in embed["footer"]["text"]


async def test_member_summary_of_one_session(discord_bot: Harness) -> None:
    """/summary session:1 shows that session (the sample), not the newer one."""
    record = discord_bot.bot.record
    await in_guild(record).add_session(TRANSCRIPT, source_name="transport.txt", added_by="test")
    sample = next(s for s in await in_guild(record).sessions() if s.id == 1)
    reply = await discord_bot.reply(summary_command(1))
    (embed,) = reply.json["embeds"]
    assert embed["title"] == f"{sample.title} ({sample.date})"
    top = [s.name for s in await in_guild(record).speakers(1)][:3]
    assert top and all(name in embed["description"] for name in top)
    assert "Jane Porter" not in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert any("£47m" in v for v in fields.values())  # the mayor's key figure in the sample


@pytest.mark.parametrize("session", [999, 0, -3])
async def test_member_summary_of_an_unknown_session_says_so(discord_bot: Harness, session: int) -> None:
    """An id with no session gets the core's sentence, privately, not an apology or a crash."""
    shown, public = await discord_bot.shown(summary_command(session))
    assert shown.content == await not_found_sentence(discord_bot.bot.record, session)
    assert shown.ephemeral and public == []  # as Discord shows it, not just the flag sent
    assert APOLOGY not in shown.content
    assert shown.embeds == []


async def test_member_summary_of_an_empty_store_says_to_add_one(discord_bot: Harness) -> None:
    """With no session on record /summary says so in a sentence; the bot keeps answering."""
    record = discord_bot.bot.record
    await in_guild(record).remove_session(1, removed_by="test")
    reply = await discord_bot.reply(summary_command())
    assert reply.json["content"] == await not_found_sentence(record)
    assert "no sessions" in reply.json["content"]
    again = await discord_bot.reply(slash("sessions"))
    assert again.callback_type == 4


@pytest.mark.parametrize(("typed", "found"), [("victim", [1]), ("1", [1]), ("no such title", [])])
async def test_summary_session_autocomplete_offers_stored_sessions(
    discord_bot: Harness, typed: str, found: list[int]
) -> None:
    """The session option completes from the sessions on record, by id or title."""
    payload = slash("summary", option("session", typed, kind=4, focused=True), autocomplete=True)
    reply = await discord_bot.reply(payload)
    assert reply.callback_type == 8
    assert [c["value"] for c in reply.json["data"]["choices"]] == found


def channel_posts(fake: FakeDiscord, channel: str = str(CHANNEL_ID)) -> list[Request]:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def schedule_due_now(record: Record, channel_id: str = str(CHANNEL_ID)) -> None:
    """A 00:00 UTC daily summary set yesterday, so today's post is due at once.

    (A schedule set today after its time would start tomorrow.)
    """
    with time_machine.travel(datetime.now(UTC) - timedelta(days=1), tick=True):
        await in_guild(record).set_summary_schedule(
            platform="discord", channel_id=channel_id, time_of_day="00:00", timezone="UTC", set_by="mod"
        )


async def test_startup_hook_posts_the_summary_in_the_channel(discord_bot: Harness) -> None:
    """Setting a schedule wakes the bot's scheduler; one message of embeds lands in that channel."""
    record = discord_bot.bot.record
    await schedule_due_now(record)
    post = await discord_bot.fake.wait_for(lambda r: r.path == f"/channels/{CHANNEL_ID}/messages")
    body = post.json
    assert body["allowed_mentions"] == {"parse": []}
    (embed,) = body["embeds"]
    assert embed["title"].startswith("Mayor's Question Time: victim support")
    assert "Sadiq Khan" in embed["description"] and "Shaun Bailey" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert any("£47m" in v for v in fields.values())
    assert "Shaun Bailey asked Sadiq Khan" in fields
    assert sum(len(str(v)) for v in fields.values()) + len(embed["description"]) <= 6000
    # Exactly once: another pass the same day posts nothing more.
    again = SummaryScheduler(record, "discord", make_poster(discord_bot.bot))
    assert await again.run_due() == []
    assert len(channel_posts(discord_bot.fake)) == 1


async def test_mentions_in_the_record_never_ping(discord_bot: Harness) -> None:
    """A record quoting @everyone or a role is posted with mentions off and markdown escaped."""
    record = discord_bot.bot.record
    await in_guild(record).add_session(
        HOSTILE.encode(), source_name="hostile.txt", added_by="test", title="Buses", format="transcript"
    )
    await schedule_due_now(record)
    post = await discord_bot.fake.wait_for(lambda r: r.path == f"/channels/{CHANNEL_ID}/messages")
    assert post.json["allowed_mentions"] == {"parse": []}
    text = "\n".join(f["value"] for e in post.json["embeds"] for f in e.get("fields", []))
    assert live_markup(text) == []  # no pill, no highlight: the record's words
    assert "tell @everyone and <@&900000000000000030> why" in as_shown(text)
    assert "12 \\*\\*new\\*\\* buses" in text  # markdown in the record shows as written


async def test_refused_post_is_retried_in_the_same_channel(
    settings: Settings, sample_record: Record, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord refusing the post (403) leaves the day to retry; the retry lands once."""

    async def no_hook(bot: OnrecordBot) -> None:
        return None

    monkeypatch.setattr(app_module, "start_summaries", no_hook)  # drive the scheduler by hand
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        await bot.wait_until_ready()
        await schedule_due_now(sample_record)
        scheduler = SummaryScheduler(sample_record, "discord", make_poster(bot), retry_after=timedelta(0))
        fake.refused_channels.add(str(CHANNEL_ID))
        assert [o.state for o in await scheduler.run_due()] == ["failed"]
        fake.refused_channels.clear()
        assert [o.state for o in await scheduler.run_due()] == ["sent"]
        assert await scheduler.run_due() == []
    finally:
        await stop_bot(bot, task)
    posts = channel_posts(fake)
    assert posts[0].response == {"message": "Missing Permissions", "code": 50013}
    assert len(posts) == 2 and "id" in posts[1].response
    assert all(p.json["allowed_mentions"] == {"parse": []} for p in posts)


async def test_a_post_whose_answer_was_lost_is_found_not_sent_again(
    settings: Settings, sample_record: Record, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord made the message but the connection closed before the answer: the retry reads the
    channel, finds the bot's message with the day's mark, and sends nothing more."""

    async def no_hook(bot: OnrecordBot) -> None:
        return None

    monkeypatch.setattr(app_module, "start_summaries", no_hook)
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        await bot.wait_until_ready()
        await schedule_due_now(sample_record)
        poster, finder = make_poster(bot), make_finder(bot)
        scheduler = SummaryScheduler(
            sample_record, "discord", poster, find_earlier=finder, retry_after=timedelta(0)
        )
        fake.drop_answers = 1
        (failed,) = await scheduler.run_due()
        assert failed.state == "failed"
        (sent,) = await scheduler.run_due()
        assert await scheduler.run_due() == []
    finally:
        await stop_bot(bot, task)
    (message,) = fake.channel_messages[str(CHANNEL_ID)]
    assert (sent.state, sent.message_ref) == ("sent", message["id"])
    assert len(channel_posts(fake)) == 1
    assert message["embeds"][-1]["footer"]["text"].endswith(f"daily summary of {failed.local_day}")
    methods = [r.method for r in fake.requests if r.path == f"/channels/{CHANNEL_ID}/messages"]
    assert methods == ["POST", "GET"]


async def test_a_repeated_send_within_minutes_is_answered_with_the_first_message(
    settings: Settings, sample_record: Record, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each post carries its nonce with enforce_nonce: a resend of the same post makes no second message."""

    async def no_hook(bot: OnrecordBot) -> None:
        return None

    monkeypatch.setattr(app_module, "start_summaries", no_hook)
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        await bot.wait_until_ready()
        await schedule_due_now(sample_record)
        (outcome,) = await SummaryScheduler(sample_record, "discord", make_poster(bot)).run_due()
        key = PostKey("discord", str(CHANNEL_ID), outcome.local_day)
        summary = await sample_record.channel_summary("discord", str(CHANNEL_ID), since=None, until="9999")
        again = await make_poster(bot)(str(CHANNEL_ID), summary, key)
    finally:
        await stop_bot(bot, task)
    (message,) = fake.channel_messages[str(CHANNEL_ID)]
    assert again == outcome.message_ref == message["id"]
    posts = channel_posts(fake)
    assert len(posts) == 2 and all(p.json["nonce"] == key.nonce and p.json["enforce_nonce"] for p in posts)


def test_a_daily_summary_title_with_markdown_shows_as_written() -> None:
    """Titles and exchange names are record text: markdown in them is escaped, within the limits."""
    from adapters.discord.render import escape
    from adapters.discord.summary import session_embed
    from bot.models import Exchange, Quote, SessionSummary

    asked = Quote("Why?", 0, 4, "turn")
    s = SessionSummary(
        session_id=1,
        title="**Budget** _cuts_ `now`",
        date="2024-05-01",
        statements=2,
        unattributed=0,
        speakers=(),
        topics=(),
        exchanges=(Exchange("__Jane__", "*John*", asked, (asked,)),),
        figures=(),
    )
    embed = session_embed(s)
    assert embed.title == escape("**Budget** _cuts_ `now` (2024-05-01)")
    assert embed.title.startswith("\\*\\*Budget\\*\\*")
    assert embed.fields[0].name == escape("__Jane__ asked *John*")
    long = session_embed(SessionSummary(**{**s.__dict__, "title": "*" * 400, "exchanges": ()}))
    assert long.title is not None and len(long.title) <= 256 and not long.title.endswith("\\")
