"""`onrecord add` on hostile input: one sentence on stderr, exit status 1, nothing stored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import hostile_files as h
import pytest
from cli_runner import cli


def stored(db: Path) -> list[dict]:
    result = cli(db, "sessions", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("malformed.docx", h.docx_malformed_xml, "a part is not well-formed XML"),
        ("nested.json", lambda: h.json_nested(100_000), "is JSON nested too deeply"),
        ("v9.pdf", h.pdf_encrypted_v9, "is an encrypted PDF whose encryption onrecord cannot open"),
        ("bomb.docx", lambda: h.docx_bomb(100), "would expand to 100 MB"),
    ],
)
def test_a_hostile_file_is_one_line_and_exit_1(tmp_path: Path, name: str, build, message: str) -> None:
    """The refusal is the reader's sentence on one line, not a traceback; the store stays empty."""
    path = tmp_path / name
    path.write_bytes(build())
    db = tmp_path / "s.sqlite3"
    result = cli(db, "add", str(path))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"onrecord: {path}:")
    assert stored(db) == []


def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    """/dev/zero is refused from its type; before, it grew to gigabytes."""
    db = tmp_path / "s.sqlite3"
    result = cli(db, "add", "/dev/zero")
    assert result.returncode == 1
    assert "/dev/zero is a device, not a regular file" in result.stderr
    assert stored(db) == []


@pytest.mark.timeout(60)
def test_a_named_pipe_is_refused_without_hanging(tmp_path: Path) -> None:
    """A FIFO with no writer is refused instead of blocking the command forever."""
    fifo = tmp_path / "transcript.txt"
    os.mkfifo(fifo)
    db = tmp_path / "s.sqlite3"
    result = cli(db, "add", str(fifo))
    assert result.returncode == 1
    assert "is a named pipe, not a regular file" in result.stderr
    assert stored(db) == []


def test_a_sparse_gigabyte_is_refused_from_its_size(tmp_path: Path) -> None:
    """The size on disk is checked before reading: a 1 GB file is refused without reading it."""
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(1024 * 1024 * 1024)
    db = tmp_path / "s.sqlite3"
    result = cli(db, "add", str(big))
    assert result.returncode == 1
    assert "is 1024.0 MB, over the 60 MB limit" in result.stderr
    assert stored(db) == []
