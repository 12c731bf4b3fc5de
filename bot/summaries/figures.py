"""Find the figures a speaker states — money, percentages, counts — in their own words.

A daily summary lists "£47m … — Sadiq Khan": the figure exactly as written, and the words
around it from the same statement, so the reader sees what the number was about without
anyone paraphrasing it. Dates, years, times and durations are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import FigureKind

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORDS = r"thousand|million|billion|trillion|bn|mn|m|k|tn"
_MONEY = re.compile(
    rf"""(?P<cur>[£$€])\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE_WORDS})\b)?
      | \b(?P<num2>{_NUMBER})\s?(?P<scale2>thousand|million|billion|trillion|bn|m)?\s
        (?P<curword>pounds|pence|dollars|euros)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_PERCENT = re.compile(
    rf"\b(?P<num>{_NUMBER})\s?(?:%|per\s?cent\b|percent\b|percentage\s+points?\b)", re.IGNORECASE
)
_COUNT = re.compile(
    rf"\b(?P<num>{_NUMBER})(?:\s(?P<scale>thousand|million|billion))?"
    r"\s(?P<noun>[A-Za-z][a-z'-]+(?:\s[A-Za-z][a-z'-]+){0,2})\b",
)
_MONTH_NAMES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_MONTHS = _MONTH_NAMES.split()
# Words after a number that make it a date, a time, a duration, a rank or a reference
# rather than a count of things.
_NOT_COUNTED_WORDS = """year years month months week weeks day days hour hours minute minutes second seconds
    am pm o'clock oclock st nd rd th per percent cent and or to of in on at by from for with
    the a an as is was are were be been has have had will would can could should may might
    since until than that this these those which who when where if but so not no it its
    times time page pages section sections paragraph paragraphs clause clauses item items
    point points question questions amendment amendments recommendation recommendations
"""
_NOT_COUNTED = set(_MONTHS + _NOT_COUNTED_WORDS.split())
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_MAX_CONTEXT_WORDS = 28


@dataclass(frozen=True)
class Figure:
    """One figure as written, where it is, and the clause around it.

    ``start``/``end`` index the figure in the text searched; ``context`` is a verbatim
    slice of that text (``context_start``/``context_end``) so it can be cited as it stands.
    ``value`` is the amount in plain units (47e6 for "£47m") so repeats can be merged.
    """

    text: str
    kind: FigureKind
    value: float
    unit: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", raw))


def _preceded_by_month(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1].strip(".,") in _MONTHS


def find_figures(text: str) -> list[Figure]:
    """Every money amount, percentage and count in ``text``, in order of appearance."""
    found: list[tuple[int, int, FigureKind, float, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _MONEY.finditer(text):
        num = m.group("num") or m.group("num2")
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        unit = m.group("cur") or m.group("curword").lower()
        value = _number(num) * _SCALES.get(scale, 1.0)
        found.append((m.start(), m.end(), "money", value, unit))
        taken.append((m.start(), m.end()))
    for m in _PERCENT.finditer(text):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), "percent", _number(m.group("num")), "%"))
            taken.append((m.start(), m.end()))
    for m in _COUNT.finditer(text):
        num, noun = m.group("num"), m.group("noun")
        first = noun.split()[0].lower()
        if not free(m.start(), m.end()) or first in _NOT_COUNTED or _is_year(num):
            continue
        if _preceded_by_month(text, m.start()) or text[m.end() : m.end() + 1] == ":":
            continue
        if m.start() > 0 and text[m.start() - 1] in "£$€.:/-#":
            continue
        kept = _counted_phrase(noun.split())
        if not kept:
            continue
        end = m.start("noun") + len(" ".join(kept))
        value = _number(num) * _SCALES.get((m.group("scale") or "").lower(), 1.0)
        found.append((m.start(), end, "count", value, kept[-1].lower()))
        taken.append((m.start(), end))
    found.sort()
    return [_figure(text, *f) for f in found]


_PLURALS = {"children", "people", "men", "women", "staff", "police", "personnel", "youth"}


def _counted_phrase(words: list[str]) -> list[str]:
    """The words naming what is counted: "34 new projects as" → "new projects".

    Without a tagger, a plural-looking word is the best sign of the head noun; when there
    is none, the number is not taken as a count ("90 again", "100 more").
    """
    kept: list[str] = []
    for word in words:
        if word.lower() in _NOT_COUNTED:
            break
        kept.append(word)
        if word.lower() in _PLURALS or (word.endswith("s") and not word.endswith("ss")):
            return kept
    return []


def _figure(text: str, start: int, end: int, kind: FigureKind, value: float, unit: str) -> Figure:
    c_start, c_end = context_span(text, start, end)
    return Figure(
        text=text[start:end],
        kind=kind,
        value=value,
        unit=unit,
        start=start,
        end=end,
        context=text[c_start:c_end],
        context_start=c_start,
        context_end=c_end,
    )


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s|$)|\n\s*\n")


def context_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, trimmed to about 28 words around it.

    Trimming keeps the words nearest the figure (the ones that say what it counts) and
    always cuts at a word boundary, so the result is still the speaker's words verbatim.
    """
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    after = _SENTENCE_END.search(text, end)
    e = after.end() if after else len(text)
    while s < start and text[s].isspace():
        s += 1
    words_before = list(re.finditer(r"\S+", text[s:start]))
    words_after = list(re.finditer(r"\S+", text[end:e]))
    budget = _MAX_CONTEXT_WORDS
    after_keep = min(len(words_after), max(budget * 2 // 3, budget - len(words_before)))
    before_keep = min(len(words_before), budget - after_keep)
    if before_keep < len(words_before):
        s = s + words_before[len(words_before) - before_keep].start() if before_keep else start
    if after_keep < len(words_after):
        e = end + words_after[after_keep - 1].end() if after_keep else end
    return s, e
