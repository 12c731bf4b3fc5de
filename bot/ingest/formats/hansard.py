"""ParlParse / TheyWorkForYou XML (Commons, Scottish Parliament, NI Assembly debates).

Each ``<speech speakername=… person_id=…>`` becomes a turn written as ``Name: words``
paragraphs; headings are kept in the text as the topics they introduce; italic
paragraphs ("Question put and agreed to.") are procedure, not anybody's words.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from bot.errors import IngestError
from bot.ingest.attribution.labels import parse_speaker
from bot.ingest.formats.document import Document, TurnWriter

_HOUSES = {
    "debate": "House of Commons debates",
    "westminhall": "Westminster Hall debates",
    "lords": "House of Lords debates",
    "wrans": "Written answers",
    "wms": "Written ministerial statements",
    "spor": "Scottish Parliament Official Report",
    "ni": "Northern Ireland Assembly Official Report",
    "senedd": "Senedd Record of Proceedings",
}
_ID_RE = re.compile(r"publicwhip/([a-z]+)/(\d{4}-\d{2}-\d{2})")
_HEADINGS = ("major-heading", "minor-heading", "oral-heading", "subheading")


def looks_like_hansard(head: str) -> bool:
    """Whether the opening of an XML document is a ParlParse/TheyWorkForYou record."""
    return "<publicwhip" in head or "uk.org.publicwhip" in head


def _text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def read(data: bytes, source: str) -> Document:
    """Speeches as turns with speaker names and ids; the date and house from the ids."""
    try:
        root = ET.fromstring(data)  # noqa: S314 - expat: internal entities only, expansion limited
    except ET.ParseError as exc:
        raise IngestError(f"{source} is not well-formed XML ({exc}).") from None
    except RecursionError:
        raise IngestError(f"{source} is XML nested too deeply to be a record; nothing was stored.") from None
    writer = TurnWriter()
    house = date = None
    speeches = 0
    for el in root.iter():
        if el.tag in _HEADINGS:
            writer.heading(_text(el))
        elif el.tag == "speech":
            speeches += 1
            m = _ID_RE.search(el.get("id", ""))
            if m and date is None:
                house, date = _HOUSES.get(m.group(1), m.group(1)), m.group(2)
            _speech(writer, el)
    if not speeches:
        raise IngestError(
            f"{source} is XML but has no <speech> elements of a ParlParse/TheyWorkForYou record."
        )
    doc = writer.finish()
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([\w.-]+)", data.lstrip()[:200])
    doc.encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    doc.date = date
    doc.title = f"{house}, {date}" if house and date else None
    return doc


def _speech(writer: TurnWriter, el: ET.Element) -> None:
    name = el.get("speakername")
    if not name or el.get("nospeaker") == "true":
        for p in el.iter("p"):
            writer.heading(_text(p))
        return
    speaker = parse_speaker(name)
    office = el.get("speakeroffice")
    if speaker is not None and office and not speaker.role:
        speaker = replace(speaker, role=" ".join(office.split()))
    person = el.get("person_id") or el.get("speakerid")
    run: list[str] = []
    paragraphs = list(el.iter("p")) or [el]
    for p in paragraphs:
        if "italic" in (p.get("class") or "") and run:
            writer.turn(name, run, speaker, external_id=person)
            run = []
            writer.heading(_text(p))
        elif "italic" in (p.get("class") or ""):
            writer.heading(_text(p))
        else:
            run.append(_text(p))
    writer.turn(name, run, speaker, external_id=person)
