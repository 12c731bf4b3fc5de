"""How long a large add keeps other writers waiting: one (or two) ``onrecord add`` of a big transcript.

While the add runs, a prober (another connection, as a daily post's claim or a moderator's
command would be) takes the write lock every half second (``BEGIN IMMEDIATE`` … ``COMMIT``,
busy timeout 300 s) and records how long each take waited. Prints the add's wall time, how
many probes got in while it ran, and the longest wait. ``--one-transaction`` writes the
session in one transaction (as before issue 16 item 3) for comparison.

    .venv/bin/python benchmarks/write_lock.py --mb 45
    .venv/bin/python benchmarks/write_lock.py --mb 45 --one-transaction
    .venv/bin/python benchmarks/write_lock.py --mb 45 --adds 2
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_sources import transcript

CHILD = (
    "import sys\n"
    "import storage.sessions\n"
    "if sys.argv[1] == 'one':\n"
    "    storage.sessions.STAGE_CHUNK = 10**9\n"
    "from adapters.cli import main\n"
    "if __name__ == '__main__':\n"
    "    raise SystemExit(main(sys.argv[2:]))\n"
)


def probe(db: Path, stop: threading.Event, waits: list[float]) -> None:
    """Take the write lock every half second until ``stop``; each wait appended to ``waits``."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=300)
    while not stop.is_set():
        began = time.monotonic()
        conn.execute("BEGIN IMMEDIATE")
        waits.append(time.monotonic() - began)
        conn.execute("COMMIT")
        stop.wait(0.5)
    conn.close()


def main() -> int:
    """Run the add(s) with the prober beside them and print what it measured."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=45)
    ap.add_argument("--adds", type=int, default=1)
    ap.add_argument("--one-transaction", action="store_true")
    args = ap.parse_args()
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite3"
        env = {**os.environ, "ONRECORD_DB": str(db), "PYTHONPATH": str(repo)}
        made = [sys.executable, "-c", CHILD, "staged", "sessions"]
        subprocess.run(made, env=env, check=True, capture_output=True)
        sources = []
        for i in range(args.adds):
            path = Path(tmp) / f"t{i}.txt"
            path.write_bytes(transcript(args.mb) + f"\n\nChair: copy {i}.\n".encode())
            sources.append(path)
        mode = "one" if args.one_transaction else "staged"
        started = time.monotonic()
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, mode, "add", str(s)], env=env, stderr=subprocess.PIPE, text=True
            )
            for s in sources
        ]
        waits: list[float] = []
        stop = threading.Event()
        prober = threading.Thread(target=probe, args=(db, stop, waits))
        prober.start()
        results = []
        for p in procs:
            _, err = p.communicate()
            results.append((p.returncode, round(time.monotonic() - started), err.strip().splitlines()[-1:]))
        stop.set()
        prober.join()
        conn = sqlite3.connect(db)
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute(
            "SELECT id, (SELECT count(*) FROM statements WHERE session_id = s.id) FROM sessions s"
        ).fetchall()
        conn.close()
    print(f"mode: {mode}, {args.adds} add(s) of {args.mb} MB")
    for code, secs, last in results:
        print(f"  add: exit {code}, done after {secs} s, last line: {last}")
    print(f"  sessions stored (id, statements): {rows}; integrity_check: {check}")
    print(f"  probes of the write lock: {len(waits)}, longest wait {max(waits, default=0):.1f} s, "
          f"over 10 s: {sum(w > 10 for w in waits)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
