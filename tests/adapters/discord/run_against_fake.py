"""Run ``onrecord run discord`` as its own process, pointed at a fake Discord (for tests).

Usage: ``python run_against_fake.py API_BASE GATEWAY_URL``, with the usual settings
(ONRECORD_DB, DISCORD_TOKEN, DISCORD_GUILD_ID) in the environment. The only change from
the real command is where discord.py connects; ONRECORD_TEST_SLOW_ASK=SECONDS makes each
/ask take that long, so a test can stop the process with an answer in flight.
"""

from __future__ import annotations

import asyncio
import os
import sys

import discord
import yarl
from discord.gateway import DiscordWebSocket

from adapters.cli import main
from bot.record import Record


def point_at_fake(api_base: str, gateway: str) -> None:
    discord.http.Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def slow_down_ask(seconds: float) -> None:
    ask = Record.ask

    async def slow(self: Record, question: str, *, limit: int = 5):  # type: ignore[no-untyped-def]
        await asyncio.sleep(seconds)
        return await ask(self, question, limit=limit)

    Record.ask = slow  # type: ignore[method-assign]


if __name__ == "__main__":
    point_at_fake(sys.argv[1], sys.argv[2])
    if os.environ.get("ONRECORD_TEST_SLOW_ASK"):
        slow_down_ask(float(os.environ["ONRECORD_TEST_SLOW_ASK"]))
    sys.exit(main(["run", "discord"]))
