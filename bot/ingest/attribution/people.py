"""Who the mentions of one report refer to: one canonical person per name.

A news report introduces a person once in full ("Conservative assembly member Shaun
Bailey") and then says "Mr Bailey", "Bailey", "he" or "the mayor". ``People`` keeps one
canonical person per name and resolves the short forms: surnames and honorifics to the
full name, ``he``/``she`` to the subject of the nearest preceding sentence that names a
compatible person, and a definite role ("the mayor") to the person holding it. When a
reference could mean two people it resolves to nobody: an unattributed passage is better
than a wrong one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.ingest.attribution.mentions import Mention
from bot.ingest.attribution.subject_words import COMMON_SUBJECTS
from bot.models import Person


@dataclass
class _Known:
    name: str
    role: str | None = None
    party: str | None = None
    gender: str | None = None
    aliases: set[str] = field(default_factory=set)


class People:
    """The people of one report and the recent mentions pronouns can refer back to."""

    def __init__(self, lower_words: frozenset[str] = frozenset()) -> None:
        self._lower_words = lower_words  # words the report writes in lower case somewhere
        self._known: dict[str, _Known] = {}
        self._by_surname: dict[str, set[str]] = {}
        self._by_role: dict[str, set[str]] = {}  # role noun -> people holding it
        self._recent: deque[list[tuple[int, str]]] = deque(maxlen=6)
        self._current: list[tuple[int, str]] = []

    def new_sentence(self) -> None:
        """Close the current sentence's mentions and start a new one."""
        if self._current:
            self._recent.append(self._current)
        self._current = []

    def observe(self, mention: Mention, *, subject: bool = False) -> str | None:
        """Record a name mention; return the canonical person it refers to (or None)."""
        if mention.kind == "role":
            person = self.resolve_role(mention)
        else:
            person = self.resolve_name(mention, create=subject or mention.word != "bare")
        if person is not None:
            self._current.append((mention.start, person))
            self._current.sort()
        return person

    def resolve_name(self, mention: Mention, *, create: bool = True) -> str | None:
        """The canonical person for a name mention, creating one the first time."""
        name = mention.name or ""
        parts = name.split()
        if not parts:
            return None
        surname = parts[-1].lower()
        if len(parts) == 1:
            keys = self._by_surname.get(surname, set())
            full = {k for k in keys if len(k.split()) > 1}
            if len(full) == 1:
                key = next(iter(full))
            elif len(full) > 1:
                return None  # "Clinton" when the report names two Clintons
            elif keys:
                key = next(iter(keys))
            elif not mention.honorific and (surname in COMMON_SUBJECTS or surname in self._lower_words):
                return None  # "Officials said": a common noun opening a sentence
            elif create:
                key = name
            else:
                return None
        else:
            key = name
            single = self._known.get(parts[-1])
            if single is not None and key not in self._known:
                # A surname seen before the full name: it was this person all along.
                self._known[key] = single
                single.name = key
                self._by_surname.setdefault(surname, set()).add(key)
        person = self._known.get(key)
        if person is None:
            person = _Known(key)
            self._known[key] = person
            self._by_surname.setdefault(surname, set()).add(key)
        if len(parts) > 1 and name != person.name:
            person.aliases.add(name)
        person.aliases.add(parts[-1])
        if mention.honorific:
            person.aliases.add(f"{mention.honorific} {parts[-1]}")
        if mention.role and not person.role:
            self._set_role(person, mention.role)
        if mention.party and not person.party:
            person.party = mention.party
        if mention.gender and not person.gender:
            person.gender = mention.gender
        return person.name

    def resolve_pronoun(self, mention: Mention) -> str | None:
        """``he``/``she``: the first compatible person named in the nearest sentence before."""
        want = mention.gender
        if want is None:
            return None
        candidates = [self._current_before(mention.start), *reversed(self._recent)]
        for sentence in candidates:
            for _, key in sentence:
                person = self._known[key]
                if person.gender in (None, want):
                    person.gender = want
                    return person.name
        return None

    def resolve_relative(self, mention: Mention) -> str | None:
        """``who``: the person named just before it in the same sentence."""
        before = self._current_before(mention.start)
        return before[-1][1] if before else None

    def _set_role(self, person: _Known, role: str) -> None:
        person.role = role
        self._by_role.setdefault(role.split()[-1], set()).add(person.name)

    def _current_before(self, pos: int) -> list[tuple[int, str]]:
        return [m for m in self._current if m[0] < pos]

    def resolve_role(self, mention: Mention) -> str | None:
        """``the mayor``: the one person known to hold the role, else the last role-less one."""
        role = (mention.role or "").split()[-1:] or [""]
        noun = role[0]
        holders = {self._known[k].name for k in self._by_role.get(noun, ())}
        if len(holders) == 1:
            return next(iter(holders))
        if holders:
            return None
        # Nobody holds it yet: the one recent person without a role, if there is exactly one.
        recent = {key for sentence in [self._current, *self._recent] for _, key in sentence}
        roleless = {self._known[k].name for k in recent if self._known[k].role is None}
        if len(roleless) != 1:
            return None
        person = self._known[next(iter(roleless))]
        self._set_role(person, noun)
        person.aliases.add(f"the {noun}")
        return person.name

    def note(self, pos: int, person: str) -> None:
        """Record that ``person`` was referred to at ``pos`` (a resolved pronoun or role)."""
        self._current.append((pos, person))
        self._current.sort()

    def canonical(self, key: str) -> str:
        """The final canonical name for a key handed out earlier."""
        person = self._known.get(key)
        return person.name if person else key

    def people(self, spoken: set[str]) -> list[Person]:
        """The people who made statements, with their roles, parties and aliases."""
        out: dict[str, Person] = {}
        for person in self._known.values():
            if person.name in spoken and person.name not in out:
                aliases = tuple(sorted(a for a in person.aliases if a != person.name))
                out[person.name] = Person(person.name, person.role, person.party, aliases)
        return list(out.values())
