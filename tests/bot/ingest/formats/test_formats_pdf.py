"""PDF sources: page citations, running headers and line numbers dropped, clear refusals."""

from __future__ import annotations

import pytest
from format_sources import make_image_pdf, make_pdf

from bot.errors import IngestError
from bot.ingest.detect import extract

TURNS = [
    f"{who}: {said}"
    for who, said in [
        ("THE CHAIR", "Good morning and welcome to this meeting of the Police and Crime Committee."),
        ("Sadiq Khan (Mayor of London)", "Victims need support and we have funded it. " * 6),
        ("Shaun Bailey AM", "How many victims of crime have you personally met since you became Mayor?"),
        ("Sadiq Khan (Mayor of London)", "Many. I meet victims regularly and I will continue to do so. " * 8),
    ]
    * 6
]


def test_pages_and_headers() -> None:
    """Each turn cites its page; the repeated header and page footers are not in the text."""
    result = extract(make_pdf(TURNS, header="Police and Crime Committee - 5 March 2024"), "pcc.pdf")
    assert result.format == "pdf"
    assert "Police and Crime Committee - 5 March" not in result.text
    assert "Page 1" not in result.text
    pages = [s.page for s in result.statements]
    assert pages[0] == 1 and max(pages) >= 2 and pages == sorted(pages)
    assert {s.speaker for s in result.statements} == {"The Chair", "Sadiq Khan", "Shaun Bailey"}
    # A paragraph cut by a page break may become two statements, never two speakers.
    turns = [s.mention_start for s in result.statements]
    assert len(dict.fromkeys(turns)) == len(TURNS)
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_line_numbers_are_not_speech() -> None:
    """Court-style line numbers in the margin are stripped; turns still split by label."""
    result = extract(make_pdf(TURNS[:8], line_numbers=True), "numbered.pdf")
    assert len(result.statements) == 8
    first = result.statements[0]
    assert first.speaker == "The Chair" and first.text.startswith("Good morning and welcome")
    assert not any(s.text[:2].strip().isdigit() for s in result.statements)


def test_title_from_metadata() -> None:
    """The PDF's title property becomes the session title."""
    assert extract(make_pdf(TURNS[:3], title="PCC 5 March"), "x.pdf").title == "PCC 5 March"


def test_password_protected_pdf() -> None:
    """A PDF that needs a password is refused with a message saying so."""
    with pytest.raises(IngestError, match="password-protected"):
        extract(make_pdf(TURNS[:3], password="secret"), "locked.pdf")


def test_scanned_pdf_without_text() -> None:
    """An image-only PDF has no text layer: refused with advice to run OCR."""
    with pytest.raises(IngestError, match="scanned"):
        extract(make_image_pdf(), "scan.pdf")


def test_truncated_pdf() -> None:
    """A damaged PDF is a clear error."""
    data = make_pdf(TURNS[:3])
    with pytest.raises(IngestError, match="PDF"):
        extract(data[: len(data) // 3], "broken.pdf")
