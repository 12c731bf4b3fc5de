"""Exchanges in answers, on a real Inquiry hearing: substance first, "Yes." shown with its question."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.answers.exchanges import SHORT_WORDS
from bot.record import Record
from tests.shared_data import CORPUS

HEARING = CORPUS / "qa-dev" / "covid" / "module-2C" / "2024-05-09.rst"


@pytest.fixture
async def hearing(record: Record) -> AsyncIterator[Record]:
    await record.add_session(HEARING.read_bytes(), source_name=HEARING.name, added_by="test")
    yield record


async def test_a_substantive_reply_comes_before_a_bare_yes(hearing: Record) -> None:
    answer = await hearing.ask("what did Edwin say about banning people from graveyards?")
    assert answer.passages
    assert len(answer.passages[0].text.split()) >= SHORT_WORDS
    for p in answer.passages:
        assert p.speaker == "Edwin Poots"
        if len(p.text.split()) < SHORT_WORDS:
            # A short reply is never shown on its own: its question comes with it, attributed.
            assert p.in_reply_to is not None and p.in_reply_to.speaker not in (None, "Edwin Poots")
            assert p.in_reply_to.text.rstrip().endswith("?")


async def test_a_reply_carries_the_question_it_answers(hearing: Record) -> None:
    answer = await hearing.ask("what did Poots say about discharging patients from hospital into care homes?")
    replies = [p for p in answer.passages if p.in_reply_to is not None]
    assert replies, "a witness's answers are replies to counsel's questions"
    text = HEARING.read_text(encoding="utf-8")
    for p in replies:
        q = p.in_reply_to
        assert q is not None and q.end <= p.start  # the question comes before the reply
        assert text[q.start : q.end] == q.text
