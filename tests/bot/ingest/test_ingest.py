"""Reading sources: detection, decoding, limits and bad input, through the real readers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from format_sources import make_docx, make_html, make_pdf, paragraphs
from shared_data import CORPUS, SAMPLE

from bot.errors import IngestError
from bot.ingest.detect import FORMATS, MB, detect_format, extract, extract_file

TRANSCRIPT = (
    "Sadiq Khan (Mayor of London): We have funded victim support.\n\n"
    "Shaun Bailey: How many victims have you met?\n\n"
    "Sadiq Khan: Many, and I will meet more.\n"
)


@pytest.mark.parametrize(
    ("data", "source", "fmt"),
    [
        (b"%PDF-1.7\n...", "x.bin", "pdf"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "x.txt", "vtt"),
        (b"1\n00:00:01,000 --> 00:00:02,000\nHello\n", "x.txt", "srt"),
        (b'<?xml version="1.0"?>\n<publicwhip><speech/></publicwhip>', "x.xml", "hansard"),
        (b'{"sentences": []}', "x.json", "council"),
        (b'{"meeting_transcripts": []}', "x.json", "qmsum"),
        (b"<!doctype html><html><body><p>Hi</p></body></html>", "x", "html"),
        (b"<p>A fragment</p>", "page.htm", "html"),
        (TRANSCRIPT.encode(), "t.txt", "transcript"),
        (SAMPLE.read_bytes(), "s.txt", "prose"),
    ],
)
def test_detect_format(data: bytes, source: str, fmt: str) -> None:
    """The reader is chosen from magic bytes and content first, the extension second."""
    assert detect_format(data, source) == fmt


def test_detects_docx_by_zip_content() -> None:
    """A .docx is a zip with word/ parts, recognised without its extension."""
    assert detect_format(make_docx(["Hello"]), "upload") == "docx"


@pytest.mark.parametrize(
    ("data", "source", "message"),
    [
        (b"", "empty.txt", "is empty"),
        (b"   \n\n  ", "blank.txt", "is empty"),
        (b"\x00\x01\x02\x03binary\x00" * 100, "blob.bin", "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "an image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old.doc", "old Word .doc"),
        (b"PK\x03\x04\x14\x00\x00\x00", "archive.zip", "zip archive"),
        (b'{"hello": 1}', "data.json", "neither a council"),
        (b'<?xml version="1.0"?><rss><channel/></rss>', "feed.xml", "not a ParlParse"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "could not be read as a PDF"),
        (b"WEBVTT\n\nnot a cue at all --> nonsense\n", "bad.vtt", "valid WebVTT file"),
    ],
)
def test_bad_input_is_a_clear_message(data: bytes, source: str, message: str) -> None:
    """Unreadable input raises IngestError with a sentence naming the problem, never a traceback."""
    with pytest.raises(IngestError) as err:
        extract(data, source)
    assert message in str(err.value)
    assert str(err.value).rstrip(")").endswith((".", "DOCX"))


def test_unknown_format_is_refused() -> None:
    """Forcing a format that does not exist lists the ones that do."""
    with pytest.raises(IngestError, match="choose one of"):
        extract(b"hello", "x.txt", format="mp3")


def test_over_size_limit() -> None:
    """A source over the configured limit is refused before any work, naming the limit."""
    with pytest.raises(IngestError, match=r"over the 1 MB limit \(ONRECORD_MAX_SOURCE_MB\)"):
        extract(b"a" * (MB + 1), "big.txt", max_bytes=MB)


def test_over_size_limit_file_not_read(tmp_path: Path) -> None:
    """extract_file checks the size on disk first."""
    path = tmp_path / "big.txt"
    path.write_bytes(b"Sadiq Khan: words.\n" * 1000)
    with pytest.raises(IngestError, match="over the"):
        extract_file(path, max_bytes=1000)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoding_is_named(encoding: str) -> None:
    """Text that is not UTF-8 is decoded and the moderator is told which encoding was used."""
    text = "Sadiq Khan: The café budget is £10m.\n\nShaun Bailey: Not enough.\n\nSadiq Khan: It is.\n"
    result = extract(text.encode(encoding), "old.txt")
    assert result.encoding in ("cp1252", "latin-1")
    assert any(result.encoding in w for w in result.warnings)
    assert result.statements[0].text == "The café budget is £10m."


def test_unbalanced_quotes_give_a_result() -> None:
    """A report with an unclosed quotation mark still extracts, without a traceback."""
    text = 'Mr Khan said: "We will fund victims.\n\nMr Bailey said the plans were vague.\n'
    result = extract(text.encode(), "report.txt")
    assert result.format == "prose"
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """OS errors become sentences naming the path."""
    with pytest.raises(IngestError, match="no such file"):
        extract_file(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="is a directory"):
        extract_file(tmp_path)


@pytest.mark.slow
def test_fifty_megabyte_transcript() -> None:
    """A 50 MB transcript extracts completely with exact offsets (under the 60 MB default)."""
    turn = TRANSCRIPT.encode()
    data = turn * (50 * MB // len(turn))
    result = extract(data, "huge.txt")
    assert result.format == "transcript"
    assert len(result.statements) == 3 * (50 * MB // len(turn))
    last = result.statements[-1]
    assert (last.speaker, result.text[last.start : last.end]) == ("Sadiq Khan", last.text)


def _key(result) -> list[tuple[str | None, str, str]]:
    return [(s.speaker, " ".join(s.text.split()), s.kind) for s in result.statements]


def test_sample_session_same_attributions_as_pdf_html_text() -> None:
    """The founding sample as plain text, PDF and HTML yields the same attributions."""
    text = SAMPLE.read_text(encoding="utf-8")
    paras = paragraphs(text)
    plain = extract(text.encode("utf-8"), "sample.txt")
    pdf = extract(make_pdf(paras, header="London Assembly - Mayor's Question Time"), "sample.pdf")
    page = extract(make_html(paras, title="Khan and Bailey clash", date="2019-03-21").encode(), "sample.html")
    assert plain.format == "prose" and len(plain.statements) > 5
    assert _key(pdf) == _key(plain)
    assert _key(page) == _key(plain)
    assert any(s.speaker == "Sadiq Khan" for s in pdf.statements)
    assert all(s.page in (1, 2) for s in pdf.statements)
    assert "Question Time\n" not in pdf.text  # the running header is not part of the text


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
def test_transcript_in_any_container_same_turns(fmt: str) -> None:
    """A transcript inside PDF, HTML or DOCX gives the same turns as the plain text."""
    paras = paragraphs(TRANSCRIPT)
    data = {
        "pdf": lambda: make_pdf(paras),
        "html": lambda: make_html(paras, title="Plenary", date="2024-05-02", bold_labels=True).encode(),
        "docx": lambda: make_docx(paras),
    }[fmt]()
    result = extract(data, f"plenary.{fmt}")
    assert result.format == fmt
    assert _key(result) == _key(extract(TRANSCRIPT.encode(), "plenary.txt"))


def test_cli_extract_json_on_corpus(tmp_path: Path) -> None:
    """``onrecord extract --json`` runs on QMSum, Hansard XML and council JSON, with speakers.

    Sources: QMSum (MIT), ParlParse/TheyWorkForYou (OGL v3), Council Data Project (MPL-2.0).
    """
    paths = [
        *sorted((CORPUS / "qmsum-committee" / "val").glob("*.json"))[:2],
        *sorted((CORPUS / "hansard").glob("*.xml")),
        CORPUS / "council" / "oakland_transcript.json",
    ]
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adapters.cli import main; sys.exit(main())",
            "extract",
            "--json",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["source"] for r in rows] == list(map(str, paths))
    for row in rows:
        assert row["statements"]
        named = [s for s in row["statements"] if s["speaker"]]
        if "council" in row["source"]:
            # Captions with ">>" name nobody: only a turn the chair called someone to is theirs.
            assert 0 < len(named) < 0.5 * len(row["statements"])
        else:
            assert len(named) >= 0.95 * len(row["statements"])


def test_cli_lists_every_format() -> None:
    """``--format`` accepts every registered reader."""
    assert {"pdf", "html", "vtt", "srt", "hansard", "council", "docx", "prose", "transcript"} <= set(FORMATS)
