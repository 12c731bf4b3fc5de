"""Chat app installations (one row per platform and workspace) and OAuth states (SQL only).

The data is the platform library's own installation record as JSON; storage only keeps
and finds it. A state is consumed at most once: ``consume`` deletes it in the statement
that checks it.
"""

from __future__ import annotations

import aiosqlite


async def save(conn: aiosqlite.Connection, platform: str, key: str, data: str, installed_at: str) -> None:
    """Store (or replace: a reinstall brings a new token) one installation."""
    await conn.execute(
        "INSERT INTO installations(platform, key, data, installed_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(platform, key) DO UPDATE SET data = excluded.data, installed_at = excluded.installed_at",
        (platform, key, data, installed_at),
    )


async def find(conn: aiosqlite.Connection, platform: str, key: str) -> str | None:
    """One installation's data, or None."""
    async with conn.execute(
        "SELECT data FROM installations WHERE platform = ? AND key = ?", (platform, key)
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def delete(conn: aiosqlite.Connection, platform: str, key: str) -> None:
    """Forget one installation (the app was uninstalled there)."""
    await conn.execute("DELETE FROM installations WHERE platform = ? AND key = ?", (platform, key))


async def issue_state(conn: aiosqlite.Connection, state: str, expires_at: str) -> None:
    """Remember an OAuth state until ``expires_at`` (and forget the expired ones)."""
    await conn.execute("DELETE FROM oauth_states WHERE expires_at < ?", (expires_at,))
    await conn.execute("INSERT INTO oauth_states(state, expires_at) VALUES (?, ?)", (state, expires_at))


async def consume_state(conn: aiosqlite.Connection, state: str, now: str) -> bool:
    """Whether ``state`` was issued and has not expired; it cannot be used again either way."""
    async with conn.execute(
        "DELETE FROM oauth_states WHERE state = ? RETURNING expires_at", (state,)
    ) as cur:
        row = await cur.fetchone()
    return row is not None and str(row[0]) >= now
