"""Offices learned from how turns work, on every transcript of the shared corpus.

Each record's whole harvest is pinned, so a rule that starts giving someone an office
wrongly (counsel becoming the First Minister, the witness becoming "the Prime Minister"
because a question mentions one) fails here, not in a user's answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.detect import extract_file
from bot.ingest.turn_roles import learn, offices
from bot.models import Statement
from bot.record import Record
from tests.shared_data import CORPUS

QA = CORPUS / "qa-dev"
HEARING_2B = QA / "covid" / "module-2B" / "2024-03-13.rst"
HEARING_2C = QA / "covid" / "module-2C" / "2024-05-09.rst"


def _learned(path: Path) -> set[tuple[str, str, str]]:
    return {(x.speaker, x.office, x.rule) for x in learn(extract_file(path).statements)}


# Every office each rule gives, record by record; records not listed get none at all.
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "qa-dev/covid/module-2B/2024-03-13.rst": {
        # "I am the First Minister of the government"
        ("Mark Drakeford", "First Minister of the government", "self"),
        ("Mark Drakeford", "First Minister", "self"),  # "My approach as First Minister was ..."
        ("Mark Drakeford", "minister", "self"),
        ("Mark Drakeford", "health minister", "self"),
        ("Mark Drakeford", "First Minister of Wales", "addressed"),  # "you are the First Minister of Wales"
        ("Mark Drakeford", "Minister for Health and Social Services", "addressed"),
        ("Mark Drakeford", "Cabinet Secretary for Finance and Local Government", "addressed"),
        ("Mark Drakeford", "First Minister and leader of Welsh Labour", "addressed"),
        # "It does, my Lady." hands her the floor; she calls "Mr Poole." and he speaks.
        ("Lady Hallett", "chair", "presiding"),
    },
    "qa-dev/covid/module-2C/2024-05-09.rst": {
        ("Edwin Poots", "DAERA minister", "self"),
        # "given your role as Speaker of the Northern Ireland Assembly at the moment"
        ("Edwin Poots", "Speaker of the Northern Ireland Assembly", "addressed"),
        ("Brandon Lewis", "security minister", "self"),  # "when I was the security minister"
        ("Brandon Lewis", "Minister without Portfolio", "self"),
        ("Brandon Lewis", "Secretary of State", "self"),  # "myself, as Secretary of State"
        ("Brandon Lewis", "Northern Ireland Secretary", "self"),
        ("Brandon Lewis", "Secretary of State for Northern Ireland", "addressed"),
        ("Lady Hallett", "chair", "presiding"),
    },
    "qa-dev/hansard/debates2009-10-28c.xml": {
        ("Bob Ainsworth", "Minister", "self"),
        ("Barbara Follett", "Regional Minister for the East of England", "self"),
    },
    "qa-dev/hansard/ni2009-10-12.xml": {
        ("Declan O'Loan", "Chairperson of the Committee", "self"),
        ("Nelson McCausland", "Minister of culture", "self"),
    },
    "qmsum-committee/train/covid_10.json": {("The Chair", "chair", "presiding")},
    "qmsum-committee/train/covid_5.json": {("Mlanie Joly", "Minister of Official Languages", "self")},
    "qmsum-committee/train/covid_8.json": {("Andrew Scheer", "Speaker", "self")},
    "qmsum-committee/train/education_6.json": {("Lynne Neagle", "Chair", "self")},
    "qmsum-committee/train/education_7.json": {("Lynne Neagle", "chair", "presiding")},
    "qmsum-committee/train/education_8.json": {("Lynne Neagle", "chair", "presiding")},
    "qmsum-committee/val/education_0.json": {("Lynne Neagle", "chair", "presiding")},
    "qmsum-committee/val/education_18.json": {("Lynne Neagle", "chair", "presiding")},
}
TRANSCRIPTS = sorted(
    str(p.relative_to(CORPUS))
    for pattern in (
        "qa-dev/covid/*/*.rst",
        "qa-dev/hansard/*.xml",
        "hansard/*.xml",
        "formats/debates/*",
        "qmsum-committee/*/*.json",
        "council/*.json",
        "qa-dev/council/*.json",
    )
    for p in CORPUS.glob(pattern)
)


def test_the_corpus_has_the_transcripts_this_file_pins() -> None:
    assert len(TRANSCRIPTS) >= 40 and set(EXPECTED) <= set(TRANSCRIPTS)


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_every_office_each_rule_gives_on_every_transcript(name: str) -> None:
    # The three Hansard days are laid out twice (qa-dev and hansard/): the same pins hold.
    expected = EXPECTED.get(name) or EXPECTED.get("qa-dev/" + name, set())
    assert _learned(CORPUS / name) == expected


def test_counsel_and_the_chair_never_become_the_first_minister() -> None:
    got = offices(extract_file(HEARING_2B).statements)
    holders = {who for who, titles in got.items() if "the first minister" in titles}
    assert holders == {"Mark Drakeford"}
    assert not any("the prime minister" in titles for titles in got.values())  # asked about, never held


def test_past_offices_answer_only_to_the_former_office() -> None:
    """Sir Brandon is the Secretary of State by his own present account ("myself, as Secretary
    of State"); the offices he once held, or was told he held, are former ones. Mr Drakeford
    "has also been health minister": he is not the health minister a question asks about."""
    lewis = offices(extract_file(HEARING_2C).statements)["Brandon Lewis"]
    assert "the secretary of state" in lewis
    former = {"the former security minister", "the former secretary of state for northern ireland"}
    assert former <= set(lewis)
    assert "the security minister" not in lewis
    assert "Naomi Long" not in offices(extract_file(HEARING_2C).statements)  # "if you had been"
    drakeford = offices(extract_file(HEARING_2B).statements)["Mark Drakeford"]
    assert "the first minister" in drakeford
    assert "the health minister" not in drakeford and "the former health minister" in drakeford


def _turns(*pairs: tuple[str, str]) -> list[Statement]:
    out, at = [], 0
    for speaker, text in pairs:
        asks = text.rstrip().endswith("?")
        out.append(Statement(speaker, text, "turn", at, at + len(text), is_question=asks))
        at += len(text) + 2
    return out


def test_an_office_mentioned_in_a_question_is_not_the_answerers() -> None:
    statements = _turns(
        ("Counsel", "Did you speak to the Prime Minister about it?"),
        ("Witness", "I did, as it happens."),
        ("Counsel", "You met the Secretary of State for Health, Mr Hancock?"),
        ("Witness", "Yes."),
    )
    assert learn(statements) == []


def test_the_one_told_is_the_one_who_answers_and_only_when_all_tellings_agree() -> None:
    told = ("Counsel", "You are the Minister for Justice; is that right?")
    assert {(x.speaker, x.office) for x in learn(_turns(told, ("Witness", "Yes.")))} == {
        ("Witness", "Minister for Justice")
    }
    # A statement, not a question: the next speaker need not be the one meant.
    assert learn(_turns(("Counsel", "You are the Minister for Justice."), ("Chair", "Thank you."))) == []
    # The same telling pointing at two people gives the office to neither.
    split = _turns(told, ("Witness", "Yes."), told, ("Chair", "Let me stop you there."))
    assert learn(split) == []


def test_quoted_words_and_passing_vocatives_give_nothing() -> None:
    statements = _turns(
        ("Counsel", '"I am the First Minister and I decide", you wrote. Why?'),
        ("Witness", "It was late. We were, my Lady, tired, and I regret it."),
        ("Counsel", "Thank you."),
    )
    assert learn(statements) == []


async def test_questions_find_the_office_the_turns_give(record: Record) -> None:
    """Through the store: the First Minister and the chair of a hearing that labels them by name."""
    await record.add_session(HEARING_2B.read_bytes(), source_name=HEARING_2B.name, added_by="test")
    answer = await record.ask("what did the First Minister say about the Stay Alert message?")
    assert answer.speaker == "Mark Drakeford"
    assert answer.passages and {p.speaker for p in answer.passages} == {"Mark Drakeford"}
    answer = await record.ask("what did the health minister say about care homes?")
    assert not answer.passages  # the pandemic's health minister is not on this record
    answer = await record.ask("what did the chair say about the phrase 'significant risk'?")
    assert answer.passages and {p.speaker for p in answer.passages} == {"Hallett"}
    assert any("a serious risk of rain" in p.text for p in answer.passages)
