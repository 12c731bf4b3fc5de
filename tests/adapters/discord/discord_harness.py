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

from fake_discord import GUILD_ID, READER, FakeDiscord, Member, Request, Shown, component

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

    async def shown(self, payload: dict[str, Any]) -> tuple[Shown, list[Shown]]:
        """Deliver an interaction; return the first message it showed, and all it left public."""
        token = await self.interact(payload)
        first = await self.fake.wait_for_shown(token)
        return first, self.fake.public_for(token)

    async def press(self, message_id: str, label: str, member: Member = READER) -> Shown:
        """Press the button labelled ``label`` on a shown message; return the message after."""
        shown = self.fake.shown[message_id]
        buttons = [b for row in shown.components for b in row["components"]]
        (button,) = [b for b in buttons if b.get("label") == label]
        assert not button.get("disabled"), f"{label} is disabled"
        message = self.fake.message_payload(message_id)
        token = await self.interact(component(button["custom_id"], message, member))
        callback = await self.fake.wait_for_callback(token)
        assert callback.callback_type == 7, callback.json  # the message is updated in place
        return self.fake.shown[message_id]


async def start_bot(
    settings: Settings, record: Record, fake: FakeDiscord
) -> tuple[OnrecordBot, asyncio.Task[None]]:
    """Build the bot, log it in against the fake and wait for READY."""
    bot = build_bot(settings, record)
    fake.identified.clear()  # a restarted bot must identify afresh
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
