"""The US Congressional Record as GovInfo publishes it: an HTML page with the text in ``<pre>``.

How the record is set, and how it is read here:
- a speech paragraph is a line indented two spaces, hard-wrapped flush left; a turn opens
  with the speaker in capitals and a full stop: ``Mr. CORNYN.``, ``Ms. LANDRIEU.``,
  ``Mr. SMITH of Oregon.``, ``The PRESIDING OFFICER.``, ``The ACTING PRESIDENT pro tempore.``,
  ``The SPEAKER pro tempore (Mr. LaHOOD).``; a turn runs until the next one or a heading;
- page marks ``[[Page S5579]]`` fall anywhere, even mid-sentence: they are the page the
  words after them are printed on, not words, and do not end the turn;
- the bracketed banner (volume, chamber, pages), ``____`` rules, centred headings and bill
  headings (``By Mr. CORNYN (for himself and Mr. Leahy):``) are the record's furniture:
  kept in the text, no one's words, and a heading ends the turn before it;
- material printed in the Record (a bill's text, a letter), indented deeper, and the
  clerk's "There being no objection, … ordered to be printed" are not the member's words.
Surnames join a full name the page gives ("Senator John Cornyn") when it gives exactly
one; otherwise the member is ``Mr Cornyn`` with ``Cornyn`` and ``Senator Cornyn`` as
aliases. The stored text has each paragraph unwrapped onto one line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.errors import IngestError
from bot.ingest.attribution.labels import Speaker
from bot.ingest.attribution.record_names import full_names, only_full_name
from bot.ingest.attribution.transcript import resolve_people, turn_statements
from bot.ingest.formats.document import Document
from bot.models import Statement
from bot.text.lexicon import MONTH_NAMES

_PRE_RE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_TITLE_RE = re.compile(r"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)
_BANNER_RE = re.compile(
    r"^\[Congressional Record Volume \d+, (?:Number|Issue) \d+ \((?P<date>[^)]+)\)\]", re.MULTILINE
)
_PAGE_MARK_RE = re.compile(r"^\s*\[\[Page (?P<page>[SHE]\d+)\]\]\s*$")
_PAGES_RE = re.compile(r"^\s*\[Pages? (?P<page>[SHE]\d+)")
_CHAMBER_RE = re.compile(
    r"^\[(?P<chamber>Senate|House of Representatives|House|Extensions of Remarks)\]\s*$", re.MULTILINE
)
_SURNAME = r"(?:Mc|Mac|La|De|Di|Du|Van|Von|O')?[A-Z][A-Z'\-]+"
_TURN_RE = re.compile(
    r"^  (?P<label>"
    rf"(?P<honorific>Mr|Ms|Mrs|Miss|Dr)\. (?P<surname>{_SURNAME}(?: {_SURNAME})*)"
    r"(?: of (?P<state>[A-Z][a-z]+(?: [A-Z][a-z]+)*))?"
    r"|The (?P<office>[A-Z][A-Z ]*[A-Z](?: pro tempore)?)"
    rf"(?: \((?P<held_by>(?:Mr|Ms|Mrs|Miss|Dr)\. {_SURNAME}(?: {_SURNAME})*)\))?"
    r")\.(?= |$)"
)
_BILL_HEADING_RE = re.compile(r"^\s+By (?:Mr|Ms|Mrs|Miss|Dr)\. [A-Z].*:\s*$")
_RULE_RE = re.compile(r"^\s*_{5,}\s*$")
_NARRATION_RE = re.compile(
    r"^(?:There being no objection,|\(The (?:remarks|text|bill|amendment|following)\b|"
    r"The (?:bill|resolution|amendment|motion|joint resolution|concurrent resolution) (?:was|is|were) "
    r"(?:read|ordered|agreed|passed|considered|deemed|laid|referred)\b|"
    r"The (?:legislative |assistant legislative |bill )?clerk (?:read|will|proceeded|called)\b)"
)
_MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
_DATE_RE = re.compile(r"(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})")
_ROLE_BY_CHAMBER = {
    "senate": "Senator",
    "house": "Representative",
    "house of representatives": "Representative",
}


def looks_like_congressional_record(text: str) -> bool:
    """An HTML page whose ``<pre>`` opens with the Congressional Record's banner."""
    head = text[:4096]
    return "<pre" in head.lower() and bool(_BANNER_RE.search(head))


@dataclass
class _Para:
    kind: str  # "speech", "inserted", "heading", "narration"
    lines: list[str]
    label: re.Match[str] | None = None


@dataclass
class _Turn:
    label: re.Match[str]
    paras: list[_Para] = field(default_factory=list)


def _pre_text(text: str, source: str) -> str:
    blocks = _PRE_RE.findall(text)
    if not blocks:
        raise IngestError(f"{source} looks like a Congressional Record page but has no <pre> text.")
    return html.unescape(_TAG_RE.sub("", "\n".join(blocks)))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _paragraphs(body: str, pages: list[tuple[int, str]]) -> list[_Para]:
    """Group the page's lines into paragraphs, noting page marks (by paragraph index) in ``pages``."""
    paras: list[_Para] = []
    for raw in body.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            continue
        mark = _PAGE_MARK_RE.match(line)
        if mark:
            pages.append((len(paras), mark.group("page")))
            continue
        if line.startswith(("[", "From the Congressional Record Online")) or _RULE_RE.match(line):
            paras.append(_Para("heading", [line.strip()]))
            continue
        indent = _indent(line)
        current = paras[-1] if paras else None
        if indent == 0 and current is not None and current.kind != "heading":
            current.lines.append(line)
            continue
        if _BILL_HEADING_RE.match(line):
            paras.append(_Para("heading", [line.strip()]))
        elif indent == 2:
            turn = _TURN_RE.match(line)
            kind = "narration" if turn is None and _NARRATION_RE.match(line.strip()) else "speech"
            paras.append(_Para(kind, [line.strip()], turn))
        elif current is not None and current.kind == "inserted" and indent > 8:
            current.lines.append(line.strip())
        elif current is not None and current.kind == "inserted" and indent > 2:
            paras.append(_Para("inserted", [line.strip()]))
        elif indent >= 6 and (line.strip().isupper() or len(line.strip()) < 60) and _is_centred(line):
            paras.append(_Para("heading", [line.strip()]))
        else:
            paras.append(_Para("inserted", [line.strip()]))
    return paras


def _is_centred(line: str) -> bool:
    """A centred heading: set well in from the margin, and no sentence of speech."""
    body = line.strip()
    return _indent(line) >= 6 and not body.endswith((",", ";")) and len(body) <= 72


def _unwrap(lines: list[str]) -> str:
    """Join a paragraph's lines; a line ending in a hyphen or a dash joins without a space."""
    out = lines[0].strip()
    for line in lines[1:]:
        piece = line.strip()
        out += piece if out.endswith("-") else " " + piece
    return out


def _page_number(page: str) -> int:
    return int(page[1:])


def _speaker(m: re.Match[str], chamber_role: str | None, names: dict[str, dict[str, str]]) -> Speaker:
    label = m.group("label")
    if m.group("office") is not None:
        office = m.group("office")
        words = [w if w == "pro" or w == "tempore" else w.capitalize() for w in office.split()]
        title = " ".join(words)
        held = m.group("held_by")
        if held:
            person = _member(held, None, chamber_role, names)
            return Speaker(person.name, title, None, person.aliases, 0, len(label))
        return Speaker(f"The {title}", title, None, (), 0, len(label), is_office=True)
    return _member(label, m.group("state"), chamber_role, names)


def _member(
    label: str, state: str | None, chamber_role: str | None, names: dict[str, dict[str, str]]
) -> Speaker:
    honorific, rest = label.split(". ", 1)
    surname_caps = rest.split(" of ")[0]
    surname = " ".join(_title_case(w) for w in surname_caps.split())
    short = f"{honorific} {surname}" + (f" of {state}" if state else "")
    aliases = [surname] + ([f"{chamber_role} {surname}"] if chamber_role else [])
    full = None if state else only_full_name(names, surname)
    if full is not None:
        aliases.append(short)
        return Speaker(full, chamber_role, None, tuple(aliases), 0, len(label))
    return Speaker(short, chamber_role, None, tuple(aliases), 0, len(label))


def _title_case(word: str) -> str:
    """``CORNYN`` -> ``Cornyn``; ``LaHOOD`` -> ``LaHood``; ``McCAIN`` -> ``McCain``."""
    m = re.match(r"^(Mc|Mac|La|De|Di|Du|Van|Von)([A-Z].*)$", word)
    if m:
        return m.group(1) + m.group(2).capitalize()
    parts = word.split("-")
    return "-".join("O'" + p[2:].capitalize() if p.startswith("O'") else p.capitalize() for p in parts)


def _date(text: str) -> str | None:
    m = _BANNER_RE.search(text)
    d = _DATE_RE.search(m.group("date")) if m else None
    if d is None or d.group("month").casefold() not in _MONTHS:
        return None
    return f"{d.group('year')}-{_MONTHS[d.group('month').casefold()]:02d}-{int(d.group('day')):02d}"


def read(text: str, source: str) -> Document:
    """The page's proceedings as text, each member's turns as statements, cited to the printed page."""
    body = _pre_text(text, source)
    chamber = _CHAMBER_RE.search(body)
    chamber_role = _ROLE_BY_CHAMBER.get(chamber.group("chamber").casefold()) if chamber else None
    page_marks: list[tuple[int, str]] = []
    paras = _paragraphs(body, page_marks)
    names = full_names("\n".join(" ".join(p.lines) for p in paras if p.kind != "heading"))
    first_page = next((m.group("page") for p in paras for m in [_PAGES_RE.match(p.lines[0])] if m), None)

    parts: list[str] = []
    pos = 0
    anchors: list[tuple[int, int]] = [(0, _page_number(first_page))] if first_page else []
    marks = dict(page_marks)  # paragraph index -> page printed from there on
    spans: list[tuple[int, int, Speaker | None, tuple[int, int] | None]] = []
    speaker: Speaker | None = None
    mention: tuple[int, int] | None = None
    for i, para in enumerate(paras):
        if i in marks:
            anchors.append((pos, _page_number(marks[i])))
        piece = _unwrap(para.lines)
        start = pos
        parts.append(piece + "\n\n")
        pos += len(piece) + 2
        if para.kind == "heading":
            speaker, mention = None, None  # a heading ends the turn before it
            continue
        if para.kind != "speech":
            continue  # printed material and the clerk's narration: no one's words
        words_at = start
        if para.label is not None:
            speaker = _speaker(para.label, chamber_role, names)
            mention = (start + speaker.name_start, start + speaker.name_end)
            words_at = start + len(para.label.group()) - 2  # the label line kept its two-space indent
            while words_at < start + len(piece) and piece[words_at - start] in ". ":
                words_at += 1
        if speaker is not None:
            spans.append((words_at, start + len(piece), speaker, mention))
    out_text = "".join(parts)
    resolved, people = resolve_people(list(dict.fromkeys(s for _, _, s, _ in spans if s is not None)))
    statements: list[Statement] = []
    for a, b, who, ment in spans:
        name = resolved[who.key] if who is not None else None
        statements.extend(turn_statements(out_text, a, b, name, ment, headings=False))
    title_m = _TITLE_RE.search(text)
    return Document(
        text=out_text,
        statements=statements,
        people=people,
        pages=anchors,
        title=" ".join(title_m.group(1).split()) if title_m else None,
        date=_date(body),
    )
