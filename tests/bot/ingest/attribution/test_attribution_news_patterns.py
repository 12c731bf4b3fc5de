"""News-writing patterns of attribution: names with initials and titles, mixed quote marks,
long asides between a quotation and its cue, and the other shapes reporters use."""

from __future__ import annotations

import pytest
from prose_statements import mention_of, statement_at

from bot.ingest.attribution.prose import attribute_prose


@pytest.mark.parametrize(
    ("text", "words", "speaker", "mention"),
    [
        (
            '"The bridge is safe," Carol T. Nguyen, an engineer for the county, said on Monday.',
            "The bridge is safe",
            "Carol T. Nguyen",
            "Carol T. Nguyen",
        ),
        (
            '"We will appeal," said Harbor Authority Chairman Leon Fisk.',
            "We will appeal",
            "Leon Fisk",
            "Harbor Authority Chairman Leon Fisk",
        ),
        (
            '“The numbers do not add up," Ohio Sen. Dana Wright said.',
            "The numbers do not",
            "Dana Wright",
            "Ohio Sen. Dana Wright",
        ),
        (
            '"Water bills will rise," Ruth Ames, the utility director of the city, '
            "one of the towns hit by the drought, said at a hearing.",
            "Water bills will rise",
            "Ruth Ames",
            "Ruth Ames",
        ),
    ],
)
def test_speaker_names_in_news_style(text: str, words: str, speaker: str, mention: str) -> None:
    """Initials, titles after an office's name, mixed quote marks and long asides keep the speaker."""
    s = statement_at(text, words)
    assert s.kind == "direct"
    assert s.speaker == speaker
    assert mention_of(text, s) == mention


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        (
            "Gov. Alan Reyes described the ruling as a “travesty” after the court struck down the map.",
            "the ruling",
            "the ruling as a “travesty”",
        ),
        (
            'Sen. Mia Cho called the bill a "giveaway" who is "beyond repair," a "scam" and a "disaster" '
            "for towns.",
            "the bill",
            'the bill a "giveaway" who is "beyond repair," a "scam" and a "disaster"',
        ),
    ],
)
def test_naming_verb_content_ends_with_the_quoted_label(text: str, words: str, expected: str) -> None:
    """`X called Y “a Z”` attributes the object and its label, not the reporter's clause after it."""
    s = statement_at(text, words)
    assert s.text == expected
    assert s.speaker is not None


def test_demand_is_not_cut_at_its_quotation() -> None:
    """`called on X to “…” and …` is a demand: its content is not cut like a label."""
    text = 'Mayor Kim Park called on residents to "stay home tonight" and to check on their neighbors.'
    assert statement_at(text, "residents").text.endswith("neighbors")


def test_coordinated_reporting_verbs_are_two_statements() -> None:
    """`X called Y “…” and said …` gives two statements by X, each with its own content."""
    text = "Ana Ruiz called the deal “a betrayal” and said she would vote against it in March."
    first = statement_at(text, "the deal")
    second = statement_at(text, "she would vote")
    assert first.text == "the deal “a betrayal”"
    assert second.text == "she would vote against it in March"
    assert first.speaker == second.speaker == "Ana Ruiz"


def test_quotation_as_subject_of_a_verb_is_not_an_inverted_cue() -> None:
    """`“…” suggests that X` does not make X the speaker of the quotation."""
    text = "Lee Hart said in the memo that the flyer “plainly and falsely” suggests that Dover backs him."
    s = statement_at(text, "plainly")
    assert s.speaker == "Lee Hart"
    assert s.kind == "indirect"


def test_participle_inside_a_split_quote_is_its_own_statement() -> None:
    """`“A,” X said, referring to Y, “B.”`: one quote statement, plus what X referred to."""
    text = (
        "“Every delay costs us,” Ed Moss said, referring to the stalled harbor dredging plan, “and we pay.”"
    )
    statements, _ = attribute_prose(text)
    quote, topic = sorted(statements, key=lambda s: s.start)
    assert quote.text.startswith("Every delay") and quote.text.endswith("and we pay.")
    assert topic.text == "the stalled harbor dredging plan"
    assert quote.speaker == topic.speaker == "Ed Moss"


def test_quote_with_its_own_trailing_cue_is_not_a_continuation() -> None:
    """`“A,” Bo said. “B” to get rich, she said.` : the second sentence is cued by `she said`."""
    text = (
        'Ann Bo spoke. "We are sure," Bo said. "You broke the law" to get rich, she said, citing the audit.'
    )
    first = statement_at(text, "We are sure")
    second = statement_at(text, "You broke the law")
    assert first.end < second.start
    assert second.text == '"You broke the law" to get rich'
    assert mention_of(text, second) == "she"
    assert second.speaker == "Ann Bo"


def test_trailing_cue_followed_by_a_participle() -> None:
    """`X, she said, warning that Y.` : X and Y are both hers."""
    text = "Jo Hale spoke. Fares will rise next year, she said, warning that service cuts would follow soon."
    assert statement_at(text, "Fares will rise").text == "Fares will rise next year"
    assert statement_at(text, "service cuts").speaker == "Jo Hale"


@pytest.mark.parametrize(
    "text",
    [
        'In a statement, Mayor Rob Kent said the ruling "will cost the city millions of dollars."',
        "On Tuesday, Mayor Rob Kent said the ruling will cost the city millions of dollars.",
    ],
)
def test_opening_setting_phrase_is_not_the_content(text: str) -> None:
    """`In a statement, X said Y`: Y is what was said, not `In a statement`."""
    s = statement_at(text, "the ruling")
    assert s.text.startswith("the ruling")
    assert s.speaker == "Rob Kent"
    assert all(not st.text.startswith(("In a", "On Tue")) for st in attribute_prose(text)[0])


def test_adverb_after_a_participle_before_a_quote() -> None:
    """`“A,” X said, adding later, “B.”`: B is a statement of its own by X."""
    text = (
        "“We cannot pay for this,” Dana Kerr said, adding later, “The county is broke and everyone knows it.”"
    )
    statements, _ = attribute_prose(text)
    first, second = sorted(statements, key=lambda s: s.start)
    assert first.text == "We cannot pay for this,"
    assert second.text.startswith("The county is broke")
    assert first.speaker == second.speaker == "Dana Kerr"
