"""PDF transcripts and reports (pypdf): page text with page numbers for citations.

Running headers and footers (a line repeated at the top or bottom of most pages, page
numbers) and the line numbers of court-style transcripts are not speech and are dropped.
Lines are joined into paragraphs; a line that opens with a speaker label starts one.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from bot.errors import IngestError
from bot.ingest.attribution.transcript import starts_with_label
from bot.ingest.formats.document import Document

_PAGE_NO_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.IGNORECASE)
_LINE_NO_RE = re.compile(r"^(\d{1,2})\s+(?=\S)")
_SPACES_RE = re.compile(r"[ \t\u00a0]{2,}")
_LOCKED = "{source} is a password-protected PDF; save an unprotected copy and add that."
_UNSUPPORTED_LOCK = (
    "{source} is an encrypted PDF whose encryption onrecord cannot open; save an unprotected copy "
    "and add that."
)
# pypdf's own failures (PyPdfError covers its LimitReachedError on page-tree loops and
# decompression limits) and what its parser lets escape on malformed input.
_PARSE_ERRORS = (
    PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, ZeroDivisionError
)
_EDGE = 2  # how many lines at the top and at the bottom of a page may be running text


def _norm(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _page_lines(reader: PdfReader, source: str) -> list[list[str]]:
    pages: list[list[str]] = []
    for page in reader.pages:
        try:
            raw = page.extract_text(extraction_mode="layout")
        except _PARSE_ERRORS as exc:
            raise IngestError(
                f"{source}: a page of this PDF could not be read ({exc}); nothing was stored."
            ) from None
        lines = [_SPACES_RE.sub(" ", line).strip() for line in raw.splitlines()]
        pages.append(lines)
    return pages


def _strip_running(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines repeated at the edges of most pages, and bare page numbers there."""
    def edges(lines: list[str]) -> list[int]:
        idx = [i for i, line in enumerate(lines) if line]
        return idx[:_EDGE] + idx[-_EDGE:] if idx else []

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_norm(lines[i]) for i in edges(lines)})
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2 + 1)}
    out = []
    for lines in pages:
        drop = {i for i in edges(lines) if _norm(lines[i]) in repeated or _PAGE_NO_RE.match(lines[i])}
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _strip_line_numbers(lines: list[str]) -> list[str]:
    """Transcript line numbers: most lines open with 1, 2, 3… in order."""
    numbered = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _LINE_NO_RE.match(line))]
    content = [line for line in lines if line]
    bare = sum(1 for line in content if line.isdigit())
    if len(content) < 5 or (len(numbered) + bare) < 0.6 * len(content):
        return lines
    values = [n for _, n in numbered]
    rising = sum(1 for a, b in itertools.pairwise(values) if b > a)
    if rising < 0.8 * max(1, len(values) - 1):
        return lines
    out = []
    for line in lines:
        if line.isdigit() and len(line) <= 2:
            out.append("")
        else:
            out.append(_LINE_NO_RE.sub("", line, count=1))
    return out


def _join(pages: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs from lines: blank lines and speaker labels start one; pages are anchored."""
    paras: list[str] = []
    anchors: list[tuple[int, int]] = []
    current: list[str] = []
    pos = 0

    def flush() -> None:
        nonlocal pos, current
        if current:
            para = ""
            for line in current:
                para += line if not para or para.endswith("-") else " " + line
            paras.append(para)
            pos += len(para) + 2
            current = []

    for number, lines in enumerate(pages, start=1):
        first = True
        for line in lines:
            if not line:
                flush()
                continue
            if current and starts_with_label(line):
                flush()
            if first:
                # Where this page's text begins: in the paragraph being built, or the next one.
                offset = pos + sum(len(x) + 1 for x in current)
                anchors.append((offset, number))
                first = False
            current.append(line)
        if current and current[-1][-1:] in ".?!\"”:" :
            flush()
    flush()
    return "\n\n".join(paras), anchors


def read(data: bytes, source: str) -> Document:
    """Text of a PDF with page anchors; refuses encrypted and image-only PDFs clearly."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError):
                unlocked = False
            if not unlocked:
                raise IngestError(_LOCKED.format(source=source))
        pages = _page_lines(reader, source)
        title = reader.metadata.title if reader.metadata else None
    except FileNotDecryptedError:
        raise IngestError(_LOCKED.format(source=source)) from None
    except NotImplementedError:  # an encryption handler pypdf does not implement (V=9 and the like)
        raise IngestError(_UNSUPPORTED_LOCK.format(source=source)) from None
    except _PARSE_ERRORS as exc:
        raise IngestError(f"{source} could not be read as a PDF ({exc}); nothing was stored.") from None
    if not any(line for lines in pages for line in lines):
        raise IngestError(
            f"{source} has no text layer: it looks like a scanned (image-only) PDF. "
            "Run it through OCR first, then add the result."
        )
    pages = [_strip_line_numbers(lines) for lines in _strip_running(pages)]
    text, anchors = _join(pages)
    return Document(text=text, pages=anchors, title=str(title).strip() or None if title else None)
