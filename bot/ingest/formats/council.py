"""Meeting transcripts as JSON: Council Data Project sentences, and QMSum meetings.

CDP captions carry no names: ``>>`` marks a change of speaker, so consecutive sentences
form one turn (with the time it began), unattributed unless the turn before ends in the
chair's call of someone by title and name ("Councilmember Fife?"), which gives it to them.
QMSum meetings list named turns and are written out as ``Speaker: words`` paragraphs, as
the QMSum benchmark writes them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from typing import Any

from bot.errors import IngestError
from bot.ingest.attribution.labels import Speaker, parse_speaker
from bot.ingest.formats.document import Document, TurnWriter
from bot.text.lexicon import OFFICE_WORDS

# A change of speaker in CDP captions: ">>", sometimes run on from a dash or stray marks.
_CHANGE = re.compile(r"\s*[-&!]*>>")
# The chair's call that ends a turn and hands the floor to someone by title and name:
# "Councilmember Fife?", "thank you, Councilmember Kalb?", "president BAS?", "we have Ms.
# Olugbala, good morning, please Unmute, you may begin." The titles are the ones a chair
# calls members and speakers by; the name is capitalised as captions write names.
_TITLE = (
    r"(?P<title>council\s*member|councilwoman|councilman|vice\s+mayor|mayor|president|pro\s+tem|"
    r"supervisor|commissioner|chair|director|mr\.?|ms\.?|mrs\.?|dr\.?)"
)
_NAME = r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
_CALL = re.compile(
    rf"(?:^|[\s,.;])(?i:{_TITLE})\s+{_NAME}(?:\s*\?|,[^.?!]*\byou\s+may\s+begin\.?)\s*$"
)
# Words that are part of an office in a call, besides the office words themselves.
_OFFICE_PARTS = frozenset(["vice", "pro", "tem"])
_TITLE_FORMS = {
    "councilmember": "Councilmember",
    "council member": "Councilmember",
    "vice mayor": "Vice Mayor",
    "pro tem": "Pro Tem",
}


def called(text: str) -> str | None:
    """Whom a turn ending in the chair's call gives the floor to ("Councilmember Fife"), if anyone."""
    m = _CALL.search(text.strip())
    if not m:
        return None
    title = " ".join(m.group("title").split()).lower()
    title = _TITLE_FORMS.get(title, title[:1].upper() + title[1:])
    return f"{title} {m.group('name')}"


# A one-sentence turn that hands the floor back to the presiding office by its vocative:
# "Madam President, that was the last Speaker."
_HAND_OVER = re.compile(
    r"^(?:thank\s+you,?\s+)?(?:madam|madame|mister|mr\.?)\s+(?P<office>president|chair|mayor)\b[^.?!]*[.!]?$",
    re.IGNORECASE,
)
_HAND_OVER_WORDS = 12


def _hand_overs(
    turns: list[tuple[str | None, list[str], list[float | None]]], speakers: list[Speaker | None]
) -> None:
    """Give the turn after a hand-over to the presiding office to the one person holding it.

    "Madam President, that was the last Speaker.": the next turn is the president's, when
    the calls showed exactly one person holding that office in the session.
    """
    holders: dict[str, set[str]] = {}
    for sp in speakers:
        if sp is not None and sp.role:
            holders.setdefault(sp.role.split()[-1].lower(), set()).add(sp.name)
    for i in range(len(turns) - 1):
        text = " ".join(turns[i][1]).strip()
        m = _HAND_OVER.match(text)
        if not m or len(text.split()) > _HAND_OVER_WORDS or turns[i + 1][0] is not None:
            continue
        names = holders.get(m.group("office").lower(), set())
        if len(names) == 1 and speakers[i + 1] is None:
            name = next(iter(names))
            speakers[i + 1] = next(sp for sp in speakers if sp is not None and sp.name == name)


def _called_speaker(call: str) -> Speaker | None:
    """The person a call names, with any office in the call as their role.

    "Vice Mayor Kaplan", "President BAS": the office is a role, never part of the name; a
    form of address ("Councilmember", "Ms.") is kept as the record writes it.
    """
    office = [w for w in call.split()[:-1] if w.lower() in OFFICE_WORDS or w.lower() in _OFFICE_PARTS]
    if not office:
        return parse_speaker(call)
    rest = call.split()[len(office) :]
    person = parse_speaker(" ".join(rest))
    if person is None:
        return None
    return replace(person, role=" ".join(office), aliases=tuple(dict.fromkeys((*person.aliases, call))))


def _load(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{source} is not valid JSON: it is not UTF-8 text ({exc.reason} at byte {exc.start:,})."
        ) from None
    except json.JSONDecodeError as exc:
        raise IngestError(f"{source} is not valid JSON ({exc}).") from None
    except RecursionError:
        raise IngestError(
            f"{source} is JSON nested too deeply to be a transcript; nothing was stored."
        ) from None
    except ValueError:  # an integer past Python's 4,300-digit limit for int() of a string
        raise IngestError(
            f"{source} is JSON with a number too long to be a transcript's (thousands of digits); "
            "nothing was stored."
        ) from None


def _seconds(value: object) -> float | None:
    """A start time in seconds, or None for anything that is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return seconds if math.isfinite(seconds) else None


def read(data: bytes, source: str) -> Document:
    """CDP transcript JSON: turns grouped at each ``>>`` (or named speaker change)."""
    doc = _load(data, source)
    sentences = doc.get("sentences") if isinstance(doc, dict) else None
    if not isinstance(sentences, list):
        raise IngestError(f"{source} is JSON but not a Council Data Project transcript (no 'sentences').")
    writer = TurnWriter()
    pieces: list[str] = []
    times: list[float | None] = []
    name: str | None = None
    turns: list[tuple[str | None, list[str], list[float | None]]] = []

    def flush() -> None:
        turns.append((name, pieces, times))

    for s in sentences:
        if not isinstance(s, dict):
            continue
        said_by = s.get("speaker_name") if isinstance(s.get("speaker_name"), str) else None
        # A caption marks a change of speaker with ">>", at the start of a sentence or, where
        # the captioner ran two speakers into one sentence, inside it ("they have-->> that's
        # the end of public comment", "->> thank you."): each marker starts a new turn.
        parts = _CHANGE.split(str(s.get("text") or "").strip())
        for n, part in enumerate(parts):
            text = part.strip()
            change = n > 0 or (said_by is not None and said_by != name)
            if change and pieces:
                flush()
                pieces, times = [], []
            if change:
                name = said_by
            if text:
                pieces.append(text)
                times.append(_seconds(s.get("start_time")))
    if pieces:
        flush()
    speakers: list[Speaker | None] = []
    previous = ""
    for label, texts, _ in turns:
        speaker = parse_speaker(label) if label else None
        if label is None and (call := called(previous)):
            # Captions carry no names, but the chair's call says who speaks next; the text
            # stays as captioned (no label is written into it), the turn is theirs.
            speaker = _called_speaker(call)
        speakers.append(speaker)
        previous = " ".join(texts)
    _hand_overs(turns, speakers)
    for (label, texts, seconds), speaker in zip(turns, speakers, strict=True):
        writer.turn(label if label and speaker else None, texts, speaker, seconds=seconds, joiner=" ")
    out = writer.finish()
    when = doc.get("session_datetime")
    out.date = when[:10] if isinstance(when, str) and len(when) >= 10 else None
    return out


def read_qmsum(data: bytes, source: str) -> Document:
    """A QMSum meeting: each ``{speaker, content}`` turn becomes ``Speaker: content``."""
    doc = _load(data, source)
    turns = doc.get("meeting_transcripts") if isinstance(doc, dict) else None
    if not isinstance(turns, list):
        raise IngestError(f"{source} is JSON but has no 'meeting_transcripts' list.")
    writer = TurnWriter()
    for t in turns:
        if not isinstance(t, dict):
            continue
        label = " ".join(str(t.get("speaker") or "").split())
        content = str(t.get("content") or "").strip()
        speaker = parse_speaker(label) if label else None
        writer.turn(label or None, [content], speaker, normalize=False)
    return writer.finish()
