"""Quotation spans in one paragraph, straight or curly, tolerant of unbalanced marks.

News prose opens a quote with ``"`` or ``“`` (or ``''``/````` `` ````` in older wire
copy) and closes it with the matching mark; a quote that runs over several paragraphs
leaves the closing mark off every paragraph but the last. So a quote still open at the end
of a paragraph is closed there, and a stray closing mark is ignored. A quote of the other
style inside an open quote is nested and stays part of the outer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK_RE = re.compile(r"''|``|[\"“”„]")
_OPENING_CONTEXT = frozenset(" \t([{—–-/:\u00a0")


@dataclass(frozen=True)
class Quote:
    """One quotation: the marks' outer bounds and the quoted words' inner bounds."""

    outer_start: int
    start: int
    end: int
    outer_end: int
    closed: bool


def _style(mark: str) -> str:
    return "straight" if mark in ('"', "''") else "curly"


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Quotes in ``text[start:end]`` (one paragraph), with absolute offsets, in order."""
    quotes: list[Quote] = []
    open_at: int | None = None
    open_len = 0
    open_style = ""
    nested: str | None = None
    for match in _MARK_RE.finditer(text, start, end):
        mark = match.group()
        pos = match.start()
        prev = text[pos - 1] if pos > start else " "
        nxt = text[match.end()] if match.end() < end else " "
        opening_context = prev in _OPENING_CONTEXT or prev.isspace()
        closing_context = nxt.isspace() or not nxt.isalnum()
        if open_at is None:
            if mark == "”" and opening_context and (nxt.isalnum() or pos == start):
                pass  # a closing mark typed where an opening one belongs
            elif mark == "”" or (mark in ('"', "''") and not opening_context and closing_context):
                continue  # a stray closing mark: nothing is open
            open_at, open_len, open_style, nested = pos, len(mark), _style(mark), None
            continue
        style = "straight" if mark in ('"', "''") else "curly"
        if style != open_style:
            # The other style inside an open quote: a quote within the quote.
            if nested is None and mark in ("“", "``", '"', "''") and opening_context:
                nested = style
            elif nested is None and mark in ('"', "”") and closing_context and not opening_context:
                # ``“words,"`` : copy that mixes styles closes with the other mark.
                quotes.append(_make(text, open_at, open_len, pos, match.end(), closed=True))
                open_at = None
            elif nested == style:
                nested = None
            continue
        is_closer = mark in ("”", '"', "''") or (mark == "“" and closing_context and not opening_context)
        if mark == '"' and opening_context and not closing_context and pos > open_at + open_len:
            # ``"a "b`` : the first quote was never closed; close it before this one.
            quotes.append(_make(text, open_at, open_len, pos, pos, closed=False))
            open_at, open_len, nested = pos, len(mark), None
            continue
        if is_closer:
            quotes.append(_make(text, open_at, open_len, pos, match.end(), closed=True))
            open_at = None
    if open_at is not None:
        quotes.append(_make(text, open_at, open_len, end, end, closed=False))
    return [q for q in quotes if q.end > q.start]


def _make(text: str, open_at: int, open_len: int, close_at: int, outer_end: int, *, closed: bool) -> Quote:
    inner_start = open_at + open_len
    inner_end = close_at
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    return Quote(open_at, inner_start, inner_end, max(outer_end, inner_end), closed)
