"""Plain, frozen dataclasses that cross every boundary: extraction, storage, answers.

Adapters render these; storage persists them. Nothing here knows a platform or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["direct", "indirect", "turn"]


@dataclass(frozen=True)
class Statement:
    """One passage of speech and who it rests on.

    ``start``/``end`` are character offsets of the words said in the decoded source text
    (before any normalisation), so a citation can always be checked against the record.
    ``speaker`` is the canonical name within the session, or ``None`` when the record does
    not say with certainty who spoke: an unattributed passage is better than a wrong one.
    """

    speaker: str | None
    text: str
    kind: Kind
    start: int
    end: int
    mention_start: int | None = None
    mention_end: int | None = None
    is_question: bool = False
    page: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class Person:
    """A speaker as one record describes them; merged across sessions by storage."""

    name: str
    role: str | None = None
    party: str | None = None
    aliases: tuple[str, ...] = ()
    external_id: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything read from one source: its text, how it was read, and its statements."""

    source: str
    text: str
    encoding: str
    format: str
    statements: tuple[Statement, ...]
    people: tuple[Person, ...] = ()
    title: str | None = None
    date: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionInfo:
    """A stored session as listed to users."""

    id: int
    title: str
    date: str | None
    source_name: str
    statements: int
    speakers: int
    added_by: str | None
    added_at: str


@dataclass(frozen=True)
class AddResult:
    """What adding a session did, for a moderator's confirmation message."""

    session: SessionInfo
    statements: int
    attributed: int
    unattributed: int
    speakers: tuple[str, ...]
    format: str
    encoding: str
    replaced: SessionInfo | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpeakerInfo:
    """A canonical person with how much they said in the store (or one session)."""

    id: int
    name: str
    role: str | None
    party: str | None
    aliases: tuple[str, ...]
    statements: int
    sessions: int


@dataclass(frozen=True)
class TopicInfo:
    """A topic term with how often it occurs, for /topics and autocomplete."""

    term: str
    statements: int


@dataclass(frozen=True)
class Passage:
    """A verbatim passage in an answer, with everything a citation needs."""

    session_id: int
    title: str
    date: str | None
    speaker: str | None
    kind: Kind
    text: str
    start: int
    end: int
    is_question: bool = False
    page: int | None = None
    seconds: float | None = None
    score: float = 0.0


@dataclass(frozen=True)
class Answer:
    """The reply to a question: what was understood, the passages, and an honest note.

    ``note`` explains an empty or ambiguous answer ("No statements by Khan mention
    'tram fares'; searched 3 sessions"); ``suggestions`` are near speakers or topics and
    ``candidates`` the people an ambiguous name could mean.
    """

    question: str
    speaker: str | None
    topic: str | None
    passages: tuple[Passage, ...]
    note: str | None = None
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    speakers_found: tuple[str, ...] = field(default=())
