"""``onrecord console``: the interactive console on the default database."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.settings import load_settings


def register(sub: Any) -> None:
    """Add the ``console`` subcommand."""
    p = sub.add_parser("console", help="ask questions interactively (loads the sample into an empty store)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the console."""
    from adapters.console import run_console

    return asyncio.run(run_console(load_settings()))
