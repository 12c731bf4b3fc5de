"""Statements: bulk insert for a session and fetches by id, speaker or session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiosqlite


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
    source_name: str = ""  # the session's file name or the address it was fetched from


async def insert_many(
    conn: aiosqlite.Connection,
    session_id: int,
    statements: Sequence[NewStatement],
    person_ids: Mapping[str, int],
) -> None:
    """Insert a session's statements in order (the caller holds the transaction)."""
    await conn.executemany(
        'INSERT INTO statements(session_id, person_id, speaker, kind, text, lemmas, tokens, start, "end", '
        "position, is_question, page, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
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
            for i, s in enumerate(statements)
        ],
    )


SELECT = """
    SELECT st.id, st.session_id, se.title, se.date AS date, se.source_name,
           st.person_id, coalesce(p.name, st.speaker) AS speaker, st.kind, st.text, st.lemmas, st.tokens,
           st.start, st."end", st.position, st.is_question, st.page, st.seconds
    FROM statements st JOIN sessions se ON se.id = st.session_id
    LEFT JOIN people p ON p.id = st.person_id
"""


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
        source_name=r["source_name"],
    )


async def by_ids(conn: aiosqlite.Connection, ids: Sequence[int]) -> dict[int, StatementRow]:
    """Statements by id (missing ids are left out)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    async with conn.execute(SELECT + f" WHERE st.id IN ({marks})", tuple(ids)) as cur:
        return {int(r["id"]): row_of(r) for r in await cur.fetchall()}


async def by_people(
    conn: aiosqlite.Connection,
    person_ids: Sequence[int],
    session_ids: Sequence[int] | None = None,
    *,
    questions_only: bool = False,
    limit: int = 50,
) -> list[StatementRow]:
    """What some people said, newest session first and in order within a session."""
    if not person_ids:
        return []
    sql = SELECT + f" WHERE st.person_id IN ({','.join('?' * len(person_ids))})"
    params: list[object] = list(person_ids)
    if session_ids is not None:
        sql += f" AND st.session_id IN ({','.join('?' * len(session_ids))})"
        params += list(session_ids)
    if questions_only:
        sql += " AND st.is_question = 1"
    sql += " ORDER BY date DESC, st.session_id DESC, st.position LIMIT ?"
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [row_of(r) for r in await cur.fetchall()]


async def neighbours(conn: aiosqlite.Connection, session_id: int, position: int) -> list[StatementRow]:
    """The statements just before and after one (for question and answer context)."""
    async with conn.execute(
        SELECT + " WHERE st.session_id = ? AND st.position BETWEEN ? AND ? ORDER BY st.position",
        (session_id, position - 1, position + 1),
    ) as cur:
        return [row_of(r) for r in await cur.fetchall()]


async def at_positions(
    conn: aiosqlite.Connection, places: Sequence[tuple[int, int]]
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
    out: dict[tuple[int, int], StatementRow] = {}
    async with conn.execute(SELECT + " WHERE " + " OR ".join(clauses), params) as cur:
        for r in await cur.fetchall():
            row = row_of(r)
            out[(row.session_id, row.position)] = row
    return out
