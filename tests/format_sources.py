"""Builders for test sources in formats onrecord reads (PDF, DOCX, HTML), made on the fly."""

from __future__ import annotations

import html
import io

from docx import Document as new_docx
from fpdf import FPDF


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


class _Pdf(FPDF):
    header_text = ""

    def header(self) -> None:
        if self.header_text:
            self.set_font("helvetica", size=9)
            self.cell(0, 8, self.header_text, align="C")
            self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def make_pdf(
    paras: list[str],
    *,
    header: str = "",
    line_numbers: bool = False,
    password: str | None = None,
    title: str | None = None,
) -> bytes:
    """A PDF of paragraphs (cp1252 core font), with optional running header and line numbers."""
    pdf = _Pdf()
    pdf.header_text = header
    pdf.core_fonts_encoding = "windows-1252"
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    n = 0
    for para in paras:
        if line_numbers:
            lines = pdf.multi_cell(pdf.epw - 12, 6, para, dry_run=True, output="LINES")
            for line in lines:
                n += 1
                pdf.cell(10, 6, str(n % 26 or 1))
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def make_image_pdf() -> bytes:
    """A 'scanned' PDF: pages with drawings and no text layer."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def make_docx(paras: list[str], *, title: str | None = None) -> bytes:
    doc = new_docx()
    if title:
        doc.core_properties.title = title
    for p in paras:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_html(paras: list[str], *, title: str, date: str, bold_labels: bool = False) -> str:
    """An article page with navigation, a footer, and metadata for title and date."""
    body = []
    for p in paras:
        label, sep, rest = p.partition(": ")
        if bold_labels and sep:
            body.append(f"<p><strong>{html.escape(label)}:</strong> {html.escape(rest)}</p>")
        else:
            body.append(f"<p>{html.escape(p)}</p>")
    t = html.escape(title)
    head = (
        f'<meta charset="utf-8"><title>{t} | Example News</title><meta property="og:title" content="{t}">'
        f'<meta property="article:published_time" content="{date}T09:00:00Z">'
    )
    nav = '<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li></ul></nav>'
    aside = (
        '<aside><h2>Most read</h2><ul><li><a href="/a">Weather warning for the weekend</a></li>'
        '<li><a href="/b">Transfer news</a></li></ul></aside>'
    )
    foot = '<footer><p>Copyright Example News.</p><a href="/privacy">Privacy policy</a></footer>'
    article = f"<main><article><h1>{t}</h1>\n" + "\n".join(body) + "\n</article></main>"
    page = f"<body>{nav}{article}{aside}{foot}</body>"
    return f'<!doctype html><html lang="en"><head>{head}</head>{page}</html>'
