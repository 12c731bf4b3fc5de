"""Storage: migrations, one-transaction adds, duplicates, cascades, FTS safety, people merging."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from shared_data import SAMPLE, SHARED

from bot.ingest.prepare import prepare
from bot.models import Extraction, Person, Statement
from storage import people, search, sessions
from storage.connection import QueryTimeoutError, connect, migrate, migration_files
from storage.sessions import NewSession

REPO = Path(__file__).resolve().parents[2]


def _extraction(text: str, quotes: list[tuple[str | None, str]], source: str = "sample.txt") -> Extraction:
    """Statements built from real sample text: each quote located at its true offset."""
    statements = []
    for speaker, quote in quotes:
        start = text.index(quote)
        statements.append(Statement(speaker, quote, "direct", start, start + len(quote)))
    return Extraction(
        source,
        text,
        "utf-8",
        "prose",
        tuple(statements),
        (Person("Sadiq Khan", role="Mayor of London", aliases=("Mr Khan", "the mayor")),),
    )


SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
QUOTES = [
    (
        "Sadiq Khan",
        "The police service in London has been cut and the the government is failing in its duty "
        "to keep London safe.",
    ),
    ("Shaun Bailey", "I just want to focus on victim support."),
    (None, "London’s death toll has now risen to over 62 since the beginning of 2018."),
]


async def _store(tmp_path: Path, name: str = "db.sqlite3"):
    store = await connect(tmp_path / name)
    await migrate(store)
    return store


async def _add(store, extraction: Extraction, title: str = "MQT", replace_id: int | None = None) -> int:
    prepared = prepare(extraction, source_name=extraction.source, title=title, date="2018-05-16")
    new = NewSession(
        prepared.title,
        prepared.date,
        extraction.source,
        "prose",
        "utf-8",
        prepared.content_hash,
        "test",
        extraction.text,
    )
    return await sessions.store(
        store.conn, "local", new, prepared.statements, prepared.people, replace_id=replace_id
    )


async def test_migrations_set_user_version_wal_and_foreign_keys(tmp_path: Path) -> None:
    """A new store is migrated to the newest version, in WAL mode with foreign keys on."""
    store = await _store(tmp_path)
    try:
        async with store.conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone())[0] == migration_files()[-1][0]
        async with store.conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with store.conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
        assert await migrate(store) == migration_files()[-1][0]  # re-running applies nothing new
    finally:
        await store.close()


async def test_two_openers_of_a_new_file_migrate_it_once(tmp_path: Path) -> None:
    """Two bot processes starting at once on a fresh file both open it; neither fails."""
    import asyncio

    path = tmp_path / "fresh.sqlite3"

    async def open_and_migrate() -> int:
        store = await connect(path)
        try:
            return await migrate(store)
        finally:
            await store.close()

    versions = await asyncio.gather(*(open_and_migrate() for _ in range(4)))
    assert set(versions) == {migration_files()[-1][0]}


async def test_add_then_remove_cascades_to_statements_and_index(tmp_path: Path) -> None:
    """Removing a session removes its statements and their full-text entries."""
    store = await _store(tmp_path)
    try:
        sid = await _add(store, _extraction(SAMPLE_TEXT, QUOTES))
        assert await search.match(store.conn, "local", ["police"]) != []
        removed = await sessions.remove(store.conn, "local", sid, "test")
        assert removed is not None and removed.statements == 3
        assert await search.match(store.conn, "local", ["police"]) == []
        async with store.conn.execute("SELECT count(*) FROM statements") as cur:
            assert (await cur.fetchone())[0] == 0
        assert await sessions.remove(store.conn, "local", sid, "test") is None
    finally:
        await store.close()


async def test_removed_session_id_is_never_reused(tmp_path: Path) -> None:
    """After the newest session is removed, the next add gets a fresh id, not the removed one."""
    store = await _store(tmp_path)
    try:
        first = await _add(store, _extraction(SAMPLE_TEXT, QUOTES[:1]))
        await sessions.remove(store.conn, "local", first, "test")
        second = await _add(store, _extraction(SAMPLE_TEXT + " ", QUOTES[1:2]), title="Other")
        assert second > first
        assert await sessions.get(store.conn, "local", first) is None
        assert len(await search.match(store.conn, "local", ["victim"], session_ids=[second])) == 1
        assert await search.match(store.conn, "local", ["police"]) == []
    finally:
        await store.close()


@pytest.mark.parametrize(
    "hostile", ['victim" OR *', "NEAR(", '"""', "police AND", "*", "col:police", "^police", ""]
)
async def test_fts_syntax_in_terms_is_searched_as_words(tmp_path: Path, hostile: str) -> None:
    """FTS5 syntax in user words never reaches MATCH as syntax and never raises."""
    store = await _store(tmp_path)
    try:
        await _add(store, _extraction(SAMPLE_TEXT, QUOTES))
        hits = await search.match(store.conn, "local", [hostile])
        assert isinstance(hits, list)
    finally:
        await store.close()


async def test_people_merge_across_sessions_by_name_and_alias(tmp_path: Path) -> None:
    """The same person in two sessions is one person; aliases from records accumulate."""
    store = await _store(tmp_path)
    try:
        await _add(store, _extraction(SAMPLE_TEXT, QUOTES[:1]))
        other = SAMPLE_TEXT + "\n\nA later session."
        await _add(store, _extraction(other, QUOTES[:1], source="later.txt"), title="Later")
        rows = await people.listing(store.conn, "local")
        khan = [p for p in rows if p.name == "Sadiq Khan"]
        assert len(khan) == 1 and khan[0].sessions == 2 and khan[0].statements == 2
        assert "the mayor" in khan[0].aliases and "Mr Khan" in khan[0].aliases
        assert await people.find_by_key(store.conn, "local", "themayor") == [khan[0].id]
    finally:
        await store.close()


async def test_replace_keeps_id_and_swaps_statements(tmp_path: Path) -> None:
    """Replacing a session keeps its id; old statements are gone, new ones searchable."""
    store = await _store(tmp_path)
    try:
        sid = await _add(store, _extraction(SAMPLE_TEXT, QUOTES[:1]))
        again = await _add(store, _extraction(SAMPLE_TEXT + " ", QUOTES[1:2]), replace_id=sid)
        assert again == sid
        assert await search.match(store.conn, "local", ["police"]) == []
        assert len(await search.match(store.conn, "local", ["victim"])) == 1
    finally:
        await store.close()


async def test_same_content_hash_is_refused_inside_the_write(tmp_path: Path) -> None:
    """Two sessions with one content hash cannot both be stored: the hash is looked up under
    the write lock (so a racing add is told which session holds it); the failed add leaves nothing."""
    store = await _store(tmp_path)
    try:
        first = await _add(store, _extraction(SAMPLE_TEXT, QUOTES))
        with pytest.raises(sessions.ContentStoredError) as info:
            await _add(store, _extraction(SAMPLE_TEXT, QUOTES), title="Again")
        assert info.value.row.id == first
        assert len(await sessions.listing(store.conn, "local")) == 1
        async with store.conn.execute("SELECT count(*) FROM statements") as cur:
            assert (await cur.fetchone())[0] == 3
    finally:
        await store.close()


async def test_slow_read_is_interrupted_by_the_time_limit(tmp_path: Path) -> None:
    """A read that runs past its time limit raises QueryTimeoutError instead of stalling."""
    store = await _store(tmp_path)
    try:
        slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        with pytest.raises(QueryTimeoutError):
            async with store.time_limit(0.05), store.conn.execute(slow) as cur:
                await cur.fetchone()
        async with store.conn.execute("SELECT 1") as cur:  # the connection still works
            assert (await cur.fetchone())[0] == 1
    finally:
        await store.close()


def test_killed_mid_add_leaves_the_store_consistent(tmp_path: Path) -> None:
    """Killing a process in the middle of adding a session's statements leaves no partial session."""
    db = tmp_path / "crash.sqlite3"
    # A real committee meeting (QMSum, Welsh Parliament) as a "Speaker: words" transcript.
    meeting = json.loads(
        (SHARED / "corpus" / "qmsum-committee" / "val" / "education_18.json").read_text("utf-8")
    )
    source = tmp_path / "meeting.txt"
    source.write_text(
        "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in meeting["meeting_transcripts"]),
        "utf-8",
    )
    script = textwrap.dedent(
        f"""
        import asyncio, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        import storage.sessions
        from bot.record import Record

        real_insert = storage.sessions.insert_many

        async def insert_then_stall(conn, session_id, bucket, statements, ids):
            await real_insert(conn, session_id, bucket, statements, ids)
            print("inserted", len(statements), flush=True)  # inside the open transaction
            time.sleep(60)

        storage.sessions.insert_many = insert_then_stall

        async def main():
            rec = await Record.open(Path({str(db)!r}))
            data = Path({str(source)!r}).read_bytes()
            await rec.add_session(data, source_name="meeting.txt", added_by="test")
            print("done", flush=True)

        asyncio.run(main())
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    line = proc.stdout.readline() if ready else ""
    if not line.startswith("inserted"):
        proc.kill()
        pytest.fail(f"the add never reached its statements: {line!r}")
    assert int(line.split()[1]) > 100
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
        assert (
            conn.execute(
                "SELECT count(*) FROM statements_terms WHERE statements_terms MATCH 'c6c6f63616cxpolice'"
            ).fetchone()[0]
            == 0
        )
    finally:
        conn.close()
