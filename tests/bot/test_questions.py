"""Question understanding: speaker, topic, intent and scope, on real names from the corpus."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.question import SessionBrief, asks_for_questions, parse
from bot.text.names import Known, NameIndex, core_name, name_key

# People as they appear in the sample session and in QMSum committee transcripts.
INDEX = NameIndex.build(
    [
        Known(1, "Sadiq Khan", "Mayor of London", ("Mr Khan", "the mayor"), 10),
        Known(2, "Shaun Bailey", "assembly member", ("Mr Bailey",), 4),
        Known(3, "Umnesh Desai", None, (), 1),
        Known(4, "Onkar Sahota", "assembly member", (), 1),
        Known(5, "Vaughan Gething", "Minister for Health and Social Services", ("Vaughan Gething AM",), 9),
        Known(6, "Justin Trudeau", "Prime Minister", ("Right Hon. Justin Trudeau",), 40),
        Known(7, "Pierre Paul-Hus", None, ("Mr. Pierre Paul-Hus",), 3),
        Known(8, "Carol Shillabeer", None, (), 12),
        Known(9, "Huw David", None, (), 20),
        Known(10, "Hefin David", None, ("Hefin David AM",), 20),
    ]
)
SESSIONS = [
    SessionBrief(1, "Mayor's Question Time", "2018-05-16"),
    SessionBrief(2, "Children, Young People and Education Committee", "2020-06-03"),
]
TODAY = date(2020, 6, 3)


@pytest.mark.parametrize(
    ("question", "speaker_ids", "intent", "focus"),
    [
        ("what did Khan say on victim support", (1,), "say", ("victim", "support")),
        ("What did Mr Bailey say about victims?", (2,), "say", ("victim",)),
        ("what did the mayor say about police cuts", (1,), "say", ("police", "cut")),
        ("What did Unmesh Desai ask", (3,), "ask", ()),
        ("what did unmesh desai ask?", (3,), "ask", ()),
        ("What did Vaughan Gething AM think of the recovery plan?", (5,), "say", ("recovery", "plan")),
        ("What did Vaughan think about the recovery plan", (5,), "say", ("recovery", "plan")),
        ("What did JustinTrudeau elaborate on the fund?", (6,), "say", ("fund",)),
        ("What did Paul-Hus think about petitions?", (7,), "say", ("petition",)),
        (
            "What did Carol Dhillabeer think about the community of practice?",
            (8,),
            "say",
            ("community", "practice"),
        ),
        ("who asked about violent crime", (), "who", ("violent", "crime")),
        ("Who talked about knives?", (), "who", ("knife",)),
        ("what was said about knife crime", (), "search", ("knife", "crime")),
        ("Summarize the discussion about early help.", (), "search", ("early", "help")),
    ],
)
def test_parse_finds_speaker_intent_and_topic(
    question: str, speaker_ids: tuple[int, ...], intent: str, focus: tuple[str, ...]
) -> None:
    """Each question form yields the right person, intent and topic lemmas."""
    parsed = parse(question, INDEX, SESSIONS, TODAY)
    assert tuple(pid for m in parsed.speakers for pid in m.person_ids) == speaker_ids
    assert parsed.intent == intent
    assert parsed.focus_terms == focus


def test_ambiguous_surname_lists_every_candidate() -> None:
    """ "David" alone could be Huw David or Hefin David: both are candidates, none is chosen."""
    parsed = parse("What did David say about the Bill?", INDEX, SESSIONS, TODAY)
    assert parsed.speakers and set(parsed.speakers[0].person_ids) == {9, 10}


def test_two_joined_speakers_are_both_asked_about() -> None:
    """ "X and Y" in the subject names both people."""
    parsed = parse("What did Huw David and Carol Shillabeer think about workforce?", INDEX, SESSIONS, TODAY)
    assert [m.person_ids for m in parsed.speakers] == [(9,), (8,)]


def test_when_talking_about_is_context_not_focus() -> None:
    """Words after "when talking about" weigh as context, the rest as the focus."""
    parsed = parse(
        "What did Carol Shillabeer think about legacy arrangements when talking about early help?",
        INDEX,
        SESSIONS,
        TODAY,
    )
    assert parsed.focus_terms == ("legacy", "arrangement")
    assert parsed.context_terms == ("early", "help")


@pytest.mark.parametrize(
    ("question", "label", "ids"),
    [
        ("what did Khan say today", "today", (2,)),
        ("what did Khan say in May", "May", (1,)),
        ("what did Khan say in May 2019", "May 2019", None),
        (
            "what did Khan say in the last session",
            "the latest session (Children, Young People and Education Committee)",
            (2,),
        ),
        ("what did Khan say on 2018-05-16", "2018-05-16", (1,)),
        ("what did Khan say in Mayor's Question Time", "Mayor's Question Time", (1,)),
        ("what did Khan say", None, None),
    ],
)
def test_scope_words_limit_sessions(question: str, label: str | None, ids: tuple[int, ...] | None) -> None:
    """Scoping words choose sessions by date, month, recency or title."""
    scope = parse(question, INDEX, SESSIONS, TODAY).scope
    assert scope.label == label
    assert scope.session_ids == ids


def test_unknown_capitalised_subject_is_reported() -> None:
    """A name nobody on the record has is noted as unknown rather than searched as a topic."""
    parsed = parse("What did Boris say about buses?", INDEX, SESSIONS, TODAY)
    assert parsed.speakers == () and parsed.unknown_speaker == "Boris"
    assert parsed.focus_terms == ("bus",) and "boris" not in parsed.words


def test_topic_words_keep_the_typed_forms_for_the_stemmed_index() -> None:
    """The stemmed index gets the topic's words as typed, without speaker, scope or stopwords."""
    parsed = parse("Summarize their evaluations on the children's rights in May", INDEX, SESSIONS, TODAY)
    assert parsed.words == ("evaluations", "children", "rights")


def test_asks_for_questions_only_for_ask_forms() -> None:
    """ "who asked" and "what did X ask" want questions; "who talked" does not."""
    assert asks_for_questions(parse("who asked about violent crime", INDEX))
    assert asks_for_questions(parse("what did Desai ask", INDEX))
    assert not asks_for_questions(parse("who talked about violent crime", INDEX))


@pytest.mark.parametrize(
    ("name", "core", "key"),
    [
        ("Hon. Chrystia Freeland (Deputy Prime Minister)", "Chrystia Freeland", "chrystiafreeland"),
        ("Vaughan Gething AM", "Vaughan Gething", "vaughangething"),
        ("Mr. Pierre Paul-Hus", "Pierre Paul-Hus", "pierrepaulhus"),
        ("Dr Frank Atherton", "Frank Atherton", "frankatherton"),
    ],
)
def test_core_names_drop_titles_suffixes_and_brackets(name: str, core: str, key: str) -> None:
    """Honorifics, post-nominals and bracketed roles are not part of a name."""
    assert core_name(name) == core
    assert name_key(name) == key


# Office holders as the Commons Hansard writes them: "Gordon Brown (The Prime Minister)".
HANSARD_INDEX = NameIndex.build(
    [
        Known(1, "Gordon Brown", "The Prime Minister", (), 32),
        Known(2, "Bob Ainsworth", "The Secretary of State for Defence", (), 73),
        Known(3, "John Denham", "The Secretary of State for Communities and Local Government", (), 79),
        Known(4, "Nicola Sturgeon", "Deputy First Minister and Cabinet Secretary for Health", (), 37),
    ]
)


@pytest.mark.parametrize(
    ("question", "speaker_ids", "focus"),
    [
        ("what did the Prime Minister say about Afghanistan", (1,), ("afghanistan",)),
        ("What did the Secretary of State for Defence say about helicopters?", (2,), ("helicopter",)),
        ("what did the secretary of state for communities say about housing", (3,), ("housing",)),
        ("what did the Secretary of State say about helicopters", (2, 3), ("helicopter",)),
        ("what did the Cabinet Secretary for Health say about flu", (4,), ("flu",)),
        ("What did the Deputy First Minister say about vaccines?", (4,), ("vaccine",)),
    ],
)
def test_offices_name_their_holders(
    question: str, speaker_ids: tuple[int, ...], focus: tuple[str, ...]
) -> None:
    """A role written with "The" and a title longer than four words still finds its holder; an office
    two people hold finds both (the answer then asks which), and the title never becomes the topic."""
    parsed = parse(question, HANSARD_INDEX)
    assert tuple(pid for m in parsed.speakers for pid in m.person_ids) == speaker_ids
    assert parsed.focus_terms == focus


@pytest.mark.parametrize(
    ("question", "addressed", "focus"),
    [
        ("who asked the mayor about violent crime", (1,), ("violent", "crime")),
        ("Who asked Khan about victims?", (1,), ("victim",)),
        ("who asked the mayor and Bailey about crime", (1, 2), ("crime",)),
        ("Who asked about violent crime?", (), ("violent", "crime")),
        ("who asked about the mayor's budget", (), ("mayor", "budget")),
    ],
)
def test_who_asked_someone_names_whom_they_asked(
    question: str, addressed: tuple[int, ...], focus: tuple[str, ...]
) -> None:
    """Right after "who asked", a known person is whom the questions were put to, not a topic word."""
    parsed = parse(question, INDEX)
    assert parsed.intent == "who"
    assert tuple(pid for m in parsed.addressees for pid in m.person_ids) == addressed
    assert parsed.focus_terms == focus
