"""Who the mentions of one report refer to: one canonical person per name.

A news report introduces a person once in full ("Conservative assembly member Shaun
Bailey") and then says "Mr Bailey", "Bailey", "he" or "the mayor". ``People`` keeps one
canonical person per name and resolves the short forms:

* surnames and honorifics to the full name;
* ``he``/``she`` opening a clause to the subject of the nearest sentence before that has
  one (the paragraph's current speaker, or the person the sentence is about), never to a
  person the sentence only mentions (an object, a name after a preposition): reports put
  the person they go on about in subject position. An unnamed subject ("a spokesman")
  holds the place, so a pronoun after it resolves to nobody rather than to someone earlier;
* a definite role ("the shadow chancellor") to the person the report gives that role, the
  whole role and not only its head noun: "the chancellor", "the shadow chancellor" and
  "the lord chancellor" are three offices, and "the prime minister's official spokesman"
  speaks for the prime minister without being him.

When a reference could mean two people it resolves to nobody: an unattributed passage is
better than a wrong one.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import TypeGuard

from bot.ingest import introductions
from bot.ingest.attribution import role_speakers
from bot.ingest.attribution.mentions import Mention, is_role_noun, split_party
from bot.ingest.attribution.subject_words import (
    COMMON_SUBJECTS,
    DETERMINERS,
    GROUP_NAMES,
    HONORIFICS,
    PREPOSITIONS,
    TITLE_WORDS,
)
from bot.models import Person

# A role whose holder is someone else's voice or stand-in: never the principal, and never
# given to a person by elimination ("the prime minister's official spokesman").
_DEPENDENT_ROLE_WORDS = frozenset("spokesman spokeswoman spokesperson aide adviser advisor".split())


def role_key(role: str) -> tuple[str, str | None]:
    """A role as the report writes it → (the office, the party it names, if any).

    ``the Tory leader`` → (``leader``, ``Conservative``); determiners go, every other word
    stays, because each changes the office ("shadow", "deputy", "former", "lord").
    """
    words = [w for w in role.lower().replace("’", "'").split() if w not in DETERMINERS]
    party: str | None = None
    owner = max((i for i, w in enumerate(words[:-1]) if w.endswith("'s")), default=-1)
    if owner >= 0 and not is_role_noun(words[owner][:-2]):
        # "the Scottish National Party's parliamentary leader": the organisation's office,
        # its name a party when it is one; "the prime minister's spokesman" keeps it all.
        group = [*words[:owner], words[owner][:-2]]
        party = split_party([w for w in group if w != "party"])[0]
        words = words[owner + 1 :]
    named, kept = split_party(words)
    return " ".join(kept), named or party


_FULL_NAME_RE = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z])")
_NOT_FIRST_NAMES = TITLE_WORDS | HONORIFICS | DETERMINERS | PREPOSITIONS | frozenset(GROUP_NAMES) | frozenset(
    "the but and or if when after as in on at by this that new old north south east west".split()
)


def _dependent(office: str) -> bool:
    """A spokesman's or aide's role, or one held for another office holder (``X's …``)."""
    return "'s" in office or any(w in _DEPENDENT_ROLE_WORDS for w in office.split())


@dataclass
class _Known:
    name: str
    role: str | None = None
    party: str | None = None
    gender: str | None = None
    aliases: set[str] = field(default_factory=set)
    # person | role (an unnamed speaker known by role) | pending (a definite role not yet
    # given to anyone: "The prime minister ratcheted up …", settled at the end)
    kind: str = "person"
    resolved: str | None = None  # a pending role's holder, once settled
    paragraph: int = 0  # where a pending role was first met


class People:
    """The people of one report and the recent mentions pronouns can refer back to."""

    def __init__(self, lower_words: frozenset[str] = frozenset()) -> None:
        self._lower_words = lower_words  # words the report writes in lower case somewhere
        self._known: dict[str, _Known] = {}
        self._by_surname: dict[str, set[str]] = {}
        self._by_role: dict[str, set[str]] = {}  # office (role_key) -> people holding it
        # Mentions of each recent sentence: (offset, person or None for an unnamed
        # speaker, in subject position).
        self._recent: deque[list[tuple[int, str | None, bool]]] = deque(maxlen=6)
        self._current: list[tuple[int, str | None, bool]] = []
        self._paragraph = 0
        self._subjects: dict[int, list[str]] = {}  # paragraph -> people in subject position
        self._headline: list[Mention] = []  # the name(s) the headline opens with
        self._pending: dict[str, str] = {}  # office -> the pending key standing for its holder

    def new_paragraph(self) -> None:
        """A new paragraph starts: salience (who the paragraph is about) is per paragraph."""
        self._paragraph += 1

    def new_sentence(self) -> None:
        """Close the current sentence's mentions and start a new one."""
        if self._current:
            self._recent.append(self._current)
        self._current = []

    def observe(self, mention: Mention, *, subject: bool = False, topic: bool = False) -> str | None:
        """Record a name mention; return the canonical person it refers to (or None).

        ``subject``: the mention is a speaker's, so a bare surname creates a person.
        ``topic``: it stands in subject position, so a later pronoun may refer to it.
        """
        if mention.kind == "role":
            person = self.resolve_role(mention, guess=subject or topic)
            if person is not None and self._known[person].kind == "pending" and not (subject or topic):
                return person  # "accused the Tory leader": settled later, no pronoun's referent
        else:
            person = self.resolve_name(mention, create=subject or mention.word != "bare")
        if person is not None:
            # "Lord Hutton's inquiry … sparked": a possessor is no paragraph's subject.
            self.note(mention.start, person, subject=subject or topic, salient=not mention.possessor)
        elif mention.kind == "role" and topic:
            self.note(mention.start, None)  # "The prime minister's spokesman": someone unnamed
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
        """``he``/``she``: who the clause goes on about, or None when that is not clear.

        Inside a sentence that already named people before the pronoun, it is the one
        compatible person named there (two such: nobody). Otherwise it is the subject of the
        nearest sentence before that has one: the speaker just quoted, or the person the
        sentence is about. A person that sentence only mentions (``accused Mr Brown``, ``a
        warning from X``) is never the referent, and an unnamed subject ("a spokesman")
        means the pronoun is his: nobody we can name.
        """
        want = mention.gender
        if want is None:
            return None
        before = {key for pos, key, _ in self._current if pos < mention.start and self._named(key)}
        compatible = {key for key in before if self._known[key].gender in (None, want)}
        if len(compatible) == 1:
            return self._gendered(next(iter(compatible)), want)
        if compatible:
            return None
        for sentence in reversed(self._recent):
            subjects = [key for _, key, subject in sentence if subject]
            if not subjects:
                continue
            if not self._named(subjects[0]):
                # The sentence's subject is someone unnamed: a role not yet given to anyone
                # ("The prime minister ratcheted up … He insisted"), whoever it turns out to be.
                return subjects[0] if self._fits(subjects[0], want) else None
            fits = {key for key in subjects if self._named(key) and self._known[key].gender in (None, want)}
            if len(fits) == 1:
                return self._gendered(next(iter(fits)), want)
            if fits:
                return None
        return None

    def _named(self, key: str | None) -> TypeGuard[str]:
        """A key for someone the report names or knows by role, not a role still unsettled."""
        return key is not None and self._known[key].kind != "pending"

    def _fits(self, key: str | None, gender: str) -> bool:
        return key is not None and self._known[key].gender in (None, gender)

    def _gendered(self, key: str, gender: str) -> str:
        person = self._known[key]
        person.gender = gender
        return person.name

    def resolve_relative(self, mention: Mention) -> str | None:
        """``who``: the person named just before it in the same sentence."""
        before = [key for pos, key, _ in self._current if pos < mention.start]
        return before[-1] if before else None

    def _set_role(self, person: _Known, role: str) -> None:
        person.role = role
        self._by_role.setdefault(role_key(role)[0], set()).add(person.name)

    def resolve_role(self, mention: Mention, *, guess: bool = True) -> str | None:
        """``the shadow chancellor``: the one person the report gives that very role.

        The whole office must match (a party named with it must not contradict the
        holder's). When nobody holds it yet, a report's habit of naming someone and then
        calling them by office ("Oliver Letwin attacked … The shadow chancellor said")
        gives it to the one person recently in subject position who has no role yet and no
        other party, when the role is itself a subject (``guess``); a spokesman's or aide's
        role is never given that way.
        """
        office, party = role_key(mention.role or "")
        if not office:
            return None
        holders = {
            self._known[k].name
            for k in self._by_role.get(office, ())
            if party is None or self._known[k].party in (None, party)
        }
        if len(holders) == 1:
            return next(iter(holders))
        if holders:
            return None
        if _dependent(office):
            return self._same_role_speaker((mention.role or office).lower().replace("’", "'"))
        if not guess:
            return self._pending_role(office, party)
        recent = {
            key
            for sentence in [self._current, *self._recent]
            for _, key, subject in sentence
            if subject and key is not None and self._known[key].kind == "person"
        }
        roleless = {
            self._known[k].name
            for k in recent
            if self._known[k].role is None and (party is None or self._known[k].party in (None, party))
        }
        if party is not None and len(roleless) > 1:
            # "the SNP's parliamentary leader": of several candidates, the party's own.
            roleless = {name for name in roleless if self._known[name].party == party}
        if len(roleless) != 1:
            return self._pending_role(office, party)
        person = self._known[next(iter(roleless))]
        self._set_role(person, office)
        if party and not person.party:
            person.party = party
        person.aliases.add(f"the {office}")
        return person.name

    def note(self, pos: int, person: str | None, *, subject: bool = True, salient: bool = True) -> None:
        """Record a reference at ``pos`` (a resolved pronoun or role; None: someone unnamed).

        A reference known better later (the unnamed subject found to be a role speaker once
        its verb is read) replaces the one at the same place.
        """
        if person is not None:
            self._current = [m for m in self._current if not (m[0] == pos and m[1] is None)]
        self._current.append((pos, person, subject))
        self._current.sort(key=lambda m: m[0])
        known = self._known.get(person) if person is not None else None
        if subject and salient and known is not None and known.kind == "person":
            self._subjects.setdefault(self._paragraph, []).append(known.name)

    def role_speaker(self, role: str) -> str:
        """An unnamed speaker known only by role ("Prime minister's official spokesman").

        Kept as the role, marked as one, never merged into a person: later mentions of the
        same role, and pronouns whose subject it is ("But he added:"), are this speaker.
        """
        name = role[:1].upper() + role[1:]
        person = self._known.get(name)
        if person is None:
            person = _Known(name, role=role, kind="role", gender=role_speakers.gender(role))
            self._known[name] = person
            # Filed under all its words, party too: "the spokesman" after a Labour spokesman
            # and a Home Office one is neither (``_same_role_speaker``).
            self._by_role.setdefault(role.lower().replace("’", "'"), set()).add(name)
            person.aliases.add(f"the {role}")
        return person.name

    def _same_role_speaker(self, office: str) -> str | None:
        """``the spokesman`` after ``a spokesman for the Home Office``: the one such role speaker.

        The shorter role must have the same head and only words of the longer one.
        """
        words = set(office.split())
        head = office.split()[-1]
        found = set()
        for p in self._known.values():
            held = set((p.role or "").lower().split())
            if p.kind == "role" and head in held and words <= held:
                found.add(p.name)
        return next(iter(found)) if len(found) == 1 else None

    def _pending_role(self, office: str, party: str | None) -> str:
        """A definite role nobody holds yet: one stand-in per office, settled by ``settle_roles``."""
        key = self._pending.get(office)
        if key is None:
            key = f"\x00{office}"
            self._pending[office] = key
            here = self._paragraph
            self._known[key] = _Known(key, role=office, party=party, kind="pending", paragraph=here)
        return key

    def headline(self, mentions: list[Mention]) -> None:
        """The names a headline opens with: who the report is about ("Goldsmith denies …")."""
        self._headline = [m for m in mentions if m.kind == "name"][:1]

    def settle_roles(self, text: str) -> None:
        """Give each role still unsettled to its holder, when the record makes that certain.

        A definite role ("the prime minister", "the Tory leader") is a person only when the
        record gives that role to exactly one person; or, when it gives it to nobody, when
        exactly one person is salient where the role is used (in subject position in its
        paragraph, or in the nearest paragraphs before and after that have someone there,
        or named at the head of the headline) and that person has no other role and no
        other party. Anything else leaves it unresolved: its words stay unattributed. The
        titles the record writes next to a name anywhere ("the Lord Chancellor, Lord
        Falconer") count as roles it gives.
        """
        if not self._pending:
            return
        persons = [k for k, p in self._known.items() if p.kind == "person" and k == p.name]
        # The whole office, as role_key reads it: "Leader of the Commons" is not "the leader".
        titled = {
            name: {f"the {role_key(title)[0]}" for title in titles}
            for name, titles in introductions.offices(text, persons).items()
        }
        for office, key in self._pending.items():
            pending = self._known[key]
            party = pending.party
            holders = {k for k in self._by_role.get(office, ()) if self._known[k].kind == "person"}
            holders |= {k for k, titles in titled.items() if f"the {office}" in titles}
            holders = {k for k in holders if self._party_fits(k, party)}
            if holders:
                if len(holders) == 1:
                    pending.resolved = next(iter(holders))
                continue
            chosen, others = self._salient(pending.paragraph)
            if chosen is None or not self._role_fits(chosen, office, party, titled):
                continue
            if any(k != chosen and self._role_fits(k, office, party, titled) for k in others):
                continue  # someone else the passage is about could hold it too
            fits = {chosen}
            person = self._known[next(iter(fits))]
            self._set_role(person, office)
            if party and not person.party:
                person.party = party
            person.aliases.add(f"the {office}")
            pending.resolved = person.name

    def _party_fits(self, key: str, party: str | None) -> bool:
        return party is None or self._known[key].party in (None, party)

    def _role_fits(self, key: str, office: str, party: str | None, titled: dict[str, set[str]]) -> bool:
        """The person may hold ``office``: no other role, title or party is given to them."""
        person = self._known[key]
        if person.kind != "person" or not self._party_fits(key, party):
            return False
        if titled.get(key) and f"the {office}" not in titled[key]:
            return False
        return person.role is None or role_key(person.role)[0] == office

    def _salient(self, paragraph: int) -> tuple[str | None, set[str]]:
        """Who a role's passage is about, and who else it could be about.

        The one it is about is the first person in subject position in the paragraph, or,
        in a paragraph with none (a report's role-first lead: "The attorney general has
        denied …"), in the next paragraph that has one, where reports name them. The others
        are everyone else in subject position in that paragraph, in the nearest paragraph
        before that has one, and the person the headline opens with.
        """
        subjects = self._subjects.get(paragraph, [])
        others: set[str] = set()
        if not subjects:
            before = paragraph - 1
            while before > 0 and not self._subjects.get(before):
                before -= 1
            others |= set(self._subjects.get(before, ()))
            after = paragraph + 1
            while after <= self._paragraph and not self._subjects.get(after):
                after += 1
            subjects = self._subjects.get(after, [])
        chosen = subjects[0] if subjects else None
        others |= set(subjects[1:])
        for mention in self._headline:
            name = self._lookup(mention.name or "")
            if name is not None:
                others.add(name)
        return chosen, others

    def _lookup(self, name: str) -> str | None:
        """The known person a name means, without learning anything from it."""
        if name in self._known:
            return name
        keys = self._by_surname.get(name.split()[-1].lower(), set())
        keys = {k for k in keys if self._known[k].kind == "person"}
        return next(iter(keys)) if len(keys) == 1 else None

    def link_full_names(self, text: str) -> None:
        """One person, one speaker: a surname-only person takes the record's one full name.

        "Lord Butler" speaks throughout a report that elsewhere (even inside a quotation)
        writes "Robin Butler": with exactly one such full name of that surname in the whole
        record, they are one person, named in full. Two ("Michael Howard", "Sandra Howard")
        link nobody.
        """
        full: dict[str, set[str]] = {}
        for match in _FULL_NAME_RE.finditer(text):
            first, last = match.group(1), match.group(2)
            if first.lower() in _NOT_FIRST_NAMES or first.lower() in self._lower_words:
                continue
            full.setdefault(last.lower(), set()).add(f"{first} {last}")
        for key, person in list(self._known.items()):
            if " " in person.name or key != person.name or person.kind != "person":
                continue
            names = full.get(person.name.lower(), set())
            if len(names) != 1:
                continue
            name = next(iter(names))
            if name in self._known and self._known[name] is not person:
                continue  # already someone else: not this surname-only person's to take
            person.aliases.add(person.name)
            person.name = name
            self._known[name] = person

    def canonical(self, key: str) -> str | None:
        """The final canonical name for a key handed out earlier (None: a role left unsettled)."""
        person = self._known.get(key)
        if person is not None and person.kind == "pending":
            return self.canonical(person.resolved) if person.resolved else None
        return person.name if person else key

    def people(self, spoken: set[str]) -> list[Person]:
        """The people who made statements, with their roles, parties and aliases."""
        out: dict[str, Person] = {}
        for person in self._known.values():
            if person.kind != "pending" and person.name in spoken and person.name not in out:
                aliases = tuple(sorted(a for a in person.aliases if a != person.name))
                out[person.name] = Person(person.name, person.role, person.party, aliases, kind=person.kind)
        return list(out.values())
