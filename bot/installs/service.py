"""Where a chat app's installations live: the store, as opaque JSON per platform and workspace.

When one app serves several workspaces (Slack's OAuth install), each workspace's bot token
comes from its installation. The core keeps the record and knows nothing of what is in
it; the adapter turns it back into its library's type. The OAuth flow's one-time states
are kept here too, so a flow started on one process can finish on another.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.open_store import StoreHandles
from storage import installations

STATE_LIFETIME = timedelta(minutes=10)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


class Installations:
    """The store's installations and OAuth states."""

    def __init__(self, handles: StoreHandles) -> None:
        self._h = handles

    async def save(self, platform: str, key: str, data: dict[str, Any]) -> None:
        """Keep (or replace) one workspace's installation."""
        async with self._h.transaction() as conn:
            await installations.save(conn, platform, key, json.dumps(data), _iso(datetime.now(UTC)))

    async def find(self, platform: str, key: str) -> dict[str, Any] | None:
        """One workspace's installation, or None."""
        raw = await installations.find(self._h.r.conn, platform, key)
        found = json.loads(raw) if raw else None
        return found if isinstance(found, dict) else None

    async def delete(self, platform: str, key: str) -> None:
        """Forget one workspace's installation."""
        async with self._h.transaction() as conn:
            await installations.delete(conn, platform, key)

    async def issue_state(self) -> str:
        """A new one-time OAuth state, valid for ``STATE_LIFETIME``."""
        state = secrets.token_urlsafe(24)
        async with self._h.transaction() as conn:
            await installations.issue_state(conn, state, _iso(datetime.now(UTC) + STATE_LIFETIME))
        return state

    async def consume_state(self, state: str) -> bool:
        """Whether ``state`` was issued here and is still valid; it is used up either way."""
        async with self._h.transaction() as conn:
            return await installations.consume_state(conn, state, _iso(datetime.now(UTC)))
