"""Kept questions: a question stored under a number, so it can be answered again later.

Each belongs to the community that asked it: a number from one server's button means
nothing in another's.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import audit


@dataclass(frozen=True)
class KeptQuestion:
    """A free-text ``question``, or a ``speaker`` (and ``topic``) picked from lists."""

    id: int
    question: str | None
    speaker: str | None
    topic: str | None


async def keep(
    conn: aiosqlite.Connection, community: str, question: str | None, speaker: str | None, topic: str | None
) -> int:
    """The number of this question, keeping it first if it is new (each is kept once).

    Call inside the caller's transaction, so the insert and the look-up see the same rows.
    """
    await conn.execute(
        "INSERT INTO kept_questions(community, question, speaker, topic, kept_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (community, question, speaker, topic, audit.now_iso()),
    )
    async with conn.execute(
        "SELECT id FROM kept_questions WHERE community = ? AND coalesce(question, '') = ? "
        "AND coalesce(speaker, '') = ? AND coalesce(topic, '') = ?",
        (community, question or "", speaker or "", topic or ""),
    ) as cur:
        row = await cur.fetchone()
    if row is None:  # pragma: no cover - the insert or an earlier one put it there
        raise LookupError("kept question vanished inside its transaction")
    return int(row[0])


async def get(conn: aiosqlite.Connection, community: str, question_id: int) -> KeptQuestion | None:
    """One of the community's kept questions by number, or None."""
    async with conn.execute(
        "SELECT id, question, speaker, topic FROM kept_questions WHERE id = ? AND community = ?",
        (question_id, community),
    ) as cur:
        row = await cur.fetchone()
    return KeptQuestion(int(row[0]), row[1], row[2], row[3]) if row else None
