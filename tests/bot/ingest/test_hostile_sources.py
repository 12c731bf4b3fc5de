"""Hostile and broken sources: one sentence each, nothing stored, memory and time bounded.

Every file here is generated (tests/hostile_files.py); the adds go through the real
Record on a real SQLite file.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import tracemalloc
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import hostile_files as h
import pytest

from bot.errors import IngestError
from bot.ingest.detect import MB, extract, read_file
from bot.ingest.formats import package as docx_package
from bot.ingest.formats.budget import read_bounded
from bot.record import Record

HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "malformed.docx",
        h.docx_malformed_xml,
        r"could not be read as a Word \(\.docx\) document \(a part is not well-formed XML",
    ),
    ("nested.json", lambda: h.json_nested(100_000), "is JSON nested too deeply to be a transcript"),
    ("number.json", lambda: h.json_long_number(5_000), "is JSON with a number too long"),
    ("surrogate.json", h.json_lone_surrogate, "contains an unpaired UTF-16 surrogate"),
    ("truncated.txt", h.utf16_truncated, "is UTF-16 text that breaks off mid-character"),
    (
        "limit.pdf",  # pypdf's LimitReachedError: a content stream past its 75 MB inflation cap
        lambda: h.pdf_flate_bomb(100),
        r"a page of this PDF could not be read \(Limit reached while decompressing",
    ),
    ("cycle.pdf", h.pdf_page_cycle, "could not be read as a PDF"),
    ("v9.pdf", h.pdf_encrypted_v9, "is an encrypted PDF whose encryption onrecord cannot open"),
    (
        "ratio.docx",
        lambda: h.docx_bomb(50),
        r"word/document\.xml is compressed [\d,]+ to 1, over the 100 to 1",
    ),
    ("bomb.docx", lambda: h.docx_bomb(100), r"word/document\.xml would expand to 100 MB, over the 64 MB"),
]


@pytest.fixture
async def record(tmp_path: Path) -> AsyncIterator[Record]:
    rec = await Record.open(tmp_path / "store.sqlite3")
    try:
        yield rec
    finally:
        await rec.close()


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_a_hostile_file_is_refused_with_its_sentence(
    name: str, build: Callable[[], bytes], message: str
) -> None:
    """Each parser failure reaches the moderator as an IngestError sentence naming the file."""
    with pytest.raises(IngestError, match=message) as caught:
        extract(build(), name)
    assert str(caught.value).startswith(name)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=[c[0] for c in HOSTILE])
async def test_a_hostile_file_stores_nothing(
    record: Record, name: str, build: Callable[[], bytes], message: str
) -> None:
    """Through Record.add_session: the same sentence, and the store stays empty."""
    with pytest.raises(IngestError, match=message):
        await record.add_session(
            build(), source_name=name, added_by="mod", title=None, date=None, format=None, replace=False
        )
    assert await record.sessions() == []


def test_the_control_pdf_reads() -> None:
    """The hand-built PDF these hostile ones are variants of is itself readable."""
    result = extract(h.pdf_text(), "control.pdf")
    assert "funded victim support" in result.text


def test_a_docx_part_over_the_size_budget_is_refused_from_the_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The expanded size declared in the zip directory is checked before anything is inflated."""
    monkeypatch.setattr(docx_package, "MAX_PART_BYTES", 1 * MB)
    with pytest.raises(IngestError, match=r"word/document\.xml would expand to 2 MB, over the 1 MB"):
        docx_package.check_expansion(h.docx_bomb(2), "big.docx")


def test_a_docx_over_the_total_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """All parts together are bounded too."""
    monkeypatch.setattr(docx_package, "MAX_TOTAL_BYTES", 1 * MB)
    monkeypatch.setattr(docx_package, "MAX_RATIO", 10_000)
    with pytest.raises(IngestError, match=r"big.docx would expand to \d MB, over the 1 MB"):
        docx_package.check_expansion(h.docx_bomb(2), "big.docx")


def test_an_ordinary_docx_passes_the_expansion_check() -> None:
    """A real python-docx document is well inside every budget."""
    docx_package.check_expansion(h.docx_with({}), "ok.docx")
    assert "funded victim support" in extract(h.docx_with({}), "ok.docx").text


def test_a_parse_past_its_time_budget_is_stopped() -> None:
    """A parse that outlives its budget is killed and refused with a sentence."""
    page = h.html_page(20_000).decode()
    with pytest.raises(
        IngestError, match=r"took longer than 0\.2 seconds to read as a web page, so it was stopped"
    ):
        read_bounded("html", "read", page, "slow.html", "a web page", seconds=0.2)


def test_a_parse_past_its_memory_budget_is_refused() -> None:
    """A child whose allocations pass the cap is stopped and the moderator is told about memory.

    Two million small JSON objects need several hundred MB, past a 200 MB cap (the cap is
    the budget's mechanism, whichever reader runs under it).
    """
    meeting = b'{"meeting_transcripts": [' + b'{"speaker": []},' * 2_000_000 + b"{}]}"
    with pytest.raises(IngestError, match="needs more than 200 MB of memory to read as a meeting"):
        read_bounded("council", "read_qmsum", meeting, "fat.json", "a meeting", memory=200 * MB)


def test_html_over_the_markup_budget_is_refused_before_parsing() -> None:
    """A page past the HTML size budget is refused without being parsed."""
    page = h.html_page(13 * MB // 75 + 1000)
    with pytest.raises(IngestError, match=r"MB of HTML, over the 12 MB a web page may have"):
        extract(page, "huge.html")


# Item 8: check before reading, regular files only.


def test_dev_zero_is_refused_without_reading() -> None:
    """/dev/zero has size 0 and no end: refused from its type."""
    with pytest.raises(IngestError, match="/dev/zero is a device, not a regular file"):
        read_file(Path("/dev/zero"))


@pytest.mark.timeout(20)
def test_a_named_pipe_is_refused_without_hanging(tmp_path: Path) -> None:
    """Opening a FIFO for reading would block until a writer came; it is refused at once."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(outcome, read_file, fifo), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "read_file hung on a named pipe"
    assert isinstance(outcome[0], IngestError) and "is a named pipe, not a regular file" in str(outcome[0])


def _capture(into: list[BaseException], fn: Callable[..., object], *args: object) -> None:
    try:
        fn(*args)
    except BaseException as exc:
        into.append(exc)


def test_a_large_file_is_refused_before_any_of_it_is_read(tmp_path: Path) -> None:
    """A 1 GB (sparse) file is refused from its size: the refusal allocates almost nothing."""
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(1024 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=r"big.txt is 1024.0 MB, over the 60 MB limit"):
            read_file(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 * MB


def test_read_file_reads_at_most_the_limit(tmp_path: Path) -> None:
    """A regular file under the limit is read whole; one over it is refused."""
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, 1000) == b"x" * 1000
    with pytest.raises(IngestError, match="over the"):
        read_file(path, 999)


# Item 9: disk full, a stray Latin-1 byte, CR-only line endings.

REPORT = (
    "Sadiq Khan: The café on Rue de la Paix serves naïve crème brûlée, and victim support matters.\n\n"
    "Shaun Bailey: The café owners say the fête cost £4m.\n\n"
    "Sadiq Khan: Our résumé of spending is public.\n"
)


def test_a_stray_latin1_byte_is_repaired_and_the_rest_stays_utf8() -> None:
    """One cp1252 byte in a UTF-8 file: UTF-8 everywhere else, the byte read as cp1252, and a note."""
    data = REPORT.encode("utf-8").replace("résumé".encode(), b"r\xe9sum\xc3\xa9")
    result = extract(data, "mixed.txt")
    assert result.encoding == "utf-8"
    assert result.text == REPORT
    assert "Ã" not in result.text  # no mojibake anywhere
    assert any(
        "1 byte that were not valid UTF-8 (line 5) were read as Windows-1252" in w for w in result.warnings
    )
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text


def test_a_wholly_cp1252_file_is_still_read_as_cp1252() -> None:
    """With no UTF-8 sequences at all, the file is a legacy one, named as such."""
    result = extract(REPORT.encode("cp1252"), "old.txt")
    assert result.encoding == "cp1252" and result.text == REPORT


def test_cr_only_line_endings_are_line_breaks() -> None:
    """An old-Mac transcript (CR only) gives the same turns as its LF twin, with a note."""
    lf = extract(REPORT.encode(), "lf.txt")
    cr = extract(REPORT.replace("\n", "\r").encode(), "cr.txt")
    assert [(s.speaker, s.text) for s in cr.statements] == [(s.speaker, s.text) for s in lf.statements]
    assert len(cr.statements) == 3
    assert any("carriage returns only" in w for w in cr.warnings)
    assert len(cr.text) == len(REPORT)  # one character for one: offsets still point into the file


async def test_disk_full_is_said_as_disk_full_and_nothing_is_stored(record: Record, tmp_path: Path) -> None:
    """SQLITE_FULL (a page cap on the file, the same error a full disk gives) reads "disk full"."""
    writer = record._h.w.conn
    async with writer.execute("PRAGMA page_count") as cur:
        (pages,) = await cur.fetchone()
    await writer.execute(f"PRAGMA max_page_count = {pages + 20}")
    data = (REPORT * 2000).encode()
    with pytest.raises(
        IngestError, match=r"^disk full: there is no room left for the store, so big.txt was not"
    ):
        await record.add_session(
            data, source_name="big.txt", added_by="mod", title=None, date=None, format=None, replace=False
        )
    assert await record.sessions() == []
    await writer.execute("PRAGMA max_page_count = 1073741823")
    added = await record.add_session(
        data, source_name="big.txt", added_by="mod", title=None, date=None, format=None, replace=False
    )
    assert added.session.id >= 1
    with sqlite3.connect(tmp_path / "store.sqlite3") as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
