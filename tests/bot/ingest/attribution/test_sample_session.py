"""The founding sample: every passage of Mayor's Question Time goes to the right person."""

from __future__ import annotations

import pytest
from shared_data import SAMPLE

from bot.ingest.attribution.prose import attribute_prose
from bot.models import Statement

KHAN = "Sadiq Khan"
BAILEY = "Shaun Bailey"


@pytest.fixture(scope="module")
def extracted() -> tuple[str, list[Statement]]:
    text = SAMPLE.read_text(encoding="utf-8")
    statements, _ = attribute_prose(text)
    return text, statements


def _covering(statements: list[Statement], text: str, words: str) -> Statement:
    start = text.index(words)
    found = [s for s in statements if s.start <= start < s.end]
    assert found, f"no statement covers {words!r}"
    return found[0]


@pytest.mark.parametrize(
    ("words", "speaker", "kind", "question"),
    [
        ("he regularly meets with victims of crime", KHAN, "indirect", False),
        ("It is important we engage with victims", KHAN, "direct", False),
        ("Victims don’t cooperate because", KHAN, "direct", False),
        ("it is the police that must enforce justice", KHAN, "direct", False),
        ("If people don’t report a crime", KHAN, "direct", False),
        ("On victim support what I’m doing differently", KHAN, "direct", False),
        ("increasing the amount of victim support more than 15 percent", KHAN, "direct", False),
        ("The police service in London has been cut", KHAN, "direct", False),
        ("The home office’s own research says", KHAN, "direct", False),
        ("Crime is like a virus and a contagion", KHAN, "direct", False),
        ("recent initiatives such as the Young Londoners Fund", KHAN, "indirect", False),
        ("he had met with victims who feel", BAILEY, "indirect", False),
        ("All your press releases talk about", BAILEY, "direct", True),
        ("You are in a prime position", BAILEY, "direct", True),
        ("You’re giving me details I don’t need", BAILEY, "direct", False),
        ("how he is working with the Metropolitan Police", "Umnesh Desai", "indirect", True),
        ("approach to tackling violent crime was", "Onkar Sahota", "indirect", True),
    ],
)
def test_passage_attributed_to_its_speaker(
    extracted: tuple[str, list[Statement]], words: str, speaker: str, kind: str, question: bool
) -> None:
    """Each quoted or reported passage of the sample is found and given to the right person."""
    text, statements = extracted
    statement = _covering(statements, text, words)
    assert statement.speaker == speaker
    assert statement.kind == kind
    assert statement.is_question is question


def test_unbalanced_quote_closes_at_paragraph_end(extracted: tuple[str, list[Statement]]) -> None:
    """The mayor's reply has no closing quote: it ends with its paragraph, not the next one."""
    text, statements = extracted
    statement = _covering(statements, text, "Victims don’t cooperate")
    assert statement.text.endswith("not them.")
    assert "\n" not in statement.text


def test_leaked_document_is_not_khans(extracted: tuple[str, list[Statement]]) -> None:
    """What a leaked Home Office document said is nobody's words, least of all Khan's."""
    text, statements = extracted
    start = text.index("cuts to the police had caused")
    for s in statements:
        if s.start <= start < s.end:
            assert s.speaker is None
            assert s.mention_start is not None
            assert "document" in text[s.mention_start : s.mention_end]


def test_scare_quote_is_not_a_quotation(extracted: tuple[str, list[Statement]]) -> None:
    """The scare-quoted “public health” is part of Sahota's question, not a quote of its own."""
    text, statements = extracted
    start = text.index("public health")
    covering = [s for s in statements if s.start <= start < s.end]
    assert len(covering) == 1
    assert covering[0].speaker == "Onkar Sahota"
    assert covering[0].text != "public health"


# Where each person speaks in the sample: a statement inside one of these paragraphs may only
# be attributed to the person named here (or to nobody).
PARAGRAPH_SPEAKERS = {
    "Mr Khan said he regularly": KHAN,
    "He said: “It is important": KHAN,
    "Mr Bailey, who was keen": BAILEY,
    "The mayor responded": KHAN,
    "He added: “If people": KHAN,
    "However, Mr Bailey pressed": BAILEY,
    "He said: “All your press": BAILEY,
    "“You are in a prime": BAILEY,
    "The mayor talked about": KHAN,
    "On May 10 he announced": KHAN,
    "But Mr Bailey became angered": BAILEY,
    "Mr Khan answered": KHAN,
    "“What I’m doing differently": KHAN,
    "Umnesh Desai questioned": "Umnesh Desai",
    "Mr Khan again referred": KHAN,
    "But he added: “The police": KHAN,
    "“The home office’s own": KHAN,
    "Last month a leaked": None,
    "Assembly member Onkar Sahota": "Onkar Sahota",
    "Mr Khan said: “Crime": KHAN,
    "Conservative assembly member Shaun Bailey began": BAILEY,
}


def test_no_statement_attributed_to_the_wrong_person(extracted: tuple[str, list[Statement]]) -> None:
    """Zero wrong attributions: every statement's speaker is its paragraph's speaker or None."""
    text, statements = extracted
    bounds = {text.index(prefix): speaker for prefix, speaker in PARAGRAPH_SPEAKERS.items()}
    assert statements
    for s in statements:
        para_start = text.rfind("\n", 0, s.start) + 1
        assert para_start in bounds, f"statement in an unexpected paragraph: {s.text!r}"
        if s.speaker is not None:
            assert s.speaker == bounds[para_start], s.text


def test_people_have_roles_and_aliases() -> None:
    """The speakers come back as people with role, party and the aliases the report used."""
    _, people = attribute_prose(SAMPLE.read_text(encoding="utf-8"))
    by_name = {p.name: p for p in people}
    assert {KHAN, BAILEY, "Umnesh Desai", "Onkar Sahota"} <= set(by_name)
    assert by_name[BAILEY].party == "Conservative"
    assert by_name[BAILEY].role == "assembly member"
    assert "Mr Bailey" in by_name[BAILEY].aliases
    assert "Mr Khan" in by_name[KHAN].aliases
    assert by_name[KHAN].role == "mayor"
