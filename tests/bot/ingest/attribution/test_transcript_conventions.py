"""Transcript conventions read on the real records they come from.

Sources (see ../shared/corpus/SOURCES.md):
- Covid Inquiry hearings, repo dracos/uk-covid19-inquiry (qa-dev/covid/*.rst);
- Congressional Record, US Senate 20 May 2005, repo unitedstates/congressional-record
  (formats/congressional-record/, public domain);
- Republican presidential debate of 28 Oct 2015 (Federal News Service), repo
  KentonMurray/computational_linguistic_analysis_2016 (formats/debates/RepOct28.txt).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from shared_data import CORPUS

from bot.ingest.detect import extract_file
from bot.models import Extraction

COVID_2B = CORPUS / "qa-dev" / "covid" / "module-2B" / "2024-03-13.rst"
COVID_2C = CORPUS / "qa-dev" / "covid" / "module-2C" / "2024-05-09.rst"


@cache
def _extract(path: Path) -> Extraction:
    return extract_file(path)


def _speakers(path: Path) -> Counter[str | None]:
    return Counter(s.speaker for s in _extract(path).statements)


def _said_by(path: Path, words: str) -> str | None:
    """The speaker of the one statement holding ``words``."""
    found = [s for s in _extract(path).statements if words in s.text]
    assert len(found) == 1, (words, [(s.speaker, s.text[:60]) for s in found])
    return found[0].speaker


# --- Covid Inquiry (.rst) ----------------------------------------------------------------


def _rst_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.rst"))


def _rst_furniture(text: str) -> list[str]:
    """Headings (a line over a line of -, =, ^, as both lines), swearing-in and other emphasised notes."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        if line.strip() and re.fullmatch(r"([-=^~])\1{2,}", lines[i + 1].strip()):
            out.append(f"{line}\n{lines[i + 1]}")
    out += [m.group() for m in re.finditer(r"(?m)^\*[^*\n]+\*$", text)]
    return out


@pytest.mark.parametrize("path", _rst_files(), ids=lambda p: p.stem)
def test_no_heading_or_swearing_in_is_a_statement(path: Path) -> None:
    """No section heading, "Questions From …" heading or swearing-in note is anyone's words."""
    extraction = _extract(path)
    assert extraction.format == "transcript"
    furniture = _rst_furniture(extraction.text)
    assert any("(affirmed)" in f or "(sworn)" in f for f in furniture)
    assert any(f.startswith("Questions From") for f in furniture)
    titles = {f.split("\n")[0] for f in furniture}
    for s in extraction.statements:
        assert extraction.text[s.start : s.end] == s.text
        assert s.text not in titles, (s.speaker, s.text)
        for f in furniture:
            assert f not in s.text, (f, s.speaker, s.text[:80])


def test_hard_wrapped_rst_is_read_as_a_transcript() -> None:
    """Module 2B breaks lines mid-sentence with blank lines: still turns, and one sentence is one passage."""
    assert _extract(COVID_2B).format == "transcript"
    assert _said_by(COVID_2B, "the purposes of this module, and we've got that") == "Mr Poole"


def test_label_variants_are_one_speaker() -> None:
    """``**Mr Straw**`` and ``**Mr Straw KC**`` are one person, with the long form as an alias."""
    straw = [p for p in _extract(COVID_2B).people if "Straw" in p.name]
    assert [p.name for p in straw] == ["Mr Straw"]
    assert "Mr Straw KC" in straw[0].aliases
    wilcock = [p for p in _extract(COVID_2C).people if "Wilcock" in p.name]
    assert [p.name for p in wilcock] == ["Mr Wilcock"]


@pytest.mark.parametrize(
    ("path", "said", "witness"),
    [
        (COVID_2B, "Not at all.", "Mark Drakeford"),
        (COVID_2C, "Not at all. Should I stand, by the way?", "Edwin Poots"),
        (COVID_2C, "No, it's fine.", "Brandon Lewis"),
    ],
)
def test_the_witness_is_the_witness_being_examined(path: Path, said: str, witness: str) -> None:
    """``**The Witness**:`` is whoever the last heading and swearing-in named."""
    found = [s for s in _extract(path).statements if s.text == said]
    assert [s.speaker for s in found] == [witness]
    assert "The Witness" not in _speakers(path)


@pytest.mark.parametrize(
    ("path", "said", "who", "part"),
    [
        (COVID_2B, "You also provided a witness statement for Module 1", "Mr Poole",
         "Lead Counsel to the Inquiry for Module 2B"),
        (COVID_2C, "For the purposes of today, I'll refer to you as Mrs Long", "Mr Scott",
         "Counsel to the Inquiry"),
        (COVID_2C, "Thank you, Mr Poots. Thank you for the assistance", "Mr Scott", "Counsel to the Inquiry"),
    ],
)
def test_examiner_short_forms_are_the_counsel_who_called_the_witness(
    path: Path, said: str, who: str, part: str
) -> None:
    """``**Lead 2B**:`` / ``**Counsel Inquiry**:`` are the counsel who called the witness and asked first."""
    assert _said_by(path, said) == who
    person = next(p for p in _extract(path).people if p.name == who)
    assert person.role == part
    speakers = _speakers(path)
    assert "Counsel Inquiry" not in speakers
    assert "Lead 2B" not in speakers


def test_lead_2c_is_ms_dobbin_who_called_sir_brandon_lewis() -> None:
    """In 2C, Lead 2C follows Ms Dobbin's call of Sir Brandon Lewis, not Mr Scott's earlier ones."""
    sworn = _extract(COVID_2C).text.find("SIR BRANDON LEWIS")
    lead = [s for s in _extract(COVID_2C).statements if s.start > sworn]
    assert {s.speaker for s in lead} <= {"Ms Dobbin", "Brandon Lewis", "Lady Hallett", "Ms Campbell"}
    assert Counter(s.speaker for s in lead)["Ms Dobbin"] > 100


# --- Televised debate ----------------------------------------------------------------------

DEBATE = CORPUS / "formats" / "debates" / "RepOct28.txt"
CANDIDATES = {
    "KASICH": ("John Kasich", "Governor"),
    "HUCKABEE": ("Mike Huckabee", "Governor"),
    "BUSH": ("Jeb Bush", "Governor"),
    "RUBIO": ("Marco Rubio", "Senator"),
    "TRUMP": ("Donald Trump", None),
    "CARSON": ("Ben Carson", None),
    "FIORINA": ("Carly Fiorina", None),
    "CRUZ": ("Ted Cruz", "Senator"),
    "CHRISTIE": ("Chris Christie", "Governor"),
    "PAUL": ("Rand Paul", "Senator"),
}
MODERATORS = {
    "QUINTANILLA": "Carl Quintanilla",
    "QUICK": "Becky Quick",
    "HARWOOD": "John Harwood",
    "SANTELLI": "Rick Santelli",
    "EPPERSON": "Sharon Epperson",
    "CRAMER": "Jim Cramer",
}


def _debate_turns() -> list[tuple[str, int, int]]:
    """(label, start, end) of the first paragraph of every labelled turn, read straight from the file."""
    text = _extract(DEBATE).text
    label = re.compile(r"(?m)^(?:\([A-Z ]+\) )?([A-Z]+): (.+)$")
    return [(m.group(1), m.start(2), m.end(2)) for m in label.finditer(text)]


@pytest.mark.parametrize("label", sorted(CANDIDATES))
def test_every_candidate_turn_carries_the_full_name(label: str) -> None:
    """Each candidate's turns carry the full name the introductions give, with the office as role."""
    name, office = CANDIDATES[label]
    extraction = _extract(DEBATE)
    turns = [(a, b) for lab, a, b in _debate_turns() if lab == label]
    assert len(turns) >= 10
    for a, b in turns:
        inside = [s for s in extraction.statements if a <= s.start < b]
        if not re.sub(r"\([A-Z ]+\)", "", extraction.text[a:b]).strip():
            continue  # a turn that is only a stage mark
        assert inside, (label, extraction.text[a:b][:60])
        assert {s.speaker for s in inside} == {name}, (label, extraction.text[a:b][:60])
    person = next(p for p in extraction.people if p.name == name)
    assert person.role == office


def test_moderators_are_marked_as_moderators() -> None:
    """The hosts, introduced by full name ("I'm Carl Quintanilla", "my colleague, Rick Santelli")."""
    people = {p.name: p for p in _extract(DEBATE).people}
    for name in MODERATORS.values():
        assert people[name].role == "Moderator", name
    assert _speakers(DEBATE)["Carl Quintanilla"] > 50
    assert not {p.name for p in people.values()} & {n.title() for n in [*CANDIDATES, *MODERATORS]}


def test_no_stage_direction_or_page_furniture_is_speech() -> None:
    """(APPLAUSE), (CROSSTALK)… and the news site's 'Advertisement' lines and captions are nobody's words."""
    for s in _extract(DEBATE).statements:
        assert not re.search(r"\([A-Z][A-Z ]+\)", s.text), s.text
        assert "Continue reading the main story" not in s.text
        assert "Advertisement" not in s.text
        assert "RELATED COVERAGE" not in s.text
        assert ", left," not in s.text, s.text
        assert s.text.strip() not in ("Photo",)


def test_label_typo_joins_the_speaker_it_misspells() -> None:
    """``RITCHIE:`` (once, a name the record never gives) is CHRISTIE; an unknown one-off is nobody."""
    assert _said_by(DEBATE, "I wish you would have asked that question years ago") == "Chris Christie"
    # HARMAN is near no label (closest is CARSON): nobody's, not the previous speaker's (Fiorina).
    text = _extract(DEBATE).text
    harman = text.index("HARMAN: ") + len("HARMAN: ")
    assert [s.speaker for s in _extract(DEBATE).statements if s.start == harman] == [None]
    assert _said_by(DEBATE, "Is it made in Mexico?") is None  # (UNKNOWN):
    assert "Ritchie" not in _speakers(DEBATE)
    assert "Unidentified Male" not in _speakers(DEBATE)


# --- Congressional Record -----------------------------------------------------------------

CREC = CORPUS / "formats" / "congressional-record"
CREC_LEVIN = CREC / "CREC-2005-05-20-pt1-PgS5578-2.htm"
CREC_CORNYN_LEAHY = CREC / "CREC-2005-05-20-pt1-PgS5581.htm"


def test_congressional_record_is_detected_from_content(tmp_path: Path) -> None:
    """A Congressional Record page is recognised by its banner in <pre>, whatever the file is called."""
    renamed = tmp_path / "page.txt"
    renamed.write_bytes(CREC_CORNYN_LEAHY.read_bytes())
    assert extract_file(renamed).format == "congressional"
    assert _extract(CREC_LEVIN).format == "congressional"
    assert _extract(CREC_LEVIN).date == "2005-05-20"


def test_congressional_record_turns_carry_the_members_names() -> None:
    """Cornyn's, Leahy's and Levin's turns are theirs, senators by role, and the bill heading is no turn."""
    assert set(_speakers(CREC_LEVIN)) == {"Mr Levin"}
    assert set(_speakers(CREC_CORNYN_LEAHY)) == {"Mr Cornyn", "Mr Leahy"}
    assert _said_by(CREC_CORNYN_LEAHY, "today I am pleased to join Senator Leahy") == "Mr Cornyn"
    assert _said_by(CREC_CORNYN_LEAHY, "I am partnering with Senator Cornyn") == "Mr Leahy"
    assert _said_by(CREC_LEVIN, "as we commemorate National Police Week") == "Mr Levin"
    people = {p.name: p for p in _extract(CREC_CORNYN_LEAHY).people}
    assert people["Mr Cornyn"].role == "Senator"
    assert {"Cornyn", "Senator Cornyn"} <= set(people["Mr Cornyn"].aliases)
    texts = " ".join(s.text for s in _extract(CREC_CORNYN_LEAHY).statements)
    assert "for himself and Mr. Leahy" not in texts
    assert "A bill to amend chapter 113" not in texts  # the bill's summary under its heading
    assert "Be it enacted by the Senate" not in texts  # the bill as printed in the Record
    assert "There being no objection" not in texts  # the clerk's narration


def test_page_marks_are_pages_not_words_and_do_not_split_a_turn() -> None:
    """``[[Page S5579]]`` mid-sentence: the sentence stays whole, and what follows cites page 5579."""
    statements = _extract(CREC_LEVIN).statements
    first = statements[0]
    assert "recognize the courageous men and women who serve" in first.text
    assert first.page == 5578
    assert all(s.page == 5579 for s in statements[1:])
    leahy = [s for s in _extract(CREC_CORNYN_LEAHY).statements if s.speaker == "Mr Leahy"]
    assert leahy and all(s.page == 5582 for s in leahy)


@pytest.mark.parametrize("path", [CREC_LEVIN, CREC_CORNYN_LEAHY], ids=lambda p: p.stem)
def test_nothing_from_the_page_headers_is_speech(path: Path) -> None:
    """Banner, chamber, page range, GPO line, rules and centred headings are in the text, said by no one."""
    extraction = _extract(path)
    for s in extraction.statements:
        assert extraction.text[s.start : s.end] == s.text
        assert s.speaker is not None
        assert "[" not in s.text
        assert "Congressional Record Online" not in s.text
        assert "NATIONAL POLICE WEEK" not in s.text and "STATEMENTS ON INTRODUCED BILLS" not in s.text
        assert "_____" not in s.text
    assert "NATIONAL POLICE WEEK" in extraction.text or "STATEMENTS ON INTRODUCED BILLS" in extraction.text


def test_presiding_officer_is_a_role(tmp_path: Path) -> None:
    """``The PRESIDING OFFICER.``, ``The ACTING PRESIDENT pro tempore.``: offices; a named one: the member."""
    page = CREC_CORNYN_LEAHY.read_text(encoding="utf-8")
    turns = (
        "  The PRESIDING OFFICER. Without objection, it is so ordered.\n"
        "  The ACTING PRESIDENT pro tempore. The Senator from Vermont.\n"
        "  The PRESIDING OFFICER (Mr. ALEXANDER). The clerk will report.\n"
    )
    page = page.replace("  Mr. LEAHY. Today", turns + "  Mr. LEAHY. Today")
    path = tmp_path / "with-chair.htm"
    path.write_text(page, encoding="utf-8")
    extraction = extract_file(path)
    by_text = {s.text: s.speaker for s in extraction.statements}
    assert by_text["Without objection, it is so ordered."] == "The Presiding Officer"
    assert by_text["The Senator from Vermont."] == "The Acting President pro tempore"
    assert by_text["The clerk will report."] == "Mr Alexander"
    people = {p.name: p for p in extraction.people}
    assert people["Mr Alexander"].role == "Presiding Officer"
    assert _said_by(path, "I am partnering with Senator Cornyn") == "Mr Leahy"


def test_surname_joins_the_one_full_name_the_page_gives(tmp_path: Path) -> None:
    """Where the page gives ``Senator Patrick Leahy``, ``Mr. LEAHY.`` is Patrick Leahy; Cornyn stays."""
    page = CREC_CORNYN_LEAHY.read_text(encoding="utf-8").replace(
        "to join Senator Leahy", "to join Senator Patrick Leahy"
    )
    path = tmp_path / "full-name.htm"
    path.write_text(page, encoding="utf-8")
    assert _said_by(path, "I am partnering with Senator Cornyn") == "Patrick Leahy"
    assert _said_by(path, "to join Senator Patrick Leahy") == "Mr Cornyn"
    leahy = next(p for p in extract_file(path).people if p.name == "Patrick Leahy")
    assert "Mr Leahy" in leahy.aliases


def test_questions_from_the_chair_give_the_chair_role() -> None:
    """Under 'Questions From the Chair' (2C) the one who asks, Lady Hallett, holds the role Chair."""
    hallett = next(p for p in _extract(COVID_2C).people if p.name == "Lady Hallett")
    assert hallett.role == "Chair"
    # 2B has no such heading: the record never says who chairs, so no role is guessed.
    assert next(p for p in _extract(COVID_2B).people if p.name == "Lady Hallett").role is None


def test_congressional_record_without_its_text_is_refused_with_a_sentence() -> None:
    """Forced onto a page with no <pre> text, the reader says so instead of storing nothing."""
    from bot.errors import IngestError
    from bot.ingest.detect import extract

    with pytest.raises(IngestError, match=r"no <pre> text"):
        extract(b"<html><body><p>Mr. CORNYN. Hello.</p></body></html>", "page.htm", format="congressional")


def test_congressional_record_page_of_only_headings_has_no_statements(tmp_path: Path) -> None:
    """The banner and a heading alone (a page between speeches) give text to cite but no one's words."""
    page = CREC_LEVIN.read_text(encoding="utf-8")
    head, _, _ = page.partition("  Mr. LEVIN.")
    path = tmp_path / "headings.htm"
    path.write_text(head + "</pre></body></html>", encoding="utf-8")
    extraction = extract_file(path)
    assert extraction.format == "congressional"
    assert extraction.statements == ()
    assert "NATIONAL POLICE WEEK" in extraction.text
