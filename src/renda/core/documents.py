"""The platform's Word documents (python-docx): one format for every notice, sheet and letter
(信访告知书, 意见建议交办单, 答复函 …), so that what an office prints looks the same everywhere.

A document is a list of ``Letter`` — a centred title, the number (编号) on the right, the
addressee, the body (paragraphs, and optionally a two-column table of labelled fields), the
issuing body and the date on the right — rendered one per page into one .docx. Text is written
as text (never as a field or a formula) and stripped of the control characters XML cannot hold.
The apps decide who may download a document and whether that is an audited reveal.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from renda.core.downloads import attach
from renda.core.validators import strip_not_xml

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The body font (Chinese text), as offices use it; Word and LibreOffice fall back if it is absent.
FONT = "宋体"
TITLE_FONT = "黑体"

#: A4 with even margins; the text is 16 cm wide, a table's label column 3 cm of it.
MARGIN = Cm(2.5)
TEXT_WIDTH = Cm(16)
LABEL_WIDTH = Cm(3)
TABLE_SIZE = Pt(12)

def clean(text: object) -> str:
    """``text`` as a string that a .docx can hold (no NUL or other control characters)."""
    return strip_not_xml(str(text or ""))


def cn_date(d: dt.date) -> str:
    return _("{y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)


@dataclass(frozen=True)
class Letter:
    """One page: a notice, a sheet or a letter."""

    title: str
    number: str
    issuer: str
    date: dt.date
    addressee: str = ""
    paragraphs: Sequence[str] = ()
    #: labelled fields shown as a two-column table after the paragraphs (a sheet, e.g. 交办单)
    table: Sequence[tuple[str, str]] = ()
    #: paragraphs after the table
    closing: Sequence[str] = field(default_factory=tuple)


def _font(run: Run, name: str) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _lines(doc: DocxDocument, texts: Sequence[str], *, space_before: Pt | None = None) -> None:
    for text in texts:
        for line in clean(text).splitlines() or [""]:
            paragraph = doc.add_paragraph(line)
            if space_before is not None:
                paragraph.paragraph_format.space_before, space_before = space_before, None


def _letter(doc: DocxDocument, letter: Letter, *, new_page: bool) -> None:
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.page_break_before = new_page
    run = heading.add_run(clean(letter.title))
    run.bold = True
    run.font.size = Pt(22)
    _font(run, TITLE_FONT)
    number = doc.add_paragraph(_("编号：{code}").format(code=clean(letter.number)))
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if letter.addressee:
        doc.add_paragraph(_("{name}：").format(name=clean(letter.addressee)))
    _lines(doc, letter.paragraphs)
    if letter.table:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.autofit = False
        widths = (LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for label, value in letter.table:
            cells = table.add_row().cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            head = cells[0].paragraphs[0].add_run(clean(label))
            head.bold, head.font.size = True, TABLE_SIZE
            for i, line in enumerate(clean(value).splitlines() or [""]):
                paragraph = cells[1].paragraphs[0] if i == 0 else cells[1].add_paragraph()
                paragraph.add_run(line).font.size = TABLE_SIZE
    _lines(doc, letter.closing, space_before=Pt(10) if letter.table else None)
    issuer = doc.add_paragraph(clean(letter.issuer))
    issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = doc.add_paragraph(cn_date(letter.date))
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render(letters: Sequence[Letter]) -> bytes:
    """The .docx bytes of ``letters``, one per page."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not the template's US Letter
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for i, letter in enumerate(letters):
        _letter(doc, letter, new_page=i > 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(filename: str, content: bytes) -> HttpResponse:
    """A .docx download that no cache keeps (it may hold personal data)."""
    response = HttpResponse(content, content_type=DOCX_TYPE)
    attach(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response
