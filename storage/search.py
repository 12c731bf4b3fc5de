"""Full-text search over statements (FTS5) within one community, with speaker and session filters.

User words reach ``MATCH`` only as quoted strings, so FTS syntax typed into a question
(``victim" OR *``, ``NEAR(``, unbalanced quotes) is searched for as plain words.

Every function takes the community asking. The lemma index holds each token prefixed by
its statement's bucket (``storage.communities``), so a community's query names its own two
buckets' tokens and nothing else can match, rank or be counted; the stemmed index has the
bucket as a second column, searched with a column filter.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from storage.communities import readable, term
from storage.statements import FINISHED


def quote_term(word: str) -> str:
    """One FTS5 string literal: double quotes inside are doubled, so nothing is syntax."""
    return '"' + word.replace('"', '""') + '"'


def match_any(terms: Sequence[str]) -> str:
    """An FTS5 query matching statements that contain any of ``terms``."""
    return " OR ".join(quote_term(t) for t in terms if t)


def _in_buckets(community: str, terms: Sequence[str]) -> str:
    """A lemma-index query for any of ``terms`` in the buckets ``community`` reads."""
    return match_any([term(b, t) for t in terms if t for b in readable(community)])


def _bucket_filter(community: str) -> str:
    """The stemmed-index column filter keeping to ``community``'s buckets."""
    return "bucket : (" + " OR ".join(quote_term(b) for b in readable(community)) + ")"


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def match(
    conn: aiosqlite.Connection,
    community: str,
    terms: Sequence[str],
    *,
    person_ids: Sequence[int] | None = None,
    session_ids: Sequence[int] | None = None,
    limit: int = 200,
) -> list[tuple[int, float]]:
    """(statement id, FTS5 bm25 score; lower is better) for statements with any term."""
    query = _in_buckets(community, terms)
    if not query:
        return []
    sql = "SELECT f.rowid AS id, bm25(statements_terms) AS score FROM statements_terms f "
    return await _ranked(conn, sql, "statements_terms MATCH ?", query, person_ids, session_ids, limit)


async def match_stemmed(
    conn: aiosqlite.Connection,
    community: str,
    words: Sequence[str],
    *,
    person_ids: Sequence[int] | None = None,
    session_ids: Sequence[int] | None = None,
    limit: int = 100,
    everything: bool = False,
) -> list[tuple[int, float]]:
    """(statement id, FTS5 bm25; lower is better) from the Porter-stemmed index of the statements' words.

    The stemmer joins forms the lemma index keeps apart (evaluations ~ evaluate). The
    community's buckets are a column filter, left out when the caller knows the community
    reads ``everything`` in the store (``reads_every_statement``): ANDed with the whole
    index, the filter phrase is pure cost. (Statements are fetched by ``by_ids``, which
    keeps to the community's buckets whatever this returns.)
    """
    words_query = match_any(words)
    if not words_query:
        return []
    query = (
        f"text : ({words_query})" if everything else f"{_bucket_filter(community)} AND text : ({words_query})"
    )
    # Weight 0 for the bucket column: it is a filter, not evidence.
    sql = "SELECT f.rowid AS id, bm25(statements_stems, 1.0, 0.0) AS score FROM statements_stems f "
    return await _ranked(conn, sql, "statements_stems MATCH ?", query, person_ids, session_ids, limit)


async def stemmed_scores(
    conn: aiosqlite.Connection,
    community: str,
    words: Sequence[str],
    ids: Sequence[int],
    everything: bool = False,
) -> dict[int, float]:
    """FTS5 bm25 (lower is better) of the given statements in the stemmed index; non-matches left out.

    ``ids`` are the community's own (from its searches). When it reads ``everything``,
    the ids are looked up one by one (``rowid IN``), as with no communities. Otherwise
    every match in its buckets is scored in one pass and the ids picked out: each
    ``rowid IN`` lookup seeks the words' whole-store posting lists again, and a
    community's words are chosen by its own (smaller) counts, so those lists are long.
    """
    words_query = match_any(words)
    if not words_query or not ids:
        return {}
    select = (
        "SELECT rowid, bm25(statements_stems, 1.0, 0.0) FROM statements_stems WHERE statements_stems MATCH ?"
    )
    if everything:
        async with conn.execute(select + f" AND rowid IN ({_marks(ids)})", [words_query, *ids]) as cur:
            return {int(r[0]): float(r[1]) for r in await cur.fetchall()}
    wanted = set(ids)
    query = f"{_bucket_filter(community)} AND text : ({words_query})"
    async with conn.execute(select, [query]) as cur:
        return {int(r[0]): float(r[1]) for r in await cur.fetchall() if int(r[0]) in wanted}


async def bare_match(
    conn: aiosqlite.Connection, community: str, terms: Sequence[str], limit: int = 5
) -> list[int]:
    """The plainest FTS5 query in one community (for benchmarks): ids of the best matches of any term."""
    sql = "SELECT rowid FROM statements_terms WHERE statements_terms MATCH ? ORDER BY rank LIMIT ?"
    async with conn.execute(sql, (_in_buckets(community, terms), limit)) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def doc_freqs(conn: aiosqlite.Connection, community: str, terms: Sequence[str]) -> dict[str, int]:
    """How many of the community's readable statements contain each term (0 for unknown terms)."""
    out = dict.fromkeys(terms, 0)
    if not terms:
        return out
    back: dict[str, str] = {}
    for b in readable(community):
        for t in terms:
            back[term(b, t)] = t
    keys = list(back)
    async with conn.execute(
        f"SELECT term, doc FROM statements_terms_vocab WHERE term IN ({_marks(keys)})", keys
    ) as cur:
        for r in await cur.fetchall():
            out[back[str(r[0])]] += int(r[1])
    return out


async def corpus_stats(conn: aiosqlite.Connection, community: str) -> tuple[int, float]:
    """(number of statements, mean tokens per statement) the community reads, for BM25."""
    buckets = readable(community)
    async with conn.execute(
        f"SELECT count(*), coalesce(avg(tokens), 0) FROM statements st WHERE bucket IN ({_marks(buckets)}) "
        f"AND {FINISHED}",
        buckets,
    ) as cur:
        row = await cur.fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


async def reads_every_statement(conn: aiosqlite.Connection, community: str) -> bool:
    """Whether no statement in the store lies outside the buckets ``community`` reads.

    Three index range probes around its two buckets, so it costs nothing however large
    the store is.
    """
    low, high = sorted(readable(community))
    for where, params in (
        ("bucket < ?", (low,)),
        ("bucket > ? AND bucket < ?", (low, high)),
        ("bucket > ?", (high,)),
    ):
        async with conn.execute(f"SELECT 1 FROM statements WHERE {where} LIMIT 1", params) as cur:
            if await cur.fetchone() is not None:
                return False
    return True


async def _vocab(
    conn: aiosqlite.Connection, community: str, prefix: str, limit: int
) -> list[tuple[str, int]]:
    """Indexed terms of the community's buckets starting with ``prefix``, commonest first."""
    parts: list[str] = []
    params: list[object] = []
    for b in readable(community):
        head = term(b, "")
        parts.append(
            "SELECT substr(term, ?) AS t, doc FROM statements_terms_vocab WHERE term >= ? AND term < ?"
        )
        params += [len(head) + 1, head + prefix, head + prefix + "\U0010ffff"]
    sql = (
        f"SELECT t, sum(doc) AS n FROM ({' UNION ALL '.join(parts)}) "
        "WHERE t <> '' GROUP BY t ORDER BY n DESC, t LIMIT ?"
    )
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall()]


async def terms_with_prefix(
    conn: aiosqlite.Connection, community: str, prefix: str, limit: int = 200
) -> list[tuple[str, int]]:
    """Indexed terms starting with ``prefix`` and their statement counts, commonest first."""
    return await _vocab(conn, community, prefix, limit)


async def common_terms(
    conn: aiosqlite.Connection, community: str, limit: int = 2000
) -> list[tuple[str, int]]:
    """The most widespread indexed terms of the community and their statement counts."""
    return await _vocab(conn, community, "", limit)


async def session_lemmas(conn: aiosqlite.Connection, community: str, session_id: int) -> list[str]:
    """The indexed lemmas of every statement in one readable session (for its topic terms)."""
    buckets = readable(community)
    async with conn.execute(
        f"SELECT lemmas FROM statements st WHERE session_id = ? AND bucket IN ({_marks(buckets)}) "
        f"AND {FINISHED}",
        (session_id, *buckets),
    ) as cur:
        return [str(r[0]) for r in await cur.fetchall()]


async def _ranked(
    conn: aiosqlite.Connection,
    select: str,
    where: str,
    query: str,
    person_ids: Sequence[int] | None,
    session_ids: Sequence[int] | None,
    limit: int,
) -> list[tuple[int, float]]:
    """Best ``limit`` statements by bm25 in one of the two indexes, optionally filtered."""
    sql = select
    if person_ids is not None or session_ids is not None:
        # The join costs a row lookup per match: only paid when a filter needs it.
        sql += "JOIN statements st ON st.id = f.rowid "
    sql += f"WHERE {where}"
    # A session still being written has its words in the index already: its statements
    # must not take places in the ``limit`` (an empty set when no add is under way).
    sql += (
        " AND f.rowid NOT IN (SELECT id FROM statements"
        " WHERE session_id IN (SELECT session_id FROM pending_sessions))"
    )
    params: list[object] = [query]
    if person_ids is not None:
        sql += f" AND st.person_id IN ({_marks(person_ids)})"
        params += list(person_ids)
    if session_ids is not None:
        sql += f" AND st.session_id IN ({_marks(session_ids)})"
        params += list(session_ids)
    sql += " ORDER BY score LIMIT ?"
    params.append(limit)
    async with conn.execute(sql, params) as cur:
        return [(int(r[0]), float(r[1])) for r in await cur.fetchall()]
