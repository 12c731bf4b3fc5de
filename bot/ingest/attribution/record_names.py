"""Full names a record gives for the surnames its labels use (``TRUMP:``, ``Mr. CORNYN.``).

Debate and floor transcripts label a speaker by surname alone and give the full name
somewhere in the text ("I'm Carl Quintanilla", "Senator John Cornyn"). A surname joins a
full name only when the record gives exactly one first name for it: two Bushes leave
``BUSH`` as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.text.lexicon import HONORIFICS, OFFICE_WORDS

# Words that stand before a surname without being a first name: the lexicon's honorifics
# and office words, and the titles of US and military offices and of greetings.
TITLES = HONORIFICS | OFFICE_WORDS | frozenset(
    """doctor mister madam senator sen gov representative rep congressman congresswoman vice
    justice chief sheriff detective ambassador councilman councilwoman councilmember alderman
    comptroller auditor lieutenant lt sergeant sgt colonel col captain capt gen director agent
    the and but so dear thank thanks hello hi welcome former candidate""".split()
)
# A lookahead, so "Senator Patrick Leahy" yields "Senator Patrick" (refused) and "Patrick Leahy".
_FULL_NAME_RE = re.compile(
    r"\b(?=(?P<first>[A-Z][a-z]+)(?:\s+(?P<initial>[A-Z])\.)?\s+"
    r"(?P<surname>(?:Mc|Mac|O['’]|De|Di|Van|Le)?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)\b)"
)
_LOWER_WORD_RE = re.compile(r"\b[a-z]+\b")


def full_names(text: str) -> dict[str, dict[str, str]]:
    """Surname (casefolded) -> first name (casefolded) -> the full name as the record writes it.

    Where a first name is written with and without a middle initial, the form without it
    is kept ("Donald Trump" over "Donald J. Trump").
    """
    lower = set(_LOWER_WORD_RE.findall(text))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for m in _FULL_NAME_RE.finditer(text):
        first = m.group("first")
        if first.casefold() in TITLES or first.casefold() in lower:
            continue  # "Senator Leahy", "Will" (a word the record writes in lower case)
        surname = m.group("surname")
        full = f"{first} {surname}"
        known = out[surname.casefold()].get(first.casefold())
        if known is None or (m.group("initial") is None and known != full):
            out[surname.casefold()][first.casefold()] = full
    return dict(out)


def only_full_name(names: dict[str, dict[str, str]], surname: str) -> str | None:
    """The one full name the record gives for ``surname``, or None (none, or several)."""
    firsts = names.get(surname.casefold(), {})
    return next(iter(firsts.values())) if len(firsts) == 1 else None
