"""Paragraphs, sentences and word tokens of prose, all as offsets into the source text.

Everything is one linear pass with compiled patterns, so a 50 MB record costs no more per
character than a short report. Sentence breaks inside a quotation are ignored: a quoted
passage of several sentences is one unit for attribution.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.ingest.attribution.quotes import Quote

_PARAGRAPH_RE = re.compile(r"[^\r\n]*\S[^\r\n]*")
_BREAK_RE = re.compile(r"[.!?…]+[\"”’'\)\]]*\s+(?=[\"“‘'(\[A-Z0-9\u2014])|[.!?][\"”]?(?=[“\"][A-Z])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "st",
        "jr",
        "sr",
        "vs",
        "no",
        "mt",
        "ft",
        "rev",
        "hon",
        "capt",
        "maj",
        "cmdr",
        "adm",
        "supt",
        "insp",
        "det",
        "atty",
        "corp",
        "inc",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "est",
        "approx",
        "dept",
        "univ",
        "pres",
    ]
)
# A word, with the abbreviation dot kept ("Mr.", "U.S.", "R-Ky."), or one mark.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w(?:[\w'’\-]|\.(?=\w))*\.?|[^\w\s]")
_CUE_AHEAD_RE = re.compile(
    r"[^.!?\"“”\n]{0,60}?\b(?:said|says|asked|asks|added|adds|told|wrote|writes|replied|responded|"
    r"continued|shouted|yelled|demanded|wondered|insisted|explained|argued|noted|recalled|declared|"
    r"joked|quipped|tweeted|warned|answered)\b"
)
_MAX_SENTENCE = 4000  # a run-on "sentence" is cut so lookback stays bounded


class Token:
    """A word or punctuation mark, or a whole quotation (``quote`` set).

    The derived attributes are computed once: the analysis asks for them many times.
    """

    __slots__ = ("end", "is_capitalised", "is_word", "lower", "quote", "start", "text")

    def __init__(self, text: str, start: int, end: int, quote: Quote | None = None) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.quote = quote
        first = text[0] if text else " "
        #: the word in lower case without its abbreviation dot
        self.lower = text.lower().rstrip(".") if quote is None else ""
        #: a word (not a mark, not a quotation)
        self.is_word = quote is None and (first.isalnum() or first == "_")
        #: a word that starts with a capital letter
        self.is_capitalised = quote is None and first.isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-blank lines, as (start, end) with surrounding whitespace trimmed."""
    for match in _PARAGRAPH_RE.finditer(text):
        start, end = match.start(), match.end()
        while text[start].isspace():
            start += 1
        while text[end - 1].isspace():
            end -= 1
        yield start, end


def sentences(text: str, start: int, end: int, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Sentence bounds within a paragraph, never breaking inside a quotation."""
    cuts: list[int] = []
    qi = 0
    for match in _BREAK_RE.finditer(text, start, end):
        cut = match.end()
        while qi < len(quotes) and quotes[qi].outer_end <= match.start():
            qi += 1
        if qi < len(quotes) and quotes[qi].outer_start <= match.start() and cut < quotes[qi].outer_end:
            continue  # a sentence break inside a quotation
        if (
            match.group()[0] in "?!"
            and match.group().rstrip()[-1] in '"”'
            and _CUE_AHEAD_RE.match(text, cut, end)
        ):
            continue  # '“…?” Graham asked.': the cue after a quotation is the same sentence
        word = _word_before(text, match.start(), start)
        if match.group()[0] == "." and (
            word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())
        ):
            continue
        cuts.append(cut)
    bounds: list[tuple[int, int]] = []
    prev = start
    for cut in [*cuts, end]:
        while prev < cut and text[prev].isspace():
            prev += 1
        stop = cut
        while stop > prev and text[stop - 1].isspace():
            stop -= 1
        while stop - prev > _MAX_SENTENCE:
            bounds.append((prev, prev + _MAX_SENTENCE))
            prev += _MAX_SENTENCE
        if stop > prev:
            bounds.append((prev, stop))
        prev = cut
    return bounds


def _word_before(text: str, pos: int, floor: int) -> str:
    i = pos
    while i > floor and (text[i - 1].isalnum()):
        i -= 1
    return text[i:pos]


def tokens(text: str, start: int, end: int, quotes: list[Quote]) -> list[Token]:
    """Tokens of ``text[start:end]``; each quotation inside becomes a single token."""
    out: list[Token] = []
    pos = start
    for quote in quotes:
        if quote.outer_end <= start or quote.outer_start >= end:
            continue
        q_start, q_end = max(quote.outer_start, start), min(quote.outer_end, end)
        out.extend(_plain_tokens(text, pos, q_start))
        out.append(Token(text[q_start:q_end], q_start, q_end, quote))
        pos = q_end
    out.extend(_plain_tokens(text, pos, end))
    return out


def _plain_tokens(text: str, start: int, end: int) -> Iterator[Token]:
    for match in _TOKEN_RE.finditer(text, start, end):
        word = match.group()
        if word.endswith(".") and len(word) > 1:
            bare = word[:-1]
            keep = bare.lower() in _ABBREVIATIONS or "." in bare or len(bare) == 1 or "-" in bare
            if not keep:
                yield Token(bare, match.start(), match.end() - 1)
                yield Token(".", match.end() - 1, match.end())
                continue
        yield Token(word, match.start(), match.end())
