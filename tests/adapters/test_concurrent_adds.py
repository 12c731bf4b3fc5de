"""Two large adds at once, as two ``onrecord add`` processes on one store.

Reported: with two 45 MB transcripts the second add crashed with "database is locked" (one
write outlasted the 10 s busy timeout) and its source was not stored; the same file added
twice at once gave an ``IntegrityError`` traceback. Now an add queues for the write lock,
says "Waiting for another add to finish…", and the second of two identical adds gets the
duplicate sentence. To make the overlap certain rather than lucky, a third process holds
SQLite's write lock (``BEGIN IMMEDIATE``, what a committing add holds) until both adds
have said they are waiting, and longer than the busy timeout.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import MAIN, cli, cli_env
from shared_data import CORPUS

from bot.record import Record
from bot.wording import WAITING_FOR_ADD
from storage.connection import BUSY_TIMEOUT_MS

TIMEOUT = 300


def transcript(path: Path, megabytes: float, salt: str) -> Path:
    """A ``Name: words`` transcript of real committee turns (QMSum), ``megabytes`` long, unique by salt."""
    turns = []
    for source in sorted((CORPUS / "qmsum-committee" / "val").glob("*.json")):
        turns += [(t["speaker"], t["content"]) for t in json.loads(source.read_text())["meeting_transcripts"]]
    lines, size, i = [], 0, 0
    while size < megabytes * 1024 * 1024:
        speaker, words = turns[i % len(turns)]
        line = f"{speaker}: {words} (part {salt}-{i})\n\n"
        lines.append(line)
        size += len(line.encode())
        i += 1
    path.write_text("".join(lines), encoding="utf-8")
    return path


class Add:
    """A running ``onrecord add``: its stderr is read line by line as it comes."""

    def __init__(self, db: Path, source: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", MAIN, "add", str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(db),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, words: str, timeout: float) -> None:
        """Block until a stderr line holding ``words`` arrives (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while not any(words in line for line in self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"no {words!r} on stderr: {self.seen}"
            try:
                self.seen.append(self.lines.get(timeout=left))
            except queue.Empty:
                continue

    def finish(self) -> tuple[int, str, str]:
        """Exit status, stdout and the whole of stderr."""
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.process.returncode, out, "".join(self.seen)


class WriteLock:
    """Another process's write in progress: a connection holding ``BEGIN IMMEDIATE``."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        self.since = time.monotonic()

    def release(self, held_at_least: float) -> None:
        time.sleep(max(0.0, held_at_least - (time.monotonic() - self.since)))
        self.conn.execute("COMMIT")
        self.conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A migrated, empty store (made by the command line itself)."""
    path = tmp_path / "store.sqlite3"
    assert cli(path, "sessions").returncode == 0
    yield path
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def stored(db: Path) -> list[dict]:
    result = cli(db, "sessions", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


BEYOND_BUSY_TIMEOUT = BUSY_TIMEOUT_MS / 1000 + 2


@pytest.mark.timeout(TIMEOUT)
def test_two_large_adds_queue_and_both_are_stored(db: Path, tmp_path: Path) -> None:
    """Both adds wait for the write lock past the busy timeout, say so, and both sessions are stored whole."""
    first = transcript(tmp_path / "first.txt", 2, "a")
    second = transcript(tmp_path / "second.txt", 2, "b")
    lock = WriteLock(db)
    adds = [Add(db, first), Add(db, second)]
    for add in adds:
        add.wait_for(WAITING_FOR_ADD, TIMEOUT / 2)
    lock.release(held_at_least=BEYOND_BUSY_TIMEOUT)
    results = [add.finish() for add in adds]
    for (code, out, err), source in zip(results, (first, second), strict=True):
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
        assert f"onrecord: {source}: {WAITING_FOR_ADD}" in err
        assert out.strip().isdigit()
    sessions = stored(db)
    assert sorted(s["source_name"] for s in sessions) == ["first.txt", "second.txt"]
    # Each whole: every statement extraction finds in the file was stored.
    for s in sessions:
        assert s["statements"] == len(Record.extract_file(tmp_path / s["source_name"]).statements) > 1000


@pytest.mark.timeout(TIMEOUT)
def test_the_same_file_added_twice_at_once_is_the_duplicate_sentence(db: Path, tmp_path: Path) -> None:
    """Both found nothing stored before the wait; the second to write is told which session holds it."""
    source = transcript(tmp_path / "same.txt", 1, "same")
    lock = WriteLock(db)
    adds = [Add(db, source), Add(db, source)]
    for add in adds:
        add.wait_for(WAITING_FOR_ADD, TIMEOUT / 2)
    lock.release(held_at_least=1)
    results = sorted(add.finish() for add in adds)
    (ok, out, _), (refused, _, err) = results
    assert (ok, refused) == (0, 1)
    assert out.strip() == "1"
    assert "IntegrityError" not in err and "Traceback" not in err
    assert f"onrecord: {source}: This record is already stored as session 1 ('Same')." in err
    assert len(stored(db)) == 1


@pytest.mark.timeout(TIMEOUT)
def test_two_large_adds_started_together_both_store(db: Path, tmp_path: Path) -> None:
    """No lock held by the test: two adds run side by side as they would in use, and neither fails."""
    sources = [transcript(tmp_path / f"{name}.txt", 1.5, name) for name in ("left", "right")]
    adds = [Add(db, source) for source in sources]
    for code, _, err in (add.finish() for add in adds):
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert sorted(s["source_name"] for s in stored(db)) == ["left.txt", "right.txt"]
