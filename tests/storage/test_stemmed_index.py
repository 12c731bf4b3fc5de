"""The Porter-stemmed index (migration 0003): filled for old stores, kept in sync by triggers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shared_data import SAMPLE

from bot.record import Record
from storage import search
from storage.connection import connect, migrate


async def test_stemmed_index_follows_adds_and_removes(tmp_path: Path) -> None:
    """An added session's words are found by stem (engagement ~ engage); removing it empties the index."""
    async with await Record.open(tmp_path / "s.sqlite3") as record:
        added = await record.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test")
        conn = record._r.conn
        hits = await search.match_stemmed(conn, ["engagement"])
        assert hits
        scores = await search.stemmed_scores(conn, ["engagement"], [i for i, _ in hits])
        assert set(scores) == {i for i, _ in hits}
        await record.remove_session(added.session.id, removed_by="test")
        assert await search.match_stemmed(conn, ["engagement"]) == []


async def test_migration_indexes_statements_stored_before_it(tmp_path: Path) -> None:
    """A store made before 0003 gets its existing statements into the stemmed index when migrated."""
    path = tmp_path / "old.sqlite3"
    async with await Record.open(path) as record:
        await record.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test")
    with sqlite3.connect(path) as db:  # back to version 2, as a store made before 0003 was
        db.executescript(
            "DROP TRIGGER statements_stems_ai; DROP TRIGGER statements_stems_ad; "
            "DROP TRIGGER statements_stems_au; DROP TABLE statements_stems; PRAGMA user_version = 2;"
        )
    store = await connect(path)
    try:
        assert await migrate(store) >= 3
        assert await search.match_stemmed(store.conn, ["engagement"])
    finally:
        await store.close()
