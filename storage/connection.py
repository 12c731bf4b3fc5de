"""Open an SQLite store with the settings every connection needs, and migrate it.

WAL lets answers keep flowing while a session is written; foreign keys make removing a
session remove its statements; a progress handler puts a time limit on reads so one
pathological query cannot stall a chat bot.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import aiosqlite

BUSY_TIMEOUT_MS = 10_000
# How many SQLite VM steps between two checks of the read deadline.
PROGRESS_STEPS = 10_000


class QueryTimeoutError(Exception):
    """A read ran past its time limit and was interrupted."""


class StoreFullError(Exception):
    """A write found no room: the disk is full, or the file reached its size limit (SQLITE_FULL)."""


def is_full(exc: BaseException) -> bool:
    """Whether an exception is SQLite's "database or disk is full"."""
    return isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


FaultKind = Literal["corrupt", "not_a_database", "full", "io", "cannot_open", "read_only"]

# SQLite's primary result codes (the low byte of an extended code) that mean the file
# itself cannot be used, as opposed to a query's own mistake or a busy lock.
_FAULTS: dict[int, FaultKind] = {
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "not_a_database",
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_IOERR: "io",
    sqlite3.SQLITE_CANTOPEN: "cannot_open",
    sqlite3.SQLITE_PERM: "cannot_open",
    sqlite3.SQLITE_READONLY: "read_only",
}


@dataclass(frozen=True)
class StoreFault:
    """Why a store file cannot be used: its kind and SQLite's (or the OS's) own words."""

    kind: FaultKind
    detail: str


def fault_of(exc: BaseException) -> StoreFault | None:
    """The store fault behind ``exc`` (or anything it was raised from), else None.

    Looks through ``__cause__`` and ``__context__`` because a fault is often re-raised
    inside another error (a failed ROLLBACK after a full disk, a wrapper's own error).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            kind = _FAULTS.get(code & 0xFF) if isinstance(code, int) else None
            if kind is not None:
                return StoreFault(kind, str(current))
        current = current.__cause__ or current.__context__
    return None


class _Deadline:
    """The monotonic time after which the running read is interrupted (0: no limit)."""

    def __init__(self) -> None:
        self.at = 0.0

    def expired(self) -> int:
        return 1 if self.at and time.monotonic() > self.at else 0


class Store:
    """One aiosqlite connection plus its read deadline."""

    def __init__(self, conn: aiosqlite.Connection, deadline: _Deadline) -> None:
        self.conn = conn
        self._deadline = deadline

    @asynccontextmanager
    async def time_limit(self, seconds: float) -> AsyncIterator[None]:
        """Interrupt reads inside the block that run longer than ``seconds``."""
        self._deadline.at = time.monotonic() + seconds
        try:
            yield
        except aiosqlite.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeoutError(f"query ran over {seconds:.1f} s") from exc
            raise
        finally:
            self._deadline.at = 0.0

    async def close(self) -> None:
        """Close the connection."""
        await self.conn.close()


async def connect(path: Path) -> Store:
    """Open (creating parent folders and the file if needed) and configure a connection.

    A connection that fails to configure (a damaged file fails at the journal-mode switch)
    is closed before the error leaves: aiosqlite runs each connection on a thread of its
    own, and one left open keeps the process alive after ``main`` returns.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = aiosqlite.connect(str(path), isolation_level=None)
    try:
        await conn
    except BaseException:
        # aiosqlite stops its worker thread itself here but does not wait for it; a worker
        # that answers after the event loop closed prints a traceback of its own.
        worker = getattr(conn, "_thread", None)
        if isinstance(worker, threading.Thread) and worker.is_alive():
            await asyncio.to_thread(worker.join, 5)
        raise
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await _use_wal(conn)
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        deadline = _Deadline()
        await conn.set_progress_handler(deadline.expired, PROGRESS_STEPS)
    except BaseException:
        await conn.close()
        raise
    return Store(conn, deadline)


async def quick_check(store: Store) -> str | None:
    """SQLite's ``quick_check`` of the whole file: None when sound, else its first finding.

    It reads every page (about a second per few hundred MB), so bots run it once at
    start-up rather than every command line doing so.
    """
    async with store.conn.execute("PRAGMA quick_check(1)") as cur:
        rows = [str(r[0]) for r in await cur.fetchall()]
    # One finding may come as several lines under a "*** in database main ***" heading.
    findings = [line.strip() for r in rows for line in r.splitlines()]
    findings = [f for f in findings if f and f != "ok" and not f.startswith("***")]
    return findings[0] if findings else None


async def _use_wal(conn: aiosqlite.Connection) -> None:
    """Switch the file to WAL, waiting out another process that is switching it too.

    SQLite answers "database is locked" at once (no busy wait) when two connections change
    the journal mode of a new file together, so retry for up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            async with conn.execute("PRAGMA journal_mode = WAL") as cur:
                await cur.fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.02)


def migration_files() -> list[tuple[int, str]]:
    """The numbered ``migrations/NNNN_*.sql`` scripts, in order, as (version, sql)."""
    found: list[tuple[int, str]] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_\w+\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    return found


class StoreBusyError(Exception):
    """Another connection held the write lock for longer than the writer would wait."""


OnWait = Callable[[], Awaitable[None]]
"""Told once when a writer finds the write lock taken and starts to wait for it."""

# How long a writer waits for another process's write by default: longer than the
# largest add takes to commit (a 45 MB transcript took about 100 s here).
WRITE_PATIENCE_S = 600.0
# The first try for the lock is short, so a waiting writer can say so at once.
_FIRST_TRY_MS = 200


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (another connection is writing)."""
    code = getattr(exc, "sqlite_errorcode", None)
    busy = isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY
    return isinstance(exc, sqlite3.OperationalError) and busy


async def begin_immediate(
    conn: aiosqlite.Connection, *, on_wait: OnWait | None = None, patience: float = WRITE_PATIENCE_S
) -> None:
    """Take the write lock (``BEGIN IMMEDIATE``), queueing behind another process's write.

    SQLite's busy timeout alone (10 s) made a second large add fail with "database is
    locked" while the first was still committing. Here the first try is short; if the
    lock is taken, ``on_wait`` is told once and the tries go on (each waiting up to the
    busy timeout inside SQLite) until ``patience`` seconds have passed, then
    ``StoreBusyError``.
    """
    deadline = time.monotonic() + patience
    await conn.execute(f"PRAGMA busy_timeout = {min(_FIRST_TRY_MS, int(patience * 1000))}")
    try:
        told = False
        while True:
            try:
                await conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                left = deadline - time.monotonic()
                if not is_busy(exc):
                    raise
                if left <= 0:
                    raise StoreBusyError(f"the write lock stayed taken for {patience:.0f} s") from exc
                if on_wait is not None and not told:
                    told = True
                    await on_wait()
                await conn.execute(f"PRAGMA busy_timeout = {max(1, min(BUSY_TIMEOUT_MS, int(left * 1000)))}")
    finally:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@asynccontextmanager
async def transaction(
    conn: aiosqlite.Connection, *, on_wait: OnWait | None = None, patience: float = WRITE_PATIENCE_S
) -> AsyncIterator[aiosqlite.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error, cancellation included.

    IMMEDIATE takes the write lock at the start, so a writer waits (see
    ``begin_immediate``) instead of failing halfway when another process writes at the
    same time. On a full disk SQLite rolls the transaction back itself; a ROLLBACK after
    that would fail with "cannot rollback - no transaction is active" and hide the cause,
    so it is only issued while a transaction is open, and the cause is raised as
    ``StoreFullError``.
    """
    await begin_immediate(conn, on_wait=on_wait, patience=patience)
    try:
        yield conn
        await conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            try:
                await conn.execute("ROLLBACK")
            except sqlite3.Error:
                if not is_full(exc):
                    raise
        if is_full(exc):
            raise StoreFullError(str(exc)) from exc
        raise


async def migrate(store: Store, *, upto: int | None = None) -> int:
    """Apply every migration newer than ``PRAGMA user_version``, each in one transaction.

    ``upto`` stops after that version (tests build a store as an older release left it).
    """
    conn = store.conn
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    for version, sql in migration_files():
        if version <= current or (upto is not None and version > upto):
            continue
        # Foreign keys are off while a migration runs (the pragma is a no-op inside a
        # transaction, so it is set around it): rebuilding a table (drop the old, rename the
        # new) must not cascade into the rows that reference it. They are checked before
        # the commit instead, so a migration that would break one rolls back.
        await conn.execute("PRAGMA foreign_keys = OFF")
        try:
            # executescript would commit on its own; run the script inside an explicit transaction.
            async with transaction(conn):
                # Another process may have applied it while we waited for the write lock.
                async with conn.execute("PRAGMA user_version") as cur:
                    row = await cur.fetchone()
                if row and int(row[0]) >= version:
                    current = int(row[0])
                    continue
                for statement in _split_sql(sql):
                    await conn.execute(statement)
                async with conn.execute("PRAGMA foreign_key_check") as cur:
                    broken = list(await cur.fetchall())
                if broken:
                    raise sqlite3.IntegrityError(
                        f"migration {version:04d} would leave {len(broken)} rows referring to nothing"
                    )
                await conn.execute(f"PRAGMA user_version = {version}")
        finally:
            await conn.execute("PRAGMA foreign_keys = ON")
        current = version
    return current


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    import sqlite3

    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
