"""Answers on the real sample session through the core API: the behaviours the issue names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_data import SAMPLE

from bot.record import Record

HANSARD = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "hansard"


@pytest.fixture
def record(sample_record: Record) -> Record:
    """These tests ask of the sample session (tests/conftest.py)."""
    return sample_record


async def test_khan_on_victim_support_puts_47m_and_15_percent_first(record: Record) -> None:
    """Khan's £47m and 15-percent passages come first, and no passage is Bailey's."""
    answer = await record.ask("what did Khan say on victim support")
    assert answer.speaker == "Sadiq Khan"
    assert answer.topic == "victim support"
    top_two = " ".join(p.text for p in answer.passages[:2])
    assert "£47m" in top_two and "15 percent" in top_two
    assert {p.speaker for p in answer.passages} == {"Sadiq Khan"}


async def test_passages_cite_offsets_into_the_added_text(record: Record) -> None:
    """Every passage's start/end slice the stored source text to exactly its words."""
    text = SAMPLE.read_text(encoding="utf-8")
    answer = await record.ask("what did Khan say on victim support")
    for p in answer.passages:
        assert text[p.start : p.end] == p.text
        assert p.title == "Mayor's Question Time"


async def test_who_asked_about_violent_crime_names_desai_and_sahota(record: Record) -> None:
    """ "who asked about violent crime" finds the two assembly members who asked."""
    answer = await record.ask("who asked about violent crime")
    assert {"Umnesh Desai", "Onkar Sahota"} <= set(answer.speakers_found)
    assert "Sadiq Khan" not in answer.speakers_found


async def test_misspelt_name_finds_umnesh_desais_question(record: Record) -> None:
    """ "Unmesh Desai" resolves to Umnesh Desai and returns his question."""
    answer = await record.ask("what did Unmesh Desai ask")
    assert answer.speaker == "Umnesh Desai"
    assert answer.passages and answer.passages[0].speaker == "Umnesh Desai"
    assert "violent crime" in answer.passages[0].text


async def test_the_mayor_on_police_cuts_finds_the_cut_police_service(record: Record) -> None:
    """A title and an inflected topic: "the mayor" + "police cuts" -> "has been cut"."""
    answer = await record.ask("what did the mayor say about police cuts")
    assert answer.speaker == "Sadiq Khan"
    assert answer.passages[0].text.startswith("The police service in London has been cut")


async def test_lemmas_match_knife_and_knives(record: Record) -> None:
    """A question about "knife" finds the passage that says "knives" (and "knife crimes")."""
    answer = await record.ask("what was said about knife")
    texts = " ".join(p.text for p in answer.passages)
    assert "knives" in texts and "knife crimes" in texts


async def test_nothing_found_says_what_was_searched_and_suggests(record: Record) -> None:
    """An unknown topic gets an honest note naming what was searched, with near words."""
    answer = await record.ask("what did Khan say about victem suport")
    assert answer.passages == ()
    assert answer.note and "Sadiq Khan" in answer.note and "searched 1 session" in answer.note
    assert "victim" in answer.suggestions or "support" in answer.suggestions


async def test_topic_a_speaker_never_mentioned_suggests_who_did(record: Record) -> None:
    """Desai never spoke of knives: the answer is empty and suggests Khan, who did."""
    answer = await record.ask("what did Desai say about knives")
    assert answer.passages == ()
    assert "Sadiq Khan" in answer.suggestions


async def test_unknown_speaker_is_not_guessed(record: Record) -> None:
    """A name nobody on the record has is said so; no passage is put in that person's mouth."""
    answer = await record.ask("What did Boris Johnson say about victim support?")
    assert answer.speaker is None
    assert answer.note and "No speaker called 'Boris Johnson'" in answer.note
    assert all(p.speaker != "Boris Johnson" for p in answer.passages)
    bare = await record.ask("What did Boris say?")
    assert bare.passages == () and bare.note and "Boris" in bare.note


@pytest.mark.parametrize(
    ("question", "name", "near"),
    [
        ("what did Boris say about trams", "Boris", None),
        ("what did Kahn say about trams", "Kahn", "Sadiq Khan"),
        ("what did Bailee say about trams", "Bailee", "Shaun Bailey"),
    ],
)
async def test_unknown_one_word_name_is_said_unknown_not_searched_as_topic(
    record: Record, question: str, name: str, near: str | None
) -> None:
    """An unknown one-word name before "say" is said to be no speaker, with near names; never a topic."""
    answer = await record.ask(question)
    assert answer.speaker is None and answer.passages == ()
    assert answer.note and answer.note.startswith(f"No speaker called '{name}' is on the record.")
    assert "looked for" not in answer.note
    if near:
        assert near in answer.suggestions and near in answer.note


async def test_stemmed_index_finds_forms_the_lemmas_keep_apart(record: Record) -> None:
    """A word form the lemmas keep apart (engagement ~ engage) is found through the stemmed index."""
    answer = await record.ask("what was said about engagement")
    assert answer.passages and "engage" in answer.passages[0].text.lower()


async def test_quotes_is_the_structured_form_of_ask(record: Record) -> None:
    """quotes(speaker, topic) resolves the name like ask does and filters to that speaker."""
    answer = await record.quotes("Mr Khan", "victim support", limit=3)
    assert answer.speaker == "Sadiq Khan" and len(answer.passages) == 3
    assert all(p.speaker == "Sadiq Khan" for p in answer.passages)
    everything = await record.quotes("Shaun Bailey")
    assert everything.passages and all(p.speaker == "Shaun Bailey" for p in everything.passages)
    unknown = await record.quotes("Nobody Atall")
    assert unknown.passages == () and unknown.note


@pytest.mark.parametrize(
    "question",
    [
        'victim" OR *',
        "NEAR(",
        'what did "Khan say',
        "",
        "   ",
        "🙂🙂 police",
        "市長は何と言いましたか",
        "x" * 20000,
        "\x00\x1f",
    ],
)
async def test_hostile_questions_never_raise(record: Record, question: str) -> None:
    """FTS syntax, unbalanced quotes, emoji, other scripts, huge and control text are just text."""
    answer = await record.ask(question)
    assert answer.question is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
async def test_any_text_is_answered_without_raising(record: Record, text: str) -> None:
    """Property: whatever a user types, ask returns an Answer."""
    answer = await record.ask(text)
    assert isinstance(answer.passages, tuple)


async def test_who_asked_the_mayor_keeps_the_questions_khan_answered(record: Record) -> None:
    """ "who asked the mayor about violent crime": the mayor is whom they asked, not the topic,
    and each passage is a question the next speaker after which is Sadiq Khan."""
    answer = await record.ask("who asked the mayor about violent crime")
    assert answer.topic == "violent crime"
    assert {"Umnesh Desai", "Onkar Sahota"} <= set(answer.speakers_found)
    assert answer.passages and all(p.is_question and p.speaker != "Sadiq Khan" for p in answer.passages)
    assert answer.note and "Sadiq Khan answered" in answer.note


async def test_who_asked_someone_who_answered_nothing_says_so(record: Record) -> None:
    """Nobody put a question on victims to Shaun Bailey: the answer says so, then shows who asked."""
    answer = await record.ask("who asked Bailey about victims")
    assert answer.note and "answered by Shaun Bailey" in answer.note
    assert answer.passages


async def test_questions_put_to_the_prime_minister_in_the_commons(tmp_path: Path) -> None:
    """On the real Commons record, every question kept is followed (after the asker's own
    sentences) by a statement of Gordon Brown's, the Prime Minister."""
    from bot.ingest.detect import extract_file

    source = HANSARD / "debates2009-10-28c.xml"
    statements = extract_file(source).statements
    async with await Record.open(tmp_path / "commons.sqlite3") as rec:
        await rec.add_session(source.read_bytes(), source_name=source.name, added_by="test")
        answer = await rec.ask("who asked the Prime Minister about Afghanistan", limit=5)
    assert answer.passages
    for p in answer.passages:
        i = next(n for n, s in enumerate(statements) if s.start == p.start)
        nxt = next(s for s in statements[i + 1 :] if s.speaker != statements[i].speaker)
        assert nxt.speaker == "Gordon Brown", (p.speaker, p.text[:80])


def test_the_keyword_best_match_stays_first_unless_mode_says_otherwise() -> None:
    """Neighbour smoothing may reorder what follows, never what keyword search put first."""
    from bot.answers.rank import Ranked, anchored
    from storage.statements import StatementRow

    def row(i: int) -> StatementRow:
        return StatementRow(
            id=i, session_id=1, position=i, person_id=None, speaker=None, kind="turn", text=f"t{i}",
            lemmas="", tokens=1, start=0, end=1, is_question=False, page=None, seconds=None,
            title="s", date=None,
        )

    final = [Ranked(row(2), 9.0, 1.0), Ranked(row(1), 5.0, 1.0), Ranked(row(3), 1.0, 1.0)]
    keyword = {1: 4.0, 2: 1.0, 3: 0.5}
    assert [r.row.id for r in anchored(final, {1: 5.0, 2: 3.0}, keyword, "never")] == [1, 2, 3]
    # "own": the challenger's own words (3.0) do not beat the anchor's (5.0), so it stays second.
    assert [r.row.id for r in anchored(final, {1: 5.0, 2: 3.0}, keyword, "own")] == [1, 2, 3]
    assert [r.row.id for r in anchored(final, {1: 2.0, 2: 3.0}, keyword, "own")] == [2, 1, 3]
    assert [r.row.id for r in anchored(final, {}, keyword, "off")] == [2, 1, 3]
