"""Extraction throughput on one core: MB of source per second, per format, plus PDF and HTML ingest.

Usage: .venv/bin/python benchmarks/extraction.py [--repeat N]

Reads the real corpus in ../shared/corpus (QMSum committee meetings written out as
``Speaker: words`` text as qmsum_bench.py does, and as JSON; Hansard XML; the council
caption JSON; PolNeAR news articles as prose) and times ``bot.ingest.extract`` on each.
PDF and HTML inputs are generated from the QMSum transcripts (fpdf2, a dev dependency),
so their rows measure the whole ingest path: parse the container, rebuild the text,
attribute the turns. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.detect import extract  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpus"


def qmsum_texts() -> list[tuple[str, bytes]]:
    """QMSum meetings written out as qmsum_bench.py writes them."""
    out = []
    for path in sorted((CORPUS / "qmsum-committee").glob("*/*.json")):
        turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
        text = "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns)
        out.append((f"{path.stem}.txt", text.encode("utf-8")))
    return out


def files(pattern: str) -> list[tuple[str, bytes]]:
    """The corpus files matching a pattern, as (name, bytes)."""
    return [(str(p), p.read_bytes()) for p in sorted(CORPUS.glob(pattern))]


def make_pdfs(texts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each text as a PDF of its paragraphs (fpdf2, cp1252 core font)."""
    from fpdf import FPDF

    out = []
    for name, data in texts:
        pdf = FPDF()
        pdf.core_fonts_encoding = "windows-1252"
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        for para in data.decode("utf-8").split("\n\n"):
            if para.strip():
                clean = para.encode("cp1252", errors="replace").decode("cp1252")
                pdf.multi_cell(0, 5, clean, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
        out.append((name.replace(".txt", ".pdf"), bytes(pdf.output())))
    return out


def make_html(texts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each text as a web page with navigation and footer around the article."""
    out = []
    for name, data in texts:
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in data.decode("utf-8").split("\n\n") if p.strip())
        page = (
            f"<!doctype html><html><head><title>{name}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article>{body}</article><footer>Copyright</footer></body></html>"
        )
        out.append((name.replace(".txt", ".html"), page.encode("utf-8")))
    return out


def run(label: str, inputs: list[tuple[str, bytes]], repeat: int) -> tuple[str, int, float, int]:
    """Extract every input; the fastest of ``repeat`` runs."""
    size = sum(len(d) for _, d in inputs)
    best = float("inf")
    statements = 0
    for _ in range(repeat):
        start = time.perf_counter()
        statements = sum(len(extract(d, n).statements) for n, d in inputs)
        best = min(best, time.perf_counter() - start)
    return label, size, best, statements


def main() -> int:
    """Print the throughput table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="runs per row; the fastest is reported")
    args = ap.parse_args()
    qmsum = qmsum_texts()
    rows: list[Callable[[], tuple[str, int, float, int]]] = [
        lambda: run("transcript text (QMSum, 30 meetings)", qmsum, args.repeat),
        lambda: run("QMSum JSON", files("qmsum-committee/*/*.json"), args.repeat),
        lambda: run("Hansard XML (3 days)", files("hansard/*.xml"), args.repeat),
        lambda: run("council CDP JSON", files("council/*.json"), args.repeat),
        lambda: run("prose news (PolNeAR dev, 84)", files("polnear-dev/text/*.txt"), args.repeat),
        lambda: run("PDF ingest (QMSum as PDF, 8)", make_pdfs(qmsum[:8]), 1),
        lambda: run("HTML ingest (QMSum as HTML, 30)", make_html(qmsum), args.repeat),
    ]
    print("| source | MB | seconds | MB/s | statements |")
    print("|---|---:|---:|---:|---:|")
    total_size = total_time = 0.0
    for row in rows:
        label, size, seconds, statements = row()
        total_size += size
        total_time += seconds
        print(f"| {label} | {size / 1e6:.2f} | {seconds:.2f} | {size / 1e6 / seconds:.2f} | {statements} |")
    rate = total_size / 1e6 / total_time
    print(f"| **all of the above** | {total_size / 1e6:.2f} | {total_time:.2f} | {rate:.2f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
