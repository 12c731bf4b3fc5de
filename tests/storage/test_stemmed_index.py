"""The Porter-stemmed index (migration 0003): filled for old stores, kept in sync by triggers."""

from __future__ import annotations

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
        hits = await search.match_stemmed(conn, "local", ["engagement"])
        assert hits
        scores = await search.stemmed_scores(conn, "local", ["engagement"], [i for i, _ in hits])
        assert set(scores) == {i for i, _ in hits}
        await record.remove_session(added.session.id, removed_by="test")
        assert await search.match_stemmed(conn, "local", ["engagement"]) == []


async def test_migration_indexes_statements_stored_before_it(tmp_path: Path) -> None:
    """A store made before 0003 gets its existing statements into the stemmed index when migrated."""
    path = tmp_path / "old.sqlite3"
    store = await connect(path)
    try:
        await migrate(store, upto=2)  # as a store made before 0003 was
        await store.conn.execute(
            "INSERT INTO sessions(id, title, source_name, format, encoding, content_hash, added_at, text) "
            "VALUES (1, 'MQT', 'mqt.txt', 'transcript', 'utf-8', 'h', '2018-05-16', 'x')"
        )
        await store.conn.execute(
            'INSERT INTO statements(session_id, kind, text, lemmas, tokens, start, "end", position) '
            "VALUES (1, 'turn', 'Our engagement with victims.', 'our engagement with victim', 4, 0, 28, 0)"
        )
        assert await migrate(store) >= 3
        assert await search.match_stemmed(store.conn, "local", ["engaged"])
    finally:
        await store.close()
