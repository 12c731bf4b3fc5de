"""Read a source into text and statements: decode, detect the format, extract.

Every reader returns an ``Extraction`` whose offsets point into ``Extraction.text``; for
plain text that is the decoded file itself, so citations can be checked against it.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from bot.errors import IngestError
from bot.ingest.formats.document import Document, cite
from bot.models import Extraction, Person, Statement

MB = 1024 * 1024
MAX_BYTES_DEFAULT = 60 * MB

Reader = Callable[[bytes, str], Extraction]


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, then cp1252, latin-1.

    Returns the text and the encoding used, so a moderator can be told which one it was.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs or control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def read_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode a text source, refusing empty and binary input with a clear message."""
    if not data.strip():
        raise IngestError(f"{source} is empty: there is nothing to extract.")
    if looks_binary(data):
        raise IngestError(
            f"{source} looks like a binary file, not text. Supported: plain text reports and "
            "transcripts, PDF, HTML, WebVTT/SRT captions, Hansard XML, council transcript JSON, DOCX."
        )
    return decode(data)


def extract_prose(data: bytes, source: str) -> Extraction:
    """A news report or press release: quotes and reported speech."""
    from bot.ingest.attribution.prose import attribute_prose

    text, encoding = read_text(data, source)
    statements, people = attribute_prose(text)
    return _extraction(source, text, encoding, "prose", statements, people)


def extract_transcript(data: bytes, source: str) -> Extraction:
    """A transcript of ``Name: words`` turns (and the variants in ../shared/DESIGN.md)."""
    from bot.ingest.attribution.transcript import attribute_transcript

    text, encoding = read_text(data, source)
    statements, people = attribute_transcript(text)
    return _extraction(source, text, encoding, "transcript", statements, people)


def _extraction(
    source: str,
    text: str,
    encoding: str,
    fmt: str,
    statements: list[Statement],
    people: list[Person],
    warnings: tuple[str, ...] = (),
) -> Extraction:
    notes = list(warnings)
    if encoding not in ("utf-8", "utf-8-sig", "iso-8859-1", "ascii"):
        notes.append(f"decoded as {encoding} (not valid UTF-8)")
    return Extraction(
        source=source,
        text=text,
        encoding=encoding,
        format=fmt,
        statements=tuple(statements),
        people=tuple(people),
        warnings=tuple(notes),
    )


def _attributed(doc: Document, source: str, encoding: str, fmt: str) -> Extraction:
    """Attribute a source read into text (prose or transcript, decided from the text)."""
    from bot.ingest.attribution.transcript import attribute_transcript, looks_like_transcript

    if doc.statements is None:
        if looks_like_transcript(doc.text):
            statements, people = attribute_transcript(doc.text)
        else:
            from bot.ingest.attribution.prose import attribute_prose

            statements, people = attribute_prose(doc.text)
    else:
        statements, people = doc.statements, doc.people
    result = _extraction(source, doc.text, encoding, fmt, cite(statements, doc), people, tuple(doc.warnings))
    return replace(result, title=doc.title, date=doc.date)


def _format_function(module: str, function: str) -> Callable[[Any, str], Document]:
    """``bot.ingest.formats.<module>.<function>``, imported on first use.

    pypdf, python-docx and trafilatura take a noticeable part of a second to import, and
    most runs read only one format, so no format module is imported before it is needed.
    """
    formats = importlib.import_module(f"bot.ingest.formats.{module}")
    read: Callable[[Any, str], Document] = getattr(formats, function)
    return read


def _binary_reader(fmt: str, module: str, function: str = "read") -> Reader:
    def reader(data: bytes, source: str) -> Extraction:
        if not data.strip():
            raise IngestError(f"{source} is empty: there is nothing to extract.")
        doc = _format_function(module, function)(data, source)
        return _attributed(doc, source, doc.encoding, fmt)

    reader.__doc__ = f"Read a {fmt} source."
    return reader


def _text_reader(fmt: str, module: str, function: str = "read") -> Reader:
    def reader(data: bytes, source: str) -> Extraction:
        text, encoding = read_text(data, source)
        return _attributed(_format_function(module, function)(text, source), source, encoding, fmt)

    reader.__doc__ = f"Read a {fmt} source after decoding it."
    return reader


FORMATS: dict[str, Reader] = {
    "prose": extract_prose,
    "transcript": extract_transcript,
    "pdf": _binary_reader("pdf", "pdf"),
    "docx": _binary_reader("docx", "docx"),
    "hansard": _binary_reader("hansard", "hansard"),
    "council": _binary_reader("council", "council"),
    "qmsum": _binary_reader("qmsum", "council", "read_qmsum"),
    "html": _text_reader("html", "html"),
    "vtt": _text_reader("vtt", "captions", "read_vtt"),
    "srt": _text_reader("srt", "captions", "read_srt"),
}

# Extensions whose format the content alone may not reveal (an HTML fragment, a VTT
# file missing its header); content sniffing decides everything else.
_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".vtt": "vtt",
    ".srt": "srt",
}
_REFUSED_EXTENSIONS = {
    ".doc": "an old Word .doc file (save it as .docx)",
    ".odt": "an OpenDocument text (save it as .docx or PDF)",
    ".rtf": "an RTF document (save it as .docx or PDF)",
    ".xlsx": "a spreadsheet",
    ".xls": "a spreadsheet",
    ".pptx": "a presentation",
    ".zip": "a zip archive",
    ".mp3": "audio (add its captions or transcript instead)",
    ".mp4": "video (add its captions or transcript instead)",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
}
SUPPORTED = (
    "plain-text reports and transcripts, PDF, HTML, WebVTT/SRT captions, Hansard XML, "
    "council transcript JSON, QMSum meeting JSON, DOCX"
)


def _unsupported(source: str, what: str) -> IngestError:
    return IngestError(f"{source} is {what}, which onrecord cannot read. Supported: {SUPPORTED}.")


def detect_format(data: bytes, source: str) -> str:
    """Choose a reader from the first bytes of content, then the file name's extension."""
    from bot.ingest.attribution.transcript import looks_like_transcript
    from bot.ingest.formats.captions import SRT_TIMING_RE
    from bot.ingest.formats.hansard import looks_like_hansard
    from bot.ingest.formats.html import looks_like_html

    head = data[:65536]
    ext = PurePosixPath(source.split("?")[0].split("#")[0]).suffix.lower()
    if head[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if ext == ".docx" or b"word/" in head:
            return "docx"
        raise _unsupported(source, _REFUSED_EXTENSIONS.get(ext, "a zip archive (not a .docx)"))
    if ext in _REFUSED_EXTENSIONS:
        raise _unsupported(source, _REFUSED_EXTENSIONS[ext])
    if looks_binary(head):
        return "prose"  # read_text refuses it with a clear message
    text, _ = decode(head)
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("WEBVTT"):
        return "vtt"
    if start.startswith(("{", "[")):
        if '"sentences"' in text:
            return "council"
        if '"meeting_transcripts"' in text:
            return "qmsum"
        raise _unsupported(source, "JSON that is neither a council (CDP) transcript nor a QMSum meeting")
    if start.startswith("<?xml") or start.startswith("<publicwhip"):
        if looks_like_hansard(text):
            return "hansard"
        if not looks_like_html(text):
            raise _unsupported(source, "an XML document that is not a ParlParse/TheyWorkForYou record")
    if start.startswith("<") and looks_like_html(text):
        return "html"
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if SRT_TIMING_RE.search(text[:2048]):
        return "srt"
    return "transcript" if looks_like_transcript(text) else "prose"


def check_size(size: int, source: str, max_bytes: int | None = None) -> None:
    """Refuse a source over the size limit before any work is done on it."""
    limit = MAX_BYTES_DEFAULT if max_bytes is None else max_bytes
    if size > limit:
        raise IngestError(
            f"{source} is {size / MB:.1f} MB, over the {limit / MB:g} MB limit "
            "(ONRECORD_MAX_SOURCE_MB)."
        )


def extract(
    data: bytes, source: str, *, format: str | None = None, max_bytes: int | None = None
) -> Extraction:
    """Extract statements from one source's bytes; ``format`` forces a reader."""
    check_size(len(data), source, max_bytes)
    fmt = format or detect_format(data, source)
    reader = FORMATS.get(fmt)
    if reader is None:
        raise IngestError(f"Unknown format {fmt!r}; choose one of: {', '.join(sorted(FORMATS))}.")
    return reader(data, source)


def extract_file(path: Path, *, format: str | None = None, max_bytes: int | None = None) -> Extraction:
    """Read and extract a file, turning OS errors into a user-facing ``IngestError``."""
    try:
        check_size(path.stat().st_size, str(path), max_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise IngestError(f"{path} is a directory, not a file.") from None
    except OSError as exc:
        raise IngestError(f"{path} could not be read ({exc.strerror}).") from None
    return extract(data, str(path), format=format, max_bytes=max_bytes)
