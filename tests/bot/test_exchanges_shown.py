"""Exchanges in answers, on a real Inquiry hearing: substance first, "Yes." shown with its question."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.answers.exchanges import SHORT_WORDS, is_short
from bot.record import Record
from storage.statements import StatementRow
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


async def test_a_speaker_asked_about_with_no_topic_gets_their_main_points(hearing: Record) -> None:
    """ "what did Edwin Poots say?": not his name and "Yes.", but what he spoke about."""
    answer = await hearing.ask("what did Edwin Poots say?")
    assert len(answer.passages) >= 3
    for p in answer.passages:
        assert p.speaker == "Edwin Poots"
        assert not is_short(_row_like(p.text)), p.text
    # The first statements in the record are his name and assent; none of them is chosen.
    longer = await hearing.ask("what did Edwin Poots say?", limit=50)
    assert all("Edwin Cecil Poots" not in p.text for p in longer.passages)


async def test_courtesy_turns_are_never_quoted_alone() -> None:
    """Every turn of the corpus's Inquiry hearings made only of thanks and assent is 'short'."""
    import re

    courtesy = re.compile(r"^\*\*[^*]+\*\*: ((?:Thank you|Yes|No)[^.?!]{0,40}[.?!])\s*$", re.MULTILINE)
    seen = 0
    for path in (CORPUS / "qa-dev" / "covid").rglob("*.rst"):
        for m in courtesy.finditer(path.read_text(encoding="utf-8")):
            line = m.group(1)
            plain = (
                r"(?:(?:Thank you|Yes|No)(?: very much)?,?"
                r"(?: my Lady| my Lord| Chair| sir| M[rs]s? \w+)?[.!]\s*)+"
            )
            if re.fullmatch(plain, line):
                seen += 1
                assert is_short(_row_like(line)), line
    assert seen >= 5


async def test_what_the_presiding_officer_said_to_a_member(record: Record) -> None:
    """ "say to X": words that name X or sit next to X's turns, the speaker's own."""
    path = CORPUS / "qa-dev" / "hansard" / "sp2009-10-29.xml"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    answer = await record.ask("what did the Presiding Officer say to Annabel Goldie?")
    assert answer.passages
    assert all(p.speaker == "Alex Fergusson" for p in answer.passages)
    assert "Goldie" in answer.passages[0].text
    other = await record.ask("what did the Presiding Officer say?")
    assert [p.text for p in other.passages] != [p.text for p in answer.passages]


def _row_like(text: str) -> StatementRow:
    return StatementRow(
        id=0, session_id=0, title="", date=None, person_id=None, speaker=None, kind="turn", text=text,
        lemmas="", tokens=0, start=0, end=len(text), position=0, is_question=False, page=None, seconds=None,
    )


async def test_a_question_on_the_topic_comes_with_the_reply_it_got(hearing: Record) -> None:
    """ "what was said about …" answered by counsel's question shows the witness's reply too."""
    answer = await hearing.ask("what was said about the cross-community vote in November 2020?")
    questions = [p for p in answer.passages if p.is_question]
    assert questions, "counsel's questions name the vote"
    for p in questions:
        if p.reply is not None:
            assert p.reply.speaker and p.reply.speaker != p.speaker
            assert p.end <= p.reply.start
    assert any(p.reply is not None for p in questions)
