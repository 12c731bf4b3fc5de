"""The command line as benchmarks and users call it: add, ask (--json, --batch), sessions, remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import REPO, cli
from shared_data import SAMPLE

QMSUM = REPO / ".." / "shared" / "corpus" / "qmsum-committee" / "val"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "nested" / "onrecord.sqlite3"
    done = cli(db, "add", str(SAMPLE), "--title", "Mayor's Question Time", "--date", "2018-05-16")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    return db


def ask_json(db: Path, question: str) -> dict:
    done = cli(db, "ask", question, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ask_json_follows_the_contract(sample_db: Path) -> None:
    """ask --json prints the ../shared/DESIGN.md fields, with offsets into the added file's text."""
    answer = ask_json(sample_db, "what did Khan say on victim support")
    assert answer["question"] == "what did Khan say on victim support"
    assert answer["speaker"] == "Sadiq Khan" and answer["topic"] == "victim support"
    text = SAMPLE.read_text(encoding="utf-8")
    for r in answer["results"]:
        assert set(r) >= {"session_id", "title", "date", "speaker", "kind", "text", "start", "end"}
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["title"] == "Mayor's Question Time" and r["date"] == "2018-05-16"
    top_two = " ".join(r["text"] for r in answer["results"][:2])
    assert "£47m" in top_two and "15 percent" in top_two
    assert all(r["speaker"] == "Sadiq Khan" for r in answer["results"])


def test_batch_answers_one_line_per_question_in_order(sample_db: Path) -> None:
    """ask --json --batch answers each stdin line with one JSON line, in order, hostile lines too."""
    questions = [
        "who asked about violent crime",
        "what did Unmesh Desai ask",
        'victim" OR *',
        "",
        "what did the mayor say about police cuts",
    ]
    done = cli(sample_db, "ask", "--json", "--batch", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [x["question"] for x in lines] == questions
    assert {"Umnesh Desai", "Onkar Sahota"} <= set(lines[0]["speakers_found"])
    assert lines[1]["speaker"] == "Umnesh Desai" and lines[1]["results"][0]["speaker"] == "Umnesh Desai"
    assert lines[4]["results"][0]["text"].startswith("The police service in London has been cut")


def test_duplicate_add_fails_naming_the_session(sample_db: Path) -> None:
    """Adding the same file twice exits non-zero with a message naming session 1."""
    done = cli(sample_db, "add", str(SAMPLE))
    assert done.returncode == 1
    assert "already stored as session 1" in done.stderr


def test_bulk_add_shows_progress_and_prints_each_id(tmp_path: Path) -> None:
    """add with several files reports [n/N] progress on stderr and prints one id per file."""
    files = sorted(QMSUM.glob("education_*.json"))[:2]
    paths = []
    for f in files:
        turns = json.loads(f.read_text("utf-8"))["meeting_transcripts"]
        p = tmp_path / f"{f.stem}.txt"
        p.write_text("".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns), "utf-8")
        paths.append(str(p))
    db = tmp_path / "bulk.sqlite3"
    done = cli(db, "add", *paths, str(tmp_path / "missing.txt"))
    assert done.returncode == 1  # the missing file fails, the others are stored
    assert done.stdout.split() == ["1", "2"]
    assert "[1/3]" in done.stderr and "[3/3]" in done.stderr and "missing.txt" in done.stderr
    listing = cli(db, "sessions")
    assert listing.returncode == 0 and "education_0" in listing.stdout.lower().replace(" ", "_")


def test_remove_and_speakers(tmp_path: Path) -> None:
    """remove deletes a session; speakers lists people; a missing id is a clear error."""
    db = tmp_path / "r.sqlite3"
    assert cli(db, "add", str(SAMPLE)).returncode == 0
    speakers = cli(db, "speakers")
    assert speakers.stdout.splitlines()[0].startswith("Sadiq Khan")
    done = cli(db, "remove", "1")
    assert done.returncode == 0 and "Removed session 1" in done.stdout
    again = cli(db, "remove", "1")
    assert again.returncode == 1 and "no session 1" in again.stderr


def test_ask_needs_a_question_or_batch(tmp_path: Path) -> None:
    """ask with neither a question nor --batch explains itself and exits 2."""
    done = cli(tmp_path / "e.sqlite3", "ask")
    assert done.returncode == 2 and "QUESTION" in done.stderr


def test_add_over_the_configured_size_limit_is_refused(tmp_path: Path) -> None:
    """ONRECORD_MAX_SOURCE_MB reaches the CLI's store: a larger file is refused, naming the setting."""
    db = tmp_path / "small.sqlite3"
    done = cli(db, "add", str(SAMPLE), onrecord_max_source_mb="0.001")
    assert done.returncode == 1
    assert "ONRECORD_MAX_SOURCE_MB" in done.stderr and done.stdout == ""
    assert cli(db, "sessions", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize(("load", "sessions"), [("true", 1), ("false", 0)])
def test_start_without_tokens_loads_the_sample_only_when_asked(
    tmp_path: Path, load: str, sessions: int
) -> None:
    """`onrecord start` with no tokens runs the console; it loads the sample only if ONRECORD_LOAD_SAMPLE."""
    db = tmp_path / "start.sqlite3"
    done = cli(db, "start", stdin="", cwd=tmp_path, onrecord_load_sample=load)  # cwd: no .env with tokens
    assert done.returncode == 0, done.stderr
    assert ("Loaded the sample session" in done.stdout) is (sessions == 1)
    assert f"({sessions} session" in done.stdout
    assert len(json.loads(cli(db, "sessions", "--json").stdout)) == sessions


def test_reported_speech_is_printed_as_reported_not_quoted(sample_db: Path) -> None:
    """A reporter's paraphrase is labelled as reported and never wrapped in quotation marks."""
    done = cli(sample_db, "ask", "what did Bailey say about victims", "--limit", "10")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    reported = [i for i, line in enumerate(lines) if line.strip().startswith("reported: ")]
    assert reported, done.stdout
    for i in reported:
        assert "“" not in lines[i] and "(reported)" in lines[i - 1]
    assert any("he had met with victims" in lines[i] for i in reported)


def test_speakers_of_scottish_hansard_show_holders_by_name_and_offices_once(tmp_path: Path) -> None:
    """`speakers` on a real Official Report: office holders by name with their office beside it,
    and an office-only speaker without its title repeated ("Speaker (Speaker)")."""
    db = tmp_path / "h.sqlite3"
    hansard = REPO / ".." / "shared" / "corpus" / "hansard"
    added = cli(db, "add", str(hansard / "sp2009-10-29.xml"), str(hansard / "ni2009-10-12.xml"))
    assert added.returncode == 0, added.stderr
    lines = cli(db, "speakers").stdout.splitlines()
    assert any(line.startswith("Alex Salmond (First Minister)\t") for line in lines)
    assert any(line.startswith("John Swinney (Cabinet Secretary for Finance") for line in lines)
    speaker = [line for line in lines if line.split("\t")[0].split(" (")[0] == "Speaker"]
    assert speaker and all(not line.startswith("Speaker (Speaker)") for line in speaker)
    assert not any(line.startswith("The First Minister") for line in lines)
    # The NI record's Speaker and Deputy Speaker share a member id; they stay two speakers.
    assert any(line.split("\t")[0] == "Deputy Speaker" for line in lines)


def test_counts_read_as_english(sample_db: Path) -> None:
    """One statement is "1 statement in 1 session", never "1 statements in 1 sessions"."""
    lines = cli(sample_db, "speakers").stdout.splitlines()
    desai = next(line for line in lines if line.startswith("Umnesh Desai"))
    assert desai.endswith("\t1 statement in 1 session")
    assert not any(" 1 statements" in line or " 1 sessions" in line for line in lines)


def test_cli_shows_a_short_reply_inside_its_exchange(tmp_path: Path) -> None:
    """ "Yes." is printed under the question it agreed to, both attributed; JSON carries it too."""
    hearing = REPO / ".." / "shared" / "corpus" / "qa-dev" / "covid" / "module-2C" / "2024-05-09.rst"
    db = tmp_path / "cli.sqlite3"
    assert cli(db, "add", str(hearing)).returncode == 0
    question = "what did counsel ask Naomi Long about Project Dignity?"
    out = cli(db, "ask", question, "--limit", "8").stdout
    assert "Naomi Long replied: “Yes.”" in out
    results = json.loads(cli(db, "ask", "--json", question, "--limit", "8").stdout)["results"]
    short = [r for r in results if r["reply"] and len(r["reply"]["text"].split()) < 5]
    assert short, "counsel's questions on Project Dignity have bare 'Yes.' replies"
    assert all(r["reply"]["speaker"] == "Naomi Long" and r["speaker"] for r in short)
    assert all(r["end"] <= r["reply"]["start"] for r in short)


def test_a_reader_that_stops_early_gets_no_traceback(sample_db: Path) -> None:
    """``onrecord ask … | head -1``: the pipe closes after one line; no traceback, status 141."""
    import os
    import subprocess
    import sys

    from tests.adapters.cli_runner import MAIN, cli_env

    read, write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, "ask", "--json", "--batch"],
        stdin=subprocess.PIPE,
        stdout=write,
        stderr=subprocess.PIPE,
        env=cli_env(sample_db),
        text=True,
    )
    os.close(write)
    os.close(read)  # the reader is gone before a word is written
    _, err = proc.communicate("what did Khan say about victims?\n" * 200, timeout=120)
    assert proc.returncode == 141
    assert "Traceback" not in err and "BrokenPipe" not in err
