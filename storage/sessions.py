"""Sessions: add or replace (one transaction), list, find by content hash, remove, share.

Removing a session removes its statements (foreign-key cascade, FTS kept in sync by triggers).
A community reads its own sessions and those the local community shares; it writes only
its own. Sharing is the local community's alone (the table's CHECK says so too).
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage import audit, people
from storage.communities import LOCAL, SHARED_BUCKET, bucket
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
    community: str = LOCAL
    shared: bool = False


_SELECT = """
    SELECT s.id, s.title, s.date, s.source_name, s.format, s.content_hash, s.added_by, s.added_at,
           s.community, s.shared,
           (SELECT count(*) FROM statements st WHERE st.session_id = s.id) AS n,
           (SELECT count(DISTINCT person_id) FROM statements st WHERE st.session_id = s.id) AS sp
    FROM sessions s
"""
# A session whose add is still being written (``begin_staged``) is nobody's to read.
_FINISHED = "s.id NOT IN (SELECT session_id FROM pending_sessions)"
# What a community reads: its own sessions and every shared one.
_READABLE = f"(s.community = ? OR s.shared = 1) AND {_FINISHED}"


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
        community=r["community"],
        shared=bool(r["shared"]),
    )


async def get(conn: aiosqlite.Connection, community: str, session_id: int) -> SessionRow | None:
    """One session the community reads (its own or a shared one) by id, or None."""
    async with conn.execute(_SELECT + f" WHERE s.id = ? AND {_READABLE}", (session_id, community)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


async def owned(conn: aiosqlite.Connection, community: str, session_id: int) -> SessionRow | None:
    """One of the community's own sessions (what its moderators may replace or remove), or None."""
    async with conn.execute(
        _SELECT + f" WHERE s.id = ? AND s.community = ? AND {_FINISHED}", (session_id, community)
    ) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


async def find_by_hash(
    conn: aiosqlite.Connection, community: str, content_hash: str, *, unfinished: bool = False
) -> SessionRow | None:
    """The community's own session holding exactly this content, if any.

    ``unfinished`` includes a session another add is still writing (inside a write, where
    the content must be unique whether or not that add has finished).
    """
    where = " WHERE s.community = ? AND s.content_hash = ?" + ("" if unfinished else f" AND {_FINISHED}")
    async with conn.execute(_SELECT + where, (community, content_hash)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


_NEWEST_FIRST = " ORDER BY coalesce(s.date, substr(s.added_at, 1, 10)) DESC, s.id DESC"


async def listing(
    conn: aiosqlite.Connection, community: str, limit: int = 50, offset: int = 0, *, own_only: bool = False
) -> list[SessionRow]:
    """Sessions the community reads (only its own with ``own_only``), newest first, from ``offset`` on."""
    where = "s.community = ?" if own_only else _READABLE
    sql = _SELECT + f" WHERE {where}" + _NEWEST_FIRST + " LIMIT ? OFFSET ?"
    async with conn.execute(sql, (community, limit, max(0, offset))) as cur:
        return [_row(r) for r in await cur.fetchall()]


async def count(conn: aiosqlite.Connection, community: str) -> int:
    """How many sessions the community reads."""
    async with conn.execute(f"SELECT count(*) FROM sessions s WHERE {_READABLE}", (community,)) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


_SEARCH_WORD = re.compile(r"\w+")
_DATE_START = re.compile(r"\d{4}(-\d{0,2}){0,2}")


async def matching(
    conn: aiosqlite.Connection, community: str, typed: str, limit: int = 25
) -> list[SessionRow]:
    """Sessions the community reads whose id is ``typed``, or whose title or date starts words as typed.

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
        return await listing(conn, community, limit)
    found: dict[int, SessionRow] = {}
    if typed.isdigit() and (exact := await get(conn, community, int(typed))) is not None:
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
        sql = _SELECT + where + f" AND {_READABLE}" + _NEWEST_FIRST + " LIMIT ?"
        async with conn.execute(sql, (*params, community, limit + len(found))) as cur:
            for r in await cur.fetchall():
                found.setdefault(int(r["id"]), _row(r))
    return list(found.values())[:limit]


async def brief(conn: aiosqlite.Connection, community: str) -> list[tuple[int, str, str | None]]:
    """(id, title, date) of every session the community reads, for scoping questions by title or date."""
    async with conn.execute(
        f"SELECT id, title, date, added_at FROM sessions s WHERE {_READABLE} ORDER BY id", (community,)
    ) as cur:
        rows = await cur.fetchall()
    return [(int(r["id"]), r["title"], r["date"] or r["added_at"][:10]) for r in rows]


async def text_of(conn: aiosqlite.Connection, community: str, session_id: int) -> str | None:
    """The stored source text of a readable session (offsets in statements point into it)."""
    async with conn.execute(
        f"SELECT text FROM sessions s WHERE s.id = ? AND {_READABLE}", (session_id, community)
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def set_shared(conn: aiosqlite.Connection, session_id: int, shared: bool, by: str) -> SessionRow | None:
    """Share a local session with every community (or stop); None if the local community has no such session.

    Its statements move to the shared bucket (or back), which re-indexes them by trigger.
    """
    async with transaction(conn):
        row = await owned(conn, LOCAL, session_id)
        if row is None:
            return None
        if row.shared == shared:
            return row
        await conn.execute("UPDATE sessions SET shared = ? WHERE id = ?", (int(shared), session_id))
        await conn.execute(
            "UPDATE statements SET bucket = ? WHERE session_id = ?",
            (SHARED_BUCKET if shared else bucket(LOCAL), session_id),
        )
        action = "share" if shared else "unshare"
        await audit.log(conn, LOCAL, by, action, session_id, f"{row.title} ({row.source_name})")
    return await owned(conn, LOCAL, session_id)


async def store(
    conn: aiosqlite.Connection,
    community: str,
    session: NewSession,
    statements: Sequence[NewStatement],
    persons: Sequence[people.NewPerson],
    *,
    replace_id: int | None = None,
    on_wait: OnWait | None = None,
    patience: float = WRITE_PATIENCE_S,
) -> int:
    """Write a session, its people and statements in one transaction; returns its id.

    With ``replace_id`` the stored session keeps its id and takes the new content; it must
    be the community's own (``LookupError`` otherwise, nothing written). Any failure
    (including a crash) leaves the store as it was before the call. The content hash is
    looked up again once the write lock is held: another add of the same file may have
    committed while this one waited, and then ``ContentStoredError`` names it (the
    caller's own look-up, before the wait, cannot see that).
    """
    values = _columns(session)  # in the column order of both statements below
    async with transaction(conn, on_wait=on_wait, patience=patience):
        same = await find_by_hash(conn, community, session.content_hash, unfinished=True)
        if same is not None and same.id != replace_id:
            raise ContentStoredError(same)
        token = bucket(community)
        if replace_id is None:
            cur = await conn.execute(
                "INSERT INTO sessions(title, date, source_name, format, encoding, content_hash, added_by, "
                "added_at, text, community) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, community),
            )
            session_id = int(cur.lastrowid or 0)
            await cur.close()
            action = "add"
        else:
            session_id = replace_id
            old = await owned(conn, community, session_id)
            if old is None:
                raise LookupError(session_id)
            if old.shared:
                token = SHARED_BUCKET  # a shared session stays shared with its new content
            await conn.execute("DELETE FROM statements WHERE session_id = ?", (session_id,))
            await conn.execute(
                "UPDATE sessions SET title = ?, date = ?, source_name = ?, format = ?, encoding = ?, "
                "content_hash = ?, added_by = ?, added_at = ?, text = ? WHERE id = ? AND community = ?",
                (*values, session_id, community),
            )
            action = "replace"
        ids: dict[str, int] = {}
        for person in persons:
            ids[person.ref or person.name] = await people.upsert(conn, community, person)
        await insert_many(conn, session_id, token, statements, ids)
        if replace_id is not None:
            await people.prune_silent(conn, community)
        await audit.log(
            conn,
            community,
            session.added_by,
            action,
            session_id,
            f"{session.title} ({session.source_name}, {len(statements)} statements)",
        )
    return session_id


async def remove(
    conn: aiosqlite.Connection, community: str, session_id: int, removed_by: str
) -> SessionRow | None:
    """Delete one of the community's sessions and (by cascade) its statements; returns what was removed.

    None, with nothing written, when the community has no such session of its own.
    """
    async with transaction(conn):
        row = await owned(conn, community, session_id)
        if row is None:
            return None  # nothing was written: the empty transaction commits
        await conn.execute("DELETE FROM sessions WHERE id = ? AND community = ?", (session_id, community))
        await people.prune_silent(conn, community)
        await audit.log(conn, community, removed_by, "remove", session_id, f"{row.title} ({row.source_name})")
    return row


async def move_community(conn: aiosqlite.Connection, source: str, target: str, by: str) -> int:
    """Give everything of ``source`` (sessions, people, schedules, follows, posts, audit log) to ``target``.

    For an upgrade: a store from before communities holds everything in ``local``, and a
    one-server bot's record belongs to that server. ``target`` must hold nothing yet (so
    no two people need merging); shared sessions stop being shared (only the local
    community shares). Ids do not change. Returns how many sessions moved; ``ValueError``
    if ``target`` is not empty or is ``source``.
    """
    if source == target:
        raise ValueError("a community cannot be moved onto itself")
    async with transaction(conn):
        for table in ("sessions", "people", "summary_schedules"):
            async with conn.execute(f"SELECT 1 FROM {table} WHERE community = ? LIMIT 1", (target,)) as cur:
                if await cur.fetchone() is not None:
                    raise ValueError(f"{target} already has a record of its own")
        async with conn.execute("SELECT count(*) FROM sessions WHERE community = ?", (source,)) as cur:
            row = await cur.fetchone()
        moved = int(row[0]) if row else 0
        await conn.execute(
            "UPDATE statements SET bucket = ? "
            "WHERE session_id IN (SELECT id FROM sessions WHERE community = ?)",
            (bucket(target), source),
        )
        await conn.execute(
            "UPDATE sessions SET community = ?, shared = 0 WHERE community = ?", (target, source)
        )
        for table in ("people", "summary_schedules", "summary_follows", "summary_posts", "audit_log"):
            await conn.execute(f"UPDATE {table} SET community = ? WHERE community = ?", (target, source))
        await audit.log(conn, target, by, "move", None, f"{moved} sessions moved here from {source}")
    return moved


# A large add's statements are written this many at a time, each chunk in a transaction of
# its own: 1-2 s of full-text indexing on a busy 2-core machine (2,000 took up to 5 s), so
# another writer (a daily post's claim, a moderator's command, another add) gets the lock
# between two within seconds. Smaller chunks did not cost more in all (a 10 MB transcript,
# on a loaded machine: 39 s at 1,000 a chunk, 49 s at 2,000).
STAGE_CHUNK = 1_000
# An unfinished add untouched this long has lost its writer, wherever that ran: a writer
# commits a chunk at least every ``WRITE_PATIENCE_S`` (or gives up), so this is past it.
STALE_AFTER_S = WRITE_PATIENCE_S + 300.0


@dataclass(frozen=True)
class Unfinished:
    """A session whose add has not finished: who was writing it and when it last wrote."""

    session_id: int
    community: str
    writer: str
    touched_at: float


def writer_tag() -> str:
    """How an unfinished add names the process writing it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def writer_gone(row: Unfinished, now: float) -> bool:
    """Whether the add's writer is gone: not a live process on this host, or silent too long.

    A process on another host (or in another container) cannot be asked, so there only the
    time since its last chunk tells.
    """
    if now - row.touched_at > STALE_AFTER_S:
        return True
    host, _, pid_text = row.writer.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


async def begin_staged(
    conn: aiosqlite.Connection,
    community: str,
    session: NewSession,
    persons: Sequence[people.NewPerson],
) -> tuple[int, dict[str, int]]:
    """The first transaction of a large add (the caller holds it): the session and its people.

    The session is marked unfinished (``pending_sessions``), so no read sees it, its
    statements or its new speakers until ``finish_staged``. Returns its id and the person
    ids its statements refer to. ``ContentStoredError`` if the content is stored, or being
    stored by another add, already.
    """
    same = await find_by_hash(conn, community, session.content_hash, unfinished=True)
    if same is not None:
        raise ContentStoredError(same)
    cur = await conn.execute(
        "INSERT INTO sessions(title, date, source_name, format, encoding, content_hash, added_by, "
        "added_at, text, community) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_columns(session), community),
    )
    session_id = int(cur.lastrowid or 0)
    await cur.close()
    await conn.execute(
        "INSERT INTO pending_sessions(session_id, writer, touched_at) VALUES (?, ?, ?)",
        (session_id, writer_tag(), time.time()),
    )
    ids: dict[str, int] = {}
    for person in persons:
        ids[person.ref or person.name] = await people.upsert(conn, community, person)
    return session_id, ids


async def stage_statements(
    conn: aiosqlite.Connection,
    community: str,
    session_id: int,
    statements: Sequence[NewStatement],
    first_position: int,
    person_ids: dict[str, int],
) -> None:
    """Write one chunk of an unfinished session's statements (the caller holds the transaction).

    ``LookupError`` if the session is no longer unfinished (its add was judged abandoned
    and discarded while this one waited): nothing is written.
    """
    cur = await conn.execute(
        "UPDATE pending_sessions SET touched_at = ? WHERE session_id = ?", (time.time(), session_id)
    )
    touched = cur.rowcount
    await cur.close()
    if touched != 1:
        raise LookupError(session_id)
    await insert_many(conn, session_id, bucket(community), statements, person_ids, first_position)


async def finish_staged(
    conn: aiosqlite.Connection, community: str, session_id: int, session: NewSession, count: int
) -> None:
    """The last transaction of a large add (the caller holds it): the whole session becomes readable.

    Its ``added_at`` becomes now, so a daily summary that ran while it was being written
    (and could not see it) still finds it as added after that summary.
    """
    cur = await conn.execute("DELETE FROM pending_sessions WHERE session_id = ?", (session_id,))
    finished = cur.rowcount
    await cur.close()
    if finished != 1:
        raise LookupError(session_id)
    await conn.execute("UPDATE sessions SET added_at = ? WHERE id = ?", (audit.now_iso(), session_id))
    await audit.log(
        conn,
        community,
        session.added_by,
        "add",
        session_id,
        f"{session.title} ({session.source_name}, {count} statements)",
    )


async def unfinished(conn: aiosqlite.Connection) -> list[Unfinished]:
    """Every session whose add has not finished (usually none)."""
    async with conn.execute(
        "SELECT p.session_id, s.community, p.writer, p.touched_at "
        "FROM pending_sessions p JOIN sessions s ON s.id = p.session_id ORDER BY p.session_id"
    ) as cur:
        return [Unfinished(int(r[0]), str(r[1]), str(r[2]), float(r[3])) for r in await cur.fetchall()]


async def discard_step(conn: aiosqlite.Connection, session_id: int, limit: int = STAGE_CHUNK) -> bool:
    """Delete up to ``limit`` statements of an unfinished session (the caller holds the transaction).

    Once none is left, the session itself and the people only it named go too, and True
    is returned. Deleting in steps keeps each transaction short, as writing it did; a
    session that has finished meanwhile is left alone (True: nothing left to discard).
    """
    async with conn.execute(
        "SELECT s.community FROM pending_sessions p JOIN sessions s ON s.id = p.session_id "
        "WHERE p.session_id = ?",
        (session_id,),
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return True
    cur = await conn.execute(
        "DELETE FROM statements WHERE id IN (SELECT id FROM statements WHERE session_id = ? LIMIT ?)",
        (session_id, limit),
    )
    deleted = cur.rowcount
    await cur.close()
    if deleted:
        return False
    await conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
    await people.prune_silent(conn, str(row[0]))
    return True


def _columns(session: NewSession) -> tuple[object, ...]:
    """A new session's values in the column order every insert of a session uses."""
    return (
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
