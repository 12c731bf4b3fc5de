"""The core's front door: the async API every adapter (CLI, console, Discord, Slack) calls.

Plain async methods in, frozen dataclasses from ``bot.models`` out; no platform types.
One ``Record`` wraps one SQLite store. Work that is CPU-bound (extraction) runs in a
thread so a chat client's heartbeat never stalls behind a large upload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.models import AddResult, Answer, SessionInfo, SpeakerInfo, TopicInfo

Progress = Callable[[str], Awaitable[None]]


class Record:
    """A store of sessions and the questions it can answer."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    async def open(cls, path: Path) -> Record:
        """Open (creating and migrating if needed) the store at ``path``."""
        raise NotImplementedError

    async def close(self) -> None:
        """Close the store; safe to call twice."""
        raise NotImplementedError

    async def __aenter__(self) -> Record:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- sessions (moderators) -------------------------------------------------------
    async def add_session(
        self,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None = None,
        date: str | None = None,
        format: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> AddResult:
        """Extract and store one session in a single transaction.

        Raises ``IngestError`` for unreadable input and ``DuplicateSessionError`` when the
        same content is stored already (unless ``replace``, which swaps it in place).
        """
        raise NotImplementedError

    async def replace_session(
        self,
        session_id: int,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None = None,
        date: str | None = None,
        format: str | None = None,
    ) -> AddResult:
        """Swap a stored session's content for a new version, keeping its id."""
        raise NotImplementedError

    async def remove_session(self, session_id: int, *, removed_by: str) -> SessionInfo:
        """Remove a session and its statements; raises ``NotFoundError`` if absent."""
        raise NotImplementedError

    async def sessions(self, limit: int = 50) -> list[SessionInfo]:
        """Stored sessions, newest first."""
        raise NotImplementedError

    # --- questions -------------------------------------------------------------------
    async def ask(self, question: str, *, limit: int = 5) -> Answer:
        """Answer a free-text question with verbatim, cited passages."""
        raise NotImplementedError

    async def quotes(
        self, speaker: str, topic: str | None = None, *, session_id: int | None = None, limit: int = 5
    ) -> Answer:
        """A speaker's passages, optionally on one topic (the structured form of ``ask``)."""
        raise NotImplementedError

    async def speakers(self, session_id: int | None = None) -> list[SpeakerInfo]:
        """People in the store (or one session), most statements first."""
        raise NotImplementedError

    async def topics(self, session_id: int | None = None, limit: int = 25) -> list[TopicInfo]:
        """The main topic terms in the store (or one session)."""
        raise NotImplementedError

    async def complete_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for autocomplete; fast and never raising on odd input."""
        raise NotImplementedError

    async def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Topic terms for autocomplete; fast and never raising on odd input."""
        raise NotImplementedError

    # --- daily summaries (settings live in the core; posting is the adapters') -------
    async def set_summary_schedule(
        self,
        *,
        platform: str,
        channel_id: str,
        time_of_day: str,
        timezone: str,
        set_by: str,
        follow_speaker: str | None = None,
        follow_topic: str | None = None,
    ) -> str:
        """Post a daily summary to ``channel_id`` at ``time_of_day`` (HH:MM) in ``timezone``.

        Returns a confirmation sentence; raises ``OnrecordError`` with a helpful message
        for a bad time or an unknown IANA zone name.
        """
        raise NotImplementedError
