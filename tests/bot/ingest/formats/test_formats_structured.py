"""Structured records: Hansard XML, council (CDP) JSON, QMSum JSON, HTML pages and DOCX."""

from __future__ import annotations

import json

import pytest
from format_sources import make_docx, make_html
from shared_data import CORPUS

from bot.errors import IngestError
from bot.ingest.detect import extract, extract_file
from bot.ingest.formats.council import called

HANSARD = CORPUS / "hansard"
COUNCIL = CORPUS / "council" / "oakland_transcript.json"


@pytest.mark.parametrize(
    ("name", "date", "speaker", "external_id"),
    [
        ("debates2009-10-28c.xml", "2009-10-28", "Tessa Jowell", "uk.org.publicwhip/member/1555"),
        ("sp2009-10-29.xml", "2009-10-29", "Nicola Sturgeon", "uk.org.publicwhip/member/80396"),
        ("ni2009-10-12.xml", "2009-10-12", "Carál Ní Chuilín", "uk.org.publicwhip/member/90327"),
    ],
)
def test_hansard_speeches(name: str, date: str, speaker: str, external_id: str) -> None:
    """Speeches become turns with speaker names and member ids; the date comes from the record.

    Source: ParlParse/TheyWorkForYou XML (mysociety/theyworkforyou), Open Parliament Licence v3.0.
    """
    result = extract_file(HANSARD / name)
    assert result.format == "hansard" and result.date == date and date in (result.title or "")
    people = {p.name: p for p in result.people}
    assert people[speaker].external_id == external_id
    assert any(s.speaker == speaker for s in result.statements)
    named = [s for s in result.statements if s.speaker]
    assert len(named) >= 0.98 * len(result.statements)
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_hansard_latin1_and_roles() -> None:
    """The ISO-8859-1 Commons record decodes; offices become roles; headings stay in the text."""
    result = extract_file(HANSARD / "debates2009-10-28c.xml")
    assert result.encoding == "iso-8859-1"
    jowell = next(p for p in result.people if p.name == "Tessa Jowell")
    assert jowell.role and "Minister for the Cabinet Office" in jowell.role
    assert "ORAL ANSWERS TO QUESTIONS" in result.text
    assert not any("Question put and agreed to" in s.text for s in result.statements)


def test_scottish_presiding_officer_is_the_named_member() -> None:
    """``The Presiding Officer`` with Alex Fergusson's member id is attributed to him."""
    result = extract_file(HANSARD / "sp2009-10-29.xml")
    fergusson = next(p for p in result.people if p.name == "Alex Fergusson")
    assert fergusson.role == "Presiding Officer"
    assert not any(p.name == "The Presiding Officer" for p in result.people)
    sturgeon = [s for s in result.statements if s.speaker == "Nicola Sturgeon"]
    assert sturgeon and "Cabinet Secretary" in (
        next(p for p in result.people if p.name == "Nicola Sturgeon").role or ""
    )


def test_council_turns_grouped_by_speaker_change() -> None:
    """CDP sentences group into unattributed turns at each ``>>``, with their start times.

    Source: Council Data Project, CouncilDataProject/cdp-backend test resource, MPL-2.0.
    """
    sentences = json.loads(COUNCIL.read_text(encoding="utf-8"))["sentences"]
    changes = sum(1 for s in sentences if s["text"].startswith(">>"))
    result = extract_file(COUNCIL)
    assert result.format == "council" and result.date == "2022-08-09"
    assert all(s.kind == "turn" for s in result.statements)
    # No names in captions: a turn has a speaker only where the chair's call before it says who.
    for before, s in zip(result.statements, result.statements[1:], strict=False):
        if s.speaker is not None:
            if before.text.startswith("Madam President,"):
                continue  # the hand-over to the president, pinned below
            assert called(before.text) is not None, s.text
            assert s.speaker.split()[-1].lower() in before.text.lower(), s.text
    assert result.statements[0].speaker is None and result.statements[1].speaker is None
    # One turn for the opening sentence, then one per change (long turns may split further).
    assert len(result.statements) >= changes + 1
    assert result.statements[1].text.startswith("good morning, welcome")
    assert result.statements[1].seconds == sentences[1]["start_time"]
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_qmsum_meeting_json() -> None:
    """A QMSum meeting file extracts turn by turn with each turn's named speaker.

    Source: QMSum (Zhong et al. 2021), Yale-LILY/QMSum data/Committee, MIT licence.
    """
    path = sorted((CORPUS / "qmsum-committee" / "val").glob("education_*.json"))[0]
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    result = extract_file(path)
    assert result.format == "qmsum"
    spoken = [t for t in turns if t["content"].strip()]
    assert len(result.statements) >= len(spoken)
    assert result.statements[0].speaker and result.statements[0].speaker in turns[0]["speaker"]


def test_html_transcript_page() -> None:
    """A transcript web page: the body's turns, not the navigation; title and date from metadata."""
    paras = [
        "Sadiq Khan: We have funded victim support across London.",
        "Shaun Bailey: How many victims have you met, Mr Mayor?",
        "Sadiq Khan: Many. I meet victims every month.",
    ]
    result = extract(
        make_html(paras, title="Mayor's Question Time", date="2019-03-21", bold_labels=True).encode(),
        "mqt.html",
    )
    assert result.format == "html"
    assert (result.title, result.date) == ("Mayor's Question Time", "2019-03-21")
    assert [s.speaker for s in result.statements] == ["Sadiq Khan", "Shaun Bailey", "Sadiq Khan"]
    assert "Transfer news" not in result.text and "Privacy policy" not in result.text


def test_html_without_content() -> None:
    """A page whose body is only script (rendered client-side) is refused clearly."""
    page = b"<html><head><title>App</title></head><body><script>render(document.body);</script></body></html>"
    with pytest.raises(IngestError, match="no main text"):
        extract(page, "empty.html")


def test_docx_transcript_and_title() -> None:
    """A Word transcript gives its turns and the document's title."""
    paras = [
        "Lynne Neagle AM: Welcome to the committee.",
        "Kirsty Williams AM: Thank you, Chair.",
        "Lynne Neagle AM: Can we start with the budget?",
    ]
    result = extract(make_docx(paras, title="CYPE Committee"), "cype.docx")
    assert result.format == "docx" and result.title == "CYPE Committee"
    assert [s.speaker for s in result.statements] == ["Lynne Neagle", "Kirsty Williams", "Lynne Neagle"]
    assert result.statements[2].is_question


def test_docx_corrupt() -> None:
    """A damaged .docx is refused with a message naming Word."""
    data = make_docx(["Hello there."])
    with pytest.raises(IngestError, match="Word"):
        extract(data[:200], "broken.docx")


def test_scottish_office_holders_are_their_named_members() -> None:
    """``The First Minister`` (Alex Salmond's member id, named once) is Alex Salmond throughout,
    so "what did Salmond say" finds every answer and no person is called by an office alone."""
    result = extract_file(HANSARD / "sp2009-10-29.xml")
    names = {p.name: p for p in result.people}
    salmond = names["Alex Salmond"]
    assert salmond.role == "First Minister"
    assert salmond.external_id == "uk.org.publicwhip/member/80382"
    assert "John Swinney" in names
    assert not any(p.name.startswith("The ") for p in result.people)
    assert not any(a in {"Minister", "The Minister"} for p in result.people for a in p.aliases)
    said = [s for s in result.statements if s.speaker == "Alex Salmond"]
    assert len(said) >= 23  # his 23 speeches, each at least one statement


def test_offices_sharing_a_member_id_stay_apart() -> None:
    """The NI record gives "Mr Speaker" and "Mr Deputy Speaker" one member id: the Deputy
    Speaker's words must not become the Speaker's (an office's id names the chair, not a person)."""
    result = extract_file(HANSARD / "ni2009-10-12.xml")
    by_speaker = {s.speaker for s in result.statements}
    assert {"Mr Speaker", "Mr Deputy Speaker"} <= by_speaker
    assert not any(p.external_id == "uk.org.publicwhip/member/90355" for p in result.people)


def test_council_speaker_changes_inside_a_caption_sentence_start_turns() -> None:
    """Captioners run two speakers into one sentence ("they have-->> that's the end of public
    comment", "->> yes, I want to thank ..."): the marker still changes the turn, so the chair's
    call and the member's reply are not one passage."""
    result = extract_file(COUNCIL)
    texts = [s.text for s in result.statements]
    assert "thank you. Councilmember Fife?" in texts
    reply = next(t for t in texts if t.startswith("yes, I want to thank Councilmember Kalb"))
    assert ">>" not in reply
    assert "that's the end of public comment." in texts
    assert not any(">>" in t for t in texts)
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_council_captions_take_their_speaker_from_the_chairs_call() -> None:
    """Each turn after a call by title and name ("Councilmember Fife?") is that member's;
    read against the captions by hand: the roll call's replies, the seconder, the members
    speaking on the consent calendar, a public speaker called in; nothing else."""
    result = extract_file(COUNCIL)
    named = [(s.speaker, s.text[:40]) for s in result.statements if s.speaker]
    assert named[:4] == [
        ("Councilmember Fife", "present."),
        ("Councilmember Gallo", "present."),
        ("Kaplan", "here, good morning."),  # the office is the role, not the name
        ("Bas", "here."),
    ]
    people = {p.name: p for p in result.people}
    assert people["Kaplan"].role == "Vice Mayor" and people["Bas"].role == "President"
    fife = [t for who, t in named if who == "Councilmember Fife"]
    assert any(t.startswith("yes, I want to thank Councilmember Kalb") for t in fife)
    assert ("Councilmember Kalb", "I'm happy to second the motion and I'm h") in named
    # The second reply to a roll call ("I'm here.", after Kaplan's) is nobody's: no call before it.
    late = next(s for s in result.statements if s.text == "I'm here.")
    assert late.speaker is None
    # "Madam President, that was the last Speaker." hands the floor to the one president.
    after = next(s for s in result.statements if s.text.startswith("thank you. I do want to give"))
    assert after.speaker == "Bas"
    # A public commenter who names himself but is not called stays unattributed.
    assert all(s.speaker is None for s in result.statements if "Nino Parker" in s.text)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("thank you. Councilmember Fife?", "Councilmember Fife"),
        ("Seconded by Councilmember Kalb, council member Fife?", "Councilmember Fife"),
        ("Pro Tem Thao is excused and president BAS?", "President BAS"),
        ("we have Ms. Olugbala, good morning, please Unmute, you may begin.", "Ms. Olugbala"),
        ("Madam President, that was the last Speaker.", None),
        ("I want to thank Councilmember Kalb for saying that.", None),
        ("Did the council agree?", None),
    ],
)
def test_what_counts_as_the_chairs_call(text: str, who: str | None) -> None:
    assert called(text) == who
