"""Transcripts: turns opened by a speaker label become statements of kind ``turn``.

Labels read: ``Name: words``, ``Name (Role, Party): words``, ``**Name**: words``,
``MR SMITH.`` / ``MR SMITH:`` (Hansard-style capitals), ``The Chair:`` and ``>>`` caption
speaker changes (no name, so no speaker), ``MALE:`` / ``(UNKNOWN):`` (a voice the record
does not name). A paragraph without a label continues the previous speaker; headings,
notes, stage marks and page furniture (``furniture``) are nobody's words. Labels that do
not name a person are resolved from the record's own conventions: hearings (``hearing``:
"The Witness", "Lead 2B") and debates (``debate``: surname labels, introductions,
moderators, typos). Offsets are exact: ``text == source[start:end]``. Linear in the text.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.ingest.attribution import debate, furniture, hearing
from bot.ingest.attribution.labels import (
    SHORT_HONORIFICS,
    Speaker,
    is_anonymous_label,
    is_name_like,
    label_office,
    parse_speaker,
    surname_key,
)
from bot.models import Person, Statement

_LABEL_RE = re.compile(
    r"""
    ^[ \t]*
    (?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?[ \t]+)?        # optional time stamp
    (?:\([A-Z][A-Z ,'’\-]{1,40}\)[ \t]+)?                             # (APPLAUSE) before a label
    (?P<arrows>>>[ \t]*)?
    (?:
        \*\*(?P<bold>[^*\n]{1,150}?)(?::\*\*|\*\*[ \t]*:)               # **Name**: / **Name:**
      | \((?P<anon>[A-Z][A-Z ]{2,30})\):                                 # (UNKNOWN):
      | (?P<label>[^\W\d_][^:\n()*]{0,70}?[ \t]*
                  (?:\((?:[^()\n]|\([^()\n]*\))*\)[ \t]*){0,2}):        # Name (Role, Party):
      | (?P<caps>[A-Z][A-Z'’\-]*\.?(?:[ \t]+[A-Z][A-Z'’\-]*\.?){0,5})\.  # MR SMITH.
    )
    (?=[ \t]|$)
    """,
    re.MULTILINE | re.VERBOSE,
)
_ARROWS_RE = re.compile(r"(?<!\S)>>(?!>)[ \t]*")
_PARA_BREAK_RE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END_RE = re.compile(r"[.?!][\"”’')\]]*\s+")
_STAGE_RE = re.compile(r"^[\[(][^\])\n]{0,80}[\])]\.?$|^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$")
_INTERROGATIVE_RE = re.compile(
    r"^(?:(?:thank you|thanks|okay|ok|right|so|and|but|well|chair|minister)[^.?!]{0,30}[.,]\s+)?"
    r"(?:can|could|will|would|do|does|did|is|are|was|were|has|have|had|should|shall|may|might|"
    r"what|why|how|when|where|who|whom|which|whose|isn't|aren't|don't|doesn't|won't)\b",
    re.IGNORECASE,
)
_ASKING_RE = re.compile(
    r"\b(?:(?:can|could|may|might) i ask|i(?:'d| would) like to ask|i want to ask|my question is|"
    r"i ask the|will the (?:mayor|minister|chair|member|secretary|first minister|prime minister))\b",
    re.IGNORECASE,
)
_SNIFF_CHARS = 65536
MAX_STATEMENT_CHARS = 2000
_TARGET_CHARS = 1200
_SHORT_LINE = 400  # furniture (a caption, "Advertisement") is never longer than this


@dataclass(frozen=True)
class _Boundary:
    """Where a turn starts: the label's line, the first word said, and who (if named).

    ``anonymous`` marks a label that opens a turn but names nobody (``MALE:``,
    ``(UNKNOWN):``): the words are unattributed, and they are no one else's either.
    """

    at: int
    content: int
    speaker: Speaker | None
    mention_start: int | None
    words: int = 0
    anonymous: bool = False
    caps: bool = False


def _candidate_labels(text: str, start: int = 0, end: int | None = None) -> list[_Boundary]:
    out: list[_Boundary] = []
    stop = len(text) if end is None else end
    for m in _LABEL_RE.finditer(text, start, stop):
        group = next(g for g in ("bold", "anon", "label", "caps") if m.group(g) is not None)
        raw = m.group(group)
        at = m.start("arrows") if m.group("arrows") else m.start()
        if is_anonymous_label(raw) or group == "anon":
            if group == "anon" and not is_anonymous_label(raw):
                continue
            out.append(_Boundary(at, m.end(), None, None, len(raw.split()), anonymous=True))
            continue
        speaker = _caps_speaker(raw) if group == "caps" else parse_speaker(raw)
        if speaker is None and group == "bold":
            speaker = label_office(raw)
        if speaker is None:
            continue
        words = len(raw.split("(")[0].split())
        caps = group == "label" and words == 1 and raw.strip().isupper()
        out.append(_Boundary(at, m.end(), speaker, m.start(group) + speaker.name_start, words, caps=caps))
    return out


@functools.lru_cache(maxsize=4096)
def _caps_speaker(raw: str) -> Speaker | None:
    """``MR SMITH.``: capitals ending in a full stop are a label only with a title or two words."""
    if not is_name_like(raw, caps_only=True):
        return None
    speaker = parse_speaker(raw.rstrip("."))
    if speaker is None:
        return None
    words = raw.rstrip(".").split()
    if len(words) < 2 and not speaker.is_office:
        return None
    return speaker


def _label_boundaries(text: str, start: int = 0, end: int | None = None) -> list[_Boundary]:
    """Labels plus ``>>`` changes, in order; a one-word name must recur to count as a label.

    Where the transcript's own convention is a surname in capitals (``TRUMP:``, most of
    its labels), a capitalised surname seen once opens a turn too: it is a label typo or a
    one-off voice, whose words belong to nobody before it.
    """
    labels = _candidate_labels(text, start, end)
    counts = Counter(b.speaker.key for b in labels if b.speaker is not None)
    caps_convention = _caps_convention(labels)
    kept = [
        b
        for b in labels
        if b.anonymous
        or (
            b.speaker is not None
            and (b.speaker.is_office or b.words > 1 or counts[b.speaker.key] > 1)
        )
        or (caps_convention and b.caps)
    ]
    stop = len(text) if end is None else end
    if text.find(">>", start, stop) < 0:
        return kept
    arrows = [_Boundary(m.start(), m.end(), None, None) for m in _ARROWS_RE.finditer(text, start, stop)]
    if not arrows:
        return kept
    label_at = {b.at for b in kept}
    merged = kept + [a for a in arrows if a.at not in label_at]
    merged.sort(key=lambda b: b.at)
    return merged


def _caps_convention(labels: list[_Boundary]) -> bool:
    """Whether most of a transcript's labels are one surname in capitals (``TRUMP:``)."""
    named = [b for b in labels if b.speaker is not None]
    return len(named) >= 10 and sum(b.caps for b in named) >= 0.6 * len(named)


def starts_with_label(line: str) -> bool:
    """Whether a single line opens with a speaker label or a ``>>`` change of speaker."""
    stripped = line.lstrip()
    if stripped.startswith(">>"):
        return True
    return bool(_candidate_labels(line))


def looks_like_transcript(text: str) -> bool:
    """True when the opening of ``text`` reads as turns: several lines open with a speaker label."""
    sample = text[:_SNIFF_CHARS]
    bounds = _label_boundaries(sample)
    named = [b for b in bounds if b.speaker is not None]
    unnamed = len(bounds) - len(named)
    if len(bounds) < 3:
        return False
    bold = {b.speaker.key for b in named if b.speaker and sample.startswith("**", b.at)}
    if len(bold) >= 2 and sum(1 for b in named if sample.startswith("**", b.at)) >= 5:
        return True  # ``**Name**:`` turns: mark-up no report uses, however the lines wrap
    if len({b.speaker.key for b in named if b.speaker}) < 2 and unnamed < 3:
        return False
    blocks = [m.start() for m in _PARA_BREAK_RE.finditer(sample)]
    starts = [0, *blocks]
    nonempty = 0
    labelled = 0
    j = 0
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(sample)
        if not sample[s:e].strip():
            continue
        nonempty += 1
        while j < len(bounds) and bounds[j].at < s:
            j += 1
        if j < len(bounds) and bounds[j].at < e:
            labelled += 1
    return nonempty > 0 and labelled / nonempty >= 0.3


def is_question(text: str) -> bool:
    """Whether a passage asks something: it ends with ``?`` or opens like a question."""
    stripped = text.rstrip(" \t\n\"”’')")
    if stripped.endswith("?"):
        return True
    head = text[:300]
    if "?" in head and _INTERROGATIVE_RE.match(head):
        return True
    return bool(_ASKING_RE.search(head))


def _is_heading(para: str) -> bool:
    """A short line in capitals without closing punctuation: a heading, not speech."""
    return (
        "\n" not in para
        and len(para) <= 80
        and para.isupper()
        and para[-1] not in ".?!:;,\"”"
    )


def _chunks(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split [a, b) into paragraph-sized pieces at sentence ends (whitespace as fallback)."""
    pieces: list[tuple[int, int]] = []
    while b - a > MAX_STATEMENT_CHARS:
        cut = -1
        for m in _SENTENCE_END_RE.finditer(text, a + _TARGET_CHARS // 2, a + MAX_STATEMENT_CHARS):
            cut = m.start() + 1
            while cut < b and text[cut] in "\"”’')]":
                cut += 1
            if cut - a >= _TARGET_CHARS:
                break
        if cut <= a:
            space = text.rfind(" ", a + _TARGET_CHARS // 2, a + MAX_STATEMENT_CHARS)
            cut = space if space > a else a + MAX_STATEMENT_CHARS
        pieces.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        pieces.append((a, b))
    return pieces


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def turn_statements(
    text: str,
    a: int,
    b: int,
    speaker: str | None,
    mention: tuple[int, int] | None,
    *,
    headings: bool = True,
) -> list[Statement]:
    """Statements of one turn's words in ``text[a:b]``: one per paragraph, long ones split.

    With ``headings`` a line in capitals ends the turn (the words after it are nobody's
    until a new label); structured sources that name every speaker turn that off.
    """
    out: list[Statement] = []
    who = speaker
    for s, e in _paragraph_spans(text, a, b):
        para = text[s:e]
        if _STAGE_RE.match(para) or furniture.is_note(para):
            continue
        if furniture.is_section_heading(para):
            who, mention = None, None  # a new section: its words are nobody's until a label
            continue
        s, e = furniture.speech_span(text, s, e)
        if s >= e or _STAGE_RE.match(text[s:e]):
            continue
        if headings and _is_heading(text[s:e]):
            who, mention = None, None  # words after a heading are nobody's until a new label
            continue
        for ps, pe in furniture.split_at_marks(text, s, e):
            for cs, ce in _chunks(text, ps, pe):
                chunk = text[cs:ce]
                out.append(
                    Statement(
                        speaker=who,
                        text=chunk,
                        kind="turn",
                        start=cs,
                        end=ce,
                        mention_start=mention[0] if mention else None,
                        mention_end=mention[1] if mention else None,
                        is_question=is_question(chunk),
                    )
                )
    return out


def _paragraph_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Paragraphs of ``text[a:b]``, trimmed; a sentence hard-wrapped over a blank line is one.

    Some transcripts (the Covid Inquiry's) break a line mid-sentence with a blank line:
    a paragraph that ends in a lower-case word or a comma runs on into the next one
    (unless that is a heading or a note).
    """
    spans: list[tuple[int, int]] = []
    para_start = a
    for brk in [m.start() for m in _PARA_BREAK_RE.finditer(text, a, b)] + [b]:
        s, e = _trim(text, para_start, brk)
        para_start = brk + 1
        if s >= e:
            continue
        if spans and _runs_on(text, spans[-1], (s, e)):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def _runs_on(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether paragraph ``after`` continues the sentence ``before`` broke off."""
    last = text[before[1] - 1]
    if not (last.islower() or last == ","):
        return False
    tail_at = max(before[0], text.rfind("\n", before[0], before[1]) + 1)
    if before[1] - tail_at <= _SHORT_LINE and furniture.is_furniture_line(text[tail_at : before[1]]):
        return False
    head_end = text.find("\n", after[0], after[1])
    head_end = after[1] if head_end < 0 else head_end
    if head_end - after[0] <= _SHORT_LINE and furniture.is_furniture_line(text[after[0] : head_end]):
        return False
    if text[after[0]] == "*" or head_end < after[1]:  # a note, or a two-line heading
        para = text[after[0] : after[1]]
        return not (furniture.is_section_heading(para) or furniture.is_note(para))
    return True


def resolve_people(speakers: list[Speaker]) -> tuple[dict[str, str], list[Person]]:
    """One canonical person per session: map each speaker key to a name, and build people.

    ``Mr Khan`` / ``KHAN`` join ``Sadiq Khan`` only when exactly one full name in the
    session has that surname; otherwise they stay apart (never a guess).
    """
    full: dict[str, list[str]] = {}
    for sp in speakers:
        if not sp.is_office and len(sp.name.split()) >= 2 and not _is_short_form(sp.name):
            full.setdefault(surname_key(sp.name), [])
            if sp.key not in full[surname_key(sp.name)]:
                full[surname_key(sp.name)].append(sp.key)
    target: dict[str, str] = {}
    for sp in speakers:
        if sp.key in target:
            continue
        if not sp.is_office and (_is_short_form(sp.name) or len(sp.name.split()) == 1):
            same = full.get(surname_key(sp.name), [])
            target[sp.key] = same[0] if len(same) == 1 else sp.key
        else:
            target[sp.key] = sp.key
    display: dict[str, str] = {}
    for sp in speakers:
        key = target[sp.key]
        if sp.key == key and key not in display:
            display[key] = sp.name
    merged: dict[str, _PersonDraft] = {}
    for sp in speakers:
        key = target[sp.key]
        draft = merged.setdefault(key, _PersonDraft(display.get(key, sp.name)))
        draft.role = draft.role or sp.role
        draft.party = draft.party or sp.party
        for alias in (sp.name, *sp.aliases):
            if alias != draft.name and alias not in draft.aliases:
                draft.aliases.append(alias)
    names = {k: merged[target[k]].name for k in target}
    people = [Person(d.name, d.role, d.party, tuple(d.aliases)) for d in merged.values()]
    return names, people


@dataclass
class _PersonDraft:
    name: str
    role: str | None = None
    party: str | None = None
    aliases: list[str] = field(default_factory=list)


def _is_short_form(name: str) -> bool:
    words = name.split()
    return len(words) == 2 and words[0].rstrip(".").casefold() in SHORT_HONORIFICS


def attribute_transcript(text: str) -> tuple[list[Statement], list[Person]]:
    """Every turn of a transcript as statements, with the session's people.

    Before people are resolved, the record's own conventions name the labels that do not
    name a person themselves: "The Witness" and examiners' short forms (``hearing``).
    """
    bounds = _label_boundaries(text)
    ends = [bounds[i + 1].at if i + 1 < len(bounds) else len(text) for i in range(len(bounds))]
    turns = [hearing.Turn(b.at, e, b.speaker) for b, e in zip(bounds, ends, strict=True)]
    speakers = hearing.hearing_speakers(text, turns)
    if _caps_convention(bounds):
        speakers = debate.debate_speakers(text, speakers)
    names, people = resolve_people(list(dict.fromkeys(sp for sp in speakers if sp is not None)))
    statements: list[Statement] = []
    for bound, end, sp in zip(bounds, ends, speakers, strict=True):
        speaker = names[sp.key] if sp is not None else None
        mention = None
        if sp is not None and bound.mention_start is not None:
            length = sp.name_end - sp.name_start
            mention = (bound.mention_start, bound.mention_start + length)
        statements.extend(turn_statements(text, bound.content, end, speaker, mention))
    return statements, people
