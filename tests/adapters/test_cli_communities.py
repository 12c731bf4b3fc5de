"""``--community`` and ``share`` on the command line: each community its own record, sharing on purpose."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import cli
from shared_data import SAMPLE

QUESTION = "what did Khan say on victim support"
TRANSCRIPT = (
    "Chair: Welcome.\n\nJane Porter: I oppose the bus fare rise.\n\nTom Ames: It keeps rural routes.\n"
)


def answer(db: Path, *community: str) -> dict:
    done = cli(db, "ask", QUESTION, "--json", *community)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_community_option_keeps_records_apart_and_share_opens_one(tmp_path: Path) -> None:
    """A local session is not in discord:1 until shared; then it is, marked, and not removable there."""
    db = tmp_path / "c.sqlite3"
    assert cli(db, "add", str(SAMPLE)).stdout.strip() == "1"
    other = tmp_path / "transport.txt"
    other.write_text(TRANSCRIPT, "utf-8")
    added = cli(db, "add", str(other), "--community", "discord:1", "--format", "transcript")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "2"
    assert [s["id"] for s in json.loads(cli(db, "sessions", "--json").stdout)] == [1]
    in_discord = json.loads(cli(db, "sessions", "--json", "--community", "discord:1").stdout)
    assert [s["id"] for s in in_discord] == [2]
    assert answer(db, "--community", "discord:1")["results"] == []
    local = answer(db)["results"]
    assert local and all(r["source"] is None for r in local)

    # Only the local community shares, and only its own sessions.
    assert cli(db, "share", "2").returncode == 1
    shared = cli(db, "share", "1")
    assert shared.returncode == 0 and "readable by every community" in shared.stdout
    seen = answer(db, "--community", "discord:1")["results"]
    assert [(r["session_id"], r["start"], r["end"]) for r in seen] == [
        (r["session_id"], r["start"], r["end"]) for r in answer(db)["results"]
    ]
    assert all(r["source"] == "the shared record" for r in seen)
    refused = cli(db, "remove", "1", "--community", "discord:1")
    assert refused.returncode == 1 and "only that record's moderators" in refused.stderr
    assert cli(db, "share", "--all", "--stop").returncode == 0
    assert answer(db, "--community", "discord:1")["results"] == []
    assert "not a community name" in cli(db, "sessions", "--community", "no spaces please").stderr


def test_move_gives_an_upgraded_store_to_one_server(tmp_path: Path) -> None:
    """onrecord move --to discord:7: the same ids and citations, now that server's, and local is empty."""
    db = tmp_path / "m.sqlite3"
    assert cli(db, "add", str(SAMPLE)).returncode == 0
    before = answer(db)["results"]
    moved = cli(db, "move", "--to", "discord:7")
    assert moved.returncode == 0, moved.stderr
    assert "Moved 1 sessions" in moved.stdout
    assert answer(db)["results"] == []
    after = answer(db, "--community", "discord:7")["results"]
    assert [(r["session_id"], r["start"], r["end"]) for r in after] == [
        (r["session_id"], r["start"], r["end"]) for r in before
    ]
    again = cli(db, "move", "--from", "discord:7", "--to", "discord:7")
    assert again.returncode == 1 and "Nothing was moved" in again.stderr
    assert cli(db, "add", str(SAMPLE), "--community", "discord:8").returncode == 0
    refused = cli(db, "move", "--from", "discord:7", "--to", "discord:8")
    assert refused.returncode == 1 and "already has a record" in refused.stderr
