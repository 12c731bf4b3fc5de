"""Plain, frozen dataclasses that cross every boundary: extraction, storage, answers, summaries.

Adapters render these; storage persists them. Nothing here knows a platform or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["direct", "indirect", "turn"]
FigureKind = Literal["money", "percent", "count"]


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
    # "person", or "role": an unnamed speaker a report knows only by role ("Prime
    # minister's official spokesman"), named by that role and never merged into a person.
    kind: str = "person"


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
    shared: bool = False  # the local community's, readable by every community


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
    # Where the passage's session comes from when it is not the asker's community's own:
    # the shared record (``SHARED_RECORD``), which every community reads.
    source: str | None = None
    source_url: str | None = None  # the session's web address, when it was fetched from one
    # The exchange the passage belongs to: the question it replies to, or, for a question
    # asked, the reply that followed; shown with it so "Yes." says what it agreed to.
    in_reply_to: Passage | None = None
    reply: Passage | None = None


SHARED_RECORD = "the shared record"


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


@dataclass(frozen=True)
class Quote:
    """Words from the record, where they are in its text, and whose words they are.

    ``kind`` is the statement's: "direct" and "turn" are the speaker's own words (shown in
    quotation marks); "indirect" is reported speech, the record's paraphrase (shown marked
    as reported, never as a quotation).
    """

    text: str
    start: int
    end: int
    kind: Kind
    # Set when the words are trimmed out of a longer sentence, so renderers show an
    # ellipsis outside the quotation marks and a cut never passes for a whole sentence.
    cut_before: bool = False
    cut_after: bool = False

    @property
    def verbatim(self) -> bool:
        """True when these are the speaker's own words, not a reporter's paraphrase."""
        return self.kind != "indirect"

    def framed(self, opening: str = "", closing: str = "") -> str:
        """The words inside ``opening``/``closing`` marks, with an ellipsis where trimmed."""
        before = "… " if self.cut_before else ""
        after = " …" if self.cut_after else ""
        return f"{before}{opening}{self.text}{closing}{after}"


@dataclass(frozen=True)
class SpeakerShare:
    """One speaker in a session: who they are (where known) and how much they said."""

    name: str
    role: str | None
    party: str | None
    statements: int
    words: int
    questions: int


@dataclass(frozen=True)
class Exchange:
    """Who asked what of whom, and the gist of the reply in the answerer's own words.

    ``answer`` holds one or two sentences of the reply, all of one kind: the answerer's
    verbatim words when the record has any, else the reported version (marked as such).
    """

    asker: str
    answerer: str
    question: Quote
    answer: tuple[Quote, ...]


@dataclass(frozen=True)
class KeyFigure:
    """A figure as stated ("£47m"), its kind, who stated it and the words around it."""

    figure: str
    kind: FigureKind
    speaker: str | None
    context: Quote


@dataclass(frozen=True)
class SessionSummary:
    """Everything the daily post says about one session."""

    session_id: int | None
    title: str
    date: str | None
    statements: int
    unattributed: int
    speakers: tuple[SpeakerShare, ...]
    topics: tuple[str, ...]
    exchanges: tuple[Exchange, ...]
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class FollowUpdate:
    """What a followed speaker and/or topic said in the sessions a post covers."""

    speaker: str | None
    topic: str | None
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class DailySummary:
    """One post: the sessions added in a window (newest last), and any follows.

    ``more`` counts sessions in the window that were left out to keep a post readable.
    """

    sessions: tuple[SessionSummary, ...]
    since: str | None
    until: str | None
    more: int = 0
    follows: tuple[FollowUpdate, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when there is nothing new to post."""
        return not self.sessions and not any(f.passages for f in self.follows)
