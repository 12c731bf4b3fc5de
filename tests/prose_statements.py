"""Reading one statement back out of prose attribution, for the prose rule tests."""

from __future__ import annotations

from bot.ingest.attribution.prose import attribute_prose
from bot.models import Statement


def statement_at(text: str, words: str) -> Statement:
    """The one statement attributed from ``text`` that covers the start of ``words``."""
    start = text.index(words)
    found = [s for s in attribute_prose(text)[0] if s.start <= start < s.end]
    assert len(found) == 1, found
    return found[0]


def mention_of(text: str, s: Statement) -> str | None:
    """The words that named the statement's speaker, as written in ``text``."""
    return None if s.mention_start is None or s.mention_end is None else text[s.mention_start : s.mention_end]
