"""Summary rendering: within Discord's and Slack's limits on the largest real meetings, and faithful.

Faithful: only the speaker's own words are quoted, one passage at a time; reported speech
is labelled as reported on every surface.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from shared_data import SAMPLE, SHARED

from adapters.cli.summary import render_text
from adapters.discord.summary import summary_embeds
from adapters.slack.blocks import message_chars
from adapters.slack.summary import render_summary
from bot.ingest.detect import extract, extract_file
from bot.models import DailySummary, Extraction, FollowUpdate, Passage, SessionSummary
from bot.summaries.summarise import summarise_session

REPO = Path(__file__).resolve().parents[2]
MEETINGS = sorted((SHARED / "corpus" / "qmsum-committee" / "val").glob("*.json"))  # QMSum, MIT


def meeting_summary(path: Path, session_id: int) -> SessionSummary:
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    text = "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns)
    ex = extract(text.encode("utf-8"), path.name)
    return summarise_session(ex.statements, title=path.stem * 12, session_id=session_id, people=ex.people)


@pytest.fixture(scope="module")
def big() -> DailySummary:
    """Every validation meeting (with over-long titles) in one post, plus long followed passages."""
    sessions = tuple(meeting_summary(p, i) for i, p in enumerate(MEETINGS, 1))
    long_passage = Passage(1, "t" * 300, None, "Someone", "turn", "word " * 900, 0, 4500)
    follows = (FollowUpdate("Someone", "everything", (long_passage,) * 3),)
    return DailySummary(sessions=sessions, since=None, until=None, more=4, follows=follows)


def test_discord_embeds_fit(big: DailySummary) -> None:
    """At most 10 embeds and 6000 characters in all; every part within its own limit."""
    embeds = summary_embeds(big)
    assert 1 <= len(embeds) <= 10
    assert sum(len(e) for e in embeds) <= 6000
    for e in embeds:
        assert len(e.title or "") <= 256 and len(e.description or "") <= 4096
        assert len(e.fields) <= 25
        assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in e.fields)
        assert len(e.footer.text or "") <= 2048
    assert "more sessions not shown" in (embeds[-1].footer.text or "")


def test_slack_message_fits(big: DailySummary) -> None:
    """At most 50 blocks, sections ≤ 3000, headers ≤ 150 and about 12k characters in all."""
    message = render_summary(big)
    assert 1 <= len(message.blocks) <= 50
    for b in message.blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        if b["type"] == "rich_text":  # the record's words: each block within a section's size
            assert message_chars([b]) <= 3000
    assert message_chars(message.blocks) <= 12_000
    assert "more sessions not shown" in json.dumps(message.blocks)


def test_every_meeting_is_in_the_post(big: DailySummary) -> None:
    """Shortening drops detail, not whole sessions: each meeting's header is posted."""
    headers = [b for b in render_summary(big).blocks if b["type"] == "header"]
    assert len(headers) == len(MEETINGS)
    assert len(summary_embeds(big)) >= len(MEETINGS)


def test_nothing_new_is_a_one_liner() -> None:
    """An empty summary renders as one short note on every surface."""
    empty = DailySummary(sessions=(), since="2026-03-27T08:00:00+00:00", until="2026-03-28T08:00:00+00:00")
    (embed,) = summary_embeds(empty)
    assert "Nothing new" in (embed.description or "")
    assert "Nothing new" in render_summary(empty).text
    assert "Nothing new" in render_text(empty)


# --- Faithful quoting: only the speaker's own words are quoted, one passage at a time ----

_CLOSES = r"(?=” … “|” — |”$)"  # a quotation ends where the frame resumes, not at an inner ”


def _unescape_discord(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _unescape_slack(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def rendered_lines(surface: str, summary: DailySummary) -> list[str]:
    """Every line of text a surface shows, with its own escaping undone."""
    if surface == "cli":
        return render_text(summary).splitlines()
    if surface == "discord":
        parts: list[str] = []
        for e in summary_embeds(summary):
            parts += [e.description or "", *(f.value or "" for f in e.fields)]
        return _unescape_discord("\n".join(parts)).splitlines()
    lines: list[str] = []
    for b in render_summary(summary).blocks:
        if isinstance(b.get("text"), dict):  # mrkdwn sections and headers: escaped
            lines += _unescape_slack(b["text"]["text"]).splitlines()
        for part in b.get("elements", ()) if b["type"] == "rich_text" else ():
            # Rich text is plain, unescaped text; a quote shows as a quoted line per line.
            text = "".join(e["text"] for e in part["elements"])
            quoted = part["type"] == "rich_text_quote"
            lines += ["> " + line if quoted else line for line in text.splitlines()]
    return lines


def quoted_strings(lines: list[str]) -> list[str]:
    """What a surface presents as someone's words: block-quote lines and “…” quotations."""
    out: list[str] = []
    for line in lines:
        if line.startswith("> "):
            out.append(line[2:])
            continue
        # Quotations open after the frame's ": " or " — " (or a gap), never inside record text.
        out += re.findall(r"(?:^|: | — | … )“(.+?)" + _CLOSES, line)
    return out


def pieces(quoted: str) -> list[str]:
    """A quotation's passages: split at the visible gap, a clipped tail's ellipsis removed."""
    return [p.removesuffix("…").rstrip() for p in re.split(r"”? … “?", quoted) if p.strip("…")]


@pytest.fixture(scope="module")
def faithful() -> list[tuple[Extraction, DailySummary]]:
    """The sample report (rich in reported speech) and a QMSum meeting, each as one post."""
    out = []
    ex = extract_file(SAMPLE)
    s = summarise_session(ex.statements, title="Mayor's Question Time", session_id=1, people=ex.people)
    khan = [x for x in ex.statements if x.speaker == "Sadiq Khan" and "£" in x.text]
    followed = tuple(Passage(1, "MQT", None, x.speaker, x.kind, x.text, x.start, x.end) for x in khan)
    assert {p.kind for p in followed} == {"direct", "indirect"}
    follows = (FollowUpdate("Sadiq Khan", None, followed[:3]),)
    out.append((ex, DailySummary(sessions=(s,), since=None, until=None, follows=follows)))
    path = MEETINGS[0]
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    ex = extract("".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns).encode(), path.name)
    s = summarise_session(ex.statements, title=path.stem, session_id=2, people=ex.people)
    out.append((ex, DailySummary(sessions=(s,), since=None, until=None)))
    return out


@pytest.mark.parametrize("surface", ["cli", "discord", "slack"])
def test_every_quotation_is_one_statements_own_words(
    faithful: list[tuple[Extraction, DailySummary]], surface: str
) -> None:
    """Each quoted passage is a slice of a single verbatim (direct/turn) statement, never reported speech."""
    for ex, summary in faithful:
        quoted = quoted_strings(rendered_lines(surface, summary))
        assert len(quoted) >= 3, surface
        verbatim = [s.text for s in ex.statements if s.kind != "indirect"]
        for q in quoted:
            for piece in pieces(q):
                assert any(piece in text for text in verbatim), (surface, piece)


@pytest.mark.parametrize("surface", ["cli", "discord", "slack"])
def test_reported_speech_is_marked_and_never_quoted(
    faithful: list[tuple[Extraction, DailySummary]], surface: str
) -> None:
    """Indirect passages follow a 'reported' label, with no quotation mark or block quote around them."""
    _, summary = faithful[0]
    lines = rendered_lines(surface, summary)
    (session,) = summary.sessions
    indirect = [q.text for e in session.exchanges for q in (e.question, *e.answer) if not q.verbatim]
    indirect += [f.context.text for f in session.figures if not f.context.verbatim]
    assert len(indirect) >= 3  # the sample's £45 million grant, £1.4 and Desai's question
    if surface != "cli":  # the terminal summary shows no follows
        indirect += [p.text for f in summary.follows for p in f.passages if p.kind == "indirect"]
    for text in indirect:
        head = text[:40]
        holding = [line for line in lines if head in line]
        assert holding, (surface, head)
        for line in holding:
            at = line.index(head)
            assert not line.startswith(">"), (surface, line)
            assert line[at - 1 : at] not in ("“", '"'), (surface, line)
            assert "reported" in line.lower(), (surface, line)


def test_glued_passages_are_gone(faithful: list[tuple[Extraction, DailySummary]]) -> None:
    """Two reported sentences of Khan's reply are shown apart, not run together as one."""
    _, summary = faithful[0]
    for surface in ("cli", "discord", "slack"):
        text = "\n".join(rendered_lines(surface, summary))
        assert "stay out of crime … he would also be giving" in text, surface
        assert "stay out of crime he would" not in text and "attended The home office" not in text


def test_summary_json_carries_each_quotes_kind(tmp_path: Path) -> None:
    """``onrecord summary --json`` gives every quote its kind; the text output labels reported speech."""
    db = tmp_path / "s.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ONRECORD_"))}
    env |= {"ONRECORD_DB": str(db), "PYTHONPATH": str(REPO)}
    run = [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())"]
    added = subprocess.run([*run, "add", str(SAMPLE)], capture_output=True, text=True, env=env, cwd=REPO)
    assert added.returncode == 0, added.stderr
    done = subprocess.run([*run, "summary", "--json"], capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    (session,) = json.loads(done.stdout)["sessions"]
    quotes = [f["context"] for f in session["figures"]]
    quotes += [q for e in session["exchanges"] for q in (e["question"], *e["answer"])]
    assert {q["kind"] for q in quotes} == {"direct", "indirect"}
    grant = next(f for f in session["figures"] if f["figure"] == "£45 million")
    assert grant["context"]["kind"] == "indirect"
    text = subprocess.run([*run, "summary"], capture_output=True, text=True, env=env, cwd=REPO).stdout
    assert "£45 million: recent initiatives" in text and "— Sadiq Khan (reported)" in text
    assert "Umnesh Desai: 1 statement," in text
