"""People and their aliases: merged across sessions by external id, name or alias, within one community.

A community reads its own people and the speakers of sessions shared with everyone; it
writes (merges, aliases, prunes) only its own.

Keys (``name_key``, ``alias_key``) are normalised by the caller (``bot.text.names``), so
storage only compares strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.communities import SHARED_BUCKET, readable
from storage.statements import FINISHED


@dataclass(frozen=True)
class NewPerson:
    """A person as one record describes them, with keys already normalised."""

    name: str
    name_key: str
    role: str | None = None
    party: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, alias_key)
    external_id: str | None = None
    ref: str = ""  # the name this record's statements carry (defaults to ``name``)


@dataclass(frozen=True)
class PersonRow:
    """A stored person, their aliases and how much they said."""

    id: int
    name: str
    role: str | None
    party: str | None
    aliases: tuple[str, ...]
    statements: int
    sessions: int
    community: str = "local"


async def _one_id(conn: aiosqlite.Connection, sql: str, params: Sequence[object]) -> int | None:
    async with conn.execute(sql, params) as cur:
        rows = await cur.fetchall()
    ids = {int(r[0]) for r in rows}
    return ids.pop() if len(ids) == 1 else None


async def upsert(conn: aiosqlite.Connection, community: str, person: NewPerson) -> int:
    """The id of the community's stored person this record's person is, creating them if new.

    Merging order: same external id, same name key, then a unique person whose alias is
    this name, each only among the community's own people (a Sadiq Khan of one server is
    not another server's). Newer role and party values win; aliases accumulate.
    """
    person_id: int | None = None
    if person.external_id:
        person_id = await _one_id(
            conn,
            "SELECT id FROM people WHERE community = ? AND external_id = ?",
            (community, person.external_id),
        )
    if person_id is None:
        person_id = await _one_id(
            conn, "SELECT id FROM people WHERE community = ? AND name_key = ?", (community, person.name_key)
        )
    if person_id is None:
        person_id = await _one_id(
            conn,
            "SELECT a.person_id FROM aliases a JOIN people p ON p.id = a.person_id "
            "WHERE a.alias_key = ? AND p.community = ?",
            (person.name_key, community),
        )
    if person_id is None:
        cur = await conn.execute(
            "INSERT INTO people(community, name, name_key, role, party, external_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (community, person.name, person.name_key, person.role, person.party, person.external_id),
        )
        person_id = int(cur.lastrowid or 0)
        await cur.close()
    else:
        await conn.execute(
            "UPDATE people SET role = coalesce(?, role), party = coalesce(?, party), "
            "external_id = coalesce(external_id, ?) WHERE id = ?",
            (person.role, person.party, person.external_id, person_id),
        )
    await add_aliases(conn, community, person_id, person.aliases, origin="record")
    return person_id


async def add_aliases(
    conn: aiosqlite.Connection,
    community: str,
    person_id: int,
    aliases: Sequence[tuple[str, str]],
    *,
    origin: str,
) -> bool:
    """Attach aliases to one of the community's people (existing ones are kept as they are).

    False, and nothing written, when the person is not the community's own (a shared
    session's speaker is the local community's to name).
    """
    async with conn.execute(
        "SELECT 1 FROM people WHERE id = ? AND community = ?", (person_id, community)
    ) as cur:
        if await cur.fetchone() is None:
            return False
    await conn.executemany(
        "INSERT OR IGNORE INTO aliases(person_id, alias, alias_key, origin) VALUES (?, ?, ?, ?)",
        [(person_id, alias, key, origin) for alias, key in aliases if key],
    )
    return True


async def find_by_key(conn: aiosqlite.Connection, community: str, key: str) -> list[int]:
    """Ids of the community's people whose name key or an alias key is ``key``."""
    async with conn.execute(
        "SELECT id FROM people WHERE community = ? AND name_key = ? UNION "
        "SELECT a.person_id FROM aliases a JOIN people p ON p.id = a.person_id "
        "WHERE p.community = ? AND a.alias_key = ?",
        (community, key, community, key),
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def listing(
    conn: aiosqlite.Connection, community: str, session_id: int | None = None
) -> list[PersonRow]:
    """People with statements the community reads (in all or one session), most statements first."""
    buckets = readable(community)
    where = f"WHERE st.bucket IN (?, ?) AND {FINISHED}"
    params: tuple[object, ...] = buckets
    if session_id is not None:
        where = f"WHERE st.session_id = ? AND +st.bucket IN (?, ?) AND {FINISHED}"
        params = (session_id, *buckets)
    sql = f"""
        SELECT p.id, p.name, p.role, p.party, p.community,
               count(st.id) AS n, count(DISTINCT st.session_id) AS s,
               (SELECT group_concat(alias, char(31)) FROM aliases a WHERE a.person_id = p.id) AS al
        FROM statements st JOIN people p ON p.id = st.person_id
        {where}
        GROUP BY p.id ORDER BY n DESC, p.name
    """
    async with conn.execute(sql, params) as cur:
        return [_person_row(r) for r in await cur.fetchall()]


async def all_people(conn: aiosqlite.Connection, community: str) -> list[PersonRow]:
    """Every person the community may name (for name resolution), including silent ones.

    Its own people, and the speakers of sessions shared with every community; the
    statement counts are of what the community reads. A person who so far speaks only in
    a session still being written is left out with it.
    """
    buckets = readable(community)
    sql = f"""
        SELECT * FROM (
            SELECT p.id, p.name, p.role, p.party, p.community,
                   (SELECT count(*) FROM statements st
                    WHERE st.person_id = p.id AND +st.bucket IN (?, ?) AND {FINISHED}) AS n,
                   0 AS s,
                   (SELECT group_concat(alias, char(31)) FROM aliases a WHERE a.person_id = p.id) AS al
            FROM people p
            WHERE p.community = ?
               OR p.id IN (SELECT person_id FROM statements st
                           WHERE bucket = ? AND person_id IS NOT NULL AND {FINISHED})
        )
        WHERE n > 0 OR id NOT IN (
            SELECT person_id FROM statements
            WHERE session_id IN (SELECT session_id FROM pending_sessions) AND person_id IS NOT NULL
        )
        ORDER BY id
    """
    async with conn.execute(sql, (*buckets, community, SHARED_BUCKET)) as cur:
        return [_person_row(r) for r in await cur.fetchall()]


def _person_row(r: aiosqlite.Row) -> PersonRow:
    """A ``PersonRow`` from a row of id, name, role, party, n, s and al (aliases joined by char 31)."""
    return PersonRow(
        id=int(r["id"]),
        name=r["name"],
        role=r["role"],
        party=r["party"],
        aliases=tuple(sorted(set((r["al"] or "").split("\x1f")) - {"", r["name"]})),
        statements=int(r["n"]),
        sessions=int(r["s"]),
        community=r["community"],
    )


async def prune_silent(conn: aiosqlite.Connection, community: str) -> None:
    """Forget the community's people left with no statements and no hand-added alias (after a removal)."""
    await conn.execute(
        "DELETE FROM people WHERE community = ? "
        "AND id NOT IN (SELECT person_id FROM statements WHERE person_id IS NOT NULL) "
        "AND id NOT IN (SELECT person_id FROM aliases WHERE origin = 'manual')",
        (community,),
    )
