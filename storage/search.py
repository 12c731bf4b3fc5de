"""Full-text search over statements' lemmas (FTS5), with speaker and session filters.

User words reach ``MATCH`` only as quoted strings, so FTS syntax typed into a question
(``victim" OR *``, ``NEAR(``, unbalanced quotes) is searched for as plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import aiosqlite


def quote_term(term: str) -> str:
    """One FTS5 string literal: double quotes inside are doubled, so nothing is syntax."""
    return '"' + term.replace('"', '""') + '"'


def match_any(terms: Sequence[str]) -> str:
    """An FTS5 query matching statements that contain any of ``terms``."""
    return " OR ".join(quote_term(t) for t in terms if t)


async def match(
    conn: aiosqlite.Connection,
    terms: Sequence[str],
    *,
    person_ids: Sequence[int] | None = None,
    session_ids: Sequence[int] | None = None,
    limit: int = 200,
) -> list[tuple[int, float]]:
    """(statement id, FTS5 bm25 score; lower is better) for statements with any term."""
    return await _ranked(conn, "statements_fts", terms, person_ids, session_ids, limit)


async def match_stemmed(
    conn: aiosqlite.Connection,
    words: Sequence[str],
    *,
    person_ids: Sequence[int] | None = None,
    session_ids: Sequence[int] | None = None,
    limit: int = 100,
) -> list[tuple[int, float]]:
    """(statement id, FTS5 bm25; lower is better) from the Porter-stemmed index of the statements' words.

    The stemmer joins forms the lemma index keeps apart (evaluations ~ evaluate).
    """
    return await _ranked(conn, "statements_stems", words, person_ids, session_ids, limit)


async def stemmed_scores(
    conn: aiosqlite.Connection, words: Sequence[str], ids: Sequence[int]
) -> dict[int, float]:
    """FTS5 bm25 (lower is better) of the given statements in the stemmed index; non-matches left out."""
    query = match_any(words)
    if not query or not ids:
        return {}
    sql = (
        "SELECT rowid, bm25(statements_stems) FROM statements_stems WHERE statements_stems MATCH ? "
        f"AND rowid IN ({','.join('?' * len(ids))})"
    )
    async with conn.execute(sql, [query, *ids]) as cur:
        return {int(r[0]): float(r[1]) for r in await cur.fetchall()}


async def bare_match(conn: aiosqlite.Connection, terms: Sequence[str], limit: int = 5) -> list[int]:
    """The plainest FTS5 query (for benchmarks): ids of the best matches of any term."""
    sql = "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? ORDER BY rank LIMIT ?"
    async with conn.execute(sql, (match_any(terms), limit)) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def doc_freqs(conn: aiosqlite.Connection, terms: Sequence[str]) -> dict[str, int]:
    """How many statements contain each term (0 for unknown terms)."""
    out = dict.fromkeys(terms, 0)
    if not terms:
        return out
    marks = ",".join("?" * len(terms))
    async with conn.execute(
        f"SELECT term, doc FROM statements_vocab WHERE term IN ({marks})", tuple(terms)
    ) as cur:
        for r in await cur.fetchall():
            out[str(r[0])] = int(r[1])
    return out


async def corpus_stats(conn: aiosqlite.Connection) -> tuple[int, float]:
    """(number of statements, mean tokens per statement), for BM25."""
    async with conn.execute("SELECT count(*), coalesce(avg(tokens), 0) FROM statements") as cur:
        row = await cur.fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


async def terms_with_prefix(
    conn: aiosqlite.Connection, prefix: str, limit: int = 200
) -> list[tuple[str, int]]:
    """Indexed terms starting with ``prefix`` and their statement counts, commonest first."""
    sql = "SELECT term, doc FROM statements_vocab WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?"
    async with conn.execute(sql, (prefix, prefix + "\U0010ffff", limit)) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall()]


async def common_terms(conn: aiosqlite.Connection, limit: int = 2000) -> list[tuple[str, int]]:
    """The most widespread indexed terms and their statement counts."""
    sql = "SELECT term, doc FROM statements_vocab ORDER BY doc DESC LIMIT ?"
    async with conn.execute(sql, (limit,)) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall()]


async def session_lemmas(conn: aiosqlite.Connection, session_id: int) -> list[str]:
    """The indexed lemmas of every statement in one session (for its topic terms)."""
    async with conn.execute("SELECT lemmas FROM statements WHERE session_id = ?", (session_id,)) as cur:
        return [str(r[0]) for r in await cur.fetchall()]


async def _ranked(
    conn: aiosqlite.Connection,
    table: Literal["statements_fts", "statements_stems"],
    terms: Sequence[str],
    person_ids: Sequence[int] | None,
    session_ids: Sequence[int] | None,
    limit: int,
) -> list[tuple[int, float]]:
    """Best ``limit`` statements by bm25 in one of the two indexes, optionally filtered."""
    query = match_any(terms)
    if not query:
        return []
    sql = f"SELECT f.rowid AS id, bm25({table}) AS score FROM {table} f "
    if person_ids is not None or session_ids is not None:
        # The join costs a row lookup per match: only paid when a filter needs it.
        sql += "JOIN statements st ON st.id = f.rowid "
    sql += f"WHERE {table} MATCH ?"
    params: list[object] = [query]
    if person_ids is not None:
        sql += f" AND st.person_id IN ({','.join('?' * len(person_ids))})"
        params += list(person_ids)
    if session_ids is not None:
        sql += f" AND st.session_id IN ({','.join('?' * len(session_ids))})"
        params += list(session_ids)
    sql += " ORDER BY score LIMIT ?"
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [(int(r[0]), float(r[1])) for r in await cur.fetchall()]
