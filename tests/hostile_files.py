"""Hostile and broken sources, generated on the fly: what an attacker or a bad export hands us.

Each builder returns the bytes of one file; nothing here is stored in the repository.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document as new_docx

TRANSCRIPT_LINE = "Sadiq Khan: We have funded victim support across London.\n"


def docx_with(parts: dict[str, bytes]) -> bytes:
    """A real python-docx document with some of its zip parts replaced or added."""
    word = new_docx()
    word.add_paragraph("Sadiq Khan: We have funded victim support.")
    buf = io.BytesIO()
    word.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename not in parts:
                dst.writestr(item, src.read(item))
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def docx_malformed_xml() -> bytes:
    """word/document.xml cut off mid-element: lxml raises XMLSyntaxError."""
    return docx_with({"word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p'})


def docx_bomb(expanded_mb: int) -> bytes:
    """A DOCX whose document.xml inflates to ``expanded_mb`` MB of one repeated paragraph."""
    para = b"<w:p><w:r><w:t>victim support</w:t></w:r></w:p>"
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    tail = b"</w:body></w:document>"
    body = para * (expanded_mb * 1024 * 1024 // len(para))
    return docx_with({"word/document.xml": head + body + tail})


def json_nested(depth: int) -> bytes:
    """A council transcript whose first sentence is nested ``depth`` arrays deep."""
    return b'{"sentences": ' + b"[" * depth + b"]" * depth + b"}"


def json_long_number(digits: int) -> bytes:
    """A council transcript with an integer of ``digits`` digits (past Python's int-string limit)."""
    return b'{"sentences": [{"text": "Chair: Welcome.", "start_time": ' + b"7" * digits + b"}]}"


def json_lone_surrogate() -> bytes:
    """A QMSum meeting whose words carry an unpaired UTF-16 surrogate escape."""
    return (
        b'{"meeting_transcripts": [{"speaker": "Chair", "content": "Welcome \\ud800 to the meeting."},'
        b' {"speaker": "Jane Porter", "content": "Thank you, Chair."}]}'
    )


def utf16_truncated() -> bytes:
    """A UTF-16 transcript (with BOM) cut off one byte into its last character."""
    return ("\ufeff" + TRANSCRIPT_LINE * 3).encode("utf-16-le")[:-1]


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (1-based), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer_extra + b">>\n")
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _page_with(content: bytes, *, flate: bool = False) -> list[bytes]:
    stream = zlib.compress(content, 9) if flate else content
    filt = b"/Filter /FlateDecode " if flate else b""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< {filt.decode()}/Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def pdf_text(line: str = "Sadiq Khan: We have funded victim support.") -> bytes:
    """A small valid one-page PDF with one line of text (a control for the hostile ones)."""
    return _pdf(_page_with(f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()))


def pdf_page_cycle() -> bytes:
    """A page tree whose /Pages node lists itself as a kid: pypdf raises LimitReachedError."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def pdf_encrypted_v9() -> bytes:
    """A PDF encrypted with a security handler version pypdf does not implement (/V 9)."""
    page = _page_with(b"BT /F1 12 Tf 72 720 Td (secret) Tj ET")
    encrypt = b"<< /Filter /Standard /V 9 /R 9 /Length 256 /O <00> /U <00> /P -4 >>"
    return _pdf([*page, encrypt], b"/Encrypt 6 0 R /ID [<0123456789abcdef> <0123456789abcdef>] ")


def pdf_flate_bomb(expanded_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``expanded_mb`` MB of spaces."""
    return _pdf(_page_with(b" " * (expanded_mb * 1024 * 1024), flate=True))


def html_page(paragraphs: int, *, nested: int = 0) -> bytes:
    """A web page of ``paragraphs`` transcript paragraphs, optionally inside ``nested`` divs."""
    body = b"<p>Sadiq Khan: We have funded victim support across London this year.</p>\n" * paragraphs
    return (
        b"<!doctype html><html><head><title>Plenary</title></head><body>"
        + b"<div>" * nested
        + b"<article>"
        + body
        + b"</article>"
        + b"</div>" * nested
        + b"</body></html>"
    )
