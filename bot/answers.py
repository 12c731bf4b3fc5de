"""Turn an understood question into an answer: find, rank and cite passages.

Ranking is explainable: BM25 over the statements' lemmas (focus words of the question
weigh more than "when talking about ..." context words), times how much of the topic a
passage covers, restricted to the asked-about speaker when one is named. Nothing found
is an answer too: it says what was searched and suggests near speakers or topics.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiosqlite
from rapidfuzz import fuzz, process

from bot.exchanges import put_to
from bot.models import Answer, Passage
from bot.questions import ParsedQuestion, asks_for_questions
from bot.stem_scores import StemScores
from bot.text.lexicon import STOPWORDS
from bot.text.names import NameIndex, suggest
from bot.text.words import lemma
from storage import search, statements
from storage.statements import StatementRow

K1 = 1.2
B = 0.75
CONTEXT_WEIGHT = 0.5
QUESTION_BOOST = 1.5
# Passages taken from the index (best FTS5 bm25 first) into the explainable re-ranking.
CANDIDATES = 100
# A passage is also judged by its neighbours: the question it answers (the statement
# before) and what follows; these weights say how much each neighbour's score counts.
PREV_WEIGHT = 0.8
NEXT_WEIGHT = 0.25
RESCORED = 30
# Without a speaker, the neighbours say whether a passage sits inside a discussion of the topic.
TOPIC_PREV_WEIGHT = 0.8
TOPIC_NEXT_WEIGHT = 0.25
COVERAGE_BASE = 0.5
# The index lookup reads the rarest terms first and stops adding terms once their
# statements together pass this many: each matching statement costs the lookup a BM25
# evaluation, so this bounds the time of an answer on a big store (a term left out still
# counts in re-ranking). Stores smaller than this look up every term.
MATCH_POSTINGS_BUDGET = 2500
# A named speaker with fewer hits than this is looked up again with a budget this many times larger.
FEW_SPEAKER_HITS = 3
WIDER_BUDGET = 4
DOC_FREQ_CACHE_TERMS = 50_000
SUGGESTION_VOCAB = 2000
# For questions naming no speaker, how much the Porter-stemmed BM25 of a statement's own
# words counts next to the lemma score: its best match is worth this many times the best
# lemma score (adding it to named questions lowered their hit@1 on both splits).
STEM_WEIGHT = 2.0
# Passages scoring under this share of the best one are padding, not answers.
MIN_RELATIVE_SCORE = 0.2


@dataclass(frozen=True)
class CorpusStats:
    """Store-wide numbers BM25 needs, cached by the caller between writes."""

    statements: int
    mean_tokens: float
    sessions: int
    # Statement counts of terms already looked up: counting a common term's statements
    # reads its whole posting list, so each term is counted once per store version.
    doc_freqs: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # Indexed words by their first two letters, for "perhaps you meant" (listing them reads posting lists).
    vocab_by_initial: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Ranked:
    """A statement with its score and the share of the topic it covers."""

    row: StatementRow
    score: float
    coverage: float


def _weights(parsed: ParsedQuestion) -> dict[str, float]:
    weights = dict.fromkeys(parsed.focus_terms, 1.0)
    for term in parsed.context_terms:
        weights.setdefault(term, CONTEXT_WEIGHT)
    return weights


def rank(
    rows: Sequence[StatementRow],
    weights: dict[str, float],
    doc_freqs: dict[str, int],
    stats: CorpusStats,
    *,
    prefer_questions: bool = False,
) -> list[Ranked]:
    """Score statements: weighted BM25 over lemmas, times (0.5 + weighted topic coverage)."""
    total_weight = sum(weights.values()) or 1.0
    n = max(stats.statements, 1)
    avgdl = stats.mean_tokens or 1.0
    idf = {t: math.log(1 + (n - doc_freqs.get(t, 0) + 0.5) / (doc_freqs.get(t, 0) + 0.5)) for t in weights}
    out: list[Ranked] = []
    for row in rows:
        counts = Counter(row.lemmas.split())
        dl = row.tokens or len(counts) or 1
        bm25 = 0.0
        covered = 0.0
        for term, weight in weights.items():
            tf = counts.get(term, 0)
            if not tf:
                continue
            covered += weight
            bm25 += weight * idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
        coverage = covered / total_weight
        score = bm25 * (COVERAGE_BASE + coverage)
        if prefer_questions and row.is_question:
            score *= QUESTION_BOOST
        out.append(Ranked(row, score, coverage))
    out.sort(key=lambda r: (-r.score, r.row.session_id, r.row.position))
    return out


def passage(row: StatementRow, score: float = 0.0) -> Passage:
    """A stored statement as a cited passage."""
    return Passage(
        session_id=row.session_id,
        title=row.title,
        date=row.date,
        speaker=row.speaker,
        kind=row.kind,  # type: ignore[arg-type]
        text=row.text,
        start=row.start,
        end=row.end,
        is_question=row.is_question,
        page=row.page,
        seconds=row.seconds,
        score=round(score, 4),
    )


def selective_terms(
    weights: dict[str, float], freqs: dict[str, int], statements: int, budget: int = MATCH_POSTINGS_BUDGET
) -> list[str]:
    """The terms worth a full-text lookup: rarest first, within a postings budget.

    The rarest term is always looked up; the next ones while all their statements
    together stay within ``budget``. Common words cost long posting lists and barely
    change which passages are candidates; they still count in the re-ranking. A store
    smaller than the budget looks up every term.
    """
    if statements <= budget:
        return list(weights)
    chosen: list[str] = []
    postings = 0
    for term in sorted(weights, key=lambda t: (freqs.get(t, 0), t)):
        postings += freqs.get(term, 0)
        if chosen and postings > budget:
            break
        chosen.append(term)
    return chosen


async def term_freqs(conn: aiosqlite.Connection, terms: Sequence[str], stats: CorpusStats) -> dict[str, int]:
    """Statement counts of ``terms``, through the per-store-version cache in ``stats``."""
    missing = [t for t in terms if t not in stats.doc_freqs]
    if missing:
        if len(stats.doc_freqs) > DOC_FREQ_CACHE_TERMS:
            stats.doc_freqs.clear()
        stats.doc_freqs.update(await search.doc_freqs(conn, missing))
    return {t: stats.doc_freqs[t] for t in terms}


async def search_ranked(
    conn: aiosqlite.Connection,
    parsed: ParsedQuestion,
    stats: CorpusStats,
    *,
    person_ids: Sequence[int] | None,
    session_ids: Sequence[int] | None,
) -> list[Ranked]:
    """Candidates from the full-text index, re-ranked by the explainable score.

    With a speaker named, their replies to matching statements are candidates too: an
    answer often uses none of the question's words ("Do you foresee unintended
    consequences?" - "If we implement it carefully, I hope not").
    """
    weights = _weights(parsed)
    if not weights:
        return []
    freqs = await term_freqs(conn, list(weights), stats)
    prefer = asks_for_questions(parsed)
    match_terms = selective_terms(weights, freqs, stats.statements)

    async def ranked_hits(people: Sequence[int] | None) -> list[Ranked]:
        hits = await search.match(
            conn, match_terms, person_ids=people, session_ids=session_ids, limit=CANDIDATES
        )
        if people is not None and len(hits) < FEW_SPEAKER_HITS:
            # A speaker may never use the rarest words: look again with the common ones.
            wider = selective_terms(weights, freqs, stats.statements, MATCH_POSTINGS_BUDGET * WIDER_BUDGET)
            if wider != match_terms:
                hits = await search.match(
                    conn, wider, person_ids=people, session_ids=session_ids, limit=CANDIDATES
                )
        rows = await statements.by_ids(conn, [i for i, _ in hits])
        return rank(list(rows.values()), weights, freqs, stats, prefer_questions=prefer)

    ranked = await ranked_hits(person_ids)
    # The stemmed lookup keeps to the words whose lemmas the lemma lookup chose (its postings budget).
    looked_up = set(match_terms)
    stem_words = [w for w in parsed.words if lemma(w) in looked_up]
    stems = StemScores(conn, stem_words, STEM_WEIGHT if person_ids is None else 0.0, CANDIDATES)
    if stems.weight:
        # Stemmed matches the lemma lookup missed (evaluations ~ evaluate) join the candidates.
        hits = await stems.lookup(person_ids, session_ids)
        have = {r.row.id for r in ranked}
        extra = await statements.by_ids(conn, [i for i in hits if i not in have])
        ranked += rank(list(extra.values()), weights, freqs, stats, prefer_questions=prefer)
        stems.scale_to(max((r.score for r in ranked), default=0.0))
        ranked = stems.added(ranked)
    if not (PREV_WEIGHT or NEXT_WEIGHT):
        return ranked
    top = ranked[:RESCORED]
    if person_ids:
        wanted = set(person_ids)
        have = {r.row.id for r in ranked}
        anyone = (await ranked_hits(None))[:RESCORED]
        following = await statements.at_positions(
            conn, [(r.row.session_id, r.row.position + d) for r in anyone for d in (1, 2)]
        )
        replies = [row for row in following.values() if row.person_id in wanted and row.id not in have]
        top += await stems.scored(rank(replies, weights, freqs, stats, prefer_questions=prefer))
    places = [(r.row.session_id, r.row.position + d) for r in top for d in (-1, 1)]
    around = await statements.at_positions(conn, places)
    near = {
        (r.row.session_id, r.row.position): r.score
        for r in await stems.scored(rank(list(around.values()), weights, freqs, stats))
    }
    before, behind = (PREV_WEIGHT, NEXT_WEIGHT) if person_ids else (TOPIC_PREV_WEIGHT, TOPIC_NEXT_WEIGHT)
    rescored = [
        Ranked(
            r.row,
            r.score
            + before * near.get((r.row.session_id, r.row.position - 1), 0.0)
            + behind * near.get((r.row.session_id, r.row.position + 1), 0.0),
            r.coverage,
        )
        for r in top
    ]
    rescored.sort(key=lambda r: (-r.score, r.row.session_id, r.row.position))
    return rescored + ranked[RESCORED:]


async def suggest_topics(
    conn: aiosqlite.Connection, terms: Sequence[str], limit: int = 3, stats: CorpusStats | None = None
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
            found = await search.terms_with_prefix(conn, initial, SUGGESTION_VOCAB)
            cache[initial] = [t for t, _ in found if t not in STOPWORDS and len(t) > 2]
        for word, _, _ in process.extract(
            term, cache[initial], scorer=fuzz.ratio, limit=limit, score_cutoff=70
        ):
            if word != term and word not in out:
                out.append(str(word))
    return out[:limit]


def speaker_label(parsed: ParsedQuestion, index: NameIndex) -> str | None:
    """The asked-about speaker(s) by canonical name, when the name was unambiguous."""
    names: list[str] = []
    for m in parsed.speakers:
        if len(m.person_ids) != 1:
            return None
        names.append(index.people[m.person_ids[0]].name)
    return " and ".join(dict.fromkeys(names)) or None


def nothing_found(
    parsed: ParsedQuestion,
    who: str | None,
    sessions_searched: int,
    suggestions: Sequence[str],
    *,
    candidates: Sequence[str] = (),
    note: str | None = None,
) -> Answer:
    """An honest empty answer: what was searched, and where to look instead."""
    if note is None:
        topic = f"'{parsed.topic}'" if parsed.topic else "anything"
        where = f"searched {sessions_searched} session{'s' if sessions_searched != 1 else ''}"
        if parsed.scope.label:
            where += f" ({parsed.scope.label})"
        if who:
            note = f"No statements by {who} mention {topic}; {where}."
        else:
            terms = ", ".join(parsed.terms) or "no searchable words"
            note = f"Nothing on the record mentions {topic} (looked for: {terms}); {where}."
        if suggestions:
            note += " Perhaps: " + ", ".join(suggestions) + "."
    return Answer(
        question=parsed.text,
        speaker=who,
        topic=parsed.topic,
        passages=(),
        note=note,
        suggestions=tuple(suggestions),
        candidates=tuple(candidates),
    )


def _names(index: NameIndex, ids: Sequence[int]) -> list[str]:
    return sorted({index.people[i].name for i in ids if i in index.people})


def _speakers_found(ranked: Sequence[Ranked], limit: int = 10) -> tuple[str, ...]:
    """Named speakers of the best-covering passages, best first."""
    if not ranked:
        return ()
    best = max(r.coverage for r in ranked)
    names: dict[str, None] = {}
    for r in ranked:
        if r.row.speaker and r.coverage >= best - 0.25 and r.score > 0:
            names.setdefault(r.row.speaker, None)
    return tuple(list(names)[:limit])


async def answer(
    conn: aiosqlite.Connection, parsed: ParsedQuestion, index: NameIndex, stats: CorpusStats, limit: int
) -> Answer:
    """Answer a parsed question from the store behind ``conn``."""
    session_ids = list(parsed.scope.session_ids) if parsed.scope.session_ids is not None else None
    searched = len(session_ids) if session_ids is not None else stats.sessions
    if stats.statements == 0:
        return nothing_found(
            parsed, None, 0, (), note="The record is empty: no sessions have been added yet."
        )
    if session_ids == []:
        return nothing_found(
            parsed,
            None,
            0,
            (),
            note=f"No stored session is from {parsed.scope.label}; `sessions` lists them.",
        )
    note: str | None = None
    near: list[str] = []
    unknown_note: str | None = None
    if parsed.unknown_speaker:
        # Never a guess at who they meant: say so, and show what was said on the topic by
        # whoever said it (each passage names its own speaker).
        near = suggest(parsed.unknown_speaker, index)
        note = f"No speaker called '{parsed.unknown_speaker}' is on the record."
        if near:
            note += " Perhaps: " + ", ".join(near) + "."
        unknown_note = note
        if not parsed.focus_terms:
            return nothing_found(parsed, None, searched, near, note=note)
        note += " Showing what others said on the topic."

    ambiguous = [m for m in parsed.speakers if len(m.person_ids) > 1]
    person_ids = [pid for m in parsed.speakers for pid in m.person_ids] or None
    who = speaker_label(parsed, index)
    candidates: list[str] = []
    if ambiguous:
        candidates = _names(index, [pid for m in ambiguous for pid in m.person_ids])
        note = (
            f"'{ambiguous[0].text}' could mean {', '.join(candidates)}: which one? Showing each one's words."
        )

    wants_questions = asks_for_questions(parsed)
    if person_ids and not parsed.terms:
        rows = await statements.by_people(
            conn, person_ids, session_ids, questions_only=wants_questions, limit=limit
        )
        if not rows and wants_questions:
            rows = await statements.by_people(conn, person_ids, session_ids, limit=limit)
            if rows:
                note = (
                    note
                    or f"No passage of {who or 'theirs'} is marked as a question; here is what they said."
                )
        if not rows:
            return nothing_found(parsed, who, searched, (), candidates=candidates)
        return Answer(
            question=parsed.text,
            speaker=who,
            topic=None,
            passages=tuple(passage(r) for r in rows),
            note=note,
            candidates=tuple(candidates),
            speakers_found=tuple(dict.fromkeys(r.speaker for r in rows if r.speaker)),
        )
    if not parsed.terms:
        top = [p.name for p in sorted(index.people.values(), key=lambda p: -p.statements)[:3]]
        return nothing_found(
            parsed,
            who,
            searched,
            top,
            note="I could not find a topic or a known speaker in that question. Try: what did <name> say "
            "about <topic>?" + (" Speakers on the record include " + ", ".join(top) + "." if top else ""),
        )

    ranked = await search_ranked(conn, parsed, stats, person_ids=person_ids, session_ids=session_ids)
    if parsed.intent == "who":
        ranked = [r for r in ranked if r.row.speaker]
        if wants_questions and any(r.row.is_question for r in ranked):
            ranked = [r for r in ranked if r.row.is_question]
        if parsed.addressees and ranked:
            asked = sorted({pid for m in parsed.addressees for pid in m.person_ids})
            whom = " or ".join(_names(index, asked))
            put = await put_to(conn, ranked, set(asked))
            if put:
                ranked = put
                note = note or f"Questions {whom} answered (the next speaker after each)."
            else:
                note = note or (
                    f"No question on '{parsed.topic or 'that'}' was answered by {whom} on the record; "
                    "here is who asked about it."
                )
    if not ranked:
        suggestions: list[str] = []
        if person_ids:
            others = await search_ranked(conn, parsed, stats, person_ids=None, session_ids=session_ids)
            suggestions = list(_speakers_found(others, 3))
        suggestions += await suggest_topics(conn, parsed.terms, stats=stats)
        if unknown_note:
            # That the name is unknown matters more than that the topic found nothing.
            return nothing_found(parsed, None, searched, near, note=unknown_note)
        return nothing_found(parsed, who, searched, suggestions, candidates=candidates)
    seen: set[tuple[int, int, int]] = set()
    chosen: list[Ranked] = []
    floor = ranked[0].score * MIN_RELATIVE_SCORE
    for r in ranked:
        if r.score < floor:
            break
        key = (r.row.session_id, r.row.start, r.row.end)
        if key not in seen:
            seen.add(key)
            chosen.append(r)
        if len(chosen) >= limit:
            break
    return Answer(
        question=parsed.text,
        speaker=who,
        topic=parsed.topic,
        passages=tuple(passage(r.row, r.score) for r in chosen),
        note=note,
        suggestions=tuple(near),
        candidates=tuple(candidates),
        speakers_found=_speakers_found(ranked),
    )
