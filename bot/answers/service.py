"""Questions to the store: a free-text question, or a speaker (and topic) picked from lists.

Both end in ``answer`` under a read time limit, so one pathological query cannot
stall the bot: it is stopped and the asker is told to narrow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as date_cls

import aiosqlite

from bot.answers import compose, exchanges, retrieve
from bot.answers.question import ParsedQuestion, Scope, SessionBrief, asks_for_questions, parse
from bot.answers.rank import SHIPPED, CorpusStats, Ranking
from bot.errors import NotFoundError, OnrecordError
from bot.models import Answer
from bot.open_store import StoreHandles
from bot.text.names import Mention, NameIndex, suggest
from storage import kept_questions
from storage.connection import QueryTimeoutError
from storage.statements import StatementRow

READ_TIME_LIMIT_S = 3.0
# A speaker asked about with no topic: how many of their statements (newest first) the
# most central few are chosen from.
NO_TOPIC_POOL = 400
# Passages chosen beyond the limit, to stand in for bare turns that are left out.
SPARE = 3


class Answering:
    """Turns questions into cited answers from one store."""

    def __init__(self, handles: StoreHandles, community: str, ranking: Ranking = SHIPPED) -> None:
        self._h = handles
        self._c = community
        self.ranking = ranking

    async def ask(self, question: str, *, limit: int) -> Answer:
        """Answer a free-text question with verbatim, cited passages."""
        index = await self._h.refresh(self._c)
        parsed = parse(question, index, self._h.briefs(self._c), date_cls.today())
        return await self._answer(parsed, index, limit)

    async def keep(self, question: str | None, speaker: str | None, topic: str | None) -> int:
        """Keep a question under a number so it can be answered again (chat page buttons)."""
        if (question is None) == (speaker is None):
            raise OnrecordError("Keep either a question or a speaker (and topic), not both.")
        async with self._h.transaction() as conn:
            return await kept_questions.keep(conn, self._c, question, speaker, topic)

    async def answer_kept(self, question_id: int, *, limit: int) -> Answer:
        """Answer a kept question again, as ``ask`` or ``quotes`` would."""
        kept = await kept_questions.get(self._h.r.conn, self._c, question_id)
        if kept is None:
            raise NotFoundError("That answer is no longer on record; please ask again.")
        if kept.question is not None:
            return await self.ask(kept.question, limit=limit)
        assert kept.speaker is not None  # the table's CHECK: a question or a speaker
        return await self.quotes(kept.speaker, kept.topic, session_id=None, limit=limit)

    async def quotes(self, speaker: str, topic: str | None, *, session_id: int | None, limit: int) -> Answer:
        """A speaker's passages, optionally on one topic (the structured form of ``ask``)."""
        index = await self._h.refresh(self._c)
        shown = f"what did {speaker} say" + (f" about {topic}" if topic else "")
        base = parse(f"about {topic}" if topic else "", index, (), date_cls.today())
        ids, how, score = index.lookup(speaker)
        if not ids:
            perhaps = suggest(speaker, index)
            return compose.nothing_found(
                base,
                None,
                len(self._h.briefs(self._c)),
                perhaps,
                note=f"No speaker called {speaker!r} is on the record."
                + (" Perhaps: " + ", ".join(perhaps) + "." if perhaps else ""),
            )
        scope = base.scope
        if session_id is not None:
            scope = Scope(f"session {session_id}", (session_id,))
        mention = Mention(0, 0, speaker, tuple(sorted(ids)), score, how)
        parsed = ParsedQuestion(
            text=shown,
            intent="say",
            speakers=(mention,),
            topic=topic.strip() if topic and topic.strip() else None,
            focus_terms=base.focus_terms,
            context_terms=(),
            scope=scope,
        )
        return await self._answer(parsed, index, limit)

    async def _answer(self, parsed: ParsedQuestion, index: NameIndex, limit: int) -> Answer:
        limit = max(1, min(int(limit), 50))
        reader = self._h.r
        try:
            async with reader.time_limit(READ_TIME_LIMIT_S):
                return await answer(
                    reader.conn,
                    self._c,
                    parsed,
                    index,
                    self._h.stats_or_empty(self._c),
                    limit,
                    self.ranking,
                    self._h.briefs(self._c),
                )
        except QueryTimeoutError:
            return Answer(
                question=parsed.text,
                speaker=compose.speaker_label(parsed, index),
                topic=parsed.topic,
                passages=(),
                note="That search took too long and was stopped; try fewer or more specific words.",
            )


async def answer(
    conn: aiosqlite.Connection,
    community: str,
    parsed: ParsedQuestion,
    index: NameIndex,
    stats: CorpusStats,
    limit: int,
    ranking: Ranking = SHIPPED,
    briefs: Sequence[SessionBrief] = (),
) -> Answer:
    """Answer a parsed question from what ``community`` reads in the store behind ``conn``."""
    session_ids = list(parsed.scope.session_ids) if parsed.scope.session_ids is not None else None
    searched = len(session_ids) if session_ids is not None else stats.sessions
    if stats.statements == 0:
        return compose.nothing_found(
            parsed, None, 0, (), note="The record is empty: no sessions have been added yet."
        )
    if session_ids == []:
        return compose.nothing_found(
            parsed,
            None,
            0,
            (),
            note=f"No stored session is from {parsed.scope.label}; `sessions` lists them.",
        )
    note: str | None = None
    near: list[str] = []
    if parsed.unknown_speaker:
        # Never a guess at who they meant, and never someone else's words in their place.
        near = suggest(parsed.unknown_speaker, index)
        note = f"No speaker called '{parsed.unknown_speaker}' is on the record."
        if near:
            note += " Perhaps: " + ", ".join(near) + "."
        return compose.nothing_found(parsed, None, searched, near, note=note)

    ambiguous = [m for m in parsed.speakers if len(m.person_ids) > 1]
    person_ids = [pid for m in parsed.speakers for pid in m.person_ids] or None
    who = compose.speaker_label(parsed, index)
    candidates: list[str] = []
    if ambiguous:
        candidates = compose.names(index, [pid for m in ambiguous for pid in m.person_ids])
        note = f"'{ambiguous[0].text}' could mean {compose.either(candidates)}: which one?"

    wants_questions = asks_for_questions(parsed)
    if person_ids and not parsed.terms:
        pool = max(limit, NO_TOPIC_POOL)
        rows = await retrieve.by_people(
            conn, community, person_ids, session_ids, questions_only=wants_questions, limit=pool
        )
        if not rows and wants_questions:
            rows = await retrieve.by_people(conn, community, person_ids, session_ids, limit=pool)
            if rows:
                note = (
                    note
                    or f"No passage of {who or 'theirs'} is marked as a question; here is what they said."
                )
        if not rows:
            return compose.nothing_found(
                parsed, who, searched, (), candidates=candidates, titles=_searched_titles(briefs, session_ids)
            )
        if ambiguous:
            # Never a silent pick: with no topic to tell them apart, ask which one.
            return compose.nothing_found(parsed, None, searched, (), candidates=candidates, note=note)
        said_to: list[StatementRow] = []
        if parsed.addressees and not wants_questions:
            # "what did the Presiding Officer say to Ms Goldie": words that name her or sit
            # next to her own turns; without such evidence, say so rather than pretend.
            to_ids = {pid for m in parsed.addressees for pid in m.person_ids}
            whom = " or ".join(compose.names(index, sorted(to_ids)))
            beside = await retrieve.at_positions(conn, community, exchanges.around_places(rows))
            said_to = [rows[i] for i in exchanges.spoken_to(rows, beside, to_ids, index)]
            if not said_to:
                note = note or (
                    f"Nothing {who or 'they'} said is marked as said to {whom}; here is what they said."
                )
        rows = said_to[:limit] if said_to else compose.central(rows, limit)
        around = await retrieve.at_positions(conn, community, exchanges.around_places(rows))
        return Answer(
            question=parsed.text,
            speaker=who,
            topic=None,
            passages=tuple(
                compose.in_exchange(r, 0.0, around, questions=wants_questions) for r in rows
            ),
            note=note,
            candidates=tuple(candidates),
            speakers_found=tuple(dict.fromkeys(r.speaker for r in rows if r.speaker)),
        )
    if not parsed.terms:
        top = [p.name for p in sorted(index.people.values(), key=lambda p: -p.statements)[:3]]
        return compose.nothing_found(
            parsed,
            who,
            searched,
            top,
            note="I could not find a topic or a known speaker in that question. Try: what did <name> say "
            "about <topic>?" + (" Speakers on the record include " + ", ".join(top) + "." if top else ""),
        )

    ranked = await retrieve.search_ranked(
        conn, community, parsed, stats, ranking, person_ids=person_ids, session_ids=session_ids
    )
    if parsed.intent == "who":
        # A transcript turn the record names no speaker for (captions nobody called) is still
        # the best answer when it matches best: shown as it is, with a note, rather than
        # dropped for a worse match that has a name. A report's quote with no speaker is
        # one attribution could not settle, not the record's silence: left out as before.
        ranked = [r for r in ranked if r.row.speaker or (r.row.kind == "turn" and not parsed.addressees)]
        if wants_questions and any(r.row.is_question for r in ranked):
            ranked = [r for r in ranked if r.row.is_question]
        if ranked and not any(r.row.speaker for r in ranked):
            note = "These words are on the record, but it does not say who said them."
        elif ranked and ranked[0].row.speaker is None:
            note = "The best match is on the record without a speaker: the record does not say who said it."
        if parsed.addressees and ranked:
            asked = sorted({pid for m in parsed.addressees for pid in m.person_ids})
            whom = " or ".join(compose.names(index, asked))
            after = await retrieve.at_positions(conn, community, exchanges.following_places(ranked))
            put = exchanges.put_to(ranked, after, set(asked))
            if put:
                ranked = put
                note = note or f"Questions {whom} answered (the next speaker after each)."
            else:
                note = note or (
                    f"No question on '{parsed.topic or 'that'}' was answered by {whom} on the record; "
                    "here is who asked about it."
                )
    elif parsed.addressees and person_ids and ranked and wants_questions:
        # "what did Ms Heaven ask Drakeford about ...": her questions that he answered.
        asked = sorted({pid for m in parsed.addressees for pid in m.person_ids})
        whom = " or ".join(compose.names(index, asked))
        after = await retrieve.at_positions(conn, community, exchanges.following_places(ranked))
        put = exchanges.put_to(ranked, after, set(asked))
        if put:
            ranked = put
        else:
            note = note or f"None of these was answered by {whom} (the next speaker after each)."
    elif parsed.addressees and person_ids and ranked:
        # "what did the Presiding Officer say to Ms Goldie about ...": of the words on the
        # topic, those that name her or sit next to her turns, in the ranker's order.
        asked_ids = {pid for m in parsed.addressees for pid in m.person_ids}
        whom = " or ".join(compose.names(index, sorted(asked_ids)))
        rows_ = [r.row for r in ranked]
        beside = await retrieve.at_positions(conn, community, exchanges.around_places(rows_))
        keep = set(exchanges.spoken_to(rows_, beside, asked_ids, index))
        if keep:
            ranked = [r for i, r in enumerate(ranked) if i in keep]
        else:
            note = note or f"None of these is marked as said to {whom} (naming them, or next to their turn)."
    if ambiguous and ranked:
        # Several people answer to the name: if only one of them spoke on the topic, these
        # are that person's words, and the answer says why; if several did, it asks which.
        in_play = compose.in_play(ranked, {pid for m in ambiguous for pid in m.person_ids}, ranking)
        if len(in_play) == 1:
            pid = next(iter(in_play))
            ranked = [r for r in ranked if r.row.person_id == pid]
            who = index.people[pid].name if pid in index.people else who
            note = (
                f"'{ambiguous[0].text}' could mean {compose.either(candidates)}; only {who} spoke on "
                f"'{parsed.topic or 'this'}', so these are {who}'s words."
            )
        else:
            spoke = compose.either(compose.names(index, sorted(in_play)), "and")
            note = (
                f"'{ambiguous[0].text}' could mean {compose.either(candidates)}, and {spoke} "
                f"all spoke on '{parsed.topic or 'this'}': which one? Ask again with the full name."
            )
            return compose.nothing_found(parsed, None, searched, (), candidates=candidates, note=note)
    if person_ids and ranked:
        ranked = exchanges.substance_first(ranked)
    if not ranked:
        suggestions: list[str] = []
        if person_ids:
            others = await retrieve.search_ranked(
                conn, community, parsed, stats, ranking, person_ids=None, session_ids=session_ids
            )
            suggestions = list(compose.speakers_found(others, 3))
        suggestions += await retrieve.suggest_topics(conn, community, parsed.terms, stats=stats)
        titles = _searched_titles(briefs, session_ids)
        return compose.nothing_found(parsed, who, searched, suggestions, candidates=candidates, titles=titles)
    # A few more than asked for: a bare turn with no exchange to show it in is left out.
    chosen = compose.chosen(ranked, limit + SPARE, ranking)
    rows = [r.row for r in chosen]
    around = await retrieve.at_positions(conn, community, exchanges.around_places(rows))
    shown = [compose.in_exchange(r.row, r.score, around, questions=wants_questions) for r in chosen]
    return Answer(
        question=parsed.text,
        speaker=who,
        topic=parsed.topic,
        passages=tuple(compose.worth_showing(shown)[:limit]),
        note=note,
        suggestions=tuple(near),
        candidates=tuple(candidates),
        speakers_found=compose.speakers_found(ranked),
    )


# "No words from X on Y in these sessions": the sessions are named up to this many.
SESSIONS_NAMED = 3


def _searched_titles(briefs: Sequence[SessionBrief], session_ids: Sequence[int] | None) -> tuple[str, ...]:
    """The titles of the sessions searched, when few enough to name in a sentence.

    Titles, not dates: a record that gives no date is filed under the day it was added,
    which would read as the day the words were said.
    """
    wanted = set(session_ids) if session_ids is not None else None
    searched = [b.title for b in briefs if wanted is None or b.id in wanted]
    return tuple(searched) if 0 < len(searched) <= SESSIONS_NAMED else ()
