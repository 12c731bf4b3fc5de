"""Read a source into text and statements: decode, detect the format, extract.

Every reader returns an ``Extraction`` whose offsets point into ``Extraction.text``; for
plain text that is the decoded file itself, so citations can be checked against it.
"""

from __future__ import annotations

import codecs
import importlib
import os
import re
import stat
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


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")  # a stray byte under surrogateescape
_NON_ASCII_CHAR_RE = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _as_cp1252(match: re.Match[str]) -> str:
    """One stray byte (escaped as a surrogate) read as Windows-1252, or latin-1 where cp1252 has a gap."""
    byte = bytes([ord(match.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")


def decode_noted(
    data: bytes, source: str = "The source", *, lenient: bool = False
) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes; returns the text, the encoding used, and notes for the moderator.

    UTF-8 (with or without BOM) and UTF-16 with BOM first. A file that is UTF-8 except for
    a few stray bytes (one Latin-1 "é" pasted into a UTF-8 transcript) is read as UTF-8 with
    each stray byte read as Windows-1252, and the note says where: reading the whole file
    as cp1252 would turn every other accented letter into mojibake. A file with no valid
    multi-byte UTF-8 at all is a legacy 8-bit file: cp1252, then latin-1. Line endings that
    are carriage returns only (classic Mac OS) become line feeds, one character for one,
    so every offset still points at the same place in the file.

    ``lenient`` is for the opening bytes format detection looks at, which may end in the
    middle of a character.
    """
    notes: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16", errors="replace" if lenient else "strict"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{source} is UTF-16 text that breaks off mid-character at byte {exc.start:,} "
                "(the file looks truncated or damaged); nothing was stored."
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            escaped = data.decode("utf-8", errors="surrogateescape")
            stray = [m.start() for m in _ESCAPED_BYTE_RE.finditer(escaped)]
            if _NON_ASCII_CHAR_RE.search(escaped) and len(stray) * 20 < len(escaped):
                # Real UTF-8 characters and a few bytes that are not: a UTF-8 file with strays.
                text, encoding = _ESCAPED_BYTE_RE.sub(_as_cp1252, escaped), "utf-8"
                lines = sorted({escaped.count("\n", 0, at) + 1 for at in stray[:50]})
                shown = ", ".join(str(n) for n in lines[:5]) + (" …" if len(stray) > 5 else "")
                noun = "byte" if len(stray) == 1 else "bytes"
                notes.append(
                    f"{len(stray)} {noun} that were not valid UTF-8 (line {shown}) were read as "
                    "Windows-1252; the rest of the file is UTF-8"
                )
            else:
                try:
                    text, encoding = data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError:
                    text, encoding = data.decode("latin-1"), "latin-1"
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
        notes.append("line endings were carriage returns only (old Mac style); read as line breaks")
    return text, encoding, tuple(notes)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes (see ``decode_noted``); returns the text and the encoding used."""
    text, encoding, _ = decode_noted(data)
    return text, encoding


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


def read_text(data: bytes, source: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode a text source, refusing empty and binary input; returns text, encoding, notes."""
    if not data.strip():
        raise IngestError(f"{source} is empty: there is nothing to extract.")
    if looks_binary(data):
        raise IngestError(
            f"{source} looks like a binary file, not text. Supported: plain text reports and "
            "transcripts, PDF, HTML, WebVTT/SRT captions, Hansard XML, council transcript JSON, DOCX."
        )
    return decode_noted(data, source)


def extract_prose(data: bytes, source: str) -> Extraction:
    """A news report or press release: quotes and reported speech."""
    from bot.ingest.attribution.prose import attribute_prose

    text, encoding, notes = read_text(data, source)
    statements, people = attribute_prose(text)
    return _extraction(source, text, encoding, "prose", statements, people, notes)


def extract_transcript(data: bytes, source: str) -> Extraction:
    """A transcript of ``Name: words`` turns (and the variants in ../shared/DESIGN.md)."""
    from bot.ingest.attribution.transcript import attribute_transcript

    text, encoding, notes = read_text(data, source)
    statements, people = attribute_transcript(text)
    return _extraction(source, text, encoding, "transcript", statements, people, notes)


def _extraction(
    source: str,
    text: str,
    encoding: str,
    fmt: str,
    statements: list[Statement],
    people: list[Person],
    warnings: tuple[str, ...] = (),
) -> Extraction:
    if _SURROGATE_RE.search(text):
        raise IngestError(
            f"{source} contains an unpaired UTF-16 surrogate (an escape such as \\ud800 with no partner), "
            "which is not a character; nothing was stored. Fix or re-export the file."
        )
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
    if doc.title and _SURROGATE_RE.search(doc.title):
        doc.title = _SURROGATE_RE.sub("\ufffd", doc.title)
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


# Containers whose parsers can be made to expand or loop: parsed in a child process under
# bot.ingest.formats.budget's time and memory budget. The name is how a refusal calls the format.
_BOUNDED = {"pdf": "a PDF", "docx": "a Word (.docx) document", "html": "a web page"}


def _read_document(fmt: str, module: str, function: str, payload: bytes | str, source: str) -> Document:
    if fmt in _BOUNDED:
        from bot.ingest.formats.budget import read_bounded

        if fmt == "docx" and isinstance(payload, bytes):
            from bot.ingest.formats.package import check_expansion

            check_expansion(payload, source)  # a zip bomb is refused before any child starts
        return read_bounded(module, function, payload, source, _BOUNDED[fmt])
    try:
        return _format_function(module, function)(payload, source)
    except RecursionError:
        raise IngestError(f"{source} is nested too deeply to read as {fmt}; nothing was stored.") from None


def _binary_reader(fmt: str, module: str, function: str = "read") -> Reader:
    def reader(data: bytes, source: str) -> Extraction:
        if not data.strip():
            raise IngestError(f"{source} is empty: there is nothing to extract.")
        doc = _read_document(fmt, module, function, data, source)
        return _attributed(doc, source, doc.encoding, fmt)

    reader.__doc__ = f"Read a {fmt} source."
    return reader


def _text_reader(fmt: str, module: str, function: str = "read") -> Reader:
    def reader(data: bytes, source: str) -> Extraction:
        text, encoding, notes = read_text(data, source)
        doc = _read_document(fmt, module, function, text, source)
        doc.warnings = [*notes, *doc.warnings]
        return _attributed(doc, source, encoding, fmt)

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
    text, _, _ = decode_noted(head, source, lenient=True)
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


def _refuse_irregular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IngestError(f"{path} is a directory, not a file.")
    if stat.S_ISREG(mode):
        return
    if stat.S_ISFIFO(mode):
        kind = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise IngestError(
        f"{path} is {kind}, not a regular file, so it was not read; save the record as a file and add that."
    )


def read_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file, checked against the size limit before reading and read within it.

    A device (``/dev/zero`` never ends), a named pipe (opening one blocks until a writer
    comes) or a socket is refused from its type, without reading; the file is opened
    non-blocking so a pipe cannot hang the open. At most limit + 1 bytes are read, so a file
    that grows after the check is still refused instead of read whole.
    """
    limit = MAX_BYTES_DEFAULT if max_bytes is None else max_bytes
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise IngestError(f"{path} is a directory, not a file.") from None
    except PermissionError:
        raise IngestError(f"{path} could not be read (permission denied).") from None
    except OSError as exc:
        raise IngestError(f"{path} could not be read ({exc.strerror or type(exc).__name__}).") from None
    try:
        info = os.fstat(fd)
        _refuse_irregular(path, info.st_mode)
        check_size(info.st_size, str(path), max_bytes)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise IngestError(f"{path} could not be read ({exc.strerror or type(exc).__name__}).") from None
    if len(data) > limit:
        raise IngestError(
            f"{path} is over the {limit / MB:g} MB limit (ONRECORD_MAX_SOURCE_MB); it grew while being read."
        )
    return data


def extract_file(path: Path, *, format: str | None = None, max_bytes: int | None = None) -> Extraction:
    """Read (see ``read_file``) and extract a file; every failure is a user-facing ``IngestError``."""
    data = read_file(path, max_bytes)
    return extract(data, str(path), format=format, max_bytes=max_bytes)
