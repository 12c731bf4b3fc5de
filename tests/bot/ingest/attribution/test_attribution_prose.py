"""Prose attribution rules: cues before and after quotes, reported speech, pronouns, traps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prose_statements import mention_of, statement_at

from bot.ingest.attribution.prose import attribute_prose
from bot.ingest.attribution.quotes import find_quotes


@pytest.mark.parametrize(
    ("text", "words", "speaker", "mention", "kind"),
    [
        ('Jane Doe spoke.\n\n"We will win," she said.', "We will win", "Jane Doe", "she", "direct"),
        (
            "“Taxes are too high,” said Senator John Smith.",
            "Taxes are too high",
            "John Smith",
            None,
            "direct",
        ),
        (
            'Ann Lee, the council leader, said: "The budget is balanced."',
            "The budget",
            "Ann Lee",
            None,
            "direct",
        ),
        (
            "Tom Hardy said the plan would cost jobs.",
            "the plan would cost",
            "Tom Hardy",
            "Tom Hardy",
            "indirect",
        ),
        (
            "The plan would cost jobs, Tom Hardy said on Tuesday.",
            "The plan would",
            "Tom Hardy",
            None,
            "indirect",
        ),
        ("According to Maria Lopez, the deal is dead.", "the deal is dead", "Maria Lopez", None, "indirect"),
        ("The deal is dead, according to Maria Lopez.", "The deal is dead", "Maria Lopez", None, "indirect"),
        ("Bob Ray told reporters that he would resign soon.", "he would resign", "Bob Ray", None, "indirect"),
        ('"It is over," Ms. Cole wrote on Twitter.', "It is over", "Cole", "Ms. Cole", "direct"),
        ("“No one listens.” ― Carla Sanchez", "No one listens", "Carla Sanchez", "Carla Sanchez", "direct"),
    ],
)
def test_cue_patterns(text: str, words: str, speaker: str, mention: str | None, kind: str) -> None:
    """Quotes with the cue before, after or inverted, and reported speech, find their speaker."""
    s = statement_at(text, words)
    assert s.speaker == speaker
    assert s.kind == kind
    assert s.text == text[s.start : s.end]
    if mention is not None:
        assert mention_of(text, s) == mention


def test_surname_and_honorific_resolve_to_full_name() -> None:
    """`Mr Hale` after `Peter Hale` is the same person, under the full name."""
    text = 'Peter Hale opened the debate.\n\n"We need more buses," Mr Hale said.'
    assert statement_at(text, "We need more buses").speaker == "Peter Hale"


def test_pronoun_follows_the_subject_not_the_object() -> None:
    """`He said` after `Mr Ames pressed Ms Bell` refers to Ames, the subject."""
    text = (
        "Rob Ames questioned Kate Bell about the tram.\n\nMr Ames pressed Ms Bell for details.\n\n"
        'He said: "Where is the money going?"'
    )
    s = statement_at(text, "Where is the money")
    assert s.speaker == "Rob Ames"
    assert s.is_question


def test_she_skips_a_man() -> None:
    """A pronoun never resolves to a person of the other known gender."""
    text = 'Mrs Jo Platt spoke after Mr Tim Dunn.\n\n"This is wrong," she said.'
    assert statement_at(text, "This is wrong").speaker == "Jo Platt"


def test_continuation_paragraph_keeps_the_speaker_and_mention() -> None:
    """A paragraph that is only a quote continues the previous quote's speaker and mention."""
    text = 'Lia Ford rose.\n\nShe said: "We must act now.\n\n"The cost of waiting is higher."'
    s = statement_at(text, "The cost of waiting")
    assert s.speaker == "Lia Ford"
    assert mention_of(text, s) == "She"


def test_quote_after_a_colon_paragraph() -> None:
    """`Caddell continued:` at a paragraph end introduces the next paragraph's quote."""
    text = 'Pat Caddell spoke.\n\nCaddell continued:\n\n"The numbers are bad for her."'
    assert statement_at(text, "The numbers are bad").speaker == "Pat Caddell"


@pytest.mark.parametrize(
    "text",
    [
        "A leaked report said that crime had risen sharply.",
        "Advisers to Mr. Obama say the president is frustrated.",
    ],
)
def test_non_person_or_other_person_source_gives_no_speaker(text: str) -> None:
    """A document, or someone's spokesman, is never attributed to the named person."""
    statements, _ = attribute_prose(text)
    assert statements
    assert all(s.speaker is None for s in statements)


def test_someones_spokesman_is_a_role_speaker_never_the_person() -> None:
    """"A spokesman for Dan Ruiz" speaks as that role, marked as one: never as Dan Ruiz."""
    statements, people = attribute_prose("A spokesman for Dan Ruiz said the talks had failed.")
    assert [s.speaker for s in statements] == ["Spokesman for Dan Ruiz"]
    assert [(p.name, p.kind) for p in people] == [("Spokesman for Dan Ruiz", "role")]


def test_the_spokesman_later_is_the_one_role_speaker_it_fits() -> None:
    """"The spokesman added" after one spokesman is his; after two different ones, nobody's;
    "The Labour spokesman" is the Labour one."""
    one = "The Home Office would not comment. A spokesman said the plan was sound."
    one += " The spokesman added that talks go on."
    assert [s.speaker for s in attribute_prose(one)[0]] == ["Home Office spokesman"] * 2
    two = "A spokesman for the Home Office said the plan was sound. A Labour spokesman said it was not."
    assert attribute_prose(f"{two} The spokesman added that talks go on.")[0][-1].speaker is None
    labour = attribute_prose(f"{two} The Labour spokesman added that talks go on.")[0][-1]
    assert labour.speaker == "Labour spokesman"


def test_scare_quotes_are_not_statements() -> None:
    """A short quoted phrase with no speech cue attributes nothing."""
    statements, _ = attribute_prose("The so-called “green deal” was passed on a quiet Friday.")
    assert statements == []


def test_unresolvable_pronoun_gives_no_speaker() -> None:
    """`he said` with nobody named before it is unattributed, not guessed."""
    s = statement_at('"We are ready," he said.', "We are ready")
    assert s.speaker is None
    assert s.mention_start is not None


def test_quote_split_by_cue_is_one_statement() -> None:
    """`"A," said X. "B."` is one statement covering both parts of the quote."""
    text = '"We will fight," said Ann Bo. "We will not give up."'
    statements, _ = attribute_prose(text)
    assert len(statements) == 1
    assert statements[0].text.startswith("We will fight")
    assert statements[0].text.endswith("not give up.")


def test_unbalanced_quotes_close_at_paragraph_end() -> None:
    """An opening quote without a closing one ends at its paragraph."""
    text = 'Sam Oak said: "This will never end\n\nNext paragraph.'
    (quote,) = find_quotes(text, 0, text.index("\n"))
    assert text[quote.start : quote.end] == "This will never end"
    assert not quote.closed


def test_people_carry_role_and_party() -> None:
    """`Labour councillor Amy Shaw` gives Amy Shaw the role and the party."""
    _, people = attribute_prose('Labour councillor Amy Shaw said: "Rents are too high."')
    (person,) = people
    assert (person.name, person.role, person.party) == ("Amy Shaw", "councillor", "Labour")


_PROSE_ALPHABET = st.sampled_from(
    [*"ab Mr. He said: \"“”'’,;\n\n—?!Xy", "said", " told ", "according to "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PROSE_ALPHABET, max_size=80).map("".join))
def test_never_raises_and_offsets_hold(text: str) -> None:
    """On any text: no exception, text == source[start:end], offsets in range."""
    statements, _ = attribute_prose(text)
    for s in statements:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start : s.end]
        if s.mention_start is not None:
            assert s.mention_end is not None
            assert 0 <= s.mention_start < s.mention_end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    """Arbitrary Unicode, unbalanced quotes included, gives statements that cite exactly."""
    for s in attribute_prose(text)[0]:
        assert s.text == text[s.start : s.end]


def test_large_input_is_linear() -> None:
    """Two megabytes of report (and one huge unbroken paragraph) extract without blowing up."""
    para = 'Mr Khan said: "We will fund more buses." The mayor said costs were rising.\n\n'
    text = para * (2_000_000 // len(para))
    statements, _ = attribute_prose(text)
    assert len(statements) >= 2 * (len(text) // len(para)) - 2
    blob = '"' + "word " * 200_000
    assert all(s.text == blob[s.start : s.end] for s in attribute_prose(blob)[0])
