"""What a source reader hands back, and a writer for sources that name their speakers.

Structured sources (Hansard XML, caption voice tags, meeting JSON) are written out as
readable ``Speaker: words`` paragraphs; the writer records exact offsets as it goes, so
every statement's text is the slice of the stored text it claims to be.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from bot.ingest.attribution.labels import Speaker
from bot.ingest.attribution.transcript import resolve_people, turn_statements
from bot.models import Person, Statement


@dataclass
class Document:
    """A source read into text: statements when the source names speakers, else ``None``.

    ``pages`` and ``times`` are sorted (offset, value) anchors: the page or second at which
    the text from that offset on was found, so any statement can be cited.
    """

    text: str
    statements: list[Statement] | None = None
    people: list[Person] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    times: list[tuple[int, float]] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def _at(anchors: list[tuple[int, int]] | list[tuple[int, float]], offset: int) -> float | int | None:
    if not anchors:
        return None
    i = bisect.bisect_right(anchors, (offset, float("inf"))) - 1
    return anchors[i][1] if i >= 0 else None


def cite(statements: list[Statement], doc: Document) -> list[Statement]:
    """Give each statement the page and time where its words start, when the source had them."""
    if not doc.pages and not doc.times:
        return statements
    out = []
    for s in statements:
        page = _at(doc.pages, s.start)
        seconds = _at(doc.times, s.start)
        out.append(
            replace(
                s,
                page=int(page) if page is not None and s.page is None else s.page,
                seconds=float(seconds) if seconds is not None and s.seconds is None else s.seconds,
            )
        )
    return out


@dataclass
class _Turn:
    start: int
    end: int
    speaker: Speaker | None
    mention: tuple[int, int] | None
    external_id: str | None


class TurnWriter:
    """Build the stored text of a structured source turn by turn, keeping exact offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._turns: list[_Turn] = []
        self.times: list[tuple[int, float]] = []

    def _write(self, piece: str) -> None:
        self._parts.append(piece)
        self._pos += len(piece)

    def heading(self, text: str) -> None:
        """A heading or note that is part of the record but nobody's words."""
        text = " ".join(text.split())
        if text:
            self._write(text + "\n\n")

    def turn(
        self,
        label: str | None,
        pieces: list[str],
        speaker: Speaker | None,
        *,
        seconds: list[float | None] | None = None,
        external_id: str | None = None,
        joiner: str = "\n\n",
        normalize: bool = True,
    ) -> None:
        """One speaker's turn: ``label: piece`` then the other pieces, each joined by ``joiner``.

        Pieces are paragraphs (``joiner`` a blank line) or sentences of one paragraph
        (``joiner`` a space); ``seconds`` gives the time each piece was spoken, if known.
        A turn without a label is written after ``>>``, the caption mark of a new speaker.
        """
        if normalize:
            pieces = [" ".join(p.split()) for p in pieces]
        keep = [i for i, p in enumerate(pieces) if p.strip()]
        if not keep:
            return
        mention = None
        if label:
            if speaker is not None:
                mention = (self._pos + speaker.name_start, self._pos + speaker.name_end)
            self._write(label + ": ")
        else:
            self._write(">> ")
        start = self._pos
        for n, i in enumerate(keep):
            if n:
                self._write(joiner)
            if seconds is not None and seconds[i] is not None:
                self.times.append((self._pos, float(seconds[i] or 0.0)))
            self._write(pieces[i])
        self._turns.append(_Turn(start, self._pos, speaker, mention, external_id))
        self._write("\n\n")

    def finish(self) -> Document:
        """The text, the statements with their speakers resolved per session, and the people."""
        text = "".join(self._parts)
        by_id: dict[str, Speaker] = {}
        for t in self._turns:
            if t.speaker is not None and t.external_id and not t.speaker.is_office:
                by_id.setdefault(t.external_id, t.speaker)
        for t in self._turns:
            # "The Presiding Officer" with the member id of "Alex Fergusson" is Alex Fergusson.
            if t.speaker is not None and t.speaker.is_office and t.external_id in by_id:
                named = by_id[t.external_id]
                t.speaker = replace(named, role=t.speaker.role or named.role, name_start=t.speaker.name_start,
                                    name_end=t.speaker.name_end)
        speakers = dict.fromkeys(t.speaker for t in self._turns if t.speaker is not None)
        names, people = resolve_people(list(speakers))
        ids: dict[str, str] = {}
        statements: list[Statement] = []
        for t in self._turns:
            who = names[t.speaker.key] if t.speaker is not None else None
            # An office's id names the chair, not a person ("Mr Speaker" and "Mr Deputy
            # Speaker" share one in the NI record): only a named person carries an id.
            if who and t.external_id and who not in ids and t.speaker is not None and not t.speaker.is_office:
                ids[who] = t.external_id
            statements.extend(turn_statements(text, t.start, t.end, who, t.mention, headings=False))
        people = [replace(p, external_id=ids.get(p.name)) for p in people]
        return Document(text=text, statements=statements, people=people, times=sorted(self.times))
