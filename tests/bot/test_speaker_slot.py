"""The speaker a question names by its shape: that person's words, or an honest "nobody by that name"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers.question import parse
from bot.record import Record
from bot.text.names import Known, NameIndex

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
QA = CORPUS / "qa-dev"

# People as the 2013 BBC report and the Covid Inquiry and Commons records give them.
INDEX = NameIndex.build(
    [
        Known(1, "Sandra Howard", None, ("Mrs Howard",), 3),
        Known(2, "Tony Blair", "prime minister", ("Mr Blair",), 5),
        Known(3, "Mark Drakeford", "First Minister of Wales", ("Mr Mark Drakeford",), 40),
        Known(4, "Ms Heaven", None, (), 6),
        Known(5, "Bob Ainsworth", "The Secretary of State for Defence", (), 30),
        Known(6, "Edwin Poots", None, ("Mr Edwin Poots",), 20),
    ]
)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        # A given name the record does not know keeps a shared surname from standing in.
        ("what did Michael Howard say about Blair's speech?", "Michael Howard"),
        # The head of the phrase is the spokesman, not the prime minister it mentions.
        ("what did the prime minister's official spokesman say about Cabinet?",
         "the prime minister's official spokesman"),
        # Lower-case, as people type: still the speaker's place, never the topic.
        ("what did boris johnson say about lord butler's criticisms?", "boris johnson"),
        # A later speech verb inside the topic ("his answer") does not undo the reading
        # that ends at the first one, even with a capital elsewhere in the question.
        ("what did the attorney general say about drafting his answer to Parliament?",
         "the attorney general"),
    ],
)
def test_an_unknown_speaker_slot_is_reported_not_replaced(question: str, unknown: str) -> None:
    parsed = parse(question, INDEX)
    assert parsed.speakers == ()
    assert parsed.unknown_speaker == unknown
    assert unknown.lower() not in (parsed.topic or "").lower()


@pytest.mark.parametrize(
    ("question", "speaker", "addressee", "intent"),
    [
        ("what did Ms Heaven ask Drakeford about paying for a firebreak?", 4, 3, "ask"),
        ("what did Ms Heaven put to the First Minister about paying for a firebreak?", 4, 3, "ask"),
        ("what did the Secretary of State for Defence say to Mr Edwin Poots?", 5, 6, "say"),
        ("what did the prime minister say in his reply to Ms Heaven?", 2, 4, "say"),
        ("what did Drakeford reply to Ms Heaven about the firebreak?", 3, 4, "say"),
        ("what did Mr Blair tell Mark Drakeford about the firebreak?", 2, 3, "say"),
    ],
)
def test_asker_and_the_one_asked_fill_different_slots(
    question: str, speaker: int, addressee: int, intent: str
) -> None:
    parsed = parse(question, INDEX)
    assert [m.person_ids for m in parsed.speakers] == [(speaker,)]
    assert [m.person_ids for m in parsed.addressees] == [(addressee,)]
    assert parsed.intent == intent
    assert "firebreak" in parsed.focus_terms or "firebreak" not in question


def test_a_title_holding_a_speech_verb_is_still_the_title() -> None:
    """ "State" in "the Secretary of State" is not the verb that ends the speaker's place."""
    parsed = parse("What did the Secretary of State for Defence say about helicopters?", INDEX)
    assert [m.person_ids for m in parsed.speakers] == [(5,)]
    assert parsed.focus_terms == ("helicopter",)


def test_a_month_no_session_is_from_is_part_of_the_topic() -> None:
    """ "the firebreak in September" when no session is from September reads every session."""
    from datetime import date

    from bot.answers.question import SessionBrief

    sessions = [SessionBrief(1, "Module 2B", "2024-03-13")]
    question = "what did Ms Heaven ask about a firebreak in September?"
    parsed = parse(question, INDEX, sessions, date(2024, 3, 14))
    assert parsed.scope.session_ids is None and parsed.scope.unmatched
    assert "september" in parsed.focus_terms


@pytest.fixture
async def bbc_record(tmp_path: Path) -> AsyncIterator[Record]:
    rec = await Record.open(tmp_path / "bbc.sqlite3")
    for name in ("007.txt",):
        path = QA / "bbc" / "politics" / name
        await rec.add_session(path.read_bytes(), source_name=name, added_by="test")
    try:
        yield rec
    finally:
        await rec.close()


@pytest.mark.parametrize(
    "question",
    [
        "what did Michael Howard say about Blair's speech?",  # mentioned in 007, never speaks there
        "what did Boris Johnson say about the election?",  # in no report here
        "what did michael howard say about the tories?",  # as people type it
    ],
)
async def test_a_person_who_does_not_speak_gets_no_one_elses_words(bbc_record: Record, question: str) -> None:
    answer = await bbc_record.ask(question)
    assert answer.passages == ()
    assert answer.note and "No speaker called" in answer.note


async def test_a_reports_next_quote_is_no_reply_to_the_one_before(record: Record) -> None:
    """In a news report a named speaker's passage must hold the topic itself: Ruth Kelly never
    speaks on stem cells in report 244 (others do, around her quotes), so nothing is quoted."""
    path = QA / "bbc" / "politics" / "244.txt"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    answer = await record.ask("what did Ruth Kelly say about stem cell research?")
    assert answer.speaker == "Ruth Kelly"
    assert answer.passages == ()
    assert answer.note and "No statements by Ruth Kelly" in answer.note
    assert "searched 1 session: 244." in answer.note  # the sessions searched, named
    others = await record.ask("what was said about stem cell research?")
    assert others.passages and all(p.speaker != "Ruth Kelly" for p in others.passages)


NAMES = st.tuples(
    st.sampled_from(["Ada", "Boris", "Cyril", "Dolores", "Edwin", "Fiona", "Gordon", "Harriet", "Ruth"]),
    st.sampled_from(["Quimby", "Johnson", "Brown", "Kelly", "Swann", "Falconer", "Zeller", "Howard"]),
).map(" ".join)
TOPICS = st.sampled_from(["the election", "immigration", "table tennis", "the war", "taxes", "Cambridge"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, topic=TOPICS, lower=st.booleans())
async def test_no_passage_is_ever_presented_as_someone_elses_words(
    bbc_record: Record, name: str, topic: str, lower: bool
) -> None:
    """Whatever name a question puts in the speaker's place, every passage is the named speaker's."""
    question = f"what did {name} say about {topic}?"
    answer = await bbc_record.ask(question.lower() if lower else question)
    if answer.speaker is None:
        assert answer.passages == ()
    else:
        assert {p.speaker for p in answer.passages} <= {answer.speaker}


# Roles as the Northern Ireland and Scottish Hansard, and BBC reports, give them.
OFFICES = NameIndex.build(
    [
        Known(1, "Michael McGimpsey", "Minister of Health, Social Services and Public Safety", (), 9),
        Known(2, "Nelson McCausland", "Minister of Culture, Arts and Leisure", (), 12),
        Known(3, "Nicola Sturgeon", "Deputy First Minister and Cabinet Secretary for Health and Wellbeing"),
        Known(4, "Michael Howard", "leader", (), 7, "Conservative"),
        Known(5, "Gordon Brown", "chancellor", (), 6, "Labour"),
        Known(6, "Ken Clarke", "former chancellor", (), 2, "Conservative"),
        Known(7, "Bob Ainsworth", "The Secretary of State for Defence", (), 30),
        Known(8, "Charles Kennedy", "leader", (), 3, "Liberal Democrat"),
    ]
)


@pytest.mark.parametrize(
    ("title", "ids"),
    [
        ("the health minister", {1}),
        ("the culture minister", {2}),
        ("the health secretary", {3}),
        ("the defence secretary", {7}),
        ("the Tory leader", {4}),
        ("the Lib Dem leader", {8}),
        ("the chancellor", {5}),  # never the former chancellor
        ("the shadow chancellor", set()),  # a different office from the chancellor's
        ("the former chancellor", {6}),
        ("the prime minister's official spokesman", set()),
    ],
)
def test_offices_are_found_in_the_words_people_use(title: str, ids: set[int]) -> None:
    assert OFFICES.lookup(title)[0] == ids


@pytest.mark.parametrize(
    ("question", "questions_wanted"),
    [
        ("who asked the council to set up a fraud unit for non-profits?", False),  # a request
        ("who asked the First Minister to apologise?", False),
        ("who asked about the response to covid?", True),
        ("who asked the minister about the response to covid?", True),
        ("who asked to speak to the mayor?", True),
    ],
)
def test_asking_someone_to_do_something_is_a_request_not_a_question(
    question: str, questions_wanted: bool
) -> None:
    from bot.answers.question import asks_for_questions

    assert asks_for_questions(parse(question, INDEX)) is questions_wanted


async def test_who_said_it_when_the_record_does_not_say(record: Record) -> None:
    """Captions name only whom the chair calls: the best match, a commenter nobody called, is
    shown unattributed first, with a note saying the record does not say who, not dropped for
    a worse match that has a name."""
    path = QA / "council" / "oakland_transcript.json"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    answer = await record.ask("who asked the council to set up a fraud unit for non-profits?")
    assert answer.passages and answer.passages[0].speaker is None
    assert "fraud unit" in answer.passages[0].text
    assert answer.note and "does not say who said it" in answer.note


def test_a_gendered_honorific_must_agree_with_how_the_record_addresses_them() -> None:
    """ "Mrs Howard" is not the man the record calls "Mr Howard"; "Mrs Winterton" picks Ann."""
    index = NameIndex.build(
        [
            Known(1, "Michael Howard", "leader", ("Mr Howard",), 7),
            Known(2, "Ann Winterton", None, ("Mrs Winterton",), 4),
            Known(3, "Nicholas Winterton", None, ("Sir Nicholas Winterton", "Mr Winterton"), 5),
            Known(4, "Hamish MacDonell", None, (), 3),  # no honorific on record: either may mean him
        ]
    )
    assert index.lookup("Mrs Howard")[0] == set()
    assert index.lookup("Howard")[0] == {1}
    assert index.lookup("Mrs Winterton")[0] == {2}
    assert index.lookup("Mr Winterton")[0] == {3}
    assert index.lookup("Winterton")[0] == {2, 3}
    assert index.lookup("Mr MacDonell")[0] == {4}
    parsed = parse("what did Mrs Howard say about playing table tennis?", index)
    assert parsed.speakers == () and parsed.unknown_speaker == "Mrs Howard"


def test_a_body_a_role_leaves_unsaid_may_be_asked_for() -> None:
    """ "the council president" in a council's own captions is the one called "President";
    a role that names another body is never it."""
    index = NameIndex.build(
        [
            Known(1, "Bas", "President", (), 3),
            Known(2, "Peter Mandelson", "President of the Board of Trade", (), 2),
            Known(3, "Lynne Neagle", "Chair", (), 40),
        ]
    )
    assert index.lookup("the council president")[0] == {1}
    assert index.lookup("the committee chair")[0] == {3}
    assert index.lookup("the president")[0] == {1, 2}


async def test_who_asked_in_a_report_names_who_asked_and_shows_no_exchange(record: Record) -> None:
    """In a news report a quote with no settled speaker is not 'the record's silence', and the
    quote before another is not a question it answers: named passages only, none in an exchange."""
    path = QA / "bbc" / "politics" / "174.txt"
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
    question = "who asked the first minister which minister signs off leave for patients like Ferguson?"
    answer = await record.ask(question)
    assert answer.passages and answer.passages[0].speaker == "Nicola Sturgeon"
    assert all(p.speaker for p in answer.passages)
    assert all(p.in_reply_to is None and p.reply is None for p in answer.passages)
