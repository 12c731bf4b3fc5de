"""Summary rendering stays within Discord's and Slack's limits on the largest real meetings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.cli.summary import render_text
from adapters.discord.summary import summary_embeds
from adapters.slack.summary import render_summary
from bot.ingest import extract
from bot.models import Passage
from bot.summaries import DailySummary, FollowUpdate, SessionSummary, summarise_session

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
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
    total = 0
    for b in message.blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
            total += len(b["text"]["text"])
    assert total <= 12_000
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
