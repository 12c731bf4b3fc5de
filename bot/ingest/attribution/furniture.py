"""What a transcript prints that nobody said: headings, notes, stage directions, page furniture.

Read by the transcript attributor before it makes a statement of a paragraph:
- reStructuredText section headings (a line, then a line of ``-``, ``=``, ``^`` or ``~`` at
  least as long): witness names and "Questions From …" in inquiry transcripts;
- notes set in emphasis on a line of their own: ``*MR EDWIN POOTS (affirmed).*``,
  ``*(10.00 am)*``, ``*(The witness withdrew)*``;
- stage directions in capitals in parentheses, alone or at either end of a paragraph
  (``(APPLAUSE)``, ``(CROSSTALK)``, ``(CHEERING AND APPLAUSE)``); ``(inaudible)`` and
  ``(ph)`` in lower case are the transcriber's marks inside speech and stay;
- the furniture of a news site a transcript was copied from ("Advertisement",
  "Continue reading the main story", photo captions ending in a credit line).
All offsets are into the one text; nothing here changes it.
"""

from __future__ import annotations

import re

_UNDERLINE_RE = re.compile(r"^[ \t]*([-=^~*#+`'\"])\1{2,}[ \t]*$")
_EMPHASIS_NOTE_RE = re.compile(r"^\*[^*\n]+\*$")
SWORN_RE = re.compile(
    r"^\*(?P<name>[A-Z][A-Za-z .'’\-]+?)[ \t]*\((?:affirmed|sworn|re-?affirmed|re-?sworn)\)\.?\*$",
    re.IGNORECASE,
)
WITHDREW_RE = re.compile(r"^\*?\(?the witness (?:withdrew|was released|stood down)\)?\.?\*?$", re.IGNORECASE)
# A stage direction: capitals in parentheses with a word of the stage's vocabulary, so an
# acronym in speech ("personal protective equipment (PPE)", "(NATO)") stays speech.
STAGE_MARK_RE = re.compile(r"\([A-Z][A-Z ,'’\-]{1,40}\)")
STAGE_WORDS = frozenset(
    """applause laughter laughs crosstalk inaudible unintelligible unknown break cheering cheers
    cheer boos booing boo audience music pause silence commercial video clip begin end recess gavel
    bell bells interruption interrupting interrupts technical difficulties off-mike mic mike
    translation translated interpreter speaking foreign language noise protest protesters
    protesting chanting chants shouting yelling groans gasps sighs""".split()
)
_SITE_FURNITURE = frozenset(
    [
        "advertisement",
        "continue reading the main story",
        "continue reading",
        "related coverage",
        "related",
        "photo",
        "video",
        "supported by",
        "read more",
        "share this",
        "transcript",
    ]
)
_LONGEST_SITE_LINE = 2 * max(len(w) for w in _SITE_FURNITURE)
# "John Kasich, left, Mike Huckabee …": a photo caption names people by their place in it.
_CAPTION_RE = re.compile(
    r"(?:[A-Z][\w.'’\-]*\s+){1,4}[A-Z][\w.'’\-]*,\s+(?:left|right|center|centre|second from left),\s+[A-Z]"
)
_CREDIT_RE = re.compile(r"\bCredit\s+[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+)*(?:/[A-Z][\w .'’\-]+)?$")


_MAX_FURNITURE_CHARS = 400  # the longest photo caption seen is ~250 characters


def is_section_heading(para: str) -> bool:
    """``Mr Edwin Poots`` over ``--------------``: a reStructuredText section title."""
    nl = para.find("\n")
    if nl <= 0 or nl > _MAX_FURNITURE_CHARS or para.find("\n", nl + 1) >= 0:
        return False
    title, under = para[:nl].strip(), para[nl + 1 :]
    return bool(title) and bool(_UNDERLINE_RE.match(under)) and len(under.strip()) >= len(title) - 1


def heading_title(para: str) -> str | None:
    """The title of a section heading, or None if the paragraph is not one."""
    return para[: para.find("\n")].strip() if is_section_heading(para) else None


def is_note(para: str) -> bool:
    """A line set wholly in emphasis (``*(11.16 am)*``, a swearing-in): the record's note."""
    return para[:1] == "*" and "\n" not in para and bool(_EMPHASIS_NOTE_RE.match(para.strip()))


def is_furniture_line(line: str) -> bool:
    """A line of the web page the transcript was copied from, not of the record."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return False
    if len(line) <= _LONGEST_SITE_LINE and " ".join(line.split()).strip(" .:").casefold() in _SITE_FURNITURE:
        return True
    line = line.strip()
    if "Credit" in line and _CREDIT_RE.search(line):
        return True
    return ", " in line and bool(_CAPTION_RE.match(line))


def speech_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` less the furniture lines at its top and bottom.

    Returns an empty span (start == end) when nothing said is left.
    """
    # Drop whole furniture lines at the top and bottom of the paragraph (a line longer
    # than any furniture is never sliced out to be looked at).
    while start < end:
        nl = text.find("\n", start, end)
        line_end = end if nl < 0 else nl
        if line_end - start > _MAX_FURNITURE_CHARS or not is_furniture_line(text[start:line_end]):
            break
        start = end if nl < 0 else nl + 1
    while start < end:
        nl = text.rfind("\n", start, end)
        line_start = start if nl < 0 else nl + 1
        if end - line_start > _MAX_FURNITURE_CHARS or not is_furniture_line(text[line_start:end]):
            break
        end = start if nl < 0 else nl
    return start, max(start, end)


def split_at_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of speech either side of the stage marks inside a paragraph (``… (CROSSTALK) …``)."""
    if text.find("(", start, end) < 0:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in STAGE_MARK_RE.finditer(text, start, end):
        if not is_stage_mark(m.group()):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    out = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def is_stage_mark(mark: str) -> bool:
    """``(CHEERING AND APPLAUSE)`` yes, ``(NATO)`` no: a word of the stage's vocabulary inside."""
    return any(w in STAGE_WORDS for w in re.split(r"[\s,]+", mark.strip("()").casefold()))
