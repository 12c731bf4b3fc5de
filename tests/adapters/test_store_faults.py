"""A store file that cannot be used ends every process with one sentence, never a hang.

The real ``onrecord`` processes (the command line, ``run discord``, ``run slack``) are run
on damaged copies of a real store and on a real full disk (a tiny tmpfs in a user
namespace), each under a timeout: before, they printed a traceback and 8 of 8 were still
alive after 30-120 s. Each must exit with status 1 and exactly one line on stderr naming
the file and what to do, and leave the file as it was.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import MAIN, cli, cli_env
from shared_data import CORPUS

from bot.record import Record

SOURCES = sorted((CORPUS / "hansard").glob("*.xml"))
SOURCE = CORPUS / "council" / "oakland_transcript.json"  # not in the store: an add would write
# What each front end needs to get as far as opening its store (no network is reached:
# the store is opened first).
FRONT_ENDS = {
    "cli sessions": (("sessions",), {}),
    "cli ask": (("ask", "what did the mayor say about police"), {}),
    "cli add": (("add", str(SOURCE)), {}),
    "run discord": (("run", "discord"), {"discord_token": "not-a-real-token"}),
    "run slack": (("run", "slack"), {"slack_bot_token": "xoxb-not-real", "slack_app_token": "xapp-not-real"}),
}
TIMEOUT = 60


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store holding the three Hansard records, closed (no -wal left beside it)."""
    path = tmp_path_factory.mktemp("good") / "store.sqlite3"

    async def build() -> None:
        async with await Record.open(path) as record:
            for source in SOURCES:
                await record.add_session(source.read_bytes(), source_name=source.name, added_by="test")

    asyncio.run(build())
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def random_bytes(good: Path, bad: Path) -> None:
    bad.write_bytes(bytes(range(256)) * 20)


def header_only(good: Path, bad: Path) -> None:
    bad.write_bytes(good.read_bytes()[:100])


def half(good: Path, bad: Path) -> None:
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])


def deep_page(good: Path, bad: Path) -> None:
    """Overwrite pages near the end: the file opens, and only reading them finds the damage."""
    data = bytearray(good.read_bytes())
    at = len(data) - 4096 * 12
    data[at : at + 4096 * 8] = b"\x55" * (4096 * 8)
    bad.write_bytes(bytes(data))


DAMAGE: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "random bytes": (random_bytes, "is not an onrecord store (SQLite says: file is not a database)"),
    "header only": (header_only, "is damaged (SQLite says: database disk image is malformed)"),
    "truncated to half": (half, "is damaged (SQLite says: database disk image is malformed)"),
}


def assert_one_sentence(result: subprocess.CompletedProcess[str], path: Path, words: str) -> None:
    """Exit status 1 and exactly one line: the file, what is wrong, what to do."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.strip()
    assert line.startswith("onrecord: ") and str(path) in line and words in line, line
    assert line.endswith(".") and line.count("; ") == 1, line  # what is wrong; what to do


CASES = [(damage, "cli sessions") for damage in DAMAGE] + [
    ("truncated to half", front_end) for front_end in FRONT_ENDS if front_end != "cli sessions"
]


@pytest.mark.parametrize(("damage", "front_end"), CASES)
def test_a_damaged_store_is_one_sentence_and_exit_1(
    good_store: Path, tmp_path: Path, damage: str, front_end: str
) -> None:
    """Each damage, and each front end: the sentence, status 1, within the timeout, the file untouched."""
    make, words = DAMAGE[damage]
    bad = tmp_path / "store.sqlite3"
    make(good_store, bad)
    before = bad.read_bytes()
    args, settings = FRONT_ENDS[front_end]
    result = cli(bad, *args, timeout=TIMEOUT, **settings)
    assert_one_sentence(result, bad, words)
    assert bad.read_bytes() == before


@pytest.mark.parametrize("front_end", ["run discord", "run slack"])
def test_bots_check_the_whole_store_at_start_up(good_store: Path, tmp_path: Path, front_end: str) -> None:
    """Damage deep in the file, which opening does not touch, stops a bot at start-up with the page named."""
    bad = tmp_path / "store.sqlite3"
    deep_page(good_store, bad)
    args, settings = FRONT_ENDS[front_end]
    result = cli(bad, *args, timeout=TIMEOUT, **settings)
    assert_one_sentence(result, bad, "is damaged (SQLite says: ")
    assert "restore it from a backup" in result.stderr


def test_damage_met_halfway_through_a_command_is_the_same_sentence(good_store: Path, tmp_path: Path) -> None:
    """The command line does not check the whole file; damage it meets later still ends in the sentence."""
    bad = tmp_path / "store.sqlite3"
    deep_page(good_store, bad)
    result = cli(bad, "sessions", timeout=TIMEOUT)
    assert_one_sentence(result, bad, "is damaged (SQLite says: database disk image is malformed)")


def test_a_sound_store_still_opens(good_store: Path, tmp_path: Path) -> None:
    """The check at start-up passes a sound store: the command line lists its three sessions."""
    copy = tmp_path / "store.sqlite3"
    shutil.copy(good_store, copy)
    result = cli(copy, "sessions", "--json", timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"id"') == 3


def test_a_folder_as_the_store_is_one_sentence(tmp_path: Path) -> None:
    """ONRECORD_DB naming a folder cannot be opened: said, with what to check."""
    result = cli(tmp_path, "sessions", timeout=TIMEOUT)
    assert_one_sentence(result, tmp_path, "cannot be opened")
    assert "ONRECORD_DB" in result.stderr


# --- a real full disk ------------------------------------------------------------------

FULL_DISK = """
mount -t tmpfs -o size=8m tmpfs "$DISK" || exit 97
if [ -n "$STORE_COPY" ]; then cp "$STORE_COPY" "$DISK/store.sqlite3"; fi
dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null
exec "$PYTHON" -c "$MAIN" "$@"
"""


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True, timeout=10
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _namespaces_work(), reason="user and mount namespaces are not available to make a small full disk"
)


def on_full_disk(
    tmp_path: Path, args: tuple[str, ...], settings: dict[str, str], store: Path | None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run ``onrecord ARGS`` with its store on a tmpfs that is full (a filler file takes the rest)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "store.sqlite3"
    env = cli_env(db, **settings)
    env.update(DISK=str(disk), STORE_COPY=str(store or ""), PYTHON=sys.executable, MAIN=MAIN)
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", FULL_DISK, "onrecord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
    )
    assert result.returncode != 97, "could not mount the small disk"
    return result, db


@needs_namespaces
@pytest.mark.parametrize("front_end", ["cli add", "run discord", "run slack"])
def test_a_new_store_on_a_full_disk_is_one_sentence(tmp_path: Path, front_end: str) -> None:
    """No room to create the store: "the disk ... is full", status 1, no traceback, no hang."""
    args, settings = FRONT_ENDS[front_end]
    result, db = on_full_disk(tmp_path, args, settings, None)
    assert_one_sentence(result, db, "is full; free some space on it")


@needs_namespaces
@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_an_existing_store_on_a_full_disk_is_one_sentence(
    good_store: Path, tmp_path: Path, front_end: str
) -> None:
    """A sound store whose disk filled up (SQLite says "disk I/O error" for its -shm file) reads as full."""
    args, settings = FRONT_ENDS[front_end]
    result, db = on_full_disk(tmp_path, args, settings, good_store)
    assert_one_sentence(result, db, "is full; free some space on it")
