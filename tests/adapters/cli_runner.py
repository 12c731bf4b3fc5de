"""Running the real ``onrecord`` command line in a subprocess, for tests.

A module of its own (not a test file) so every CLI test file imports the same runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


MAIN = "import sys; from adapters.cli import main; sys.exit(main())"


def cli_env(db: Path, **settings: str) -> dict[str, str]:
    """The environment ``cli`` runs in: ONRECORD_DB, the repo on the path, and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ONRECORD_"))}
    env["ONRECORD_DB"] = str(db)
    env["PYTHONPATH"] = str(REPO)
    env.update({name.upper(): value for name, value in settings.items()})
    return env


def cli(
    db: Path, *args: str, stdin: str | None = None, cwd: Path = REPO, timeout: float = 120, **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run ``onrecord ARGS`` on store ``db``; chat tokens and other ONRECORD_* settings are left out.

    A process still running after ``timeout`` seconds fails the test (``TimeoutExpired``):
    a command that hangs is a bug, not a slow test.
    """
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(db, **settings),
        cwd=cwd,
        timeout=timeout,
    )
