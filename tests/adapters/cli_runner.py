"""Running the real ``onrecord`` command line in a subprocess, for tests.

A module of its own (not a test file) so every CLI test file imports the same runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli(
    db: Path, *args: str, stdin: str | None = None, cwd: Path = REPO, **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run ``onrecord ARGS`` on store ``db``; chat tokens and other ONRECORD_* settings are left out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ONRECORD_"))}
    env["ONRECORD_DB"] = str(db)
    env["PYTHONPATH"] = str(REPO)
    env.update({name.upper(): value for name, value in settings.items()})
    return subprocess.run(
        [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
