"""Daily-summary schedules, follows, and the post ledger (SQL only; rules live in bot.daily).

The ledger is what makes a post happen once: ``claim`` is one atomic statement that either
creates the (channel, local day) row or takes over a failed one whose retry time has come,
and returns whether this caller now owns the post. Times are UTC ISO 8601 strings, which
sort as they compare.

A schedule belongs to the community whose moderator set it; only that community may
change, follow in or stop it, and its post summarises only what that community reads.
The scheduler's reads (every schedule of a platform, the ledger) span communities: a
channel id names one channel on its platform, and each row says whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.communities import LOCAL, readable
from storage.statements import FINISHED, SELECT, StatementRow, row_of


@dataclass(frozen=True)
class ScheduleRow:
    """A channel's daily summary setting."""

    platform: str
    channel_id: str
    time_of_day: str
    timezone: str
    when_empty: str
    set_by: str
    set_at: str
    community: str = LOCAL


@dataclass(frozen=True)
class FollowRow:
    """A speaker and/or topic a channel follows."""

    id: int
    platform: str
    channel_id: str
    speaker: str | None
    topic: str | None


@dataclass(frozen=True)
class PostRow:
    """The ledger entry of one channel's post on one local day."""

    platform: str
    channel_id: str
    local_day: str
    state: str
    claimed_by: str
    attempts: int
    covers_from: str | None
    covers_to: str
    sent_at: str | None
    message_ref: str | None
    retry_at: str | None
    error: str | None


async def upsert_schedule(conn: aiosqlite.Connection, row: ScheduleRow) -> bool:
    """Set (or change) a channel's time, zone and empty-day behaviour for ``row.community``.

    False, with nothing changed, when the channel's schedule belongs to another community.
    """
    async with conn.execute(
        """INSERT INTO summary_schedules
             (platform, channel_id, time_of_day, timezone, when_empty, set_by, set_at, community)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(platform, channel_id) DO UPDATE SET
             time_of_day = excluded.time_of_day, timezone = excluded.timezone,
             when_empty = excluded.when_empty, set_by = excluded.set_by, set_at = excluded.set_at
           WHERE summary_schedules.community = excluded.community
           RETURNING community""",
        (
            row.platform,
            row.channel_id,
            row.time_of_day,
            row.timezone,
            row.when_empty,
            row.set_by,
            row.set_at,
            row.community,
        ),
    ) as cur:
        return await cur.fetchone() is not None


async def remove_schedule(conn: aiosqlite.Connection, community: str, platform: str, channel_id: str) -> bool:
    """Stop one of the community's daily summaries (its follows go with it); False if there was none."""
    cur = await conn.execute(
        "DELETE FROM summary_schedules WHERE platform = ? AND channel_id = ? AND community = ?",
        (platform, channel_id, community),
    )
    return cur.rowcount > 0


async def schedules(conn: aiosqlite.Connection, platform: str | None = None) -> list[ScheduleRow]:
    """Every schedule (of one platform, if given), in a stable order."""
    sql = "SELECT * FROM summary_schedules"
    params: tuple[str, ...] = ()
    if platform is not None:
        sql += " WHERE platform = ?"
        params = (platform,)
    async with conn.execute(sql + " ORDER BY platform, channel_id", params) as cur:
        rows = await cur.fetchall()
    return [_schedule(r) for r in rows]


def _schedule(r: aiosqlite.Row) -> ScheduleRow:
    return ScheduleRow(
        platform=r["platform"],
        channel_id=r["channel_id"],
        time_of_day=r["time_of_day"],
        timezone=r["timezone"],
        when_empty=r["when_empty"],
        set_by=r["set_by"],
        set_at=r["set_at"],
        community=r["community"],
    )


async def add_follow(
    conn: aiosqlite.Connection,
    community: str,
    platform: str,
    channel_id: str,
    speaker: str | None,
    topic: str | None,
    set_by: str,
    set_at: str,
) -> None:
    """Follow a speaker and/or topic in one of the community's scheduled channels (a repeat is a no-op)."""
    await conn.execute(
        """INSERT INTO summary_follows(community, platform, channel_id, speaker, topic, set_by, set_at)
           SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (
             SELECT 1 FROM summary_schedules WHERE platform = ? AND channel_id = ? AND community = ?)
           ON CONFLICT DO NOTHING""",
        (community, platform, channel_id, speaker, topic, set_by, set_at, platform, channel_id, community),
    )


async def remove_follows(
    conn: aiosqlite.Connection,
    community: str,
    platform: str,
    channel_id: str,
    speaker: str | None = None,
    topic: str | None = None,
) -> int:
    """Stop following in a channel; how many follows went.

    With neither ``speaker`` nor ``topic`` every follow of the channel goes; otherwise a
    follow goes when each one given equals its own (ignoring letter case), so ``speaker``
    alone drops that speaker on any topic and ``topic`` alone drops that topic by anyone.
    """
    cur = await conn.execute(
        """DELETE FROM summary_follows WHERE platform = ? AND channel_id = ? AND community = ?
             AND (? IS NULL OR lower(speaker) = lower(?))
             AND (? IS NULL OR lower(topic) = lower(?))""",
        (platform, channel_id, community, speaker, speaker, topic, topic),
    )
    return cur.rowcount


async def schedule(
    conn: aiosqlite.Connection, community: str, platform: str, channel_id: str
) -> ScheduleRow | None:
    """One of the community's channels' daily-summary setting, if it has one."""
    async with conn.execute(
        "SELECT * FROM summary_schedules WHERE platform = ? AND channel_id = ? AND community = ?",
        (platform, channel_id, community),
    ) as cur:
        r = await cur.fetchone()
    return _schedule(r) if r else None


async def community_of(conn: aiosqlite.Connection, platform: str, channel_id: str) -> str | None:
    """Whose daily summary a channel has (the scheduler's question), or None."""
    async with conn.execute(
        "SELECT community FROM summary_schedules WHERE platform = ? AND channel_id = ?",
        (platform, channel_id),
    ) as cur:
        r = await cur.fetchone()
    return str(r[0]) if r else None


async def follows(
    conn: aiosqlite.Connection, community: str, platform: str, channel_id: str
) -> list[FollowRow]:
    """What one of the community's channels follows, oldest first."""
    async with conn.execute(
        "SELECT id, platform, channel_id, speaker, topic FROM summary_follows"
        " WHERE platform = ? AND channel_id = ? AND community = ? ORDER BY id",
        (platform, channel_id, community),
    ) as cur:
        rows = await cur.fetchall()
    return [FollowRow(int(r["id"]), r["platform"], r["channel_id"], r["speaker"], r["topic"]) for r in rows]


def _post(r: aiosqlite.Row) -> PostRow:
    return PostRow(
        platform=r["platform"],
        channel_id=r["channel_id"],
        local_day=r["local_day"],
        state=r["state"],
        claimed_by=r["claimed_by"],
        attempts=int(r["attempts"]),
        covers_from=r["covers_from"],
        covers_to=r["covers_to"],
        sent_at=r["sent_at"],
        message_ref=r["message_ref"],
        retry_at=r["retry_at"],
        error=r["error"],
    )


async def post(conn: aiosqlite.Connection, platform: str, channel_id: str, local_day: str) -> PostRow | None:
    """The ledger entry for one channel and local day, if any."""
    async with conn.execute(
        "SELECT * FROM summary_posts WHERE platform = ? AND channel_id = ? AND local_day = ?",
        (platform, channel_id, local_day),
    ) as cur:
        r = await cur.fetchone()
    return _post(r) if r else None


async def posts(conn: aiosqlite.Connection, platform: str, channel_id: str | None = None) -> list[PostRow]:
    """Ledger entries of a platform (or one channel), oldest day first."""
    sql = "SELECT * FROM summary_posts WHERE platform = ?"
    params: tuple[str, ...] = (platform,)
    if channel_id is not None:
        sql += " AND channel_id = ?"
        params = (platform, channel_id)
    async with conn.execute(sql + " ORDER BY local_day, channel_id", params) as cur:
        return [_post(r) for r in await cur.fetchall()]


async def failed(
    conn: aiosqlite.Connection, platform: str, channel_id: str, max_attempts: int
) -> list[PostRow]:
    """A channel's refused posts with attempts left, of any day, oldest day first."""
    async with conn.execute(
        "SELECT * FROM summary_posts WHERE platform = ? AND channel_id = ? AND state = 'failed'"
        " AND attempts < ? ORDER BY local_day",
        (platform, channel_id, max_attempts),
    ) as cur:
        return [_post(r) for r in await cur.fetchall()]


async def claim(
    conn: aiosqlite.Connection,
    *,
    platform: str,
    channel_id: str,
    local_day: str,
    owner: str,
    now: str,
    covers_from: str | None,
    covers_to: str,
    max_attempts: int,
) -> bool:
    """Take the (channel, day) post for ``owner``; True only for the one caller that got it.

    A new day's row is inserted as 'claimed'. An existing row is taken over only when it
    'failed', its retry time has come and it has attempts left; a 'claimed' or 'sent' row
    is never taken, so a crash after claiming cannot lead to a second post.
    """
    async with conn.execute(
        """INSERT INTO summary_posts(platform, channel_id, local_day, state, claimed_by, claimed_at,
                                     attempts, covers_from, covers_to, community)
           VALUES (?, ?, ?, 'claimed', ?, ?, 1, ?, ?, coalesce(
             (SELECT community FROM summary_schedules WHERE platform = ?1 AND channel_id = ?2), 'local'))
           ON CONFLICT(platform, channel_id, local_day) DO UPDATE SET
             state = 'claimed', claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at,
             attempts = summary_posts.attempts + 1, covers_from = excluded.covers_from,
             covers_to = excluded.covers_to, retry_at = NULL
           WHERE summary_posts.state = 'failed' AND summary_posts.retry_at <= excluded.claimed_at
             AND summary_posts.attempts < ?
           RETURNING claimed_by""",
        (platform, channel_id, local_day, owner, now, covers_from, covers_to, max_attempts),
    ) as cur:
        row = await cur.fetchone()
    return row is not None and row[0] == owner


async def mark_sent(
    conn: aiosqlite.Connection,
    *,
    platform: str,
    channel_id: str,
    local_day: str,
    owner: str,
    sent_at: str,
    message_ref: str | None,
) -> None:
    """Record that the owner's claimed post went out (or that there was nothing to post)."""
    await conn.execute(
        """UPDATE summary_posts SET state = 'sent', sent_at = ?, message_ref = ?, error = NULL
           WHERE platform = ? AND channel_id = ? AND local_day = ?
             AND claimed_by = ? AND state = 'claimed'""",
        (sent_at, message_ref, platform, channel_id, local_day, owner),
    )


async def mark_failed(
    conn: aiosqlite.Connection,
    *,
    platform: str,
    channel_id: str,
    local_day: str,
    owner: str,
    error: str,
    retry_at: str,
) -> None:
    """Record that the platform refused the owner's post, and when to try again."""
    await conn.execute(
        """UPDATE summary_posts SET state = 'failed', error = ?, retry_at = ?
           WHERE platform = ? AND channel_id = ? AND local_day = ?
             AND claimed_by = ? AND state = 'claimed'""",
        (error, retry_at, platform, channel_id, local_day, owner),
    )


async def last_covered(conn: aiosqlite.Connection, platform: str, channel_id: str) -> str | None:
    """Up to when the channel's last successful post covered sessions (None: never posted)."""
    async with conn.execute(
        "SELECT max(covers_to) FROM summary_posts WHERE platform = ? AND channel_id = ? AND state = 'sent'",
        (platform, channel_id),
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row and row[0] else None


async def sessions_added(
    conn: aiosqlite.Connection, community: str, after: str | None, until: str
) -> list[int]:
    """Ids of readable sessions added after ``after`` (exclusive) and up to ``until``, oldest first."""
    async with conn.execute(
        "SELECT id FROM sessions WHERE (community = ? OR shared = 1) "
        "AND id NOT IN (SELECT session_id FROM pending_sessions) "
        "AND (? IS NULL OR added_at > ?) AND added_at <= ? ORDER BY added_at, id",
        (community, after, after, until),
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def session_statements(
    conn: aiosqlite.Connection, community: str, session_id: int
) -> list[StatementRow]:
    """Every statement of one readable session in record order (what a summary reads)."""
    async with conn.execute(
        SELECT + f" WHERE st.session_id = ? AND {FINISHED} AND +st.bucket IN (?, ?) ORDER BY st.position",
        (session_id, *readable(community)),
    ) as cur:
        return [row_of(r) for r in await cur.fetchall()]
