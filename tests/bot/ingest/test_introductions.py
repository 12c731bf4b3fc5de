"""Offices learned where a record introduces its speakers, on real records of two kinds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.ingest.introductions import offices
from bot.record import Record
from tests.shared_data import CORPUS

BBC = CORPUS / "qa-dev" / "bbc" / "politics"


def _qmsum(name: str) -> tuple[str, list[str]]:
    data = json.loads((CORPUS / "qmsum-committee" / name).read_text(encoding="utf-8"))
    turns = data["meeting_transcripts"]
    text = "\n\n".join(f"{t['speaker']}: {t['content']}" for t in turns)
    return text, sorted({t["speaker"] for t in turns})


def test_a_chairs_welcome_gives_the_minister_her_office() -> None:
    """Committee transcript: "I'm pleased to welcome Julie Morgan AM, Deputy Minister for ..." """
    text, speakers = _qmsum("train/education_6.json")
    assert offices(text, speakers)["Julie Morgan AM"] == ["Deputy Minister for Health and Social Services"]


@pytest.mark.parametrize(
    ("doc", "name", "title"),
    [
        ("013.txt", "Michael Howard", "Tory leader"),
        ("101.txt", "Sue Essex", "Finance Minister"),
        ("174.txt", "Jack McConnell", "First Minister"),
        ("408.txt", "Margaret Beckett", "Environment Secretary"),
    ],
)
def test_a_news_description_before_the_name_is_the_office(doc: str, name: str, title: str) -> None:
    assert title in offices((BBC / doc).read_text(encoding="utf-8"), [name]).get(name, [])


def test_a_title_cut_short_or_belonging_to_the_next_name_is_not_taken() -> None:
    """ "former foreign secretary Robin Cook" is not "the secretary"; in "Gordon Brown, Prime
    Minister Tony Blair" the title is Blair's, not Brown's."""
    assert offices("He met former foreign secretary Robin Cook.", ["Robin Cook"]) == {}
    text = "Present were Gordon Brown, Prime Minister Tony Blair and others."
    assert "Gordon Brown" not in offices(text, ["Gordon Brown", "Tony Blair"])


async def test_questions_find_the_introduced_office(record: Record) -> None:
    """Through the store: 'the Tory leader' is Michael Howard in the report that calls him so."""
    path = BBC / "013.txt"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    answer = await record.ask("what did the Tory leader say about immigrant families?")
    assert answer.speaker == "Michael Howard"
    assert answer.passages and {p.speaker for p in answer.passages} == {"Michael Howard"}


def test_speakers_only_get_titles_next_to_their_own_full_name() -> None:
    """A surname alone is too weak a link: 'Howard' never takes the office of a nearby name."""
    assert offices("Tory leader Howard said so.", ["Howard"]) == {}
    assert offices(Path(BBC / "013.txt").read_text(encoding="utf-8"), ["Anne Robinson"]) == {}


def test_a_relative_clause_or_an_honorific_form_gives_the_office() -> None:
    """211: "Lord Woolf, who is Lord Chief Justice of England and Wales," and "the Lord Chancellor,
    Lord Falconer,"; 408: "Mr Hain, Leader of the Commons,". The report names them only by
    honorific and surname, each the only speaker with that surname."""
    woolf = offices((BBC / "211.txt").read_text(encoding="utf-8"), ["Woolf", "Falconer", "Hutton"])
    assert woolf == {"Woolf": ["Lord Chief Justice of England and Wales"], "Falconer": ["Lord Chancellor"]}
    hain = offices((BBC / "408.txt").read_text(encoding="utf-8"), ["Peter Hain", "Michael Howard"])
    assert hain == {"Peter Hain": ["Leader of the Commons"]}


def test_a_relative_clause_without_an_office_gives_none() -> None:
    """244: "Ms Kelly, who is Catholic," is a description, not an office; two Howards share a
    surname, so "Mr Howard, the leader," gives neither of them the office."""
    assert offices((BBC / "244.txt").read_text(encoding="utf-8"), ["Ruth Kelly"]) == {}
    text = "Mr Howard, the Tory leader, spoke. Michael Howard and Sandra Howard arrived."
    assert offices(text, ["Michael Howard", "Sandra Howard"]) == {}


async def test_questions_find_a_title_from_a_relative_clause(record: Record) -> None:
    """Through the store: 'the Lord Chief Justice' is Lord Woolf in 211, with his own words."""
    path = BBC / "211.txt"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    answer = await record.ask("what did the Lord Chief Justice say about public confidence in the judiciary?")
    assert answer.speaker == "Woolf"
    assert answer.passages and {p.speaker for p in answer.passages} == {"Woolf"}
    assert any("confidence of the public in the judiciary" in p.text for p in answer.passages)


def test_a_copula_of_identity_gives_the_office_and_a_description_does_not() -> None:
    """"X was the First Minister" names an office; "X is the Chancellor's ally" and "X was the
    first to speak" do not."""
    text = "Mr Dewar was the First Minister of Scotland until 2000."
    assert offices(text, ["Donald Dewar"]) == {"Donald Dewar": ["First Minister of Scotland"]}
    described = "Ruth Kelly is the Chancellor's ally. Ruth Kelly was the first to speak."
    assert offices(described, ["Ruth Kelly"]) == {}
