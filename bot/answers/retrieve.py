"""Every store read an answer makes: full-text candidates, their neighbours, the words near a typo.

``search_ranked`` interleaves lookups with the pure scoring of ``bot.answers.rank``
because which statements to read next depends on the scores so far (a speaker's replies
to the best matches, the turns around the best candidates). Keeping every read here
leaves the rest of ``bot.answers`` testable without a database.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite
from rapidfuzz import fuzz, process

from bot.answers.question import ParsedQuestion, asks_for_questions
from bot.answers.rank import (
    CorpusStats,
    Ranked,
    Ranking,
    anchored,
    rank,
    selective_terms,
    term_weights,
    turn_before,
    with_neighbours,
)
from bot.answers.stems import StemScores
from bot.text.lexicon import STOPWORDS
from bot.text.words import lemma
from storage import search, statements
from storage.statements import StatementRow

# Cache sizes, not weights: how many terms' statement counts and initials' words are kept per store version.
DOC_FREQ_CACHE_TERMS = 50_000
SUGGESTION_VOCAB = 2000


class StoreStems:
    """The stemmed index of one connection, as one community reads it (``bot.answers.stems.StemIndex``)."""

    def __init__(self, conn: aiosqlite.Connection, community: str, everything: bool = False) -> None:
        self.conn = conn
        self.community = community
        self.everything = everything  # the community reads the whole store: no filter needed

    async def match_stemmed(
        self,
        words: Sequence[str],
        *,
        person_ids: Sequence[int] | None,
        session_ids: Sequence[int] | None,
        limit: int,
    ) -> list[tuple[int, float]]:
        """(statement id, FTS5 bm25; lower is better) of the best stemmed matches."""
        return await search.match_stemmed(
            self.conn,
            self.community,
            words,
            person_ids=person_ids,
            session_ids=session_ids,
            limit=limit,
            everything=self.everything,
        )

    async def stemmed_scores(self, words: Sequence[str], ids: Sequence[int]) -> dict[int, float]:
        """FTS5 bm25 (lower is better) of the given statements; non-matches left out."""
        return await search.stemmed_scores(self.conn, self.community, words, ids, self.everything)


async def term_freqs(
    conn: aiosqlite.Connection, community: str, terms: Sequence[str], stats: CorpusStats
) -> dict[str, int]:
    """Statement counts of ``terms`` in the community, through the per-store-version cache in ``stats``."""
    missing = [t for t in terms if t not in stats.doc_freqs]
    if missing:
        if len(stats.doc_freqs) > DOC_FREQ_CACHE_TERMS:
            stats.doc_freqs.clear()
        stats.doc_freqs.update(await search.doc_freqs(conn, community, missing))
    return {t: stats.doc_freqs[t] for t in terms}


async def at_positions(
    conn: aiosqlite.Connection, community: str, places: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], StatementRow]:
    """The statements at (session id, position) places: the turns around or after a passage."""
    return await statements.at_positions(conn, community, places)


async def by_people(
    conn: aiosqlite.Connection,
    community: str,
    person_ids: Sequence[int],
    session_ids: Sequence[int] | None,
    *,
    questions_only: bool = False,
    limit: int,
) -> list[StatementRow]:
    """What some people said, newest session first (a speaker asked about with no topic)."""
    return await statements.by_people(
        conn, community, person_ids, session_ids, questions_only=questions_only, limit=limit
    )


async def search_ranked(
    conn: aiosqlite.Connection,
    community: str,
    parsed: ParsedQuestion,
    stats: CorpusStats,
    ranking: Ranking,
    *,
    person_ids: Sequence[int] | None,
    session_ids: Sequence[int] | None,
) -> list[Ranked]:
    """Candidates from the full-text index, re-ranked by the explainable score.

    With a speaker named, their replies to matching statements are candidates too: an
    answer often uses none of the question's words ("Do you foresee unintended
    consequences?" - "If we implement it carefully, I hope not").
    """
    weights = term_weights(parsed, ranking)
    if not weights:
        return []
    freqs = await term_freqs(conn, community, list(weights), stats)
    prefer = asks_for_questions(parsed)
    match_terms = selective_terms(weights, freqs, stats.statements, ranking.match_postings_budget)

    def scored(rows: Sequence[StatementRow], *, questions: bool = prefer) -> list[Ranked]:
        return rank(rows, weights, freqs, stats, ranking, prefer_questions=questions)

    async def ranked_hits(people: Sequence[int] | None) -> list[Ranked]:
        hits = await search.match(
            conn, community, match_terms, person_ids=people, session_ids=session_ids, limit=ranking.candidates
        )
        if people is not None and len(hits) < ranking.few_speaker_hits:
            # A speaker may never use the rarest words: look again with the common ones.
            budget = ranking.match_postings_budget * ranking.wider_budget
            wider = selective_terms(weights, freqs, stats.statements, budget)
            if wider != match_terms:
                hits = await search.match(
                    conn,
                    community,
                    wider,
                    person_ids=people,
                    session_ids=session_ids,
                    limit=ranking.candidates,
                )
        rows = await statements.by_ids(conn, community, [i for i, _ in hits])
        return scored(list(rows.values()))

    ranked = await ranked_hits(person_ids)
    # The stemmed lookup keeps to the words whose lemmas the lemma lookup chose (its postings budget).
    looked_up = set(match_terms)
    stem_words = [w for w in parsed.words if lemma(w) in looked_up]
    stem_weight = ranking.stem_weight if person_ids is None else 0.0
    stem_index = StoreStems(conn, community, stats.everything)
    stems = StemScores(stem_index, stem_words, stem_weight, ranking.candidates)
    if stems.weight:
        # Stemmed matches the lemma lookup missed (evaluations ~ evaluate) join the candidates.
        hits = await stems.lookup(person_ids, session_ids)
        have = {r.row.id for r in ranked}
        extra = await statements.by_ids(conn, community, [i for i in hits if i not in have])
        ranked += scored(list(extra.values()))
        stems.scale_to(max((r.score for r in ranked), default=0.0))
        ranked = stems.added(ranked)
    if not (ranking.prev_weight or ranking.next_weight):
        return ranked
    top = ranked[: ranking.rescored]
    if person_ids:
        wanted = set(person_ids)
        have = {r.row.id for r in ranked}
        anyone = (await ranked_hits(None))[: ranking.rescored]
        reach = max(2, ranking.turn_reach)
        after_hits = [(r.row.session_id, r.row.position + d) for r in anyone for d in range(1, reach + 1)]
        following = await statements.at_positions(conn, community, after_hits)
        replies = [
            row
            for row in following.values()
            if row.person_id in wanted and row.id not in have and _in_reply(row, following, anyone, ranking)
        ]
        top += await stems.scored(scored(replies))
    back = max(1, ranking.turn_reach)
    places = [(r.row.session_id, r.row.position + d) for r in top for d in (*range(-back, 0), 1)]
    around = await statements.at_positions(conn, community, places)
    # Only the statements a neighbour score is read from are scored: the one before and
    # after each passage, and the turn before it (most turns are one paragraph, so the
    # wider reach costs a read, not a score).
    turns_of = {
        (r.row.session_id, r.row.position): turn_before(r.row, around, ranking.turn_reach) for r in top
    }
    needed = {(r.row.session_id, r.row.position + d) for r in top for d in (-1, 1)}
    needed.update(p for turns in turns_of.values() for p in turns)
    near = {
        (r.row.session_id, r.row.position): r.score
        for r in await stems.scored(
            scored([row for at, row in around.items() if at in needed], questions=False)
        )
    }
    turn_prev = {
        key: max((near.get(p, 0.0) for p in turns), default=0.0) for key, turns in turns_of.items() if turns
    }
    if person_ids:
        before, behind = ranking.prev_weight, ranking.next_weight
        return with_neighbours(top, near, before, behind, turn_prev) + ranked[ranking.rescored :]
    before, behind = ranking.topic_prev_weight, ranking.topic_next_weight
    final = with_neighbours(top, near, before, behind) + ranked[ranking.rescored :]
    own = {r.row.id: r.score for r in ranked}
    return anchored(final, own, stems.scores, ranking.keyword_anchor)


async def suggest_topics(
    conn: aiosqlite.Connection,
    community: str,
    terms: Sequence[str],
    limit: int = 3,
    stats: CorpusStats | None = None,
) -> list[str]:
    """Indexed words close to the asked-for ones (misspellings, near forms).

    Candidates share the asked word's first two letters: listing the whole vocabulary
    with its counts reads every posting list (a second on a big store), a two-letter
    range a small part (cached per store version).
    """
    cache = stats.vocab_by_initial if stats is not None else {}
    out: list[str] = []
    for term in terms:
        if not term:
            continue
        initial = term[:2]
        if initial not in cache:
            found = await search.terms_with_prefix(conn, community, initial, SUGGESTION_VOCAB)
            cache[initial] = [t for t, _ in found if t not in STOPWORDS and len(t) > 2]
        for word, _, _ in process.extract(
            term, cache[initial], scorer=fuzz.ratio, limit=limit, score_cutoff=70
        ):
            if word != term and word not in out:
                out.append(str(word))
    return out[:limit]


def _in_reply(
    row: StatementRow,
    following: dict[tuple[int, int], StatementRow],
    hits: Sequence[Ranked],
    ranking: Ranking,
) -> bool:
    """Whether ``row`` belongs to the reply to one of ``hits``.

    Only a transcript has replies: a paragraph of the first other speaker's turn after the
    hit's turn (the asker may go on first). A news report's next quote is no answer to the
    one before it: there a passage without the topic's words joins only as the same
    speaker's continuation of a matching statement ("He added: …"), never after someone
    else's words.
    """
    if row.kind != "turn":
        return any(
            hit.row.session_id == row.session_id
            and hit.row.person_id == row.person_id
            and 1 <= row.position - hit.row.position <= 2
            for hit in hits
        )
    for hit in hits:
        if hit.row.session_id != row.session_id or hit.row.kind != "turn":
            continue
        d = row.position - hit.row.position
        if d in (1, 2):
            return True
        if 2 < d <= ranking.turn_reach:
            between = [following.get((row.session_id, hit.row.position + k)) for k in range(1, d)]
            if all(b is not None and b.kind == "turn" for b in between):
                speakers = [b.person_id for b in between if b is not None]
                # the asker may go on; then the replier's paragraphs, nobody else's
                firsts = [p for p in speakers if p != hit.row.person_id]
                if all(p == row.person_id for p in firsts):
                    return True
    return False
