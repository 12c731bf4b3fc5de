"""Fixtures every test folder shares: a record on a tmp store, empty or holding the sample."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from shared_data import SAMPLE

from bot.record import Record


@pytest.fixture
async def record(tmp_path: Path) -> AsyncIterator[Record]:
    """A real, empty store in a tmp SQLite file."""
    async with await Record.open(tmp_path / "record.sqlite3") as rec:
        yield rec


@pytest.fixture
async def sample_record(record: Record) -> Record:
    """The tmp store holding the shipped sample session (Mayor's Question Time on victim support)."""
    await record.add_session(
        SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test", title="Mayor's Question Time"
    )
    return record
