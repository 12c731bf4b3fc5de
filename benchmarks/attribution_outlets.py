"""Who-said-what F1 on PolNeAR dev per outlet and per half: does a rule hold beyond its articles.

Usage: python3 benchmarks/attribution_outlets.py [DATA_DIR] [--cmd CMD] [--json] [--against BEFORE.json]

(``CMD`` defaults to ``.venv/bin/onrecord extract --json``; run from the project root.)

Runs the extract command once over every annotated article, then scores each group of
articles with the shared bench's own scoring (``../shared/eval/attribution_bench.py``:
its ``parse_ann``, ``score_doc`` and ``prf``, imported, so the figures are the bench's):

* per outlet (the file name's prefix: ``breitbart``, ``nyt``, ...): a rule written while
  reading one outlet's articles is kept only if the F1 of every other outlet does not
  drop (leave one outlet out);
* per half (alphabetical by file name, first 42 and last 42), as the README reports;
* all articles together (the bench's own headline figures).

Prints a Markdown table of quoted and all attribution F1 (and gold counts, since an outlet
with few quotations swings by whole points on one article); ``--json`` prints the figures
as JSON instead, and ``--against BEFORE.json`` (an earlier ``--json`` run) adds the change
from that run to each figure, so a rule's cost on the outlets it was not written for shows.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT / ".." / "shared" / "eval" / "attribution_bench.py"
DEFAULT_DATA = ROOT / ".." / "shared" / "corpus" / "polnear-dev"
_COUNTS = ("gold", "pred", "matched", "attributed", "with_source")


def load_bench(path: Path = SHARED_EVAL) -> ModuleType:
    """The shared attribution bench as a module, so its scoring is reused, not copied."""
    spec = importlib.util.spec_from_file_location("attribution_bench", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the attribution bench at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outlet_of(doc: Path) -> str:
    """``nyt_2016-09-08_….txt`` → ``nyt``: PolNeAR names each article by outlet first."""
    return doc.stem.split("_", 1)[0]


def score_groups(
    bench: ModuleType, docs: list[Path], gold: dict[Path, list[dict[str, Any]]], results: list[dict[str, Any]]
) -> dict[str, dict[str, dict[str, int]]]:
    """Raw counts per group name, per subset (``all``/``quoted``), summed over the group's documents."""
    half = len(docs) // 2
    groups: dict[str, dict[str, dict[str, int]]] = {}
    for n, (doc, result) in enumerate(zip(docs, results, strict=True)):
        scores = bench.score_doc(doc.read_text(encoding="utf-8"), gold[doc], result.get("statements", []))
        names = ["all articles", "first half" if n < half else "second half", f"outlet {outlet_of(doc)}"]
        for name in names:
            group = groups.setdefault(name, {s: dict.fromkeys(_COUNTS, 0) for s in ("all", "quoted")})
            for subset, counts in scores.items():
                for key in _COUNTS:
                    group[subset][key] += counts[key]
    return groups


def figures(bench: ModuleType, counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The bench's figures for one group's summed counts."""
    return {
        "gold": counts["gold"],
        "attribution_f1": bench.prf(counts["attributed"], counts["pred"], counts["gold"])["f1"],
        "content_f1": bench.prf(counts["matched"], counts["pred"], counts["gold"])["f1"],
    }


def run_extract(cmd: str, docs: Iterable[Path]) -> list[dict[str, Any]]:
    """One JSON object per document from the extract command, in order."""
    proc = subprocess.run([*shlex.split(cmd), *map(str, docs)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"extract command failed with exit code {proc.returncode}:\n{proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def main() -> int:
    """Score the extract command per outlet and per half; print a table (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", type=Path, nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--cmd", default=".venv/bin/onrecord extract --json")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--against", type=Path, help="an earlier --json run to show the change from")
    args = ap.parse_args()

    bench = load_bench()
    texts = sorted((args.data_dir / "text").glob("*.txt"))
    anns = sorted((args.data_dir / "attributions").glob("*.ann"))
    gold: dict[Path, list[dict[str, Any]]] = {}
    for text in texts:
        mine = [a for a in anns if a.name.startswith(text.stem + "_")]
        if mine:
            gold[text] = bench.parse_ann(mine[0])
    docs = list(gold)
    if not docs:
        print(f"no annotated articles under {args.data_dir}", file=sys.stderr)
        return 1
    results = run_extract(args.cmd, docs)
    if len(results) != len(docs):
        print(f"expected {len(docs)} JSON lines, got {len(results)}", file=sys.stderr)
        return 1
    groups = score_groups(bench, docs, gold, results)
    order = sorted(groups, key=lambda name: (not name.startswith("all"), not name.endswith("half"), name))
    report = {
        name: {subset: figures(bench, groups[name][subset]) for subset in ("quoted", "all")} for name in order
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    articles: dict[str, int] = {}
    half = len(docs) // 2
    for n, doc in enumerate(docs):
        for name in ("all articles", "first half" if n < half else "second half", f"outlet {outlet_of(doc)}"):
            articles[name] = articles.get(name, 0) + 1
    before: dict[str, Any] = json.loads(args.against.read_text(encoding="utf-8")) if args.against else {}

    def cell(name: str, subset: str) -> str:
        now = report[name][subset]["attribution_f1"]
        if name not in before:
            return f"{now}"
        change = round(now - before[name][subset]["attribution_f1"], 1)
        return f"{now} ({change:+.1f})"

    print("| articles | n | quoted gold | quoted attribution F1 | all gold | all attribution F1 |")
    print("|---|---|---|---|---|---|")
    for name, fig in report.items():
        q, a = fig["quoted"], fig["all"]
        row = [name, articles[name], q["gold"], cell(name, "quoted"), a["gold"], cell(name, "all")]
        print("| " + " | ".join(map(str, row)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
