"""Fixtures that run the real discord.py client against the local fake Discord.

``discord_bot`` starts ``build_bot(settings, record)`` with discord.py's REST base and
gateway URL pointed at ``FakeDiscord`` on 127.0.0.1, waits for IDENTIFY -> READY, and
closes everything afterwards. The store is a real SQLite file in a tmp dir.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord_harness import Harness, in_guild, start_bot, stop_bot
from fake_discord import GUILD_ID, FakeDiscord
from shared_data import SAMPLE

from bot.record import Record
from bot.settings import Settings


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
    await in_guild(record).add_session(
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
