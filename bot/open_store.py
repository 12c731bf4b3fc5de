"""The open store the ``Record`` collaborators share: connections, write lock, caches.

The name index and corpus statistics are cached per community (each community names and
counts only what it reads) until the database changes.

A separate reader connection lets questions run while a long add holds the writer; the
lock serialises writers inside one process (SQLite serialises across processes).
"""

from __future__ import annotations

import asyncio
import errno
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from bot.answers.question import SessionBrief
from bot.answers.rank import CorpusStats
from bot.errors import OnrecordError, StoreError
from bot.text.names import Known, NameIndex
from storage import people, search, sessions
from storage.connection import (
    WRITE_PATIENCE_S,
    OnWait,
    Store,
    StoreBusyError,
    StoreFault,
    connect,
    fault_of,
    migrate,
    quick_check,
    transaction,
)


def fault_sentence(path: Path, fault: StoreFault) -> str:
    """One sentence for a store that cannot be used: which file, what is wrong, what to do."""
    said = f"SQLite says: {fault.detail}"
    match fault.kind:
        case "not_a_database":
            return (
                f"{path} is not an onrecord store ({said}); point ONRECORD_DB at the right file, "
                "or move this one aside so an empty store is made in its place."
            )
        case "corrupt":
            return (
                f"The record store {path} is damaged ({said}); restore it from a backup, "
                "or move it aside so an empty store is made in its place."
            )
        case "full":
            return f"The disk holding the record store {path} is full; free some space on it, then try again."
        case "read_only":
            return (
                f"The record store {path} is read-only ({said}); let this user write to the file "
                "and its folder, then try again."
            )
        case "cannot_open":
            return (
                f"The record store {path} cannot be opened ({said}); check that ONRECORD_DB names a "
                "file in a folder this user may write to."
            )
    return f"The record store {path} could not be read or written ({said}); check the disk, then try again."


# Below this much free space an I/O error is taken for a full disk: SQLite reports a
# failure to grow its shared-memory file (-shm) as "disk I/O error", not "disk is full".
NEARLY_FULL_BYTES = 1024 * 1024


def store_error(path: Path, exc: BaseException) -> StoreError | None:
    """``exc`` as a ``StoreError`` naming ``path`` when a store fault lies behind it, else None."""
    if isinstance(exc, StoreError):
        return exc
    fault = fault_of(exc)
    if fault is None:
        return None
    if fault.kind == "io" and _free_bytes(path) < NEARLY_FULL_BYTES:
        fault = StoreFault("full", fault.detail)
    return StoreError(fault_sentence(path, fault))


def _free_bytes(path: Path) -> int:
    """Free space on the store's disk (a large number when it cannot be told)."""
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return NEARLY_FULL_BYTES


# How many communities' name indexes are kept at once (the least recently used goes first).
CACHED_COMMUNITIES = 256


@dataclass
class CommunityCache:
    """One community's cached names, session titles and corpus statistics."""

    index: NameIndex | None = None
    stats: CorpusStats | None = None
    briefs: list[SessionBrief] = field(default_factory=list)
    version: int | None = None


@dataclass
class StoreHandles:
    """Connections and caches of one store; ``open`` fills them, ``close`` empties them."""

    path: Path
    max_source_bytes: int | None = None
    writer: Store | None = None
    reader: Store | None = None
    caches: dict[str, CommunityCache] = field(default_factory=dict)
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    # Schedulers to wake when any community's schedule is set.
    wakers: list[Callable[[], None]] = field(default_factory=list)

    async def open(self, *, check: bool = False) -> None:
        """Connect (creating and migrating the database if needed).

        A file that cannot be used raises ``StoreError``, one sentence naming it. With
        ``check`` every page is read first (``quick_check``): a long-running bot finds a
        damaged store at start-up instead of in some member's question hours later.
        """
        try:
            self.writer = await connect(self.path)
        except OSError as exc:  # the folder cannot be made, or the path is a folder
            detail = f"{exc.strerror or exc}"
            fault = StoreFault("full" if exc.errno == errno.ENOSPC else "cannot_open", detail)
            raise StoreError(fault_sentence(self.path, fault)) from None
        except Exception as exc:
            if (error := store_error(self.path, exc)) is None:
                raise
            raise error from None
        try:
            if check and (problem := await quick_check(self.writer)):
                raise StoreError(fault_sentence(self.path, StoreFault("corrupt", problem)))
            await migrate(self.writer)
            self.reader = await connect(self.path)
            await self.discard_abandoned()
        except BaseException as exc:
            await self.writer.close()
            self.writer = None
            if isinstance(exc, Exception) and (error := store_error(self.path, exc)) is not None:
                raise error from None
            raise

    async def discard_abandoned(self) -> int:
        """Delete the sessions whose add was left unfinished by a writer now gone; how many.

        A crash (or kill -9) mid-add leaves a session marked unfinished, which no read
        sees; its rows are deleted here a chunk per transaction, as they were written, so
        no other writer waits long behind the clean-up. Adds still being written by a live
        process are left alone. Costs one small read when there are none (the usual case).
        """
        conn = self.w.conn
        gone = [row for row in await sessions.unfinished(conn) if sessions.writer_gone(row, time.time())]
        for row in gone:
            done = False
            while not done:
                async with self.transaction() as tx:
                    done = await sessions.discard_step(tx, row.session_id)
        if gone:
            self.invalidate()
        return len(gone)

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        for store in (self.reader, self.writer):
            if store is not None:
                await store.close()
        self.reader = self.writer = None

    @property
    def w(self) -> Store:
        """The writer connection; raises once the store is closed."""
        if self.writer is None:
            raise OnrecordError("The record store is closed.")
        return self.writer

    @property
    def r(self) -> Store:
        """The reader connection; raises once the store is closed."""
        if self.reader is None:
            raise OnrecordError("The record store is closed.")
        return self.reader

    @asynccontextmanager
    async def writing(
        self, *, on_wait: OnWait | None = None, patience: float = WRITE_PATIENCE_S
    ) -> AsyncIterator[None]:
        """Hold this process's write lock, queueing behind another task's write.

        ``on_wait`` is told first when the lock is taken (an add in progress on this bot);
        after ``patience`` seconds of waiting, ``StoreBusyError``.
        """
        if self.write_lock.locked() and on_wait is not None:
            await on_wait()
        try:
            async with asyncio.timeout(patience):
                await self.write_lock.acquire()
        except TimeoutError:
            raise StoreBusyError(f"this process's write lock stayed taken for {patience:.0f} s") from None
        try:
            yield
        finally:
            self.write_lock.release()

    @asynccontextmanager
    async def transaction(
        self, *, on_wait: OnWait | None = None, patience: float = WRITE_PATIENCE_S
    ) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the write lock around one ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error).

        Waits up to ``patience`` seconds for each lock, this process's and SQLite's (see
        ``writing``), then raises ``StoreBusyError``.
        """
        async with (
            self.writing(on_wait=on_wait, patience=patience),
            transaction(self.w.conn, on_wait=on_wait, patience=patience) as conn,
        ):
            yield conn

    def cache(self, community: str) -> CommunityCache:
        """The community's cache (created empty), most recently used last."""
        cache = self.caches.pop(community, None) or CommunityCache()
        self.caches[community] = cache
        while len(self.caches) > CACHED_COMMUNITIES:
            del self.caches[next(iter(self.caches))]
        return cache

    async def refresh(self, community: str) -> NameIndex:
        """Rebuild the community's cached names and statistics when the database changed (any process).

        Returns the index it read or built, never ``cache.index`` after an await: a writer
        may ``invalidate`` while this rebuild awaits its queries, and the caller must still
        get an index (the next call rebuilds, since the version it recorded is then stale).
        """
        conn = self.r.conn
        async with conn.execute("PRAGMA data_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        cache = self.cache(community)
        index = cache.index
        if index is None or version != cache.version:
            known = [
                Known(p.id, p.name, p.role, p.aliases, p.statements, p.party)
                for p in await people.all_people(conn, community)
            ]
            index = NameIndex.build(known)
            n, mean = await search.corpus_stats(conn, community)
            everything = await search.reads_every_statement(conn, community)
            briefs = [SessionBrief(i, t, d) for i, t, d in await sessions.brief(conn, community)]
            stats = CorpusStats(n, mean, len(briefs), everything)
            cache.index, cache.briefs, cache.stats = index, briefs, stats
            cache.version = version
        return index

    def invalidate(self) -> None:
        """Forget every community's cached names; the writer changed people or statements.

        Every community, not only the writer's: a shared session's change reaches them all.
        """
        for cache in self.caches.values():
            cache.index = None

    def briefs(self, community: str) -> list[SessionBrief]:
        """The community's cached session titles and dates (filled by ``refresh``)."""
        return self.cache(community).briefs

    def stats_or_empty(self, community: str) -> CorpusStats:
        """The community's corpus statistics, or zeros before the first refresh."""
        return self.cache(community).stats or CorpusStats(0, 0.0, 0)
