"""Driving the real discord.py client against the local fake Discord, for tests.

Kept out of ``conftest.py`` under a name no other test folder uses: test modules import
these helpers by module name, and the name ``conftest`` belongs to whichever folder's
conftest pytest loaded last, so ``from conftest import …`` breaks when Slack's loads later.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from fake_discord import GUILD_ID, FakeDiscord, Request

from adapters.discord.app import OnrecordBot, build_bot
from bot.record import CommunityRecord, Record
from bot.settings import Settings


def in_guild(record: Record, guild_id: int = GUILD_ID) -> CommunityRecord:
    """The record of a test server's community, as the bot reads it for interactions there."""
    return record.community(f"discord:{guild_id}")


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
