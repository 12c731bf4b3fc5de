"""Who a name means: canonical keys, the forms people are called by, and name resolution.

A person is found by their full name, an alias learned from the records ("Mr Khan",
"the mayor"), a title from their role, a surname or first name alone, a suffixed form
("Vaughan Gething AM") or a misspelling ("Unmesh Desai" for Umnesh Desai). A name that
fits several people is reported as ambiguous with the candidates, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.text.lexicon import (
    BODY_WORDS,
    DEPENDENT_ROLE_WORDS,
    HONORIFICS,
    MONTHS,
    OFFICE_MODIFIERS,
    OFFICE_WORDS,
    PARTY_SYNONYMS,
    STOPWORDS,
    SUFFIXES,
)

TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?", re.UNICODE)
FUZZY_FULL = 85.0
FUZZY_PART = 88.0
# With one part of a two-part name exact, how close the other must be ("Brendan" for Brandon Lewis).
FUZZY_OTHER_PART = 70.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def core_name(name: str) -> str:
    """A name without brackets, leading honorifics or trailing post-nominals.

    ``Hon. Chrystia Freeland (Deputy Prime Minister)`` -> ``Chrystia Freeland``;
    ``Vaughan Gething AM`` -> ``Vaughan Gething``.
    """
    text = re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", name)
    text = text.split(",")[0]
    parts = text.split()
    while len(parts) > 1 and parts[0].rstrip(".").lower() in HONORIFICS:
        parts.pop(0)
    while len(parts) > 1 and parts[-1].rstrip(".").lower() in SUFFIXES:
        parts.pop()
    return " ".join(parts).strip(" .:")


def name_key(name: str) -> str:
    """The comparison key of a name: core name, accents and case folded, letters only."""
    return "".join(c for c in _fold(core_name(name)) if c.isalnum())


def alias_key(alias: str) -> str:
    """The comparison key of an alias (titles like "the mayor" keep their words)."""
    folded = _fold(alias).strip()
    if folded.startswith("the "):
        return "".join(c for c in folded if c.isalnum())
    return name_key(alias)


def office_titles(role: str | None) -> list[str]:
    """Titles a role is called by, longest first: the whole role and each shorter head of it.

    "Secretary of State for Communities and Local Government" is also "the secretary of
    state for communities", "the secretary of state" and "the secretary"; a title several
    people hold then finds them all, and the question asks which one was meant.
    """
    if not role:
        return []
    low = re.sub(r"^the\s+", "", " ".join(_fold(role).split()))  # Hansard writes "The Prime Minister"
    low = re.split(r"[,(]", low)[0].strip()
    out: list[str] = []
    # "Deputy First Minister and Cabinet Secretary for Health": two offices, each a title.
    for part in (low, *low.split(" and ")[1:]):
        heads = [part[: m.start()] for m in re.finditer(r" (?:of|for|and|with) ", part)]
        for title in (part, *reversed(heads)):
            if title and set(title.split()) & OFFICE_WORDS and f"the {title}" not in out:
                out.append(f"the {title}")
    return out


@dataclass(frozen=True)
class Known:
    """A person as name resolution sees them."""

    id: int
    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    statements: int = 0
    party: str | None = None


@dataclass(frozen=True)
class Mention:
    """A span of a question that names people (several ids: the name is ambiguous)."""

    start: int
    end: int
    text: str
    person_ids: tuple[int, ...]
    score: float
    how: str  # full | alias | title | surname | first | fuzzy


@dataclass
class NameIndex:
    """Lookup tables from name keys to the people they may mean."""

    people: dict[int, Known]
    full: dict[str, set[int]] = field(default_factory=dict)
    titles: dict[str, set[int]] = field(default_factory=dict)
    surnames: dict[str, set[int]] = field(default_factory=dict)
    firsts: dict[str, set[int]] = field(default_factory=dict)
    # Each office word -> (person, the office's words, their party's words), built once.
    offices: dict[str, list[tuple[int, frozenset[str], frozenset[str]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, people: Iterable[Known]) -> NameIndex:
        """Index every form each person is called by."""
        index = cls(people={p.id: p for p in people})
        for p in index.people.values():
            index._add_name(p.name, p.id)
            for alias in p.aliases:
                key = alias_key(alias)
                if _fold(alias).startswith("the "):
                    index.titles.setdefault(key, set()).add(p.id)
                elif len(core_name(alias).split()) > 1:
                    index._add_name(alias, p.id)
                elif key:
                    index.surnames.setdefault(key, set()).add(p.id)
            for title in office_titles(p.role):
                index.titles.setdefault(alias_key(title), set()).add(p.id)
            index._add_offices(p)
        return index

    def _add_offices(self, p: Known) -> None:
        """File each office a person holds under its office words, for ``holders``.

        "Deputy First Minister and Cabinet Secretary for Health" is two offices; the titles a
        record gave them next to their name ("the deputy minister") count as offices too.
        """
        party = frozenset(_party_word(w) for w in re.findall(r"[a-z]+", _fold(p.party or "")))
        held = [_fold(p.role or ""), *(_fold(a)[4:] for a in p.aliases if _fold(a).startswith("the "))]
        for office in (part for role in held for part in _offices_in(role)):
            words = frozenset(_party_word(w) for w in re.findall(r"[a-z]+", office))
            for word in words & OFFICE_WORDS:
                self.offices.setdefault(word, []).append((p.id, words, party))

    def _add_name(self, name: str, pid: int) -> None:
        key = name_key(name)
        if not key:
            return
        self.full.setdefault(key, set()).add(pid)
        parts = [w for w in core_name(name).split() if w.rstrip(".").lower() not in HONORIFICS]
        if len(parts) > 1:
            self.surnames.setdefault(name_key(parts[-1]), set()).add(pid)
            self.firsts.setdefault(name_key(parts[0]), set()).add(pid)
            # "Paul-Hus" or "Lord Smith of X": also the last word after a hyphen-less split.
        elif parts:
            self.surnames.setdefault(name_key(parts[0]), set()).add(pid)

    def lookup(self, text: str) -> tuple[set[int], str, float]:
        """Who ``text`` (a name, alias, title or misspelling) may mean: (ids, how, score).

        A gendered honorific must agree with how the record addresses the person: "Mrs
        Howard" is never the man the report calls "Mr Howard" (his wife may be named but not
        quoted), though it may be someone the record gives no honorific at all.
        """
        ids, how, score = self._lookup(text)
        asked = honorific_gender(text)
        if ids and asked:
            ids = {pid for pid in ids if self.gender_of(pid) in (None, asked)}
            if not ids:
                return set(), "", 0.0
        return ids, how, score

    def gender_of(self, pid: int) -> str | None:
        """"f" or "m" when the record addresses the person with gendered honorifics only of one kind."""
        p = self.people.get(pid)
        if p is None:
            return None
        seen = {g for g in (honorific_gender(n) for n in (p.name, *p.aliases)) if g}
        return seen.pop() if len(seen) == 1 else None

    def _lookup(self, text: str) -> tuple[set[int], str, float]:
        folded = _fold(text).strip()
        if folded.startswith("the "):
            ids = self.titles.get(alias_key(text), set()) or self.holders(folded)
            return (set(ids), "title", 100.0) if ids else (set(), "", 0.0)
        key = name_key(text)
        if not key:
            return set(), "", 0.0
        for table, how in ((self.full, "full"), (self.surnames, "surname"), (self.firsts, "first")):
            if key in table:
                return set(table[key]), how, 100.0
        words = core_name(text).split()
        if len(words) > 1 or len(key) >= 8:
            found = process.extractOne(key, list(self.full), scorer=fuzz.ratio, score_cutoff=FUZZY_FULL)
            if found:
                return set(self.full[found[0]]), "fuzzy", float(found[1])
            # A misspelt first name with a right surname ("Unmesh Desai"), or the reverse.
            if len(words) > 1:
                return self._by_parts(words)
        elif len(key) >= 5:
            found = process.extractOne(key, list(self.surnames), scorer=fuzz.ratio, score_cutoff=FUZZY_PART)
            if found:
                return set(self.surnames[found[0]]), "fuzzy", float(found[1])
        return set(), "", 0.0

    def holders(self, title: str) -> set[int]:
        """Who holds an office asked for in the words people use, not the record's exact title.

        "the health minister" is the "Minister of Health, Social Services and Public
        Safety", "the defence secretary" the "Secretary of State for Defence", "the Tory
        leader" a leader whose party is the Conservatives: every word asked for is one of
        the role's words or the party's, and the role names an office among them. A role's
        modifier ("shadow", "deputy", "former") must be asked for too, so "the chancellor"
        never finds the shadow chancellor or a former one; and so must a spokesman's or aide's
        head, so "the prime minister" never finds the prime minister's spokesman.
        """
        asked = {_party_word(w) for w in re.findall(r"[a-z]+", re.sub(r"['’]s\b", "", title))} - {"the"}
        if not asked & OFFICE_WORDS:
            return set()
        found: set[int] = set()
        for word in asked & OFFICE_WORDS:
            for pid, role, party in self.offices.get(word, ()):
                # "the council president" in a council's own meeting is its "President": a
                # body word asked for may be left unsaid by a role that names no body at all.
                need = asked - BODY_WORDS if not role & BODY_WORDS else asked
                if not (role & (OFFICE_MODIFIERS | DEPENDENT_ROLE_WORDS)) - asked and need <= role | party:
                    found.add(pid)
        return found

    def _by_parts(self, words: Sequence[str]) -> tuple[set[int], str, float]:
        first, last = name_key(words[0]), name_key(words[-1])
        by_last = self.surnames.get(last, set())
        by_first = self.firsts.get(first, set())
        for exact, other_key, table in ((by_last, first, self.firsts), (by_first, last, self.surnames)):
            if not exact:
                continue
            close = {
                pid
                for k, ids in table.items()
                if fuzz.ratio(k, other_key) >= FUZZY_OTHER_PART
                for pid in ids
                if pid in exact
            }
            if close:
                return close, "fuzzy", 80.0
        return set(), "", 0.0


_FEMALE = frozenset("mrs ms miss madam madame lady dame baroness".split())
_MALE = frozenset("mr sir lord".split())


def honorific_gender(name: str) -> str | None:
    """"f" or "m" when a name opens with a gendered honorific ("Mrs Howard", "Lord Butler")."""
    first = _fold(name).strip().split(maxsplit=1)
    word = first[0].rstrip(".") if first else ""
    return "f" if word in _FEMALE else "m" if word in _MALE else None


_OFFICE_JOIN = re.compile(r"\s+and\s+(?=[a-z ]*(?:" + "|".join(sorted(OFFICE_WORDS)) + r")\b)")


def _offices_in(role: str) -> list[str]:
    """The offices a role names: one, or several joined by "and".

    "Deputy First Minister and Cabinet Secretary for Health" is two offices; but in
    "Department for Education and Skills spokeswoman" the words before "and" hold no office
    word, so it is one office (a body's spokeswoman).
    """
    parts = _OFFICE_JOIN.split(role)
    if all(set(re.findall(r"[a-z]+", part)) & OFFICE_WORDS for part in parts):
        return parts
    return [role]


def _party_word(word: str) -> str:
    return PARTY_SYNONYMS.get(word, word)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [
        (m.group().rstrip("."), m.start(), m.start() + len(m.group().rstrip(".")))
        for m in TOKEN.finditer(text)
    ]


def find_mentions(question: str, index: NameIndex, *, skip: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Spans of ``question`` that name known people, best first, not overlapping.

    Single words count only when they look like a name: capitalised (unless the whole
    question is lower-case), not a stopword, not inside a ``skip`` span (dates, titles).
    """
    toks = _tokens(question)
    lower_question = question == question.lower()
    found: list[Mention] = []
    for n in (8, 7, 6, 5, 4, 3, 2, 1):
        for i in range(len(toks) - n + 1):
            if n > 4 and toks[i][0].lower() != "the":
                continue  # only an office runs this long: "the Secretary of State for Defence"
            window = toks[i : i + n]
            start, end = window[0][1], window[-1][2]
            if any(s < end and start < e for s, e in skip):
                continue
            words = [w for w, _, _ in window]
            lows = [w.lower() for w in words]
            if lows[0] in STOPWORDS - {"the"} or lows[-1] in STOPWORDS:
                continue
            if lows[0] == "the" and n == 1:
                continue
            if lows[0] in HONORIFICS and n == 1:
                continue
            if n == 1 or (n == 2 and lows[0] in HONORIFICS):
                word = words[-1]
                if lows[-1] in MONTHS or not (word[:1].isupper() or lower_question):
                    continue
            if (
                lows[0] != "the"
                and not all(w[:1].isupper() for w in words if w.lower() not in HONORIFICS)
                and not (lower_question)
            ):
                continue
            text = question[start:end]
            ids, how, score = index.lookup(text)
            if ids:
                found.append(Mention(start, end, text, tuple(sorted(ids)), score + 10 * n, how))
    found.sort(key=lambda m: (-m.score, -(m.end - m.start)))
    chosen: list[Mention] = []
    for m in found:
        if all(m.end <= c.start or c.end <= m.start for c in chosen):
            chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    return chosen


def suggest(text: str, index: NameIndex, limit: int = 3) -> list[str]:
    """Names closest to ``text``, for an honest "no such speaker" reply."""
    key = name_key(text)
    if not key or not index.people:
        return []
    names = {p.name: name_key(p.name) for p in index.people.values()}
    scored = process.extract(key, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [str(name) for _, _, name in scored]
