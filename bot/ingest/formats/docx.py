"""Word documents (python-docx): paragraphs in order, the title from the document properties.

The zip's directory is checked first (``bot.ingest.formats.package``), so nothing is inflated past
the budget; then python-docx parses, in the child process ``bot.ingest.formats.budget`` runs it in.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError

from bot.errors import IngestError
from bot.ingest.formats.document import Document
from bot.ingest.formats.package import check_expansion, refused


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
        raise refused(source, f"a part is not well-formed XML: {exc}") from None
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise refused(source, f"a damaged package: {exc}") from None
    except (KeyError, ValueError, NotImplementedError, RuntimeError) as exc:
        # a missing part, an unsupported compression method, an encrypted entry
        raise refused(source, f"{type(exc).__name__}: {exc}") from None
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise IngestError(f"{source} is a Word document with no text.")
    return Document(text=text, title=title)
