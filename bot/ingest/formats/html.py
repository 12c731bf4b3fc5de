"""Web pages (saved HTML or fetched): the article or transcript body, not the navigation.

trafilatura finds the main content and reads the title and date from the page's metadata;
each paragraph it keeps becomes a paragraph of the stored text.
"""

from __future__ import annotations

import re

import trafilatura
from lxml.etree import LxmlError

from bot.errors import IngestError
from bot.ingest.formats.document import Document

_NEWLINES_RE = re.compile(r"\s*\n\s*")
MB = 1024 * 1024
# Past this much markup a page is refused before parsing: trafilatura takes about 3 s and
# 50 MB of memory per MB of HTML (benchmarks/hostile_sources.py), and real transcript
# pages are a few MB. The parse also runs under bot.ingest.formats.budget's time and memory cap.
MAX_HTML_CHARS = 12 * MB


def looks_like_html(head: str) -> bool:
    """Whether the opening of a text is an HTML document."""
    low = head[:2048].lstrip().lower()
    return low.startswith(("<!doctype html", "<html")) or "<html" in low or "<body" in low


def read(text: str, source: str) -> Document:
    """Main text of a page, one paragraph per block, with title and date when the page has them."""
    if len(text) > MAX_HTML_CHARS:
        raise IngestError(
            f"{source} is {len(text) / MB:,.1f} MB of HTML, over the {MAX_HTML_CHARS // MB} MB a web page "
            "may have to be read; save the page's text instead, or split it."
        )
    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, LxmlError, AssertionError) as exc:  # lxml/trafilatura on malformed pages
        raise IngestError(f"{source} could not be read as HTML ({exc}); nothing was stored.") from None
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not body.strip():
        raise IngestError(
            f"{source} is a web page with no main text to extract (only navigation or scripts?)."
        )
    paragraphs = [p for p in _NEWLINES_RE.split(body.strip()) if p]
    title = getattr(doc, "title", None)
    date = getattr(doc, "date", None)
    return Document(
        text="\n\n".join(paragraphs),
        title=str(title) if title else None,
        date=str(date)[:10] if date else None,
    )
