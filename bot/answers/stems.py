"""Porter-stemmed BM25 next to the lemma score, for questions that name no speaker.

The lemma index keeps "evaluations" and "evaluate" apart; the stemmed index (migration
0003) joins them. Its score is added in the lemma score's units, so a passage's score
stays one explainable sum: lemma BM25 x coverage + scaled stemmed BM25.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from bot.answers.rank import Ranked, best_first


class StemIndex(Protocol):
    """The stemmed full-text index as this scoring reads it (``bot.answers.retrieve`` serves it)."""

    async def match_stemmed(
        self,
        words: Sequence[str],
        *,
        person_ids: Sequence[int] | None,
        session_ids: Sequence[int] | None,
        limit: int,
    ) -> list[tuple[int, float]]:
        """(statement id, FTS5 bm25; lower is better) of the best stemmed matches."""
        ...

    async def stemmed_scores(self, words: Sequence[str], ids: Sequence[int]) -> dict[int, float]:
        """FTS5 bm25 (lower is better) of the given statements; non-matches left out."""
        ...


class StemScores:
    """Porter-stemmed BM25 of statements, added to the lemma score in its units.

    The best stemmed match is worth ``weight`` times the best lemma score, and others in
    proportion, so the sum stays explainable: lemma BM25 x coverage + scaled stemmed BM25.
    """

    def __init__(self, index: StemIndex, words: Sequence[str], weight: float, limit: int) -> None:
        self.index = index
        self.limit = limit
        self.words = list(words)
        self.weight = weight if words else 0.0
        self.scores: dict[int, float] = {}
        self.factor = 0.0

    async def lookup(self, person_ids: Sequence[int] | None, session_ids: Sequence[int] | None) -> list[int]:
        """The best stemmed matches (ids, best first), remembering their scores."""
        hits = await self.index.match_stemmed(
            self.words, person_ids=person_ids, session_ids=session_ids, limit=self.limit
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
        best_first(out)
        return out

    async def scored(self, ranked: Sequence[Ranked]) -> list[Ranked]:
        """Like ``added``, looking up the stemmed scores of statements not seen yet."""
        if not self.factor:
            return list(ranked)
        missing = [r.row.id for r in ranked if r.row.id not in self.scores]
        found = await self.index.stemmed_scores(self.words, missing)
        self.scores.update((i, -score) for i, score in found.items())
        return self.added(ranked)
