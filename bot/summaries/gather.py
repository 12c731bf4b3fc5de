"""Gather what a summary holds from the store: session summaries and followed passages.

``Record`` delegates here so its own file stays a thin front door; the summarising itself
is pure (``bot.summaries.summarise``) and runs in a thread, since a long committee meeting
takes a noticeable moment of CPU. It is imported on first use: its word-frequency data
costs start-up time a bot that never summarises need not pay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import aiosqlite

from bot.daily.clock import iso_now
from bot.errors import NotFoundError, OnrecordError
from bot.models import Answer, DailySummary, FollowUpdate, Passage, Person, SessionSummary, Statement
from bot.open_store import StoreHandles
from storage import people, schedules, sessions

MAX_SESSIONS_PER_POST = 5
MAX_PASSAGES_PER_FOLLOW = 3

Quotes = Callable[[str, "str | None", int], Awaitable[Answer]]
"""Record.quotes(speaker, topic, session_id) as a plain callable."""
Ask = Callable[[str], Awaitable[Answer]]


async def session_summary(conn: aiosqlite.Connection, community: str, session_id: int) -> SessionSummary:
    """Summarise one session the community reads; ``NotFoundError`` if there is no such session."""
    from bot.summaries.summarise import summarise_session

    row = await sessions.get(conn, community, session_id)
    if row is None:
        raise NotFoundError(f"There is no session {session_id} on the record.")
    stored = await schedules.session_statements(conn, community, session_id)
    listed = await people.listing(conn, community, session_id)
    persons = [Person(name=p.name, role=p.role, party=p.party) for p in listed]
    statements = [
        Statement(
            speaker=s.speaker,
            text=s.text,
            kind=s.kind,  # type: ignore[arg-type]  # checked by the table's CHECK constraint
            start=s.start,
            end=s.end,
            is_question=s.is_question,
            page=s.page,
            seconds=s.seconds,
        )
        for s in stored
    ]
    return await asyncio.to_thread(
        summarise_session,
        statements,
        title=row.title,
        date=row.date,
        session_id=row.id,
        people=persons,
    )


async def window_summary(
    conn: aiosqlite.Connection,
    community: str,
    *,
    since: str | None,
    until: str,
    follows: Sequence[schedules.FollowRow] = (),
    quotes: Quotes | None = None,
    ask: Ask | None = None,
) -> DailySummary:
    """Summaries of the sessions added in (since, until], newest ones kept when many.

    Follows are answered only within those sessions: a channel following "Khan on knife
    crime" hears about new sessions, not the whole archive again.
    """
    ids = await schedules.sessions_added(conn, community, since, until)
    shown = ids[-MAX_SESSIONS_PER_POST:]
    summaries = tuple([await session_summary(conn, community, i) for i in shown])
    updates: list[FollowUpdate] = []
    for follow in follows:
        found: list[Passage] = []
        try:
            if follow.speaker and quotes is not None:
                for sid in ids:
                    answer = await quotes(follow.speaker, follow.topic, sid)
                    found.extend(answer.passages)
            elif follow.topic and ask is not None:
                answer = await ask(follow.topic)
                found.extend(p for p in answer.passages if p.session_id in ids)
        except OnrecordError:
            found = []
        found.sort(key=lambda p: -p.score)
        updates.append(FollowUpdate(follow.speaker, follow.topic, tuple(found[:MAX_PASSAGES_PER_FOLLOW])))
    return DailySummary(
        sessions=summaries,
        since=since,
        until=until,
        more=len(ids) - len(shown),
        follows=tuple(updates),
    )


class SummaryReads:
    """The summaries one community reads: one session's, a window's, a channel's daily post."""

    def __init__(self, handles: StoreHandles, community: str) -> None:
        self._h = handles
        self._c = community

    async def summary(self, session_id: int | None, since: str | None) -> DailySummary:
        """One session's summary (default: the newest), or every session added after ``since``."""
        conn = self._h.r.conn
        if session_id is not None:
            one = await session_summary(conn, self._c, session_id)
            return DailySummary(sessions=(one,), since=None, until=None)
        if since is not None:
            return await window_summary(conn, self._c, since=since, until=iso_now())
        newest = await sessions.listing(conn, self._c, limit=1)
        if not newest:
            raise NotFoundError("There are no sessions on the record yet; add one first.")
        one = await session_summary(conn, self._c, newest[0].id)
        return DailySummary(sessions=(one,), since=None, until=None)

    async def channel_summary(
        self, platform: str, channel_id: str, *, since: str | None, until: str, quotes: Quotes, ask: Ask
    ) -> DailySummary:
        """What a channel's daily post holds: sessions added in (since, until] and its follows."""
        follows = await schedules.follows(self._h.r.conn, self._c, platform, channel_id)
        return await window_summary(
            self._h.r.conn, self._c, since=since, until=until, follows=follows, quotes=quotes, ask=ask
        )
