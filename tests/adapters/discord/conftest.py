"""Fixtures that run the real discord.py client against the local fake Discord.

``discord_bot`` starts ``build_bot(settings, record)`` with discord.py's REST base and
gateway URL pointed at ``FakeDiscord`` on 127.0.0.1, waits for IDENTIFY -> READY, and
closes everything afterwards. The store is a real SQLite file in a tmp dir.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from fake_discord import GUILD_ID, FakeDiscord, Request

from adapters.discord.app import OnrecordBot, build_bot
from bot.record import Record
from bot.settings import Settings

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
SAMPLE = SHARED / "samples" / "mayors-question-time-victim-support.txt"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_MODERATOR_ROLE", "ONRECORD_MAX_SOURCE_MB"):
        monkeypatch.delenv(name, raising=False)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        onrecord_db=tmp_path / "store.sqlite3",
        discord_token="fake-token",  # type: ignore[arg-type]
        discord_guild_id=GUILD_ID,
    )


@pytest.fixture
async def record(settings: Settings) -> AsyncIterator[Record]:
    store = await Record.open(settings.onrecord_db)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def sample_record(record: Record) -> Record:
    await record.add_session(
        SAMPLE.read_bytes(),
        source_name=SAMPLE.name,
        added_by="test",
        title="Mayor's Question Time: victim support",
        date="2017-01-19",
    )
    return record


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
    try:
        yield server
    finally:
        await server.stop()


@dataclass
class Harness:
    """A connected bot and the fake it talks to."""

    bot: OnrecordBot
    fake: FakeDiscord

    async def interact(self, payload: dict[str, Any]) -> str:
        """Deliver an interaction and return its token (to find the replies by)."""
        await self.fake.send_interaction(payload)
        return str(payload["token"])

    async def reply(self, payload: dict[str, Any]) -> Request:
        """Deliver an interaction and return the first message the bot sent for it.

        That is the callback itself when it carries a message (type 4), else the first
        follow-up after a deferral (type 5).
        """
        token = await self.interact(payload)
        callback = await self.fake.wait_for_callback(token)
        if callback.callback_type == 5:
            return await self.fake.wait_for_followup(token)
        return callback


async def start_bot(
    settings: Settings, record: Record, fake: FakeDiscord
) -> tuple[OnrecordBot, asyncio.Task[None]]:
    """Build the bot, log it in against the fake and wait for READY."""
    bot = build_bot(settings, record)
    task = asyncio.create_task(bot.start("fake-token"))
    waiter = asyncio.create_task(fake.identified.wait())
    done, _ = await asyncio.wait({task, waiter}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()  # raises whatever stopped the login
    assert waiter in done, "the client never identified to the fake gateway"
    return bot, task


async def stop_bot(bot: OnrecordBot, task: asyncio.Task[None]) -> None:
    """Close the client and wait for its run task to end."""
    await bot.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def discord_bot(settings: Settings, sample_record: Record, fake: FakeDiscord) -> AsyncIterator[Harness]:
    bot, task = await start_bot(settings, sample_record, fake)
    try:
        yield Harness(bot, fake)
    finally:
        await stop_bot(bot, task)
    # Whatever a test did, every message the bot sent had mentions switched off.
    for message in fake.messages():
        assert message.get("allowed_mentions") == {"parse": []}, message
