"""Every record in ../shared/corpus, in every format the reader takes: no speaker is a headline,
an organisation taken for a person, or a name with a role inside it.

The word lists here are the test's own (plain English, not the attribution lexicon), so
the check does not share the rules it checks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from shared_data import CORPUS

from bot.ingest.detect import extract
from bot.models import Extraction

_NOT_RECORDS = {".ann", ".md", ".py", ".jsonl"}  # annotations, notes, scripts, question sets
RECORDS = sorted(
    p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in _NOT_RECORDS and p.name != "LICENSE"
)

# Offices and descriptions that belong beside a name, never inside it.
ROLE_WORDS = set(
    """treasurer secretary minister chancellor leader chairman chairwoman spokesman spokeswoman
    spokesperson shadow former tory labour conservative democrat democratic republican president
    senator governor editor chief director commissioner mayor official aide adviser advisor
    correspondent candidate nominee deputy speaker chair witness presiding officer clerk""".split()
)
# Words a title or honorific may add to an office held by nobody named ("Mr Deputy Speaker").
OFFICE_ONLY = ROLE_WORDS | {"the", "mr", "madam", "mrs", "ms", "lord", "first", "prime", "foreign", "home"}
# Nouns for someone speaking for another: a speaker known only by one of these is a role.
SPEAKING_FOR = {"spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor"}
# Words that make a name an organisation's, a party's or a publication's.
GROUP_WORDS = set(
    """party executive government office committee council department ministry bbc times post
    spectator tories labour conservatives democrats republicans nationalists campaign association
    union agency inc news network police commission court magazine newspaper link""".split()
)


@cache
def extraction(path: Path) -> Extraction:
    """The record read as ``onrecord add`` reads it (format detected from content)."""
    return extract(path.read_bytes(), str(path))


def test_the_corpus_has_every_kind_of_record() -> None:
    """The check below reads prose, transcripts, Hansard XML, caption JSON, QMSum JSON and HTML.

    The corpus's HTML pages are Congressional Record pages, read by their own reader.
    """
    formats = {extraction(p).format for p in RECORDS}
    assert {"prose", "hansard", "council", "qmsum"} <= formats
    assert formats & {"html", "congressional"}
    assert len(RECORDS) > 100


def _words(name: str) -> list[str]:
    return name.replace("’", "'").replace(".", "").lower().split()


def problems(path: Path) -> list[str]:
    """What is wrong with the record's speakers, one line each (empty when nothing is)."""
    ex = extraction(path)
    first_line = ex.text.strip().split("\n", 1)[0].strip()
    headline = not first_line.rstrip("'\"’”‘“ ").endswith((".", "?", "!", ":", ";"))
    out: list[str] = []
    roles = {p.name for p in ex.people if p.kind == "role"}
    persons = {p.name for p in ex.people if p.kind != "role"}
    for s in ex.statements:
        if s.speaker is None:
            continue
        if s.speaker in roles:
            # An unnamed speaker kept as their role ("Prime minister's official spokesman"):
            # headed by a speaking-for noun, and never also a person of the record.
            if not set(_words(s.speaker)) & SPEAKING_FOR or s.speaker in persons:
                out.append(f"role speaker that is no role: {s.speaker!r}")
            continue
        words = _words(s.speaker)
        if s.speaker.lower() == first_line.lower() or len(words) > 5:
            out.append(f"headline as speaker: {s.speaker!r}")
        if s.start < len(first_line) and ex.format == "prose" and headline:
            out.append(f"headline as a statement of {s.speaker!r}: {s.text[:60]!r}")
        if (
            words[-1] in GROUP_WORDS
            or " ".join(words) in GROUP_WORDS
            or (words[0] == "the" and words[1:2] and words[1] not in ROLE_WORDS)
        ):
            out.append(f"organisation as a person: {s.speaker!r}")
        if any(w in ROLE_WORDS for w in words) and not all(w in OFFICE_ONLY for w in words):
            out.append(f"role inside a name: {s.speaker!r}")
    return sorted(set(out))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_speakers_are_people(path: Path) -> None:
    """No statement's speaker is a headline, a group taken for a person, or a name with its role inside."""
    assert problems(path) == []
