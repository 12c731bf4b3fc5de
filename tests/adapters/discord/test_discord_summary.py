"""Daily summaries through the real discord.py client and the fake Discord REST API."""

from __future__ import annotations

from datetime import timedelta

from conftest import Harness
from fake_discord import CHANNEL_ID, FakeDiscord, Request

from adapters.discord.summary import make_poster
from bot.schedule import SummaryScheduler

HOSTILE = (
    "Jane Doe (Chair): Will the minister tell @everyone and <@&900000000000000030> why £3 million "
    "went on 12 new buses? **Really**?\n\n"
    "John Roe (Minister for Transport): We spent £3 million on 12 new buses because @here asked "
    "for them, and the buses carry 4,000 passengers a day.\n\n"
)


def channel_posts(fake: FakeDiscord, channel: str = str(CHANNEL_ID)) -> list[Request]:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def test_startup_hook_posts_the_summary_in_the_channel(discord_bot: Harness) -> None:
    """Setting a schedule wakes the bot's scheduler; one message of embeds lands in that channel."""
    record = discord_bot.bot.record
    await record.set_summary_schedule(
        platform="discord", channel_id=str(CHANNEL_ID), time_of_day="00:00", timezone="UTC", set_by="mod"
    )
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
    await record.add_session(HOSTILE.encode(), source_name="hostile.txt", added_by="test", title="Buses")
    await record.set_summary_schedule(
        platform="discord", channel_id=str(CHANNEL_ID), time_of_day="00:00", timezone="UTC", set_by="mod"
    )
    post = await discord_bot.fake.wait_for(lambda r: r.path == f"/channels/{CHANNEL_ID}/messages")
    assert post.json["allowed_mentions"] == {"parse": []}
    text = str(post.json["embeds"])
    assert "@everyone" in text  # shown as written, but pinging nobody
    assert "\\*\\*Really\\*\\*" in text


async def test_refused_post_is_retried_in_the_same_channel(discord_bot: Harness) -> None:
    """Discord refusing the post (403) leaves the day to retry; the retry lands once."""
    record, fake = discord_bot.bot.record, discord_bot.fake
    fake.refused_channels.add(str(CHANNEL_ID))
    scheduler = SummaryScheduler(record, "discord", make_poster(discord_bot.bot), retry_after=timedelta(0))
    await record.set_summary_schedule(
        platform="discord", channel_id=str(CHANNEL_ID), time_of_day="00:00", timezone="UTC", set_by="mod"
    )
    first = await fake.wait_for(lambda r: r.path == f"/channels/{CHANNEL_ID}/messages")
    assert first.response == {"message": "Missing Permissions", "code": 50013}
    fake.refused_channels.clear()
    outcomes = await scheduler.run_due()
    if not outcomes:  # the bot's own scheduler may have taken the retry first
        await fake.wait_for(lambda r: len(channel_posts(fake)) >= 2)
    await fake.wait_for(lambda r: any(p.response and "id" in p.response for p in channel_posts(fake)))
    delivered = [p for p in channel_posts(fake) if p.response and "id" in p.response]
    assert len(delivered) == 1
