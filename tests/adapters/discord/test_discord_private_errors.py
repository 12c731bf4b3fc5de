"""Errors stay private, judged by what Discord would show the channel, not by the flags sent.

The fake follows Discord's rule that the first follow-up after a deferral edits the
"thinking…" message and keeps its visibility, so an ephemeral flag on that follow-up
counts for nothing; these tests look at the messages left visible to the channel.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from discord_harness import Harness, in_guild, start_bot, stop_bot
from fake_discord import (
    MODERATOR,
    READER,
    FakeDiscord,
    Member,
    attachment,
    component,
    modal_submit,
    option,
    slash,
)
from shared_data import SAMPLE

from bot.record import Record
from bot.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)
KHAN_QUESTION = "what did Khan say on victim support?"
APOLOGY = "Sorry, something went wrong"
TRANSCRIPT = b"""Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


def upload(fake: FakeDiscord, content: bytes, name: str, size: int | None = None) -> dict[str, Any]:
    """/session add file:<name> by a moderator; ``size`` overrides the size Discord reports."""
    file_option, resolved = attachment(fake, name, content)
    if size is not None:
        for item in resolved["attachments"].values():
            item["size"] = size
    return slash("session", file_option, member=MODERATOR, subcommand="add", resolved=resolved)


async def assert_private(harness: Harness, payload: dict[str, Any], expected: str) -> None:
    """The interaction's only visible outcome is a private message holding ``expected``."""
    first, public = await harness.shown(payload)
    assert expected in first.content, first.content
    assert first.ephemeral
    assert public == []


@pytest.mark.parametrize(
    ("content", "name", "size", "expected"),
    [
        pytest.param(b"", "empty.txt", None, "empty", id="empty file"),
        pytest.param(PNG, "chart.png", None, "image", id="png"),
        pytest.param(bytes(range(256)) * 8, "image.bin", None, "binary", id="binary"),
        pytest.param(b"Chair: words.", "huge.txt", 70 * 1024 * 1024, "at most 60 MB", id="70 MB"),
        pytest.param(SAMPLE.read_bytes(), SAMPLE.name, None, "already", id="duplicate"),
    ],
)
async def test_refused_uploads_are_shown_only_to_the_moderator(
    discord_bot: Harness, content: bytes, name: str, size: int | None, expected: str
) -> None:
    """An empty, image, binary, oversized or duplicate upload is refused privately; nothing is stored."""
    await assert_private(discord_bot, upload(discord_bot.fake, content, name, size), expected)
    assert len(await in_guild(discord_bot.bot.record).sessions()) == 1


async def test_a_refused_local_address_is_shown_only_to_the_moderator(discord_bot: Harness) -> None:
    """/session add url: to the bot's own host is refused privately."""
    payload = slash("session", option("url", "http://127.0.0.1:9/report"), member=MODERATOR, subcommand="add")
    await assert_private(discord_bot, payload, "local or private address")


async def test_a_refused_replace_is_shown_only_to_the_moderator(discord_bot: Harness) -> None:
    """/session replace of a session that does not exist says so privately."""
    file_option, resolved = attachment(discord_bot.fake, "transport.txt", b"Chair: Welcome, all.\n")
    payload = slash(
        "session",
        option("id", 99, kind=4),
        file_option,
        member=MODERATOR,
        subcommand="replace",
        resolved=resolved,
    )
    await assert_private(discord_bot, payload, "99")


async def test_a_refused_paste_is_shown_only_to_the_moderator(discord_bot: Harness) -> None:
    """Pasting a record that is already stored is refused privately from the modal."""
    opened = await discord_bot.reply(slash("session", member=MODERATOR, subcommand="add"))
    submitted = modal_submit(opened.json["data"]["custom_id"], {"record_text": SAMPLE.read_text()})
    await assert_private(discord_bot, submitted, "already")


async def test_a_stored_upload_is_reported_to_the_moderator_privately(discord_bot: Harness) -> None:
    """Moderators' commands defer privately, so the extraction report is the moderator's too."""
    payload = upload(discord_bot.fake, TRANSCRIPT, "transport.txt")
    await assert_private(discord_bot, payload, "Stored session 2")


@pytest.mark.parametrize("session", [99, 0])
async def test_member_summary_of_a_missing_session_is_private(discord_bot: Harness, session: int) -> None:
    """A member's /summary session:99 answers privately: the channel sees no error."""
    payload = slash("summary", option("session", session, kind=4))
    await assert_private(discord_bot, payload, "99" if session else "session")


async def test_summary_of_an_empty_store_is_private(
    settings: Settings, record: Record, fake: FakeDiscord
) -> None:
    """/summary with nothing stored says so privately."""
    bot, task = await start_bot(settings, record, fake)
    try:
        await assert_private(Harness(bot, fake), slash("summary"), "no sessions")
    finally:
        await stop_bot(bot, task)


@pytest.mark.parametrize(
    ("name", "options", "method"),
    [
        ("ask", [option("question", KHAN_QUESTION)], "ask"),
        ("quotes", [option("speaker", "Khan")], "quotes"),
        ("summary", [], "summary"),
    ],
)
async def test_a_bug_in_a_public_answer_apologises_privately(
    discord_bot: Harness,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    name: str,
    options: list[dict[str, Any]],
    method: str,
) -> None:
    """A command that deferred publicly and then failed leaves no public trace; the apology is private."""

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index gone")

    monkeypatch.setattr(in_guild(discord_bot.bot.record), method, broken)
    with caplog.at_level(logging.ERROR):
        await assert_private(discord_bot, slash(name, *options, member=READER), APOLOGY)


async def test_a_public_answer_stays_public(discord_bot: Harness) -> None:
    """The fix keeps answers where they were: /ask's answer replaces "thinking…" for everyone."""
    first, public = await discord_bot.shown(slash("ask", option("question", KHAN_QUESTION)))
    assert not first.ephemeral
    assert public == [first]
    assert "£47m" in first.embeds[0]["description"]


async def test_stranger_turning_pages_is_told_privately(discord_bot: Harness) -> None:
    """Someone else pressing Next gets a private note; the answer is unchanged."""
    reply = await discord_bot.reply(slash("quotes", option("speaker", "Khan")))
    next_id = reply.json["components"][0]["components"][2]["custom_id"]
    pressed = component(next_id, reply.response, member=Member(user_id=7))
    await assert_private(discord_bot, pressed, "Only the person")
