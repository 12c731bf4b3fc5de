"""The audit log: who added, replaced, removed or shared which session (and who added aliases).

Each entry belongs to the community whose moderator made the change; a community reads
only its own entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite


@dataclass(frozen=True)
class AuditEntry:
    """One logged change."""

    at: str
    actor: str
    action: str
    session_id: int | None
    detail: str


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


async def log(
    conn: aiosqlite.Connection,
    community: str,
    actor: str,
    action: str,
    session_id: int | None,
    detail: str,
) -> None:
    """Record a change; call inside the transaction that makes it, so both land or neither."""
    await conn.execute(
        "INSERT INTO audit_log(community, at, actor, action, session_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (community, now_iso(), actor, action, session_id, detail),
    )


async def entries(conn: aiosqlite.Connection, community: str, limit: int = 50) -> list[AuditEntry]:
    """One community's latest changes, newest first."""
    async with conn.execute(
        "SELECT at, actor, action, session_id, detail FROM audit_log WHERE community = ? "
        "ORDER BY id DESC LIMIT ?",
        (community, limit),
    ) as cur:
        rows = await cur.fetchall()
    return [AuditEntry(r["at"], r["actor"], r["action"], r["session_id"], r["detail"]) for r in rows]
