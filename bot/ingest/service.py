"""Adding, replacing and removing sessions, and the ``AddResult`` a moderator sees.

Extraction is CPU-bound, so it runs off the event loop; a chat client's heartbeat never
stalls behind a large upload.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.errors import DuplicateSessionError, IngestError, NotFoundError, OnrecordError
from bot.ingest.detect import extract
from bot.ingest.prepare import Prepared, prepare, valid_date
from bot.models import AddResult, SessionInfo
from bot.open_store import StoreHandles
from bot.wording import WAITING_FOR_ADD
from storage import sessions
from storage.communities import LOCAL
from storage.connection import WRITE_PATIENCE_S, OnWait, StoreBusyError, StoreFullError
from storage.sessions import ContentStoredError, NewSession, SessionRow

# The pause between two steps of a large add: longer than the longest sleep of SQLite's busy
# handler (100 ms), so a writer waiting in another process gets its turn; ~7% of a 45 MB add.
STEP_PAUSE_S = 0.12

Progress = Callable[[str], Awaitable[None]]


def session_info(row: SessionRow) -> SessionInfo:
    """The adapter-facing view of a stored session row."""
    return SessionInfo(
        id=row.id,
        title=row.title,
        date=row.date,
        source_name=row.source_name,
        statements=row.statements,
        speakers=row.speakers,
        added_by=row.added_by,
        added_at=row.added_at,
        shared=row.shared,
    )


def no_session(session_id: int) -> NotFoundError:
    """The error for a session id that is not stored."""
    return NotFoundError(f"There is no session {session_id} on the record.")


class SessionIngest:
    """One community's moderators' writes to its own sessions."""

    def __init__(self, handles: StoreHandles, community: str) -> None:
        self._h = handles
        self._c = community

    async def add(
        self,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None,
        date: str | None,
        format: str | None,
        replace: bool,
        progress: Progress | None,
    ) -> AddResult:
        """Extract and store one session; see ``Record.add_session``."""
        prepared = await self._prepare(data, source_name, title, date, format, progress)
        conn = self._h.w.conn
        existing = await sessions.find_by_hash(conn, self._c, prepared.content_hash)
        if existing is not None and not replace:
            raise DuplicateSessionError(existing.id, existing.title)
        target = existing
        if target is None and replace:
            for row in await sessions.listing(conn, self._c, limit=10_000, own_only=True):
                if row.title == prepared.title or row.source_name == source_name:
                    target = row
                    break
        session_id = await self._store(
            prepared, added_by, source_name, target.id if target else None, progress
        )
        return await self._result(session_id, prepared, target)

    async def add_url(
        self,
        url: str,
        *,
        added_by: str,
        title: str | None,
        date: str | None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Fetch a page or document (safely: see ``bot.ingest.fetch``) and add it."""
        from bot.ingest.fetch import fetch

        fetched = await fetch(url, max_bytes=self._h.max_source_bytes)
        return await self.add(
            fetched.data,
            source_name=fetched.url,
            added_by=added_by,
            title=title,
            date=date,
            format=fetched.format,
            replace=False,
            progress=progress,
        )

    async def replace(
        self,
        session_id: int,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None,
        date: str | None,
        format: str | None,
    ) -> AddResult:
        """Swap a stored session's content for a new version, keeping its id."""
        old = await sessions.owned(self._h.w.conn, self._c, session_id)
        if old is None:
            raise await self._not_ours(session_id)
        prepared = await self._prepare(data, source_name, title or old.title, date or old.date, format, None)
        same = await sessions.find_by_hash(self._h.w.conn, self._c, prepared.content_hash)
        if same is not None and same.id != session_id:
            raise DuplicateSessionError(same.id, same.title)
        await self._store(prepared, added_by, source_name, session_id, None)
        return await self._result(session_id, prepared, old)

    async def remove(self, session_id: int, *, removed_by: str) -> SessionInfo:
        """Remove a session and its statements; raises ``NotFoundError`` if absent."""
        async with self._h.write_lock:
            row = await sessions.remove(self._h.w.conn, self._c, session_id, removed_by)
        self._h.invalidate()
        if row is None:
            raise await self._not_ours(session_id)
        return session_info(row)

    async def share(self, session_id: int, shared: bool, *, by: str) -> SessionInfo:
        """Share one of the local community's sessions with every community (or stop sharing it)."""
        if self._c != LOCAL:
            raise OnrecordError("Only the local community's moderators can share a session with everyone.")
        async with self._h.write_lock:
            row = await sessions.set_shared(self._h.w.conn, session_id, shared, by)
        self._h.invalidate()
        if row is None:
            raise no_session(session_id)
        return session_info(row)

    async def move_to(self, target: str, *, by: str) -> int:
        """Give this community's whole record to ``target``, which must have none yet; sessions moved."""
        try:
            async with self._h.write_lock:
                moved = await sessions.move_community(self._h.w.conn, self._c, target, by)
        except ValueError as exc:
            raise OnrecordError(f"Nothing was moved: {exc}.") from None
        self._h.invalidate()
        return moved

    async def _not_ours(self, session_id: int) -> NotFoundError:
        """The refusal for a session this community may not change: absent, or shared with it."""
        if await sessions.get(self._h.w.conn, self._c, session_id) is not None:
            return NotFoundError(
                f"Session {session_id} is shared with this community from another record; "
                "only that record's moderators can change it."
            )
        return no_session(session_id)

    async def _prepare(
        self,
        data: bytes,
        source_name: str,
        title: str | None,
        date: str | None,
        format: str | None,
        progress: Progress | None,
    ) -> Prepared:
        if date is not None and valid_date(date) is None:
            raise IngestError(f"{date!r} is not a date; use the form YYYY-MM-DD, e.g. 2018-05-16.")
        if progress:
            await progress(f"Reading {source_name} ({len(data):,} bytes)…")
        max_bytes = self._h.max_source_bytes

        def work() -> Prepared:
            extraction = extract(data, source_name, format=format, max_bytes=max_bytes)
            return prepare(extraction, source_name=source_name, title=title, date=date)

        prepared = await asyncio.to_thread(work)
        if not prepared.statements:
            raise IngestError(f"{source_name}: no statements were found in it, so nothing was stored.")
        if progress:
            await progress(f"Storing {len(prepared.statements):,} statements…")
        return prepared

    async def _store(
        self,
        prepared: Prepared,
        added_by: str,
        source_name: str,
        replace_id: int | None,
        progress: Progress | None,
    ) -> int:
        """Write a prepared session: only this is under the write lock, never the parsing.

        Adds queue for the lock, this process's and SQLite's alike, saying so once through
        ``progress``; the same content committed by another add meanwhile is the duplicate
        sentence, as it would have been had this add come second.
        """
        told = False

        async def waiting() -> None:
            nonlocal told
            if progress is not None and not told:
                told = True
                await progress(WAITING_FOR_ADD)

        ex = prepared.extraction
        new = NewSession(
            title=prepared.title,
            date=prepared.date,
            source_name=source_name,
            format=ex.format,
            encoding=ex.encoding,
            content_hash=prepared.content_hash,
            added_by=added_by,
            text=ex.text,
        )
        try:
            if replace_id is None and len(prepared.statements) > sessions.STAGE_CHUNK:
                session_id = await self._store_staged(new, prepared, waiting)
            else:
                async with self._h.writing(on_wait=waiting):
                    session_id = await sessions.store(
                        self._h.w.conn,
                        self._c,
                        new,
                        prepared.statements,
                        prepared.people,
                        replace_id=replace_id,
                        on_wait=waiting,
                    )
        except ContentStoredError as exc:
            raise DuplicateSessionError(exc.row.id, exc.row.title) from None
        except StoreBusyError:
            minutes = WRITE_PATIENCE_S / 60
            raise IngestError(
                f"{source_name} was not stored: another add kept the store busy for over "
                f"{minutes:.0f} minutes. Try again once it has finished."
            ) from None
        except StoreFullError:
            raise IngestError(
                f"disk full: there is no room left for the store, so {source_name} was not stored "
                "(nothing was written). Free some disk space, then add it again."
            ) from None
        self._h.invalidate()
        return session_id

    async def _store_staged(self, new: NewSession, prepared: Prepared, waiting: OnWait) -> int:
        """Write a large session in short transactions; readers see all of it or none.

        One transaction for a 45 MB transcript held the write lock for over a minute and a
        half (most of it full-text indexing), so a daily post's claim, a moderator's command
        or another add waited that long. Here the session and its people are written
        first, marked unfinished, then its statements ``STAGE_CHUNK`` at a time, each
        chunk committed, this process's lock and SQLite's taken afresh for each (so a
        waiting writer gets in between); the last transaction makes the session readable.
        A failure discards what was written; a crash leaves it unfinished, for the next
        open to discard (``StoreHandles.discard_abandoned``).
        """
        await self._h.discard_abandoned()  # an earlier crashed add of the same file must not block this one
        async with self._h.transaction(on_wait=waiting) as conn:
            session_id, ids = await sessions.begin_staged(conn, self._c, new, prepared.people)
        try:
            statements = prepared.statements
            step = sessions.STAGE_CHUNK
            for first in range(0, len(statements), step):
                async with self._h.transaction(on_wait=waiting) as conn:
                    await sessions.stage_statements(
                        conn, self._c, session_id, statements[first : first + step], first, ids
                    )
                # Hand the lock over: SQLite's busy handler lets a waiting writer (another
                # process's claim of a daily post) sleep up to 100 ms between tries, so a
                # step taken again at once could keep it out for the whole add.
                await asyncio.sleep(STEP_PAUSE_S)
            async with self._h.transaction(on_wait=waiting) as conn:
                await sessions.finish_staged(conn, self._c, session_id, new, len(statements))
        except LookupError:
            raise IngestError(
                f"{new.source_name} was not stored: its add waited so long that it was taken for "
                "abandoned and cleared away. Add it again."
            ) from None
        except Exception:
            await self._discard(session_id)
            raise
        return session_id

    async def _discard(self, session_id: int) -> None:
        """Delete what a failed staged add wrote (left for the next open if even that fails)."""
        try:
            done = False
            while not done:
                async with self._h.transaction() as conn:
                    done = await sessions.discard_step(conn, session_id)
        except Exception:  # the store is failing (full disk, I/O): the next open clears it
            return

    async def _result(self, session_id: int, prepared: Prepared, replaced: SessionRow | None) -> AddResult:
        row = await sessions.get(self._h.w.conn, self._c, session_id)
        if row is None:  # pragma: no cover - just written
            raise NotFoundError(f"Session {session_id} vanished while it was being stored.")
        attributed = sum(1 for s in prepared.statements if s.speaker)
        speakers = tuple(dict.fromkeys(p.name for p in prepared.people))
        return AddResult(
            session=session_info(row),
            statements=len(prepared.statements),
            attributed=attributed,
            unattributed=len(prepared.statements) - attributed,
            speakers=speakers,
            format=prepared.extraction.format,
            encoding=prepared.extraction.encoding,
            replaced=session_info(replaced) if replaced else None,
            warnings=prepared.extraction.warnings,
        )
