"""Migration 0007: a store written by the release before communities opens with every id and citation kept.

``data/pre_communities.sqlite3`` was written by that release's code (``make_pre_communities.py``
says how); ``pre_communities.json`` holds what it answered then.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from shared_data import SAMPLE, SHARED

from bot.record import Record

DATA = Path(__file__).parent / "data"


async def test_a_store_of_the_previous_release_keeps_ids_and_citations(tmp_path: Path) -> None:
    """Same sessions, ids and cited passages; all of it in 'local'; removed ids stay unused."""
    db = tmp_path / "old.sqlite3"
    shutil.copy(DATA / "pre_communities.sqlite3", db)
    before = json.loads((DATA / "pre_communities.json").read_text())
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
        old_people = conn.execute("SELECT id, name, name_key FROM people ORDER BY id").fetchall()
        old_statements = conn.execute(
            "SELECT id, session_id, person_id, start FROM statements ORDER BY id"
        ).fetchall()
    async with await Record.open(db) as record:
        assert [[s.id, s.title] for s in await record.sessions()] == before["sessions"]
        for question, cited in before["cited"].items():
            answer = await record.ask(question, limit=5)
            assert [[p.session_id, p.start, p.end, p.speaker] for p in answer.passages] == cited, question
        # The hand-taught alias and the daily summary came through.
        assert any("the mayor" in s.aliases for s in await record.speakers())
        assert await record.summary_follows(platform="discord", channel_id="42") == [("Sadiq Khan", None)]
        assert [e.action for e in await record.audit_log()] == ["alias", "remove", "add", "add", "add"]
        # Another community sees none of it.
        other = record.community("discord:2")
        assert await other.sessions() == [] and await other.speakers() == []
        assert (await other.ask("what did Khan say on victim support")).passages == ()
        assert await other.audit_log() == []
        # A new session takes the next id, never the removed one.
        meeting = SHARED / "corpus" / "qmsum-committee" / "val" / "education_22.json"
        added = await record.add_session(meeting.read_bytes(), source_name=meeting.name, added_by="t")
        assert added.session.id == before["removed"] + 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("sessions", "people", "summary_schedules", "summary_follows", "audit_log"):
            assert conn.execute(f"SELECT DISTINCT community FROM {table}").fetchall() == [("local",)], table
        # Every person and statement kept its id (statements keep their speaker's id too).
        assert (
            conn.execute(
                "SELECT id, name, name_key FROM people WHERE id <= ? ORDER BY id", (old_people[-1][0],)
            ).fetchall()
            == old_people
        )
        assert (
            conn.execute(
                "SELECT id, session_id, person_id, start FROM statements WHERE session_id < ? ORDER BY id",
                (added.session.id,),
            ).fetchall()
            == old_statements
        )


async def test_people_merge_only_within_a_community(tmp_path: Path) -> None:
    """The same speaker added by two communities is two people; each community merges its own sessions."""
    async with await Record.open(tmp_path / "r.sqlite3") as record:
        a, b = record.community("discord:1"), record.community("discord:2")
        await a.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="a")
        await b.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="b")
        more = b"Sadiq Khan: Buses matter too.\n\nShaun Bailey: And trains.\n\nSadiq Khan: Both matter.\n"
        await a.add_session(more, source_name="more.txt", added_by="a", format="transcript")
        (khan_a,) = [s for s in await a.speakers() if s.name == "Sadiq Khan"]
        (khan_b,) = [s for s in await b.speakers() if s.name == "Sadiq Khan"]
        assert khan_a.id != khan_b.id
        assert khan_a.sessions == 2 and khan_b.sessions == 1
