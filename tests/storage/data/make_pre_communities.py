"""Make ``pre_communities.sqlite3``: a store written by the release before communities (schema 6).

Run with the code of that release on the path, from a worktree of it, e.g.::

    git worktree add /tmp/pre 307f114
    PYTHONPATH=/tmp/pre .venv/bin/python tests/storage/data/make_pre_communities.py /tmp/pre

It adds the sample session and two QMSum committee meetings, removes the newest (so the
next id must skip it), teaches an alias, sets a daily summary with a follow, and writes
what three questions cite to ``pre_communities.json``, which the migration test compares
against the same questions asked of the migrated store.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE.parents[3] / "shared" / "corpus" / "qmsum-committee" / "val"
QUESTIONS = (
    "what did Khan say on victim support",
    "who spoke about funding",
    "what did the mayor say about police",
)


async def main(repo: Path) -> None:
    from bot.record import Record

    db = HERE / "pre_communities.sqlite3"
    db.unlink(missing_ok=True)
    sample = repo / "bot" / "data" / "mayors-question-time-victim-support.txt"
    async with await Record.open(db) as record:
        await record.add_session(sample.read_bytes(), source_name=sample.name, added_by="maker")
        for name in ("education_0.json", "education_10.json"):
            path = CORPUS / name
            await record.add_session(path.read_bytes(), source_name=name, added_by="maker")
        newest = (await record.sessions())[0]
        await record.remove_session(newest.id, removed_by="maker")
        await record.add_alias("Sadiq Khan", "the mayor", added_by="maker")
        await record.set_summary_schedule(
            platform="discord",
            channel_id="42",
            time_of_day="08:00",
            timezone="Europe/London",
            set_by="maker",
            follow_speaker="Sadiq Khan",
        )
        cited = {}
        for question in QUESTIONS:
            answer = await record.ask(question, limit=5)
            cited[question] = [[p.session_id, p.start, p.end, p.speaker] for p in answer.passages]
        sessions = [[s.id, s.title] for s in await record.sessions()]
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    (HERE / "pre_communities.json").write_text(
        json.dumps({"removed": newest.id, "sessions": sessions, "cited": cited}, indent=1) + "\n"
    )


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
