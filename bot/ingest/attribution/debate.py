"""Televised debate transcripts: surname labels in capitals, introductions, moderators, label typos.

A debate transcript labels every turn with a surname in capitals (``QUINTANILLA:``,
``TRUMP:``). The record itself says who those are:
- the candidates are introduced one to a line by office and full name ("Governor John
  Kasich.", "Senator Marco Rubio.", "Mr. Donald Trump.");
- the moderators introduce themselves and each other by full name ("I'm Carl Quintanilla,
  with my colleagues Becky Quick and John Harwood", "my colleague, Rick Santelli").
So ``KASICH`` is John Kasich (role Governor) and ``QUICK`` is Becky Quick (role
Moderator). Any other surname label takes the one full name the record gives for it.

A label used once that no one in the record bears is a stenographer's typo when it is a
near miss of exactly one speaker's label (``RITCHIE`` for ``CHRISTIE``); otherwise whose
words they are is unknown, and they stay unattributed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from bot.ingest.attribution.labels import Speaker
from bot.ingest.attribution.record_names import full_names, only_full_name

_SURNAME = r"(?:Mc|Mac|O['’]|De|Di|Van|Le)?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"
_NAME = rf"[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+{_SURNAME}){{1,2}}"
_OFFICES = {
    "governor": "Governor",
    "gov.": "Governor",
    "senator": "Senator",
    "sen.": "Senator",
    "congressman": "Representative",
    "congresswoman": "Representative",
    "representative": "Representative",
    "rep.": "Representative",
    "secretary": "Secretary",
    "mayor": "Mayor",
    "vice president": "Vice President",
    "president": "President",
}
_INTRODUCTION_RE = re.compile(
    r"(?m)(?:^|\)\s+|[,:]\s+)(?:And\s+|and\s+)?(?P<title>Governor|Gov\.|Senator|Sen\.|Congressman|Congresswoman|"
    r"Representative|Rep\.|Secretary|Mayor|Vice President|President|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+"
    rf"(?P<name>{_NAME})\.[ \t]*$"
)
_MODERATOR_RE = re.compile(
    r"(?:\bI[’']m|\bI am|\bcolleagues?,?|\bmoderat\w+(?:\s+by)?|\bjoined by)\s+"
    rf"(?P<names>{_NAME}(?:,\s+{_NAME})*(?:,?\s+and\s+{_NAME})?)"
)
_LIST_SPLIT_RE = re.compile(r",\s+|,?\s+and\s+")
# A typo must be this close to one label (rapidfuzz ratio, 0-100) and clearly closer than to any other.
TYPO_SIMILARITY = 60.0
TYPO_MARGIN = 15.0


def _surname(name: str) -> str:
    return name.split()[-1].casefold()


def candidates(text: str) -> dict[str, tuple[str, str | None]]:
    """Surname -> (full name, office) for the candidates a roll of introductions names (two or more)."""
    found: dict[str, tuple[str, str | None]] = {}
    for m in _INTRODUCTION_RE.finditer(text):
        name = " ".join(m.group("name").split())
        name = re.sub(r"\s[A-Z]\.\s", " ", name)
        found.setdefault(_surname(name), (name, _OFFICES.get(m.group("title").casefold())))
    return found if len(found) >= 2 else {}


def moderators(text: str) -> dict[str, str]:
    """Surname -> full name of the people introduced as the hosts ("I'm …", "my colleague …")."""
    out: dict[str, str] = {}
    for m in _MODERATOR_RE.finditer(text):
        for name in _LIST_SPLIT_RE.split(m.group("names")):
            name = " ".join(name.split())
            if len(name.split()) >= 2:
                out.setdefault(_surname(name), name)
    return out


def debate_speakers(text: str, labels: Sequence[Speaker | None]) -> list[Speaker | None]:
    """Each turn's speaker under the full name and role the record gives, typos joined."""
    caps = [sp for sp in labels if sp is not None and not sp.is_office and sp.name.isalpha()]
    # Only one-word labels are surnames to resolve; "Unidentified Male" and offices stay.
    if not caps:
        return list(labels)
    roll = candidates(text)
    hosts = moderators(text)
    names = full_names(text)
    counts = Counter(sp.key for sp in caps)
    resolved: dict[str, Speaker | None] = {}
    for sp in dict.fromkeys(caps):
        key = sp.key
        if key in roll:
            full, office = roll[key]
            resolved[key] = _named(sp, full, office)
        elif key in hosts and (roll or counts[key] > 1):
            resolved[key] = _named(sp, hosts[key], "Moderator")
        elif (given := only_full_name(names, sp.name)) is not None:
            resolved[key] = _named(sp, given, None)
    known = [k for k in counts if counts[k] > 1 or k in resolved]
    for sp in dict.fromkeys(caps):
        key = sp.key
        if key in resolved or counts[key] > 1:
            continue
        target = _near_miss(key, [k for k in known if k != key])
        if target is not None:
            base = resolved.get(target)
            resolved[key] = base if base is not None else next(s for s in caps if s.key == target)
        else:
            resolved[key] = None  # one turn under a name the record never gives: unknown voice
    out: list[Speaker | None] = []
    for label in labels:
        if label is None or label.key not in resolved:
            out.append(label)
            continue
        who = resolved[label.key]
        out.append(who and replace(who, name_start=label.name_start, name_end=label.name_end))
    return out


def _named(label: Speaker, full: str, role: str | None) -> Speaker:
    surname = full.split()[-1]
    aliases = [surname]
    if role in ("Governor", "Senator", "Representative", "Mayor", "Secretary"):
        aliases.append(f"{role} {surname}")
    return Speaker(full, role, label.party, tuple(aliases), label.name_start, label.name_end)


def _near_miss(key: str, others: list[str]) -> str | None:
    """The one label ``key`` is a misspelling of, if it is close to one and far from the rest."""
    scored = sorted(((fuzz.ratio(key, k), k) for k in others), reverse=True)
    if not scored or scored[0][0] < TYPO_SIMILARITY:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < TYPO_MARGIN:
        return None
    return scored[0][1]
