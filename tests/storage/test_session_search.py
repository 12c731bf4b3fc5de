"""Storage: finding a session by id, title words or date, through indexes, among many."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import sessions
from storage.connection import Store, connect, migrate
from storage.sessions import NewSession
from storage.statements import NewStatement

TITLES = [
    ("Mayor's Question Time: victim support", "2017-01-19"),
    ("Police and Crime Committee", "2017-02-08"),
    ("Planning committee: Ealing depot", "2018-11-30"),
    ("Budget hearing (Transport for London)", None),
    ("Commission de l'éducation", "2019-05-02"),
]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await connect(tmp_path / "db.sqlite3")
    await migrate(store)
    for n, (title, day) in enumerate(TITLES, 1):
        text = f"Chair: words {n}."
        new = NewSession(title, day, f"s{n}.txt", "transcript", "utf-8", f"h{n}", "test", text)
        await sessions.store(
            store.conn, "local", new, [NewStatement("Chair", "turn", text, "word", 1, 0, len(text))], []
        )
    try:
        yield store
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("victim sup", [1]),
        ("COMMITTEE", [3, 2]),  # newest first
        ("2017", [2, 1]),
        ("2017-0", [2, 1]),
        ("2018-11-30", [3]),
        ("3", [3]),
        ("education", [5]),  # diacritics ignored
        ("transport london", [4]),
        ("nothing like it", []),
    ],
)
async def test_sessions_are_found_by_id_title_words_or_date(
    store: Store, typed: str, expected: list[int]
) -> None:
    """Title word starts (any case, any accents), an exact id, or a date prefix find the session."""
    assert [s.id for s in await sessions.matching(store.conn, "local", typed)] == expected


@pytest.mark.parametrize("typed", ['"', "*", "' OR 1=1 --", "title:victim", "NEAR(a b)", "x" * 300, "-", ""])
async def test_odd_input_is_just_characters(store: Store, typed: str) -> None:
    """Search syntax in what was typed never raises; no words means the newest sessions."""
    found = await sessions.matching(store.conn, "local", typed, limit=3)
    assert len(found) <= 3
    if not any(c.isalnum() for c in typed):
        assert [s.id for s in found] == [4, 5, 3]  # undated: dated by when it was added


async def test_the_limit_holds_and_an_exact_id_comes_first(store: Store) -> None:
    """An id match leads; the limit caps everything."""
    assert [s.id for s in await sessions.matching(store.conn, "local", "2", limit=1)] == [2]


async def test_renamed_and_removed_sessions_are_found_as_they_now_are(store: Store) -> None:
    """The title index follows replaces (new title) and removals."""
    text = "Chair: new words."
    renamed = NewSession("Housing committee", "2020-01-01", "s1.txt", "transcript", "utf-8", "h9", "t", text)
    statement = NewStatement("Chair", "turn", text, "word", 1, 0, len(text))
    await sessions.store(store.conn, "local", renamed, [statement], [], replace_id=1)
    assert await sessions.matching(store.conn, "local", "victim") == []
    assert [s.id for s in await sessions.matching(store.conn, "local", "housing")] == [1]
    await sessions.remove(store.conn, "local", 1, "t")
    assert await sessions.matching(store.conn, "local", "housing") == []


async def test_title_and_date_lookups_use_indexes(store: Store) -> None:
    """Neither lookup scans the sessions table: FTS for titles, sessions_date for dates."""
    plans = []
    for sql, params in [
        ("SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ?", ('"victim"*',)),
        ("SELECT id FROM sessions s WHERE s.date >= ? AND s.date < ?", ("2017", "2017\uffff")),
    ]:
        async with store.conn.execute("EXPLAIN QUERY PLAN " + sql, params) as cur:
            plans.append(" ".join(str(r[3]) for r in await cur.fetchall()))
    assert "VIRTUAL TABLE INDEX" in plans[0]
    assert "USING COVERING INDEX sessions_date" in plans[1] or "USING INDEX sessions_date" in plans[1]
    assert await sessions.count(store.conn, "local") == len(TITLES)
