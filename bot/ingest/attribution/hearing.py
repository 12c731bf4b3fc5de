"""Who "The Witness" and "Lead 2B" are in a hearing transcript, from the record's own headings.

Inquiry transcripts (the UK Covid-19 Inquiry's, in reStructuredText) open each witness's
evidence with a section heading naming them (``Mr Mark Drakeford`` over dashes) and a
swearing-in note (``*MR MARK DRAKEFORD (affirmed).*``); ``*(The witness withdrew)*``
closes it. Until then ``**The Witness**:`` is that person.

Each examination opens with ``Questions From <who>``. When ``<who>`` is a part, not a
person ("Lead Counsel to the Inquiry for Module 2B", "Counsel to the Inquiry"), the
stenographer labels the examiner by name for the first question and then by a short form
of the part (``**Lead 2B**:``, ``**Counsel Inquiry**:``). The short form is that person
only when the record says so twice over: the same person called the witness and is the
last one named to speak before the short form first appears. Otherwise it stays a part
of its own, never a guess. Under "Questions From the Chair" the first to ask is the chair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.ingest.attribution import furniture
from bot.ingest.attribution.labels import Speaker, parse_speaker

_PARA_RE = re.compile(r"(?:[^\n]*\S[^\n]*\n?)+")
_QUESTIONS_FROM_RE = re.compile(r"^questions\s+(?:from|by)\s+(?P<who>.+?)\s*$", re.IGNORECASE)
_PERSON_HEAD_RE = re.compile(
    r"^(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lady|lord|baroness|baron|the\s+rt\.?\s+hon|rt\.?\s+hon)\.?\s",
    re.IGNORECASE,
)
_CALL_RE = re.compile(r"\bcall\b", re.IGNORECASE)
_CHAIR_RE = re.compile(r"^(?:the\s+)?(?:chair|chairman|chairwoman|chairperson)$", re.IGNORECASE)
_WORD_RE = re.compile(r"[\w’']+")


@dataclass(frozen=True)
class _Event:
    at: int
    kind: str  # "witness", "withdrew", "questions"
    witness: Speaker | None = None
    part: str | None = None


@dataclass(frozen=True)
class Turn:
    """A labelled turn as the transcript reader found it: where it starts and who it names."""

    at: int
    end: int
    speaker: Speaker | None


# Only a record with an underlined heading or a swearing-in has events: most do not.
_HINT_RE = re.compile(r"\n[ \t]*([-=^~])\1\1|\((?:re-?)?(?:affirmed|sworn)\)|witness withdrew", re.IGNORECASE)


def _events(text: str) -> list[_Event]:
    out: list[_Event] = []
    if not _HINT_RE.search(text):
        return out
    for m in _PARA_RE.finditer(text):
        para = m.group().strip()
        if len(para) > 300:
            continue
        title = furniture.heading_title(para)
        if title is not None:
            q = _QUESTIONS_FROM_RE.match(title)
            if q:
                out.append(_Event(m.start(), "questions", part=q.group("who")))
                continue
            who = parse_speaker(title)
            if who is not None and not who.is_office and len(who.name.split()) >= 2:
                out.append(_Event(m.start(), "witness", witness=who))
            continue
        sworn = furniture.SWORN_RE.match(para)
        if sworn:
            who = parse_speaker(sworn.group("name"))
            if who is not None and not who.is_office:
                out.append(_Event(m.start(), "witness", witness=who))
        elif furniture.WITHDREW_RE.match(para):
            out.append(_Event(m.start(), "withdrew"))
    return out


def _is_part(who: str) -> bool:
    """``Lead Counsel to the Inquiry for Module 2B`` is a part; ``Mr Straw KC`` a person."""
    return not _PERSON_HEAD_RE.match(who)


def _short_form_of(label: str, part: str) -> bool:
    """``Lead 2B`` and ``Counsel Inquiry``: every word of the label is a word of the part."""
    words = {w.casefold() for w in _WORD_RE.findall(label)}
    return bool(words) and words <= {w.casefold() for w in _WORD_RE.findall(part)}


def hearing_speakers(text: str, turns: Sequence[Turn]) -> list[Speaker | None]:
    """Each turn's speaker with "The Witness" and examiners' short forms resolved where the record says."""
    speakers = [t.speaker for t in turns]
    events = _events(text)
    if not events:
        return speakers
    ei = 0
    witness: Speaker | None = None
    part: str | None = None
    caller: Speaker | None = None
    since_questions: list[Speaker] = []  # named speakers since the last "Questions From"
    joined: dict[str, Speaker | None] = {}  # short-form key -> person, per examination
    last_called: Speaker | None = None  # the last named speaker, if that turn calls someone
    for i, turn in enumerate(turns):
        while ei < len(events) and events[ei].at < turn.at:
            ev = events[ei]
            ei += 1
            if ev.kind == "witness":
                if witness is None or ev.witness is None or witness.key != ev.witness.key:
                    caller, part, joined, since_questions = last_called, None, {}, []
                witness = ev.witness
            elif ev.kind == "withdrew":
                witness, part, joined = None, None, {}
            else:
                part, joined, since_questions = ev.part, {}, []
        sp = turn.speaker
        if sp is None:
            continue
        if sp.is_office and sp.key == "the witness":
            if witness is not None:
                speakers[i] = _as(witness, sp, role="Witness")
            continue
        is_witness = witness is not None and sp.key == witness.key
        if part is not None and _is_part(part) and _short_form_of(sp.name, part) and not is_witness:
            if sp.key not in joined:
                opener = since_questions[-1] if since_questions else None
                same = opener is not None and caller is not None and opener.key == caller.key
                joined[sp.key] = opener if same else None
            person = joined[sp.key]
            speakers[i] = (
                _as(person, sp, role=part, alias=sp.name)
                if person is not None
                else Speaker(sp.name, part, None, (), sp.name_start, sp.name_end, is_office=True)
            )
            continue
        if not sp.is_office and not is_witness and part is not None and _CHAIR_RE.match(part):
            speakers[i] = replace(sp, role=sp.role or "Chair")  # "Questions From the Chair": who asks
            part = None
        if not sp.is_office and not is_witness:
            since_questions.append(sp)
            last_called = sp if _CALL_RE.search(text, turn.at, turn.end) else None
    return speakers


def _as(person: Speaker, label: Speaker, *, role: str, alias: str | None = None) -> Speaker:
    """``person`` as named by ``label``: the label's mention offsets, with a role (and alias)."""
    aliases = person.aliases + ((alias,) if alias and alias not in person.aliases else ())
    return replace(
        person,
        role=role,
        aliases=aliases,
        name_start=label.name_start,
        name_end=label.name_end,
        is_office=False,
    )
