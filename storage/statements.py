"""Statements: bulk insert for a session and fetches by id, speaker or session.

Every fetch takes the community reading and keeps to the buckets it may read
(``storage.communities``), so an id or position from anywhere cannot reach another
community's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from storage.communities import SHARED_BUCKET, readable


@dataclass(frozen=True)
class NewStatement:
    """A statement ready to store: its speaker's canonical name and its indexed lemmas."""

    speaker: str | None
    kind: str
    text: str
    lemmas: str
    tokens: int
    start: int
    end: int
    is_question: bool = False
    page: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class StatementRow:
    """A stored statement with its session's title and date, ready to cite."""

    id: int
    session_id: int
    title: str
    date: str | None
    person_id: int | None
    speaker: str | None
    kind: str
    text: str
    lemmas: str
    tokens: int
    start: int
    end: int
    position: int
    is_question: bool
    page: int | None
    seconds: float | None
    shared: bool = False  # from a session the local community shares with every community
    source_name: str = ""  # the session's file name or the address it was fetched from


async def insert_many(
    conn: aiosqlite.Connection,
    session_id: int,
    bucket: str,
    statements: Sequence[NewStatement],
    person_ids: Mapping[str, int],
    first_position: int = 0,
) -> None:
    """Insert a session's statements in order under its bucket (the caller holds the transaction).

    ``first_position`` is the position of the first one (a large add writes its statements
    a chunk at a time).
    """
    await conn.executemany(
        "INSERT INTO statements(session_id, bucket, person_id, speaker, kind, text, lemmas, tokens, start, "
        '"end", position, is_question, page, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
            (
                session_id,
                bucket,
                person_ids.get(s.speaker) if s.speaker else None,
                s.speaker,
                s.kind,
                s.text,
                s.lemmas,
                s.tokens,
                s.start,
                s.end,
                i,
                int(s.is_question),
                s.page,
                s.seconds,
            )
            for i, s in enumerate(statements, start=first_position)
        ],
    )


SELECT = """
    SELECT st.id, st.session_id, se.title, se.date AS date, se.source_name,
           st.person_id, coalesce(p.name, st.speaker) AS speaker, st.kind, st.text, st.lemmas, st.tokens,
           st.start, st."end", st.position, st.is_question, st.page, st.seconds, st.bucket
    FROM statements st JOIN sessions se ON se.id = st.session_id
    LEFT JOIN people p ON p.id = st.person_id
"""


# A statement of a session still being written (``storage.sessions.begin_staged``) is
# nobody's to read yet. The set is tiny (usually empty) and read once per query.
FINISHED = "st.session_id NOT IN (SELECT session_id FROM pending_sessions)"


def in_view(community: str) -> tuple[str, tuple[str, ...]]:
    """The ``SELECT`` condition (and its parameters) keeping to what ``community`` reads.

    A filter only (the unary ``+`` keeps SQLite from choosing the bucket index): each fetch
    already narrows by id, person or session, whose indexes are far more selective.
    Statements of a session whose add has not finished are left out.
    """
    return f"+st.bucket IN (?, ?) AND {FINISHED}", readable(community)


def row_of(r: aiosqlite.Row) -> StatementRow:
    """Build a ``StatementRow`` from a row of ``SELECT``."""
    return StatementRow(
        id=int(r["id"]),
        session_id=int(r["session_id"]),
        title=r["title"],
        date=r["date"],
        person_id=r["person_id"],
        speaker=r["speaker"] if r["person_id"] is not None else None,
        kind=r["kind"],
        text=r["text"],
        lemmas=r["lemmas"],
        tokens=int(r["tokens"]),
        start=int(r["start"]),
        end=int(r["end"]),
        position=int(r["position"]),
        is_question=bool(r["is_question"]),
        page=r["page"],
        seconds=r["seconds"],
        shared=r["bucket"] == SHARED_BUCKET,
        source_name=r["source_name"],
    )


async def by_ids(conn: aiosqlite.Connection, community: str, ids: Sequence[int]) -> dict[int, StatementRow]:
    """Statements by id (missing ids, and ids the community may not read, are left out)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cond, buckets = in_view(community)
    async with conn.execute(SELECT + f" WHERE st.id IN ({marks}) AND {cond}", (*ids, *buckets)) as cur:
        return {int(r["id"]): row_of(r) for r in await cur.fetchall()}


async def by_people(
    conn: aiosqlite.Connection,
    community: str,
    person_ids: Sequence[int],
    session_ids: Sequence[int] | None = None,
    *,
    questions_only: bool = False,
    limit: int = 50,
) -> list[StatementRow]:
    """What some people said, newest session first and in order within a session."""
    if not person_ids:
        return []
    cond, buckets = in_view(community)
    sql = SELECT + f" WHERE {cond} AND st.person_id IN ({','.join('?' * len(person_ids))})"
    params: list[object] = [*buckets, *person_ids]
    if session_ids is not None:
        sql += f" AND st.session_id IN ({','.join('?' * len(session_ids))})"
        params += list(session_ids)
    if questions_only:
        sql += " AND st.is_question = 1"
    sql += " ORDER BY date DESC, st.session_id DESC, st.position LIMIT ?"
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [row_of(r) for r in await cur.fetchall()]


async def neighbours(
    conn: aiosqlite.Connection, community: str, session_id: int, position: int
) -> list[StatementRow]:
    """The statements just before and after one (for question and answer context)."""
    cond, buckets = in_view(community)
    async with conn.execute(
        SELECT + f" WHERE st.session_id = ? AND st.position BETWEEN ? AND ? AND {cond} ORDER BY st.position",
        (session_id, position - 1, position + 1, *buckets),
    ) as cur:
        return [row_of(r) for r in await cur.fetchall()]


async def at_positions(
    conn: aiosqlite.Connection, community: str, places: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], StatementRow]:
    """Statements by (session id, position) — the turns around a candidate passage."""
    if not places:
        return {}
    by_session: dict[int, list[int]] = {}
    for session_id, position in places:
        by_session.setdefault(session_id, []).append(position)
    clauses = []
    params: list[object] = []
    for session_id, positions in by_session.items():
        clauses.append(f"(st.session_id = ? AND st.position IN ({','.join('?' * len(positions))}))")
        params += [session_id, *positions]
    cond, buckets = in_view(community)
    out: dict[tuple[int, int], StatementRow] = {}
    sql = SELECT + f" WHERE {cond} AND (" + " OR ".join(clauses) + ")"
    async with conn.execute(sql, [*buckets, *params]) as cur:
        for r in await cur.fetchall():
            row = row_of(r)
            out[(row.session_id, row.position)] = row
    return out
