#!/usr/bin/env python3
"""How the ranking weights trade QMSum val against train, for questions naming no speaker.

The answer ranking (``bot.answers.rank.Ranking``) holds explainable weights: how much the
statement before and after a passage count (``topic_prev_weight``, ``topic_next_weight``),
how much the Porter-stemmed score counts (``stem_weight``), how much topic coverage counts
(``coverage_base``) and BM25's ``k1``/``b``. This script draws random settings from a fixed
grid (seeded, so a run is repeatable), scores each on both QMSum splits the way
``../shared/eval/qmsum_bench.py`` does (a hit when the first passage lies in a gold turn),
and prints one line per setting plus the correlation of val and train across settings.
It exists to answer one question honestly: is there a setting that beats BM25 on val
without giving up train? Each meeting is stored once (cached under --db-dir), so a
setting costs about 15 s of CPU.

    .venv/bin/python benchmarks/ranking_sweep.py [--settings 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.util
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))

from bot.answers.rank import SHIPPED, Ranking  # noqa: E402
from bot.record import Record  # noqa: E402

SHARED = REPO / ".." / "shared"
GRID: dict[str, list[float]] = {
    "topic_prev_weight": [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3],
    "topic_next_weight": [0, 0.1, 0.25, 0.4, 0.6],
    "stem_weight": [0.5, 1, 2, 3, 5, 10],
    "coverage_base": [0.25, 0.5, 1, 2, 4],
    "b": [0.5, 0.6, 0.75, 0.9],
    "k1": [0.9, 1.2, 1.6, 2.0],
}
SPLITS = ("val", "train")


def bench_module() -> ModuleType:
    """The shared benchmark, for its meeting reader, speaker rule and BM25 peer."""
    spec = importlib.util.spec_from_file_location("qmsum_bench", SHARED / "eval" / "qmsum_bench.py")
    if spec is None or spec.loader is None:
        raise SystemExit("../shared/eval/qmsum_bench.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def hits(bench: ModuleType, split: str, db_dir: Path, ranking: Ranking) -> tuple[int, int, int]:
    """(onrecord hits@1, BM25 hits@1, questions) over a split's questions naming no speaker."""
    ours = bm25 = total = 0
    for path in sorted((SHARED / "corpus" / "qmsum-committee" / split).glob("*.json")):
        meeting = bench.Meeting(path)
        db = db_dir / f"{meeting.name}.sqlite3"
        fresh = not db.exists()
        async with await Record.open(db, ranking=ranking) as record:
            if fresh:
                source = f"{meeting.name}.txt"
                await record.add_session(
                    meeting.text.encode(), source_name=source, added_by="sweep", title=meeting.name
                )
            for query in meeting.queries:
                if query["speaker"]:
                    continue
                total += 1
                answer = await record.ask(query["query"], limit=5)
                if answer.passages:
                    first = answer.passages[0]
                    ours += meeting.turn_at(first.start, first.end) in query["gold"]
                peer = meeting.bm25(query["query"], None, 1)
                bm25 += bool(peer) and peer[0] in query["gold"]
    return ours, bm25, total


async def score(bench: ModuleType, setting: dict[str, float], db_dir: Path) -> dict[str, Any]:
    """Hit@1 on each split under ``setting``: the shipped ``Ranking`` with those weights changed."""
    ranking = dataclasses.replace(SHIPPED, **setting)
    out: dict[str, Any] = {"setting": setting}
    for split in SPLITS:
        ours, bm25, total = await hits(bench, split, db_dir, ranking)
        out[split] = round(100 * ours / total, 1)
        out[f"{split}_bm25"] = round(100 * bm25 / total, 1)
    return out


async def main() -> int:
    """Score the shipped weights, then ``--settings`` random ones; print each and a verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=int, default=60, help="random settings to try")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-dir", type=Path, help="where the per-meeting stores are cached")
    args = parser.parse_args()
    bench = bench_module()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db_dir = args.db_dir or Path(tmp)
        db_dir.mkdir(parents=True, exist_ok=True)
        shipped = await score(bench, {name: getattr(SHIPPED, name) for name in GRID}, db_dir)
        print(json.dumps({"shipped": True} | shipped), flush=True)
        results = [shipped]
        for _ in range(args.settings):
            setting = {name: rng.choice(values) for name, values in GRID.items()}
            result = await score(bench, setting, db_dir)
            print(json.dumps(result), flush=True)
            results.append(result)
    val = [r["val"] for r in results]
    train = [r["train"] for r in results]
    fair = [r["train"] for r in results if r["val"] >= r["val_bm25"]]
    print(
        f"settings {len(results)}: val hit@1 max {max(val)} (BM25 {shipped['val_bm25']}), "
        f"train max {max(train)} (BM25 {shipped['train_bm25']}); "
        f"correlation val~train {statistics.correlation(val, train):.2f}; "
        f"best train among val >= BM25: {max(fair, default=None)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
