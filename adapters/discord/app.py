"""The Discord client: built by a factory, started by ``onrecord run discord``.

``build_bot`` never connects, so tests can hand it a ``Record`` on a tmp SQLite file and
point discord.py at a local fake. ``run_discord`` opens the store, logs in and runs until
stopped: SIGTERM (systemd, Docker) or SIGINT (Ctrl-C) let answers in flight finish for a
few seconds, turn new commands away politely, close the gateway normally (code 1000, so
Discord does not wait for a resume) and then the store. No privileged intent is
requested: slash commands need none, and the GUILDS intent (not privileged) keeps roles
and channels cached for the moderator-role check and for choosing a summary channel.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from adapters.discord import commands, moderation
from adapters.discord.communities import Communities, leave_if_unserved
from adapters.discord.pages import PageTurn
from adapters.discord.replies import NO_MENTIONS, report_error, send
from adapters.discord.summary import make_finder, make_poster
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record
from bot.settings import Settings

log = logging.getLogger(__name__)

StartupHook = Callable[["OnrecordBot"], Awaitable[None]]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
GRACE_SECONDS = 8.0  # for answers in flight; Docker kills 10 s after SIGTERM
RESTARTING = "onrecord is restarting; please ask again in a minute."
# discord.py runs each slash command, button press and modal in a task of these names.
_INTERACTION_TASKS = ("CommandTree-invoker", "discord-ui-view-dispatch", "discord-ui-dynamic-item")


def intents() -> discord.Intents:
    """Only GUILDS: no message content, members or presences (all privileged or unneeded)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


class OnrecordTree(app_commands.CommandTree["OnrecordBot"]):
    """The command tree, with the single error handler for every slash command."""

    async def on_error(
        self, interaction: discord.Interaction[OnrecordBot], error: app_commands.AppCommandError
    ) -> None:
        """Show ``OnrecordError`` text as it is; log anything else and apologise."""
        await report_error(interaction, error)

    async def interaction_check(self, interaction: discord.Interaction[OnrecordBot], /) -> bool:
        """Turn commands away politely once the bot is shutting down."""
        if not interaction.client.closing:
            return True
        if interaction.type is not discord.InteractionType.autocomplete:
            await send(interaction, RESTARTING, ephemeral=True)
        return False


class OnrecordBot(discord.Client):
    """The onrecord Discord client.

    ``record`` is the store every command reads and writes; other features (the daily
    summary poster) use it too. ``startup_hooks`` are awaited once, in order, at the end
    of ``setup_hook`` after commands are synced: append a coroutine function taking the
    bot before ``start`` is called. A hook that needs a long-running task (the daily
    poster) starts it with ``bot.run_in_background(coro, name)``; ``close()`` cancels
    and awaits those tasks before disconnecting, so nothing outlives the client.
    """

    def __init__(self, settings: Settings, record: Record) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_MENTIONS)
        self.settings = settings
        self.record = record
        # Commands get only this: the record of the server each interaction comes from.
        self.communities = Communities(record, settings)
        self.communities.client = self
        self.tree = OnrecordTree(self)
        self.startup_hooks: list[StartupHook] = []
        self._background: set[asyncio.Task[None]] = set()
        self.closing = False
        self.add_dynamic_items(PageTurn)  # page buttons, understood from their custom ids
        commands.register(self.tree, self.communities)
        moderation.register(self.tree, self.communities, settings)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Leave a server that is not in ONRECORD_COMMUNITIES (after one polite message)."""
        await leave_if_unserved(guild, self.communities)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """At start-up too: a server dropped from ONRECORD_COMMUNITIES is left on the next connect."""
        await leave_if_unserved(guild, self.communities)

    async def setup_hook(self) -> None:
        """Sync slash commands, then run the startup hooks."""
        await self.sync_commands()
        for hook in self.startup_hooks:
            await hook(self)

    def run_in_background(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run ``work`` until it ends or the bot closes; a crash is logged, not silent."""
        task = asyncio.create_task(work, name=name)
        self._background.add(task)
        task.add_done_callback(self._background_done)
        return task

    def _background_done(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Background task %s stopped", task.get_name(), exc_info=task.exception())

    async def close(self) -> None:
        """Let answers in flight finish (up to GRACE_SECONDS), stop background tasks, disconnect."""
        if not self.closing:
            self.closing = True
            await self._finish_in_flight()
        tasks = list(self._background)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._close_gateway_with_1000()
        await super().close()

    def _close_gateway_with_1000(self) -> None:
        """Make the gateway's close frame say 1000 (normal closure), as ``close`` means.

        discord.py closes with 1000, but its gateway reader is waiting on the socket, so
        aiohttp first wakes the reader, which closes with 4000 (a resumable close: Discord
        would keep the session and show the bot online until it times out). Pinning this
        one socket's close code keeps the closure normal whichever task sends it.
        """
        socket = getattr(self.ws, "socket", None)
        if socket is None or socket.closed:
            return
        close = socket.close

        async def normal_close(*, code: int = 1000, message: bytes = b"") -> bool:
            return bool(await close(code=1000, message=message))

        socket.close = normal_close

    async def _finish_in_flight(self) -> None:
        current = asyncio.current_task()
        running = [
            t
            for t in asyncio.all_tasks()
            if t is not current and not t.done() and t.get_name().startswith(_INTERACTION_TASKS)
        ]
        if not running:
            return
        log.info("Waiting up to %.0f s for %d answer(s) in flight", GRACE_SECONDS, len(running))
        _, late = await asyncio.wait(running, timeout=GRACE_SECONDS)
        if late:
            log.warning("Closing with %d answer(s) unfinished after %.0f s", len(late), GRACE_SECONDS)

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Register commands with Discord: instantly in ``DISCORD_GUILD_ID``, else globally.

        Global commands can take up to an hour to appear in every server; a test guild sees
        changes at once, which is why the guild setting exists.
        """
        guild_id = self.settings.discord_guild_id
        if guild_id is None:
            synced = await self.tree.sync()
            log.info("Synced %d slash commands globally", len(synced))
            return synced
        guild = discord.Object(id=guild_id)
        self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("Synced %d slash commands to guild %s", len(synced), guild_id)
        return synced


async def start_summaries(bot: OnrecordBot) -> None:
    """Startup hook: post each scheduled Discord channel's daily summary until the bot closes.

    The scheduler waits for the gateway to be ready (so channels resolve); ``bot.close()``
    cancels it, and a post in flight then stays claimed, never doubled.
    """
    scheduler = SummaryScheduler(bot.record, "discord", make_poster(bot), find_earlier=make_finder(bot))

    async def run() -> None:
        await bot.wait_until_ready()
        await scheduler.run_forever()

    bot.run_in_background(run(), "onrecord-daily-summaries")


def build_bot(settings: Settings, record: Record) -> OnrecordBot:
    """A ready-to-start bot bound to ``record``; nothing is contacted until ``start``."""
    bot = OnrecordBot(settings, record)
    bot.startup_hooks.append(start_summaries)  # daily summaries, posted once per channel per day
    return bot


async def run_discord(settings: Settings) -> int:
    """Open the store and run the bot, daily summaries included, until it is stopped.

    SIGTERM or SIGINT closes it cleanly (module docstring). Returns the exit code for the
    CLI: 0 after a normal stop, 2 for a missing or refused token.
    """
    if settings.discord_token is None:
        log.error("DISCORD_TOKEN is not set (see .env.example).")
        return 2
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.getLogger().level or logging.INFO)
    loop = asyncio.get_running_loop()
    # The whole file is checked once here: a damaged store ends the start with one
    # sentence (StoreError) instead of failing members' questions later.
    async with await Record.from_settings(settings, check=True) as record:
        bot = build_bot(settings, record)
        closing: list[asyncio.Task[None]] = []  # holds the close task while it runs

        def stop(received: signal.Signals) -> None:
            if not closing:
                log.info("%s received: closing the Discord bot", received.name)
                closing.append(asyncio.create_task(bot.close(), name="onrecord-discord-close"))

        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, stop, sig)
        try:
            async with bot:
                await bot.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            log.error("Discord refused DISCORD_TOKEN; reset it under Bot > Token in the developer portal.")
            return 2
        finally:
            for sig in STOP_SIGNALS:
                loop.remove_signal_handler(sig)
            if closing:
                await closing[0]
    log.info("Discord bot stopped; store closed")
    return 0
