"""Storage: kept questions are numbered once each and read back as they were kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import NotFoundError, OnrecordError
from bot.record import Record
from storage import kept_questions
from storage.connection import Store, connect, migrate, transaction


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await connect(tmp_path / "db.sqlite3")
    await migrate(store)
    try:
        yield store
    finally:
        await store.close()


async def keep(
    store: Store, question: str | None, speaker: str | None = None, topic: str | None = None
) -> int:
    async with transaction(store.conn) as conn:
        return await kept_questions.keep(conn, "local", question, speaker, topic)


async def test_each_question_is_kept_once(store: Store) -> None:
    """The same question gets the same number; a speaker without a topic differs from one with."""
    asked = await keep(store, "what did Khan say on victim support?")
    assert await keep(store, "what did Khan say on victim support?") == asked
    khan = await keep(store, None, "Khan")
    khan_on_police = await keep(store, None, "Khan", "police")
    assert len({asked, khan, khan_on_police}) == 3
    assert await keep(store, None, "Khan", "police") == khan_on_police
    kept = await kept_questions.get(store.conn, "local", khan_on_police)
    assert kept is not None and (kept.question, kept.speaker, kept.topic) == (None, "Khan", "police")
    assert await kept_questions.get(store.conn, "local", 999) is None


async def test_a_kept_question_is_answered_again_and_bad_numbers_say_so(tmp_path: Path) -> None:
    """Record.answer_kept re-asks the question; an unknown number is a sentence, not a crash."""
    async with await Record.open(tmp_path / "r.sqlite3") as record:
        number = await record.keep_question("what did Khan say?")
        answer = await record.answer_kept(number)
        assert answer.question.startswith("what did Khan say")
        with pytest.raises(NotFoundError, match="ask again"):
            await record.answer_kept(number + 1)
        with pytest.raises(OnrecordError):
            await record.keep_question("both", speaker="Khan")
