"""Answers cite the page or the time in the recording when the source had them (CLI and console)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from cli_runner import cli
from fpdf import FPDF
from shared_data import SAMPLE, SHARED

from adapters.cli.console import run_console
from bot.settings import Settings
from bot.wording import clock

MEETING = SHARED / "corpus" / "qmsum-committee" / "val" / "education_10.json"


def captions(start_s: int = 3600, step_s: int = 41) -> str:
    """A real committee meeting as WebVTT: one voice-tagged cue per turn, starting an hour in."""
    turns = json.loads(MEETING.read_text("utf-8"))["meeting_transcripts"]
    cues = ["WEBVTT", ""]
    for i, turn in enumerate(turns):
        a, b = start_s + i * step_s, start_s + (i + 1) * step_s - 1
        cues += [
            f"{stamp(a)} --> {stamp(b)}",
            f"<v {turn['speaker']}>{' '.join(turn['content'].split())}",
            "",
        ]
    return "\n".join(cues)


def stamp(seconds: int) -> str:
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.000"


def report_pdf() -> bytes:
    """The sample news report as a PDF, three paragraphs to a page."""
    paras = [" ".join(p.split()) for p in SAMPLE.read_text("utf-8").split("\n\n") if p.strip()]
    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_font("helvetica", size=11)
    for i, para in enumerate(paras):
        if i % 3 == 0:
            pdf.add_page()
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def ask(db: Path, question: str) -> tuple[dict, str]:
    """The JSON answer and the text answer to one question."""
    as_json = cli(db, "ask", question, "--json")
    as_text = cli(db, "ask", question)
    assert as_json.returncode == 0 and as_text.returncode == 0, as_json.stderr + as_text.stderr
    return json.loads(as_json.stdout), as_text.stdout


@pytest.mark.parametrize(("seconds", "shown"), [(3733.0, "1:02:13"), (245.9, "4:05"), (0.0, "0:00")])
def test_clock_reads_like_a_player(seconds: float, shown: str) -> None:
    """Times under an hour show m:ss, longer ones h:mm:ss (seconds truncated, as players show them)."""
    assert clock(seconds) == shown


def test_caption_answers_cite_the_time(tmp_path: Path) -> None:
    """From a VTT source each passage shows 'at h:mm:ss'; JSON carries the seconds."""
    db = tmp_path / "vtt.sqlite3"
    source = tmp_path / "committee.vtt"
    source.write_text(captions(), "utf-8")
    assert cli(db, "add", str(source)).returncode == 0
    answer, text = ask(db, "what did Lynne Neagle say about the committee")
    assert answer["results"], text
    for r in answer["results"]:
        assert r["seconds"] is not None and r["seconds"] >= 3600 and r["page"] is None
        assert f"at {clock(r['seconds'])}, chars {r['start']}-{r['end']}]" in text
    assert re.search(r"at 1:\d\d:\d\d", text)


async def test_console_answers_cite_the_time(tmp_path: Path) -> None:
    """The console prints the same time citation as the CLI."""
    db = tmp_path / "console.sqlite3"
    source = tmp_path / "committee.vtt"
    source.write_text(captions(), "utf-8")
    assert cli(db, "add", str(source)).returncode == 0
    out = io.StringIO()
    settings = Settings(_env_file=None, onrecord_db=db, onrecord_load_sample=False)  # type: ignore[call-arg]
    await run_console(settings, io.StringIO("what did Lynne Neagle say about the committee\n"), out)
    assert re.search(r"\[at 1:\d\d:\d\d, chars \d+-\d+\]", out.getvalue())


def test_pdf_answers_cite_the_page(tmp_path: Path) -> None:
    """From a PDF each passage shows 'p. N' of the page it is on; JSON carries the page."""
    db = tmp_path / "pdf.sqlite3"
    source = tmp_path / "report.pdf"
    source.write_bytes(report_pdf())
    assert cli(db, "add", str(source)).returncode == 0
    answer, text = ask(db, "what did Khan say on victim support")
    assert answer["speaker"] == "Sadiq Khan" and answer["results"]
    pages = {r["page"] for r in answer["results"]}
    assert None not in pages and len(pages) > 1
    for r in answer["results"]:
        assert f"[p. {r['page']}, chars {r['start']}-{r['end']}]" in text
