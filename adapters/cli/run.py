"""``onrecord start`` and ``onrecord run discord|slack|console``: start the bot.

``start`` picks what the configuration allows: Discord and/or Slack when their tokens are
set, otherwise the interactive console on the embedded SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from bot.settings import Settings, load_settings


def register(sub: Any) -> None:
    """Add the ``start`` and ``run`` subcommands."""
    p = sub.add_parser("start", help="run Discord/Slack if tokens are set, else the console")
    p.set_defaults(handler=start)
    r = sub.add_parser("run", help="run one front end")
    r.add_argument("target", choices=["discord", "slack", "console"])
    r.set_defaults(handler=run)


def _configure_logging(settings: Settings) -> None:
    logging.getLogger().setLevel(settings.onrecord_log_level.upper())


def start(args: argparse.Namespace) -> int:
    """Start whatever the settings configure."""
    settings = load_settings()
    _configure_logging(settings)
    targets = [t for t, on in (("discord", settings.has_discord), ("slack", settings.has_slack)) if on]
    if not targets:
        return _run_target("console", settings)
    if len(targets) == 1:
        return _run_target(targets[0], settings)
    return asyncio.run(_run_both(settings))


def run(args: argparse.Namespace) -> int:
    """Run the one front end asked for."""
    settings = load_settings()
    _configure_logging(settings)
    return _run_target(args.target, settings)


def _run_target(target: str, settings: Settings) -> int:
    if target == "console":
        from adapters.cli.console import run_console

        return asyncio.run(run_console(settings))
    if target == "discord":
        from adapters.discord.app import run_discord

        if not settings.has_discord:
            print("onrecord: DISCORD_TOKEN is not set (see .env.example).", file=sys.stderr)
            return 2
        return asyncio.run(run_discord(settings))
    from adapters.slack.app import run_slack

    if not settings.has_slack:
        print("onrecord: SLACK_BOT_TOKEN is not set (see .env.example).", file=sys.stderr)
        return 2
    return asyncio.run(run_slack(settings))


async def _run_both(settings: Settings) -> int:
    from adapters.discord.app import run_discord
    from adapters.slack.app import run_slack

    pending = {asyncio.create_task(run_discord(settings)), asyncio.create_task(run_slack(settings))}
    codes: list[int] = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        codes += [task.result() for task in done]
        if 0 in codes:
            # One front end stopped in order (SIGTERM reaches Slack's handler): stop the
            # other too, rather than leave half the bot running. One that failed at
            # start-up (non-zero) leaves the other serving.
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            break
    return max(codes)
