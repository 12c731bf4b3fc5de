"""Word documents (python-docx): paragraphs in order, the title from the document properties.

A .docx is a zip of XML parts, so before python-docx inflates anything the zip's own
directory is checked: how many parts, how large each would expand to, and by what ratio.
Python's zipfile never inflates a part past its declared size (a lie fails the CRC), so the
declared sizes are a real bound. Legitimate documents compress their XML about 5-20 to 1;
a repeated-paragraph bomb compresses 300 to 1 and more.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError

from bot.errors import IngestError
from bot.formats.document import Document

MB = 1024 * 1024
MAX_PARTS = 2000
MAX_PART_BYTES = 64 * MB  # expanded size of any one part
MAX_TOTAL_BYTES = 160 * MB  # expanded size of all parts together
MAX_RATIO = 100  # expanded / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1 * MB
_WHAT = "a Word (.docx) document"


def _refused(source: str, why: str) -> IngestError:
    return IngestError(f"{source} could not be read as {_WHAT} ({why}); nothing was stored.")


def check_expansion(data: bytes, source: str) -> None:
    """Refuse a zip whose parts would expand past the budget, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _refused(source, f"not a valid zip file: {exc}") from None
    if len(parts) > MAX_PARTS:
        raise _refused(source, f"{len(parts):,} parts in the zip, over the limit of {MAX_PARTS:,}")
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES:
            raise IngestError(
                f"{source}: its part {part.filename} would expand to {part.file_size / MB:,.0f} MB, "
                f"over the {MAX_PART_BYTES // MB} MB a Word document part may hold (a zip bomb?); "
                "nothing was stored."
            )
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size / max(part.compress_size, 1)
            raise IngestError(
                f"{source}: its part {part.filename} is compressed {ratio:,.0f} to 1, over the "
                f"{MAX_RATIO} to 1 a real document reaches (a zip bomb?); nothing was stored."
            )
    if total > MAX_TOTAL_BYTES:
        raise IngestError(
            f"{source} would expand to {total / MB:,.0f} MB, over the {MAX_TOTAL_BYTES // MB} MB "
            "a Word document may expand to (a zip bomb?); nothing was stored."
        )


def read(data: bytes, source: str) -> Document:
    """Body paragraphs (and table cells) of a .docx as paragraphs of text."""
    check_expansion(data, source)
    try:
        word = open_docx(io.BytesIO(data))
        paragraphs = [" ".join(p.text.split()) for p in word.paragraphs]
        for table in word.tables:
            for row in table.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                paragraphs.append(" ".join(dict.fromkeys(c for c in cells if c)))
        title = word.core_properties.title or None
    except LxmlError as exc:  # XMLSyntaxError and kin: a part is not well-formed XML
        raise _refused(source, f"a part is not well-formed XML: {exc}") from None
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _refused(source, f"a damaged package: {exc}") from None
    except (KeyError, ValueError, NotImplementedError, RuntimeError) as exc:
        # a missing part, an unsupported compression method, an encrypted entry
        raise _refused(source, f"{type(exc).__name__}: {exc}") from None
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise IngestError(f"{source} is a Word document with no text.")
    return Document(text=text, title=title)
