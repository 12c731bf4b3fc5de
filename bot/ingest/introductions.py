"""Offices a record gives its speakers where it introduces them, so questions can use them.

Records name a person's office next to their name the first time they matter: a chair's
welcome ("I'm pleased to welcome Julie Morgan AM, Deputy Minister for Health and Social
Services"), a news report's description ("Tory leader Michael Howard", "shadow chancellor
Oliver Letwin"), an inquiry's heading ("Mark Drakeford, the First Minister of Wales").
Both English orders are read: the title as a pre-modifier of the name, and the title in
apposition after it, in a relative clause ("Lord Woolf, who is Lord Chief Justice of
England and Wales,") or after a copula of identity ("Mr Dewar was the First Minister").
A name is its full form, or an honorific with the surname ("Mr Hain, Leader of the
Commons,") when only one speaker has that surname. Only people who speak in the record
get titles, and a title is kept only where the words say so next to that person's own
name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.text.lexicon import HONORIFICS, OFFICE_MODIFIERS, OFFICE_WORDS, SUFFIXES
from bot.text.names import core_name

# Words a title may hold besides office words and capitalised ones ("Minister for Health").
_JOINERS = frozenset(["of", "for", "and", "the", "to"])
# Capitalised words that open a sentence or clause, never part of a title before a name.
_NOT_TITLE = frozenset(
    "a an the in on at by with from and but or as when after before meanwhile however he she it they "
    "we i mr mrs ms dr said says told".split()
)
_MAX_TITLE_WORDS = 10
_COPULAS = frozenset(["is", "was"])
_WORD = re.compile(r"[^\W\d_][\w'’-]*|[,;:.()\"“”\n]")


def _is_office(word: str) -> bool:
    return word.casefold() in OFFICE_WORDS


def _title_after(words: list[str], at: int, *, closed: bool = False) -> str | None:
    """The title in apposition: "<Name>, (the) Deputy Minister for Health and Social Services;".

    ``closed``: the apposition must end in a comma ("Mr Hain, Leader of the Commons, told"),
    as a vocative's does not ("Ms Goldie, the First Minister is …").
    """
    i = at
    while i < len(words) and words[i].casefold() in SUFFIXES:
        i += 1  # "Julie Morgan AM,"
    copula = i + 1 < len(words) and words[i].casefold() in _COPULAS and words[i + 1].casefold() == "the"
    if copula:
        i += 1  # a copula of identity: "Mr Dewar was the First Minister"
    elif i >= len(words) or words[i] != ",":
        return None
    else:
        i += 1
        if i + 1 < len(words) and words[i].casefold() == "who" and words[i + 1].casefold() in _COPULAS:
            i += 2  # a relative clause: "Lord Woolf, who is Lord Chief Justice of England and Wales,"
    if i < len(words) and words[i].casefold() == "the":
        i += 1
    run: list[str] = []
    while i < len(words) and len(run) < _MAX_TITLE_WORDS:
        w = words[i]
        if not w[:1].isalpha():
            break
        after_office = bool(run) and _is_office(run[-1]) and not _is_office(w)
        if w.casefold() in _JOINERS or (w[:1].isupper() and not after_office):
            run.append(w)
        else:
            break
        i += 1
    while run and run[-1].casefold() in _JOINERS:
        run.pop()
    if not run or not any(_is_office(w) for w in run):
        return None
    if i < len(words) and words[i][:1].isupper() and words[i][:1].isalpha():
        return None  # "Gordon Brown, Prime Minister Tony Blair": the title is the next name's
    if closed and not copula and (i >= len(words) or words[i] != ","):
        return None
    return " ".join(run)


def _title_before(words: list[str], at: int) -> str | None:
    """The title before the name: "Tory leader Michael Howard", "the First Minister, Mark Drakeford"."""
    i = at - 1
    if i >= 0 and words[i] == ",":
        i -= 1
    run: list[str] = []
    while i >= 0 and len(run) < _MAX_TITLE_WORDS:
        w = words[i]
        low = w.casefold()
        if not w[:1].isalpha() or low in _NOT_TITLE:
            break
        if low in HONORIFICS and not (run and _is_office(run[0])):
            break  # "Sir" of "Sir Menzies Campbell"; but "the Lord Chancellor, Lord Falconer"
        if not (w[:1].isupper() or _is_office(w) or low in OFFICE_MODIFIERS or low in _JOINERS):
            if run and low not in _JOINERS:
                return None  # "former foreign secretary Robin Cook": a title cut short is no title
            break
        run.insert(0, w)
        i -= 1
    while run and run[0].casefold() in _JOINERS:
        run.pop(0)
    if not run or not any(_is_office(w) for w in run[-2:]):
        return None
    return " ".join(run)


def offices(text: str, names: Iterable[str]) -> dict[str, list[str]]:
    """For each speaker name, the titles the record writes next to it, first seen first."""
    words = _WORD.findall(text)
    folded = [w.casefold() for w in words]
    # Where each word stands, so a name is looked for only where its first word is (one pass
    # over a long transcript, not one per speaker).
    at: dict[str, list[int]] = {}
    for i, w in enumerate(folded):
        at.setdefault(w, []).append(i)
    names = list(names)
    surnames: dict[str, int] = {}
    for name in names:
        last = [p.casefold() for p in core_name(name).split()][-1:]
        for part in last:
            surnames[part] = surnames.get(part, 0) + 1
    out: dict[str, list[str]] = {}
    for name in names:
        parts = [p.casefold() for p in core_name(name).split()]
        parts = [p for p in parts if p.rstrip(".") not in HONORIFICS]
        if not parts:
            continue
        n = len(parts)
        spans: list[tuple[int, int, bool]] = []  # (start, end, an honorific form)
        if n > 1:
            spans = [(i, i + n, False) for i in at.get(parts[0], []) if folded[i : i + n] == parts]
        if surnames.get(parts[-1]) == 1:
            # "Mr Hain, Leader of the Commons," "the Lord Chancellor, Lord Falconer": an
            # honorific and the surname of the record's only speaker with that surname
            # (a surname alone is too weak a link for an office).
            after_honorific = [i for i in at.get(parts[-1], []) if i and folded[i - 1] in HONORIFICS]
            spans += [(i - 1, i + 1, True) for i in after_honorific]
        found: list[str] = []
        for begin, end, short in spans:
            # An honorific form must sit inside a closed apposition ("the Lord Chancellor,
            # Lord Falconer, was"; "Mr Hain, Leader of the Commons, told"): in a turn,
            # "addressed to the First Minister, Ms Goldie." is a vocative, not a title.
            closed = end < len(words) and words[end] == ","
            before = _title_before(words, begin) if closed or not short else None
            for title in (before, _title_after(words, end, closed=short)):
                if title and title.casefold() not in {t.casefold() for t in found}:
                    found.append(title)
        if found:
            out[name] = found
    return out
