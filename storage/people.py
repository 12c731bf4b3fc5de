"""People and their aliases: merged across sessions by external id, name or alias.

Keys (``name_key``, ``alias_key``) are normalised by the caller (``bot.text.names``), so
storage only compares strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite


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


async def _one_id(conn: aiosqlite.Connection, sql: str, params: Sequence[object]) -> int | None:
    async with conn.execute(sql, params) as cur:
        rows = await cur.fetchall()
    ids = {int(r[0]) for r in rows}
    return ids.pop() if len(ids) == 1 else None


async def upsert(conn: aiosqlite.Connection, person: NewPerson) -> int:
    """The id of the stored person this record's person is, creating them if new.

    Merging order: same external id, same name key, then a unique person whose alias is
    this name. Newer role and party values win; aliases accumulate.
    """
    person_id: int | None = None
    if person.external_id:
        person_id = await _one_id(conn, "SELECT id FROM people WHERE external_id = ?", (person.external_id,))
    if person_id is None:
        person_id = await _one_id(conn, "SELECT id FROM people WHERE name_key = ?", (person.name_key,))
    if person_id is None:
        person_id = await _one_id(
            conn, "SELECT person_id FROM aliases WHERE alias_key = ?", (person.name_key,)
        )
    if person_id is None:
        cur = await conn.execute(
            "INSERT INTO people(name, name_key, role, party, external_id) VALUES (?, ?, ?, ?, ?)",
            (person.name, person.name_key, person.role, person.party, person.external_id),
        )
        person_id = int(cur.lastrowid or 0)
        await cur.close()
    else:
        await conn.execute(
            "UPDATE people SET role = coalesce(?, role), party = coalesce(?, party), "
            "external_id = coalesce(external_id, ?) WHERE id = ?",
            (person.role, person.party, person.external_id, person_id),
        )
    await add_aliases(conn, person_id, person.aliases, origin="record")
    return person_id


async def add_aliases(
    conn: aiosqlite.Connection, person_id: int, aliases: Sequence[tuple[str, str]], *, origin: str
) -> None:
    """Attach aliases to a person (existing ones are kept as they are)."""
    await conn.executemany(
        "INSERT OR IGNORE INTO aliases(person_id, alias, alias_key, origin) VALUES (?, ?, ?, ?)",
        [(person_id, alias, key, origin) for alias, key in aliases if key],
    )


async def find_by_key(conn: aiosqlite.Connection, key: str) -> list[int]:
    """Ids of people whose name key or an alias key is ``key``."""
    async with conn.execute(
        "SELECT id FROM people WHERE name_key = ? UNION SELECT person_id FROM aliases WHERE alias_key = ?",
        (key, key),
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def listing(conn: aiosqlite.Connection, session_id: int | None = None) -> list[PersonRow]:
    """People with statements (in the store or one session), most statements first."""
    where = "WHERE st.session_id = ?" if session_id is not None else ""
    params: tuple[object, ...] = (session_id,) if session_id is not None else ()
    sql = f"""
        SELECT p.id, p.name, p.role, p.party,
               count(st.id) AS n, count(DISTINCT st.session_id) AS s,
               (SELECT group_concat(alias, char(31)) FROM aliases a WHERE a.person_id = p.id) AS al
        FROM people p JOIN statements st ON st.person_id = p.id
        {where}
        GROUP BY p.id ORDER BY n DESC, p.name
    """
    async with conn.execute(sql, params) as cur:
        return [_person_row(r) for r in await cur.fetchall()]


async def all_people(conn: aiosqlite.Connection) -> list[PersonRow]:
    """Every stored person with aliases (for name resolution), including silent ones."""
    sql = """
        SELECT p.id, p.name, p.role, p.party,
               (SELECT count(*) FROM statements st WHERE st.person_id = p.id) AS n, 0 AS s,
               (SELECT group_concat(alias, char(31)) FROM aliases a WHERE a.person_id = p.id) AS al
        FROM people p ORDER BY p.id
    """
    async with conn.execute(sql) as cur:
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
    )


async def prune_silent(conn: aiosqlite.Connection) -> None:
    """Forget people left with no statements and no hand-added alias (after a removal)."""
    await conn.execute(
        "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM statements WHERE person_id IS NOT NULL) "
        "AND id NOT IN (SELECT person_id FROM aliases WHERE origin = 'manual')"
    )
