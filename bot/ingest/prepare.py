"""Turn an ``Extraction`` into what storage writes: lemmatised statements and people.

Runs in a worker thread (it is CPU-bound on large sessions) so event loops stay free.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import PurePath

from bot.ingest import introductions, turn_roles
from bot.models import Extraction
from bot.text.names import alias_key, core_name, name_key, office_titles
from bot.text.words import lemma_tokens
from storage.people import NewPerson
from storage.statements import NewStatement


@dataclass(frozen=True)
class Prepared:
    """An extraction plus its storage rows and content hash."""

    extraction: Extraction
    content_hash: str
    title: str
    date: str | None
    statements: tuple[NewStatement, ...]
    people: tuple[NewPerson, ...]


def content_hash(text: str) -> str:
    """Hash of the text with line endings and outer whitespace normalised.

    The same record saved with other line endings or another encoding is the same content.
    """
    normal = re.sub(r"\r\n?", "\n", text).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def default_title(source_name: str) -> str:
    """A readable title from a file name or URL: ``mayors-question-time.txt`` -> ``Mayors question time``."""
    stem = PurePath(source_name.rstrip("/")).stem or source_name
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return (words[:1].upper() + words[1:])[:200] or "Untitled session"


def valid_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is refused by the caller."""
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def prepare(extraction: Extraction, *, source_name: str, title: str | None, date: str | None) -> Prepared:
    """Lemmatise statements and gather every speaker as a person with aliases."""
    rows = []
    for s in extraction.statements:
        lemmas = lemma_tokens(s.text)
        rows.append(
            NewStatement(
                speaker=s.speaker,
                kind=s.kind,
                text=s.text,
                lemmas=" ".join(lemmas),
                tokens=len(lemmas),
                start=s.start,
                end=s.end,
                is_question=s.is_question,
                page=s.page,
                seconds=s.seconds,
            )
        )
    people: dict[str, NewPerson] = {}
    for p in extraction.people:
        aliases = {(a, alias_key(a)) for a in (*p.aliases, p.name, core_name(p.name)) if a.strip()}
        people[p.name] = NewPerson(
            name=core_name(p.name) or p.name,
            name_key=name_key(p.name) or p.name.casefold(),
            role=p.role,
            party=p.party,
            aliases=tuple(sorted(aliases)),
            external_id=p.external_id,
        )
    for s in extraction.statements:
        if s.speaker and s.speaker not in people:
            aliases = {(s.speaker, alias_key(s.speaker))}
            people[s.speaker] = NewPerson(
                name=core_name(s.speaker) or s.speaker,
                name_key=name_key(s.speaker) or s.speaker.casefold(),
                aliases=tuple(sorted(aliases)),
            )
    # Offices the record writes next to a speaker's name answer for them ("the deputy minister").
    for name, titles in introductions.offices(extraction.text, list(people)).items():
        learned = {(t, alias_key(t)) for title in titles for t in office_titles(title)}
        person = people[name]
        people[name] = replace(person, aliases=tuple(sorted(set(person.aliases) | learned)))
    # Offices the turns give: "I am the First Minister", "you are the First Minister of Wales"
    # said to the one who answers, "my Lady" handing the floor to the one who presides.
    for name, titles in turn_roles.offices(extraction.statements).items():
        if name in people:
            person = people[name]
            learned = {(t, alias_key(t)) for t in titles}
            people[name] = replace(person, aliases=tuple(sorted(set(person.aliases) | learned)))
    # Storage maps statements to people by the name each statement carries (``ref``).
    by_statement_name = tuple(replace(p, ref=name) for name, p in people.items())
    return Prepared(
        extraction=extraction,
        content_hash=content_hash(extraction.text),
        title=(title or extraction.title or default_title(source_name)).strip()[:300],
        date=valid_date(date) or valid_date(extraction.date),
        statements=tuple(rows),
        people=by_statement_name,
    )
