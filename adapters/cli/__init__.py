"""The ``onrecord`` command line: extract, add, ask, sessions, console, run, summary.

Each subcommand lives in its own module with a ``register(subparsers)`` function, so the
command line grows without one file holding every idea.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bot.errors import OnrecordError

# Modules under adapters.cli that add subcommands; a missing one is skipped so a partial
# install (or a feature still being built) never breaks the others.
SUBCOMMAND_MODULES = ("extract", "store", "console", "run", "summary")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every available subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="onrecord",
        description="Who said what in political sessions: extract, store and ask.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"adapters.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"adapters.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``onrecord`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        code: int = args.handler(args)
    except OnrecordError as exc:
        # Expected, user-facing problems (bad settings, unreadable file): one clear line.
        print(f"onrecord: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``onrecord ask … | head``): nothing is lost, nothing to say.
        # Point stdout at nothing so the interpreter's final flush does not fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())
