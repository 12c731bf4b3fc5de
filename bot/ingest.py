"""Read a source into text and statements: decode, detect the format, extract.

Every reader returns an ``Extraction`` whose offsets point into ``Extraction.text``; for
plain text that is the decoded file itself, so citations can be checked against it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from bot.errors import IngestError
from bot.models import Extraction, Person, Statement

MAX_BYTES_DEFAULT = 60 * 1024 * 1024

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
    from bot.attribution.prose import attribute_prose

    text, encoding = read_text(data, source)
    statements, people = attribute_prose(text)
    return _extraction(source, text, encoding, "prose", statements, people)


def extract_transcript(data: bytes, source: str) -> Extraction:
    """A transcript of ``Name: words`` turns (and the variants in DESIGN.md)."""
    from bot.attribution.transcript import attribute_transcript

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
    if encoding not in ("utf-8", "utf-8-sig"):
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


FORMATS: dict[str, Reader] = {
    "prose": extract_prose,
    "transcript": extract_transcript,
}


def detect_format(data: bytes, source: str) -> str:
    """Choose a reader from the file name and the first bytes of content."""
    from bot.attribution.transcript import looks_like_transcript

    head = data[:65536]
    if looks_binary(head):
        return "prose"  # read_text will refuse it with a clear message
    text, _ = decode(head)
    return "transcript" if looks_like_transcript(text) else "prose"


def extract(
    data: bytes, source: str, *, format: str | None = None, max_bytes: int | None = None
) -> Extraction:
    """Extract statements from one source's bytes; ``format`` forces a reader."""
    limit = MAX_BYTES_DEFAULT if max_bytes is None else max_bytes
    if len(data) > limit:
        raise IngestError(
            f"{source} is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit "
            "(ONRECORD_MAX_SOURCE_MB)."
        )
    fmt = format or detect_format(data, source)
    reader = FORMATS.get(fmt)
    if reader is None:
        raise IngestError(f"Unknown format {fmt!r}; choose one of: {', '.join(sorted(FORMATS))}.")
    return reader(data, source)


def extract_file(path: Path, *, format: str | None = None, max_bytes: int | None = None) -> Extraction:
    """Read and extract a file, turning OS errors into a user-facing ``IngestError``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise IngestError(f"{path} is a directory, not a file.") from None
    except OSError as exc:
        raise IngestError(f"{path} could not be read ({exc.strerror}).") from None
    return extract(data, str(path), format=format, max_bytes=max_bytes)
