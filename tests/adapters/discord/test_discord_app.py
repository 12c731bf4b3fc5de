"""Starting and stopping the Discord client: startup hooks, background tasks, a bad token."""

from __future__ import annotations

import asyncio
import logging

import pytest
from discord_harness import Harness, start_bot, stop_bot
from fake_discord import FakeDiscord, option, slash
from pydantic import SecretStr

from adapters.discord.app import RESTARTING, OnrecordBot, run_discord
from bot.record import Record
from bot.settings import Settings


async def test_startup_hooks_run_after_sync_and_background_tasks_stop_on_close(
    settings: Settings, record: Record, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A startup hook sees commands already synced; the task it starts is cancelled by close()."""
    seen: list[str] = []
    stopped = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    async def hook(bot: OnrecordBot) -> None:
        seen.append(next(r.method for r in fake.requests if r.path.endswith("/commands")))
        assert bot.record is record
        bot.run_in_background(forever(), "test-forever")

    original = OnrecordBot.__init__

    def with_hook(self: OnrecordBot, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        self.startup_hooks.append(hook)

    monkeypatch.setattr(OnrecordBot, "__init__", with_hook)
    bot, task = await start_bot(settings, record, fake)
    assert seen == ["PUT"]
    assert not stopped.is_set()
    await stop_bot(bot, task)
    assert stopped.is_set()


async def test_a_refused_token_exits_with_code_2_and_never_logs_the_token(
    settings: Settings, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord refusing DISCORD_TOKEN ends run_discord with exit code 2 and a message naming the setting."""
    settings.discord_token = SecretStr("wrong-secret-token")
    with caplog.at_level(logging.DEBUG):
        code = await asyncio.wait_for(run_discord(settings), 20)
    assert code == 2
    assert "DISCORD_TOKEN" in caplog.text
    assert "wrong-secret-token" not in caplog.text


async def test_commands_arriving_while_closing_are_turned_away_politely(discord_bot: Harness) -> None:
    """Once shutdown has begun, a new /ask gets a private "restarting" note instead of silence."""
    discord_bot.bot.closing = True
    shown, public = await discord_bot.shown(slash("ask", option("question", "what did Khan say?")))
    assert shown.content == RESTARTING
    assert shown.ephemeral and public == []
