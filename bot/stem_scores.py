"""Porter-stemmed BM25 next to the lemma score, for questions that name no speaker.

The lemma index keeps "evaluations" and "evaluate" apart; the stemmed index (migration
0003) joins them. Its score is added in the lemma score's units, so a passage's score
stays one explainable sum: lemma BM25 x coverage + scaled stemmed BM25.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import aiosqlite

from storage import search

if TYPE_CHECKING:
    from bot.answers import Ranked


class StemScores:
    """Porter-stemmed BM25 of statements, added to the lemma score in its units.

    The best stemmed match is worth ``weight`` times the best lemma score, and others in
    proportion, so the sum stays explainable: lemma BM25 x coverage + scaled stemmed BM25.
    """

    def __init__(self, conn: aiosqlite.Connection, words: Sequence[str], weight: float, limit: int) -> None:
        self.conn = conn
        self.limit = limit
        self.words = list(words)
        self.weight = weight if words else 0.0
        self.scores: dict[int, float] = {}
        self.factor = 0.0

    async def lookup(self, person_ids: Sequence[int] | None, session_ids: Sequence[int] | None) -> list[int]:
        """The best stemmed matches (ids, best first), remembering their scores."""
        hits = await search.match_stemmed(
            self.conn, self.words, person_ids=person_ids, session_ids=session_ids, limit=self.limit
        )
        self.scores.update((i, -score) for i, score in hits)
        return [i for i, _ in hits]

    def scale_to(self, lemma_best: float) -> None:
        """Fix the factor turning stemmed scores into lemma-score units."""
        stem_best = max(self.scores.values(), default=0.0)
        self.factor = self.weight * (lemma_best or 1.0) / stem_best if stem_best > 0 else 0.0

    def added(self, ranked: Sequence[Ranked]) -> list[Ranked]:
        """``ranked`` with each statement's scaled stemmed score added, best first."""
        out = [replace(r, score=r.score + self.factor * self.scores.get(r.row.id, 0.0)) for r in ranked]
        out.sort(key=lambda r: (-r.score, r.row.session_id, r.row.position))
        return out

    async def scored(self, ranked: Sequence[Ranked]) -> list[Ranked]:
        """Like ``added``, looking up the stemmed scores of statements not seen yet."""
        if not self.factor:
            return list(ranked)
        missing = [r.row.id for r in ranked if r.row.id not in self.scores]
        found = await search.stemmed_scores(self.conn, self.words, missing)
        self.scores.update((i, -score) for i, score in found.items())
        return self.added(ranked)
