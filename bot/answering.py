"""Questions to the store: a free-text question, or a speaker (and topic) picked from lists.

Both end in ``bot.answers`` under a read time limit, so one pathological query cannot
stall the bot: it is stopped and the asker is told to narrow it.
"""

from __future__ import annotations

from datetime import date as date_cls

from bot import answers
from bot.models import Answer
from bot.questions import ParsedQuestion, Scope, parse
from bot.store_handles import StoreHandles
from bot.text.names import Mention, NameIndex, suggest
from storage.connection import QueryTimeoutError

READ_TIME_LIMIT_S = 3.0


class Answering:
    """Turns questions into cited answers from one store."""

    def __init__(self, handles: StoreHandles) -> None:
        self._h = handles

    async def ask(self, question: str, *, limit: int) -> Answer:
        """Answer a free-text question with verbatim, cited passages."""
        index = await self._h.refresh()
        parsed = parse(question, index, self._h.briefs, date_cls.today())
        return await self._answer(parsed, index, limit)

    async def quotes(self, speaker: str, topic: str | None, *, session_id: int | None, limit: int) -> Answer:
        """A speaker's passages, optionally on one topic (the structured form of ``ask``)."""
        index = await self._h.refresh()
        shown = f"what did {speaker} say" + (f" about {topic}" if topic else "")
        base = parse(f"about {topic}" if topic else "", index, (), date_cls.today())
        ids, how, score = index.lookup(speaker)
        if not ids:
            perhaps = suggest(speaker, index)
            return answers.nothing_found(
                base,
                None,
                len(self._h.briefs),
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
                return await answers.answer(reader.conn, parsed, index, self._h.stats_or_empty(), limit)
        except QueryTimeoutError:
            return Answer(
                question=parsed.text,
                speaker=answers.speaker_label(parsed, index),
                topic=parsed.topic,
                passages=(),
                note="That search took too long and was stopped; try fewer or more specific words.",
            )
