"""Word documents (python-docx): paragraphs in order, the title from the document properties."""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError

from bot.errors import IngestError
from bot.ingest.formats.document import Document


def read(data: bytes, source: str) -> Document:
    """Body paragraphs (and table cells) of a .docx as paragraphs of text."""
    try:
        word = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"{source} could not be read as a Word (.docx) document ({exc}).") from None
    paragraphs = [" ".join(p.text.split()) for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            cells = [" ".join(c.text.split()) for c in row.cells]
            paragraphs.append(" ".join(dict.fromkeys(c for c in cells if c)))
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise IngestError(f"{source} is a Word document with no text.")
    title = word.core_properties.title or None
    return Document(text=text, title=title)
