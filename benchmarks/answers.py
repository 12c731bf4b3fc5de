#!/usr/bin/env python3
"""Answer latency on a large store: p50/p95 of Record.ask in process, against a bare FTS5 MATCH.

Builds (once, cached at --db) a store of real committee meetings (QMSum, train and val)
replicated under new titles and dates until it holds --sessions sessions, then, in a fresh
process so peak memory is the answering process's own, times every QMSum question asked
through ``Record.ask`` and, side by side, the plainest FTS5 query on the same index
(``MATCH`` of the question's terms OR'ed, ``ORDER BY rank LIMIT 5``): once with every topic
term of the question, and once with only the terms ``Record.ask`` looks up in the index
(the rarest, within its postings budget), the fair floor for what ask itself does.

With ``--communities N`` the replicas are dealt round-robin to N communities
(``bench:0`` … ``bench:N-1``; one community is ``local``), and each question is asked in
the community holding its meeting, the bare MATCH too: the store is as large as with one
community, each question reads a fiftieth of it with 50.

    .venv/bin/python benchmarks/answers.py [--sessions 1500] [--communities 50] [--db $TMPDIR/x.sqlite3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))

from bot.answers.question import parse  # noqa: E402
from bot.answers.rank import SHIPPED, selective_terms  # noqa: E402
from bot.answers.retrieve import term_freqs  # noqa: E402
from bot.ingest.detect import extract  # noqa: E402
from bot.ingest.prepare import prepare  # noqa: E402
from bot.record import LOCAL, Record  # noqa: E402
from storage import search, sessions  # noqa: E402
from storage.sessions import NewSession  # noqa: E402

CORPUS = REPO / ".." / "shared" / "corpus" / "qmsum-committee"


def meetings() -> list[tuple[str, str, list[str]]]:
    """(name, transcript text, questions) for every QMSum meeting in the corpus."""
    out = []
    for path in sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        text = "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in data["meeting_transcripts"])
        out.append((path.stem, text, [q["query"] for q in data["specific_query_list"]]))
    return out


def community_of(i: int, communities: int) -> str:
    """The community of replica ``i`` (and of questions on meeting ``i``) when split ``communities`` ways."""
    return LOCAL if communities == 1 else f"bench:{i % communities}"


async def build(db: Path, target_sessions: int, communities: int) -> None:
    """Store replicas of the meetings (new title, date and content hash) up to the target."""
    source = meetings()
    prepared = [
        prepare(extract(text.encode(), f"{name}.txt"), source_name=f"{name}.txt", title=name, date=None)
        for name, text, _ in source
    ]
    record = await Record.open(db)
    conn = record._w.conn  # the benchmark writes through storage directly to skip re-extraction
    start = time.perf_counter()
    day = date(2015, 1, 1)
    for i in range(target_sessions):
        p = prepared[i % len(prepared)]
        new = NewSession(
            title=f"{p.title} (replica {i // len(prepared)})",
            date=(day + timedelta(days=i)).isoformat(),
            source_name=p.extraction.source,
            format=p.extraction.format,
            encoding="utf-8",
            content_hash=f"{p.content_hash}-{i}",
            added_by="benchmark",
            text=p.extraction.text,
        )
        community = community_of(i, communities)
        await sessions.store(conn, community, new, p.statements, [replace(x) for x in p.people])
        if i % 100 == 0:
            print(
                f"  stored {i}/{target_sessions} sessions ({time.perf_counter() - start:.0f} s)",
                file=sys.stderr,
            )
    await record.close()


async def measure(db: Path, communities: int) -> dict[str, float]:
    """Time every question through Record.ask and through a bare MATCH; report percentiles."""
    questions = [(i, q) for i, (_, _, qs) in enumerate(meetings()) for q in qs]
    record = await Record.open(db)
    names = sorted({community_of(i, communities) for i, _ in questions})
    for name in names:  # warm every community's caches, as a running bot's would be
        await record.community(name).ask("warm up the caches")
    conn = record._r.conn
    ours, bare, lean = [], [], []
    for i, q in questions:
        name = community_of(i, communities)
        view = record.community(name)
        t0 = time.perf_counter()
        await view.ask(q)
        ours.append(time.perf_counter() - t0)
        index = await record._h.refresh(name)
        stats = record._h.stats_or_empty(name)
        parsed = parse(q, index)
        terms = list(parsed.terms) or ["meeting"]
        t0 = time.perf_counter()
        await search.bare_match(conn, name, terms, 5)
        bare.append(time.perf_counter() - t0)
        freqs = await term_freqs(conn, name, terms, stats)
        weights = dict.fromkeys(terms, 1.0)
        looked_up = selective_terms(weights, freqs, stats.statements, SHIPPED.match_postings_budget)
        t0 = time.perf_counter()
        await search.bare_match(conn, name, looked_up, 5)
        lean.append(time.perf_counter() - t0)
    async with conn.execute("SELECT count(*) FROM statements") as cur:
        row = await cur.fetchone()
    n = int(row[0]) if row else 0
    async with conn.execute("SELECT count(*) FROM sessions") as cur:
        row = await cur.fetchone()
    count = int(row[0]) if row else 0
    await record.close()

    def pct(xs: list[float], p: float) -> float:
        return 1000 * statistics.quantiles(xs, n=100)[int(p) - 1]

    return {
        "sessions": count,
        "statements": n,
        "communities": communities,
        "questions": len(questions),
        "ask_p50_ms": round(pct(ours, 50), 1),
        "ask_p95_ms": round(pct(ours, 95), 1),
        "bare_fts_p50_ms": round(pct(bare, 50), 1),
        "bare_fts_p95_ms": round(pct(bare, 95), 1),
        "ratio_p50": round(pct(ours, 50) / pct(bare, 50), 2),
        "ratio_p95": round(pct(ours, 95) / pct(bare, 95), 2),
        "bare_fts_looked_up_p50_ms": round(pct(lean, 50), 1),
        "bare_fts_looked_up_p95_ms": round(pct(lean, 95), 1),
        "ratio_looked_up_p50": round(pct(ours, 50) / pct(lean, 50), 2),
        "ratio_looked_up_p95": round(pct(ours, 95) / pct(lean, 95), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    """Build the store if needed, then measure in a fresh process and print the README row."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=1500)
    ap.add_argument("--communities", type=int, default=1, help="split the store over this many communities")
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "onrecord-bench.sqlite3")
    ap.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure_only:
        print(json.dumps(asyncio.run(measure(args.db, args.communities))))
        return 0
    if not args.db.exists():
        print(f"building {args.db} …", file=sys.stderr)
        asyncio.run(build(args.db, args.sessions, args.communities))
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--db",
            str(args.db),
            "--communities",
            str(args.communities),
            "--measure-only",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    print(json.dumps(result, indent=2))
    print(
        f"| {result['sessions']:,} sessions / {result['statements']:,} statements "
        f"in {result['communities']} communities | "
        f"ask p50 {result['ask_p50_ms']} ms, p95 {result['ask_p95_ms']} ms | "
        f"bare FTS5, all terms p50 {result['bare_fts_p50_ms']} ms, p95 {result['bare_fts_p95_ms']} ms "
        f"(ratio {result['ratio_p50']} / {result['ratio_p95']}) | "
        f"bare FTS5, looked-up terms p50 {result['bare_fts_looked_up_p50_ms']} ms, "
        f"p95 {result['bare_fts_looked_up_p95_ms']} ms "
        f"(ratio {result['ratio_looked_up_p50']} / {result['ratio_looked_up_p95']}) | "
        f"peak RSS {result['peak_rss_mb']} MB |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
