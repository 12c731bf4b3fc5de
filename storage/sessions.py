"""Sessions: add or replace (one transaction), list, find by content hash, remove.

Removing a session removes its statements (foreign-key cascade, FTS kept in sync by triggers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage import audit, people
from storage.connection import WRITE_PATIENCE_S, OnWait, transaction
from storage.statements import NewStatement, insert_many


@dataclass(frozen=True)
class NewSession:
    """Everything stored about one session besides its statements and people."""

    title: str
    date: str | None
    source_name: str
    format: str
    encoding: str
    content_hash: str
    added_by: str
    text: str


class ContentStoredError(Exception):
    """The content hash is stored already (found inside the write, so a racing add sees it)."""

    def __init__(self, row: SessionRow) -> None:
        super().__init__(f"content stored as session {row.id}")
        self.row = row


@dataclass(frozen=True)
class SessionRow:
    """A stored session with counts, as listed to users."""

    id: int
    title: str
    date: str | None
    source_name: str
    format: str
    content_hash: str
    added_by: str | None
    added_at: str
    statements: int
    speakers: int


_SELECT = """
    SELECT s.id, s.title, s.date, s.source_name, s.format, s.content_hash, s.added_by, s.added_at,
           (SELECT count(*) FROM statements st WHERE st.session_id = s.id) AS n,
           (SELECT count(DISTINCT person_id) FROM statements st WHERE st.session_id = s.id) AS sp
    FROM sessions s
"""


def _row(r: aiosqlite.Row) -> SessionRow:
    return SessionRow(
        id=int(r["id"]),
        title=r["title"],
        date=r["date"],
        source_name=r["source_name"],
        format=r["format"],
        content_hash=r["content_hash"],
        added_by=r["added_by"],
        added_at=r["added_at"],
        statements=int(r["n"]),
        speakers=int(r["sp"]),
    )


async def get(conn: aiosqlite.Connection, session_id: int) -> SessionRow | None:
    """One session by id, or None."""
    async with conn.execute(_SELECT + " WHERE s.id = ?", (session_id,)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


async def find_by_hash(conn: aiosqlite.Connection, content_hash: str) -> SessionRow | None:
    """The session holding exactly this content, if any."""
    async with conn.execute(_SELECT + " WHERE s.content_hash = ?", (content_hash,)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


_NEWEST_FIRST = " ORDER BY coalesce(s.date, substr(s.added_at, 1, 10)) DESC, s.id DESC"


async def listing(conn: aiosqlite.Connection, limit: int = 50, offset: int = 0) -> list[SessionRow]:
    """Sessions, newest first (by date, then by when they were added), from ``offset`` on."""
    sql = _SELECT + _NEWEST_FIRST + " LIMIT ? OFFSET ?"
    async with conn.execute(sql, (limit, max(0, offset))) as cur:
        return [_row(r) for r in await cur.fetchall()]


async def count(conn: aiosqlite.Connection) -> int:
    """How many sessions are stored."""
    async with conn.execute("SELECT count(*) FROM sessions") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


_SEARCH_WORD = re.compile(r"\w+")
_DATE_START = re.compile(r"\d{4}(-\d{0,2}){0,2}")


async def matching(conn: aiosqlite.Connection, typed: str, limit: int = 25) -> list[SessionRow]:
    """Sessions whose id is ``typed``, or whose title or date starts words as typed.

    "victim sup" finds titles with a word starting "victim" and one starting "sup";
    "2017-01" finds sessions dated January 2017, "2017" those of 2017 and titles with
    2017 in them. An id match comes first, then dates, then titles, each newest first.
    Every lookup uses an index (the primary key, ``sessions_date``, ``sessions_fts``);
    typed text reaches MATCH only as quoted prefix terms, so search syntax is just
    characters.
    """
    typed = typed.strip()
    words = _SEARCH_WORD.findall(typed)
    if not words:
        return await listing(conn, limit)
    found: dict[int, SessionRow] = {}
    if typed.isdigit() and (exact := await get(conn, int(typed))) is not None:
        found[exact.id] = exact
    lookups: list[tuple[str, tuple[object, ...]]] = []
    if _DATE_START.fullmatch(typed):
        lookups.append((" WHERE s.date >= ? AND s.date < ?", (typed, typed + "\uffff")))
    if "-" not in typed or not _DATE_START.fullmatch(typed):
        terms = " AND ".join(f'"{w}"*' for w in words)
        where = " WHERE s.id IN (SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ?)"
        lookups.append((where, (terms,)))
    for where, params in lookups:
        if len(found) >= limit:
            break
        sql = _SELECT + where + _NEWEST_FIRST + " LIMIT ?"
        async with conn.execute(sql, (*params, limit + len(found))) as cur:
            for r in await cur.fetchall():
                found.setdefault(int(r["id"]), _row(r))
    return list(found.values())[:limit]


async def brief(conn: aiosqlite.Connection) -> list[tuple[int, str, str | None]]:
    """(id, title, date) of every session, for scoping questions by title or date."""
    async with conn.execute("SELECT id, title, date, added_at FROM sessions ORDER BY id") as cur:
        rows = await cur.fetchall()
    return [(int(r["id"]), r["title"], r["date"] or r["added_at"][:10]) for r in rows]


async def text_of(conn: aiosqlite.Connection, session_id: int) -> str | None:
    """The stored source text of a session (offsets in statements point into it)."""
    async with conn.execute("SELECT text FROM sessions WHERE id = ?", (session_id,)) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def store(
    conn: aiosqlite.Connection,
    session: NewSession,
    statements: Sequence[NewStatement],
    persons: Sequence[people.NewPerson],
    *,
    replace_id: int | None = None,
    on_wait: OnWait | None = None,
    patience: float = WRITE_PATIENCE_S,
) -> int:
    """Write a session, its people and statements in one transaction; returns its id.

    With ``replace_id`` the stored session keeps its id and takes the new content. Any
    failure (including a crash) leaves the store as it was before the call. The content
    hash is looked up again once the write lock is held: another add of the same file may
    have committed while this one waited, and then ``ContentStoredError`` names it (the
    caller's own look-up, before the wait, cannot see that).
    """
    values = (  # in the column order of both statements below
        session.title,
        session.date,
        session.source_name,
        session.format,
        session.encoding,
        session.content_hash,
        session.added_by,
        audit.now_iso(),
        session.text,
    )
    async with transaction(conn, on_wait=on_wait, patience=patience):
        same = await find_by_hash(conn, session.content_hash)
        if same is not None and same.id != replace_id:
            raise ContentStoredError(same)
        if replace_id is None:
            cur = await conn.execute(
                "INSERT INTO sessions(title, date, source_name, format, encoding, content_hash, added_by, "
                "added_at, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            session_id = int(cur.lastrowid or 0)
            await cur.close()
            action = "add"
        else:
            session_id = replace_id
            await conn.execute("DELETE FROM statements WHERE session_id = ?", (session_id,))
            await conn.execute(
                "UPDATE sessions SET title = ?, date = ?, source_name = ?, format = ?, encoding = ?, "
                "content_hash = ?, added_by = ?, added_at = ?, text = ? WHERE id = ?",
                (*values, session_id),
            )
            action = "replace"
        ids: dict[str, int] = {}
        for person in persons:
            ids[person.ref or person.name] = await people.upsert(conn, person)
        await insert_many(conn, session_id, statements, ids)
        if replace_id is not None:
            await people.prune_silent(conn)
        await audit.log(
            conn,
            session.added_by,
            action,
            session_id,
            f"{session.title} ({session.source_name}, {len(statements)} statements)",
        )
    return session_id


async def remove(conn: aiosqlite.Connection, session_id: int, removed_by: str) -> SessionRow | None:
    """Delete a session and (by cascade) its statements; returns what was removed."""
    async with transaction(conn):
        row = await get(conn, session_id)
        if row is None:
            return None  # nothing was written: the empty transaction commits
        await conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        await people.prune_silent(conn)
        await audit.log(conn, removed_by, "remove", session_id, f"{row.title} ({row.source_name})")
    return row
