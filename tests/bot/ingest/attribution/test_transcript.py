"""Transcript attribution: labels, turns, offsets, questions and people."""

from __future__ import annotations

import bisect
import json

import pytest
from shared_data import CORPUS, SAMPLE

from bot.ingest.attribution.labels import parse_speaker
from bot.ingest.attribution.transcript import attribute_transcript, is_question, looks_like_transcript
from bot.wording import speaker_details


def _check_offsets(text: str, statements: list) -> None:
    for s in statements:
        assert text[s.start : s.end] == s.text
        if s.mention_start is not None:
            assert 0 <= s.mention_start < s.mention_end <= s.start


@pytest.mark.parametrize(
    ("source", "speaker", "mention", "said"),
    [
        (
            "Sadiq Khan: We have funded victim support.",
            "Sadiq Khan",
            "Sadiq Khan",
            "We have funded victim support.",
        ),
        (
            "Shaun Bailey (Assembly Member, Conservative): How many victims have you met?",
            "Shaun Bailey",
            "Shaun Bailey",
            "How many victims have you met?",
        ),
        (
            "**Umnesh Desai**: Knife crime is rising.",
            "Umnesh Desai",
            "Umnesh Desai",
            "Knife crime is rising.",
        ),
        (
            "**Umnesh Desai:** Knife crime is rising.",
            "Umnesh Desai",
            "Umnesh Desai",
            "Knife crime is rising.",
        ),
        ("MR SMITH. I beg to move.", "Mr Smith", "MR SMITH", "I beg to move."),
        ("MR SMITH: I beg to move.", "Mr Smith", "MR SMITH", "I beg to move."),
        ("The Chair: Order, order.", "The Chair", "The Chair", "Order, order."),
        ("Chair: Order, order.", "The Chair", "Chair", "Order, order."),
        ("THE CHAIR. Order, order.", "The Chair", "THE CHAIR", "Order, order."),
        ("Lynne Neagle AM: Thank you all.", "Lynne Neagle", "Lynne Neagle", "Thank you all."),
        (
            "The Chair (Hon. Anthony Rota (NipissingTimiskaming, Lib.)): Welcome back.",
            "Anthony Rota",
            "Anthony Rota",
            "Welcome back.",
        ),
        ("Mr. Paul Manly: Thank you, Mr. Chair.", "Paul Manly", "Paul Manly", "Thank you, Mr. Chair."),
        ("[00:01:02] Sadiq Khan: We have funded it.", "Sadiq Khan", "Sadiq Khan", "We have funded it."),
        (">> Sadiq Khan: We have funded it.", "Sadiq Khan", "Sadiq Khan", "We have funded it."),
    ],
)
def test_label_forms(source: str, speaker: str, mention: str, said: str) -> None:
    """Each label form gives the speaker, the label's name span and exactly the words after it."""
    statements, _ = attribute_transcript(source + "\n")
    assert len(statements) == 1
    s = statements[0]
    assert (s.speaker, s.text, s.kind) == (speaker, said, "turn")
    assert source[s.mention_start : s.mention_end] == mention
    _check_offsets(source, statements)


@pytest.mark.parametrize(
    "line",
    [
        "Note: the meeting was adjourned.",
        "10:30: the meeting resumed.",
        "Question 1: What is the budget?",
        "He said: we will do it.",
        "The mayor responded: not now.",
        "However, the mayor: no.",
        "NATO. The alliance met.",
    ],
)
def test_not_a_speaker(line: str) -> None:
    """Notes, times, numbered questions and prose cues are not speaker labels."""
    text = f"Sadiq Khan: First.\n\n{line}\n\nShaun Bailey: Second.\n"
    statements, people = attribute_transcript(text)
    assert {p.name for p in people} == {"Sadiq Khan", "Shaun Bailey"}
    continued = [s for s in statements if line.split(":")[-1].strip() in s.text]
    assert all(s.speaker == "Sadiq Khan" for s in continued)


def test_multi_paragraph_turns_continue_the_speaker() -> None:
    """A paragraph without a label continues the previous speaker, one statement per paragraph."""
    text = "Sadiq Khan: First point.\n\nSecond point, same turn.\n\nShaun Bailey: My reply.\n"
    statements, _ = attribute_transcript(text)
    assert [(s.speaker, s.text) for s in statements] == [
        ("Sadiq Khan", "First point."),
        ("Sadiq Khan", "Second point, same turn."),
        ("Shaun Bailey", "My reply."),
    ]
    assert statements[0].mention_start == statements[1].mention_start == 0


def test_caption_changes_without_names_are_unattributed() -> None:
    """``>>`` marks a new speaker; with no name the turn's speaker is None."""
    text = ">> good morning, roll call. >> present. >> Councilmember Kalb?\n>> here.\n"
    statements, people = attribute_transcript(text)
    assert [s.text for s in statements] == [
        "good morning, roll call.",
        "present.",
        "Councilmember Kalb?",
        "here.",
    ]
    assert all(s.speaker is None for s in statements) and people == []
    assert statements[2].is_question


def test_long_turn_is_split_with_exact_offsets() -> None:
    """A very long turn becomes paragraph-sized statements that tile its words."""
    words = " ".join(f"Sentence number {i} is about victims of crime." for i in range(400))
    text = f"Sadiq Khan: {words}\n"
    statements, _ = attribute_transcript(text)
    assert len(statements) > 5
    assert all(len(s.text) <= 2000 and s.speaker == "Sadiq Khan" for s in statements)
    _check_offsets(text, statements)
    assert statements[0].start == len("Sadiq Khan: ") and statements[-1].end == len(text) - 1


@pytest.mark.parametrize(
    ("said", "asks"),
    [
        ("How many victims have you met?", True),
        ("Thank you. Can you tell us about the fund? It matters.", True),
        ("Can I ask the Mayor about the police budget.", True),
        ("We have met many victims.", False),
        ("Who knows what comes next, but we will act.", False),
    ],
)
def test_questions(said: str, asks: bool) -> None:
    """A statement that asks is flagged, so exchanges can be paired later."""
    assert is_question(said) is asks


def test_people_roles_parties_and_surnames() -> None:
    """Labels give role and party; ``MR KHAN`` joins the one Khan in the session."""
    text = (
        "Sadiq Khan (Mayor of London, Labour): We act.\n\nShaun Bailey (Assembly Member, Con): You don't.\n\n"
        "MR KHAN: We do.\n\nMr Bailey: Prove it.\n"
    )
    statements, people = attribute_transcript(text)
    assert [s.speaker for s in statements] == ["Sadiq Khan", "Shaun Bailey", "Sadiq Khan", "Shaun Bailey"]
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"Sadiq Khan", "Shaun Bailey"}
    assert (by_name["Sadiq Khan"].role, by_name["Sadiq Khan"].party) == ("Mayor of London", "Labour")
    assert by_name["Shaun Bailey"].party == "Conservative"
    assert "Khan" in by_name["Sadiq Khan"].aliases and "Mr Bailey" in by_name["Shaun Bailey"].aliases


def test_ambiguous_surname_stays_apart() -> None:
    """``Mr Smith`` is not merged when two Smiths speak: never a guess."""
    text = "John Smith: One.\n\nJane Smith: Two.\n\nMr Smith: Three.\n"
    statements, _ = attribute_transcript(text)
    assert [s.speaker for s in statements] == ["John Smith", "Jane Smith", "Mr Smith"]


def test_sample_report_is_not_a_transcript() -> None:
    """The founding news report reads as prose, not turns."""
    assert not looks_like_transcript(SAMPLE.read_text(encoding="utf-8"))


def _qmsum_files() -> list:
    return sorted((CORPUS / "qmsum-committee").glob("*/*.json"))


@pytest.mark.parametrize("path", _qmsum_files(), ids=lambda p: p.stem)
def test_qmsum_every_turn_has_its_speaker(path) -> None:
    """QMSum meetings written as ``Speaker: words`` (as qmsum_bench does): each turn keeps its speaker.

    Source: QMSum (Zhong et al. 2021), Yale-LILY/QMSum data/Committee, MIT licence.
    """
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    parts, starts, pos = [], [], 0
    for t in turns:
        chunk = f"{t['speaker']}: {t['content'].strip()}\n\n"
        starts.append(pos)
        parts.append(chunk)
        pos += len(chunk)
    text = "".join(parts)
    assert looks_like_transcript(text)
    statements, _ = attribute_transcript(text)
    _check_offsets(text, statements)
    seen = set()
    for s in statements:
        i = bisect.bisect_right(starts, s.start) - 1
        seen.add(i)
        label = turns[i]["speaker"]
        assert s.speaker is not None
        # The canonical name is read from this turn's own label, never from a neighbour.
        assert all(word in label for word in s.speaker.split()), (label, s.speaker)
    spoken = {
        i for i, t in enumerate(turns) if t["content"].strip() and not t["content"].strip().startswith("[")
    }
    assert spoken <= seen


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Lynne Neagle AM", "Lynne Neagle"),
        ("The Chair (Hon. Anthony Rota (NipissingTimiskaming, Lib.))", "Anthony Rota"),
        ("Mr. Paul Manly", "Paul Manly"),
        ("Mr. Paul Manly (NanaimoLadysmith, GP)", "Paul Manly"),
        ("The Chair", "The Chair"),
        ("The Acting Chair (Mr. Bruce Stanton)", "Bruce Stanton"),
        ("Right Hon. Justin Trudeau (Prime Minister)", "Justin Trudeau"),
        ("Hon. Bill Blair (Minister of Public Safety and Emergency Preparedness)", "Bill Blair"),
        ("Dr David Blaney", "David Blaney"),
    ],
)
def test_qmsum_style_names(label: str, name: str) -> None:
    """QMSum-style labels resolve to one canonical name per person."""
    statements, _ = attribute_transcript(f"{label}: Some words.\n\nSian Gwenllian AM: Reply.\n")
    assert statements[0].speaker == name


@pytest.mark.parametrize(
    ("label", "name", "role", "office"),
    [
        ("The First Minister (Alex Salmond)", "Alex Salmond", "First Minister", False),
        ("The First Minister", "The First Minister", "First Minister", True),
        (
            "The Cabinet Secretary for Finance and Sustainable Growth (John Swinney)",
            "John Swinney",
            "Cabinet Secretary for Finance and Sustainable Growth",
            False,
        ),
        (
            "The Cabinet Secretary for Finance and Sustainable Growth",
            "The Cabinet Secretary for Finance and Sustainable Growth",
            "Cabinet Secretary for Finance and Sustainable Growth",
            True,
        ),
        ("The Minister for Public Health and Sport (Shona Robison)", "Shona Robison", None, False),
        ("The Lord Advocate", "The Lord Advocate", "Lord Advocate", True),
        ("The Prime Minister", "The Prime Minister", "Prime Minister", True),
        ("Theresa May", "Theresa May", None, False),
    ],
)
def test_office_titles_are_not_personal_names(label: str, name: str, role: str | None, office: bool) -> None:
    """A label opening with "The" and an office word is an office: its holder if named, never a person
    called "The First Minister" with the alias "The Minister" (which would answer for every minister)."""
    speaker = parse_speaker(label)
    assert speaker is not None
    assert (speaker.name, speaker.is_office) == (name, office)
    if role is not None:
        assert speaker.role == role
    assert not {"Minister", "The Minister", "Growth", "The Growth", "Advocate"} & set(speaker.aliases)


@pytest.mark.parametrize(
    ("name", "role", "party", "shown"),
    [
        ("Speaker", "Speaker", None, ""),
        ("The First Minister", "First Minister", "SNP", "SNP"),
        ("Alex Salmond", "First Minister", None, "First Minister"),
        ("Shaun Bailey", "Assembly Member", "Conservative", "Assembly Member, Conservative"),
        ("Sadiq Khan", None, None, ""),
    ],
)
def test_speaker_details_leave_out_a_role_the_name_says(
    name: str, role: str | None, party: str | None, shown: str
) -> None:
    """What every surface shows beside a name: role and party, minus a role the name already is."""
    assert speaker_details(name, role, party) == shown
