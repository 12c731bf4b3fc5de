"""The open store the ``Record`` collaborators share: connections, write lock, caches.

The name index and corpus statistics are cached per community (each community names and
counts only what it reads) until the database changes.

A separate reader connection lets questions run while a long add holds the writer; the
lock serialises writers inside one process (SQLite serialises across processes).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from bot.answers.question import SessionBrief
from bot.answers.rank import CorpusStats
from bot.errors import OnrecordError
from bot.text.names import Known, NameIndex
from storage import people, search, sessions
from storage.connection import Store, connect, migrate, transaction

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

    async def open(self) -> None:
        """Connect (creating and migrating the database if needed)."""
        self.writer = await connect(self.path)
        try:
            await migrate(self.writer)
            self.reader = await connect(self.path)
        except BaseException:
            await self.writer.close()
            self.writer = None
            raise

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
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the write lock around one ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error)."""
        async with self.write_lock, transaction(self.w.conn) as conn:
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
