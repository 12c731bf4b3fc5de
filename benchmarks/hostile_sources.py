"""Peak memory and time of `onrecord add` on generated bombs and on the largest legitimate sources.

Usage: .venv/bin/python benchmarks/hostile_sources.py [--only SUBSTRING]

Each source is added by the real command line in a fresh process on a fresh store. The
peak is the largest total resident memory of the add's whole process tree (the add itself,
the parser server and the parse child), sampled from /proc every 20 ms; "add process" is
the add's own exact peak (ru_maxrss). The bombs are the generators the tests use
(tests/hostile_files.py) plus a dense DOCX that passes the zip checks; the legitimate
rows are the largest files in ../shared/corpus, the QMSum meetings as one PDF, one web
page and one DOCX, and a 45 MB transcript (the QMSum meetings repeated). Prints a Markdown
table for the README. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as h  # noqa: E402

MB = 1024 * 1024
_ADD = (
    "import json, resource, sys\n"
    "from adapters.cli import main\n"
    "rc = main(['add', sys.argv[1]])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(json.dumps({'rc': rc, 'self_kb': peak}), file=sys.stderr)\n"
)


def qmsum_text() -> str:
    """All QMSum meetings as ``Speaker: words`` paragraphs."""
    parts = []
    for path in sorted((CORPUS / "qmsum-committee").glob("*/*.json")):
        turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
        parts.append("".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns))
    return "".join(parts)


def qmsum_pdf() -> bytes:
    """The first 8 QMSum meetings as one PDF (fpdf2, a dev dependency)."""
    meetings = 8
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    text = qmsum_text()
    paras = [p for p in text.split("\n\n") if p.strip()]
    for para in paras[: meetings * len(paras) // 30]:
        clean = para.encode("cp1252", errors="replace").decode("cp1252")
        pdf.multi_cell(0, 5, clean, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def qmsum_html() -> bytes:
    """All QMSum meetings as one web page."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in qmsum_text().split("\n\n") if p.strip())
    return (
        "<!doctype html><html><head><title>QMSum</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article>{body}</article><footer>Copyright</footer></body></html>"
    ).encode()


def qmsum_docx() -> bytes:
    """All QMSum meetings as one Word document."""
    from docx import Document

    word = Document()
    for para in qmsum_text().split("\n\n"):
        if para.strip():
            word.add_paragraph(para)
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


def dense_docx(expanded_mb: int) -> bytes:
    """A DOCX of varied random words: compresses only ~4:1, so it passes the ratio check."""
    rng = random.Random(16)
    words = [f"w{rng.randrange(100_000)}" for _ in range(50_000)]
    paras = []
    size = 0
    while size < expanded_mb * MB:
        p = f"<w:p><w:r><w:t>Chair: {' '.join(rng.choices(words, k=40))}</w:t></w:r></w:p>"
        paras.append(p)
        size += len(p)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(paras)
        + "</w:body></w:document>"
    )
    made: bytes = h.docx_with({"word/document.xml": xml.encode()})
    return made


def transcript(mb: int) -> bytes:
    """A legitimate transcript of ``mb`` MB: the QMSum meetings repeated."""
    text = qmsum_text()
    return (text * (mb * MB // len(text) + 1)).encode()[: mb * MB]


def sparse(mb: int) -> Callable[[Path], None]:
    """A writer of a sparse file of ``mb`` MB: its size on disk says 1 GB, its blocks hold nothing."""

    def make(path: Path) -> None:
        with path.open("wb") as f:
            f.truncate(mb * MB)

    return make


Case = tuple[str, str, Callable[[], bytes] | Callable[[Path], None] | str]
CASES: list[Case] = [
    ("bomb", "docx zip bomb, 100 MB of XML (0.3 MB)", lambda: h.docx_bomb(100)),
    ("bomb", "docx zip bomb, 1 GB of XML (3.3 MB)", lambda: h.docx_bomb(1024)),
    ("bomb", "dense docx, 60 MB of XML at 4:1 (passes the zip checks)", lambda: dense_docx(60)),
    ("bomb", "HTML page, 50 MB", lambda: h.html_page(50 * MB // 75)),
    ("bomb", "HTML page, 11 MB (under the markup budget)", lambda: h.html_page(11 * MB // 75)),
    ("bomb", "PDF flate bomb, 1 GB of content stream", lambda: h.pdf_flate_bomb(1024)),
    ("bomb", "JSON nested 100,000 deep", lambda: h.json_nested(100_000)),
    ("bomb", "sparse 1 GB file", sparse(1024)),
    ("bomb", "/dev/zero", "/dev/zero"),
    (
        "legit",
        "Hansard XML, debates2009-10-28c",
        lambda: (CORPUS / "hansard/debates2009-10-28c.xml").read_bytes(),
    ),
    ("legit", "council CDP JSON, oakland", lambda: (CORPUS / "council/oakland_transcript.json").read_bytes()),
    ("legit", "QMSum, 8 meetings as one PDF", qmsum_pdf),
    ("legit", "QMSum, 30 meetings as one web page", qmsum_html),
    ("legit", "QMSum, 30 meetings as one DOCX", qmsum_docx),
    ("legit", "transcript, 45 MB (QMSum repeated)", lambda: transcript(45)),
]
_SUFFIX = {
    "docx": ".docx",
    "HTML": ".html",
    "PDF": ".pdf",
    "JSON": ".json",
    "Hansard": ".xml",
    "council": ".json",
}


def _suffix(label: str) -> str:
    for key, suffix in _SUFFIX.items():
        if key in label:
            return suffix
    return ".txt"


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KB, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for proc_dir in Path("/proc").iterdir():
        entry = proc_dir.name
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(statm[1]) * page_kb
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


def measure(path: str, workdir: Path) -> dict[str, object]:
    """Add ``path`` with the real CLI in a fresh process; time, peaks, exit status, last message."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONRECORD_", "SLACK_", "DISCORD_"))}
    env["ONRECORD_DB"] = str(workdir / f"store-{time.monotonic_ns()}.sqlite3")
    env["PYTHONPATH"] = str(ROOT)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _ADD, path],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    lines = [line for line in err.strip().splitlines() if line]
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {"rc": proc.returncode}
    said = next(
        (line for line in reversed(lines[:-1]) if line.startswith("onrecord:") or ": added" in line), ""
    )
    return {
        "seconds": seconds,
        "tree_mb": peak / 1024,
        "self_mb": int(result.get("self_kb", 0)) / 1024,
        "rc": result.get("rc"),
        "said": said,
    }


def outcome(said: str) -> str:
    """The gist of the CLI's sentence, for the table."""
    if ": added session" in said:
        return "stored: " + said.split(": ", 2)[-1].split("):", 1)[-1].strip()
    text = said.split(": ", 2)[-1]
    return "refused: " + (text if len(text) < 110 else text[:107] + "…")


def make(index: int, target: Path) -> None:
    """Write case ``index``'s source to ``target`` (run in a process of its own, see ``main``)."""
    build = CASES[index][2]
    if isinstance(build, str):
        return
    made = build(target) if build.__code__.co_argcount == 1 else build()  # type: ignore[call-arg]
    if isinstance(made, bytes):
        target.write_bytes(made)


def main() -> int:
    """Generate each source, add it, print the table.

    Each source is generated by a separate process: a child forked from a process that
    held a gigabyte of generated bomb would inherit that peak in its own ru_maxrss.
    """
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run only the rows whose label contains this")
    ap.add_argument("--make", nargs=2, metavar=("INDEX", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        make(int(args.make[0]), Path(args.make[1]))
        return 0
    print("| kind | source | input MB | seconds | peak MB (whole add) | add process MB | outcome |")
    print("|---|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for index, (kind, label, build) in enumerate(CASES):
            if args.only and args.only not in label:
                continue
            if isinstance(build, str):
                path, size = build, 0
            else:
                target = work / f"source{_suffix(label)}"
                subprocess.run([sys.executable, __file__, "--make", str(index), str(target)], check=True)
                path, size = str(target), target.stat().st_size
            m = measure(path, work)
            print(
                f"| {kind} | {label} | {size / MB:.1f} | {m['seconds']:.1f} | {m['tree_mb']:.0f} | "
                f"{m['self_mb']:.0f} | {outcome(str(m['said']))} |",
                flush=True,
            )
            if path.startswith(str(work)):
                Path(path).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
