"""The platform's Word documents (python-docx) in the official format of GB/T 9704-2012
(党政机关公文格式), one helper for every notice, sheet, letter and report (信访告知书,
意见建议交办单, 答复函, 履职档案, 计票结果报告单, 民生实事候选项目名单, 工作报告 …), so that what an
office prints looks the same everywhere and like the documents it already files.

``OfficialDocument`` sets the page and the styles once and writes the parts of a document:

- A4, margins top 37 mm, bottom 35, left 28, right 26 (a text block of 156 × 225 mm), on a
  document grid of 22 lines × 28 characters (``docGrid`` ``linePitch`` 579, ``charSpace`` −842,
  as Word writes it). The text keeps that grid by itself, the same in Word, WPS and LibreOffice:
  lines at exactly the grid's pitch (579 twips) and characters condensed by 0.3 pt (28 × 15.7 pt
  fit the 156 mm), the body paragraphs not snapped to the character grid (``snapToGrid`` off in
  the Normal style) — LibreOffice gives a 3号 glyph two cells of a grid narrower than 16 pt and
  would set 14 characters a line (docs/decisions/0016-report-official-format.md);
- body text 仿宋_GB2312 3号 (16 pt), two characters indented; the title 方正小标宋简体 2号 (22 pt);
  headings 「一、」 黑体 3号, 「（一）」 楷体_GB2312 3号, 「1.」 and 「（1）」 仿宋_GB2312 3号;
- page numbers 「— 1 —」 in 宋体 4号 (14 pt, half-width digits) 7 mm under the text block, odd pages
  on the right and even pages on the left, one character in (separate odd and even footers,
  ``evenAndOddHeaders``); the first page is numbered like the others (``titlePg`` off), and the
  helper never writes an empty page (a new page is a ``pageBreakBefore`` of the next title), so no
  page carries a number without text.

Each run names its fonts explicitly (``w:ascii``/``w:hAnsi``/``w:eastAsia``), even where the
machine lacks them: Word and LibreOffice substitute, and the file opens in the office's
fonts. Text is written as text (never a field or a formula; the page number is the only field)
and stripped of the control characters XML cannot hold.

``Letter`` (title, number, addressee, body, a table of labelled fields, the issuer and date)
rendered by ``render`` is what the apps' notices and sheets use; larger documents (the work
report) call ``OfficialDocument`` directly. The apps decide who may download a document and
whether that is an audited reveal.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from renda.core.downloads import attach
from renda.core.validators import strip_not_xml

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# --- the format (GB/T 9704-2012) ---------------------------------------------------------------


def mm(value: float) -> int:
    """``value`` millimetres in twips (1/1440 inch), rounded."""
    return round(value * 1440 / 25.4)


PAGE_WIDTH, PAGE_HEIGHT = mm(210), mm(297)  # A4: 11906 × 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = mm(37), mm(35), mm(28), mm(26)
#: The text block (版心), 156 × 225 mm.
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
LINES, CHARS = 22, 28
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(14)  # 4号 in tables, so that a table of several columns fits the 156 mm
#: The grid: the line pitch in twips, and the character pitch as Word writes it (the difference
#: between the pitch and the body size, in 1/4096 pt), both rounded down as Word does (579, −842).
LINE_PITCH = TEXT_HEIGHT // LINES
CHAR_SPACE = int(((TEXT_WIDTH / 20 / CHARS) - BODY_SIZE.pt) * 4096 // 1)
#: The body's character spacing in twentieths of a point: the grid's pitch less the 3号 glyph
#: (15.795 − 16 pt), rounded down, less a twentieth for the renderers' rounding (−6: 15.7 pt).
CHAR_SPACING = math.floor(((TEXT_WIDTH / 20 / CHARS) - BODY_SIZE.pt) * 20) - 1
#: The footer's distance from the bottom edge: the page number's line (one 4号 line, 14 pt = 280
#: twips) starts 7 mm under the text block.
FOOTER_DISTANCE = MARGIN_BOTTOM - mm(7) - int(PAGE_NUMBER_SIZE.pt * 20)
#: One 4号 character: the page number's distance from the edge of the text block.
PAGE_NUMBER_INDENT = int(PAGE_NUMBER_SIZE.pt * 20)

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
#: The line under a title (e.g. 「（2023年7月14日在××镇第×届人民代表大会第×次会议上）」).
SUBTITLE_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
#: Latin letters and digits in the body (half-width): the same family as the page numbers'.
LATIN_FONT = "Times New Roman"


def clean(text: object) -> str:
    """``text`` as a string that a .docx can hold (no NUL or other control characters)."""
    return strip_not_xml(str(text or ""))


def cn_date(d: dt.date) -> str:
    return _("{y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)


def set_fonts(run: Run, east_asia: str, *, latin: str | None = None, size: Pt | None = None) -> None:
    """Name the fonts of ``run`` explicitly: East Asian text in ``east_asia``, Latin in ``latin``."""
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    latin = latin or east_asia
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    if size is not None:
        run.font.size = size


class OfficialDocument:
    """One .docx in the official format; write its parts in order, then ``to_bytes()``."""

    def __init__(self) -> None:
        self.doc: DocxDocument = Document()
        self._new_page = False
        self._setup()

    # -- page, grid, styles, footers --------------------------------------------------------------

    def _setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.header_distance = Twips(mm(15))
        section.footer_distance = Twips(FOOTER_DISTANCE)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:  # the default template has one (last in w:sectPr, as the schema orders it)
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        # the first page is numbered like every other (no separate first-page footer): said explicitly
        sect_pr.get_or_add_titlePg().set(qn("w:val"), "0")
        doc.settings.odd_and_even_pages_header_footer = True
        # the document defaults carry the body size too: LibreOffice measures the character grid from them
        defaults = doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                for tag in ("w:sz", "w:szCs"):
                    el = rpr.find(qn(tag))
                    if el is None:
                        el = OxmlElement(tag)
                        rpr.append(el)
                    el.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
        normal = doc.styles["Normal"]
        normal.font.size = BODY_SIZE
        normal.font.name = LATIN_FONT
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(LINE_PITCH)
        fmt.widow_control = False
        # 28 characters a line in every renderer: condensed glyphs, not the character grid's cells
        ppr = normal.element.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        spacing = ppr.find(qn("w:spacing"))
        if spacing is not None:
            spacing.addprevious(snap)
        else:
            ppr.append(snap)
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(CHAR_SPACING))
        size = normal.element.get_or_add_rPr().find(qn("w:sz"))
        assert size is not None
        size.addprevious(condensed)
        self._footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _footer(self, footer: object, align: WD_ALIGN_PARAGRAPH) -> None:
        """「— N —」: the PAGE field between two em-dashes, one character in from the edge."""
        footer.is_linked_to_previous = False  # type: ignore[attr-defined]
        paragraph: Paragraph = footer.paragraphs[0]  # type: ignore[attr-defined]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Twips(PAGE_NUMBER_INDENT)
        else:
            fmt.left_indent = Twips(PAGE_NUMBER_INDENT)

        def run(text: str = "") -> Run:
            r = paragraph.add_run(text)
            set_fonts(r, PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
            return r

        run("— ")
        for kind in ("begin", "instr", "separate", "1", "end"):
            r = run()
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = " PAGE "
                r._element.append(instr)
            elif kind == "1":
                r.text = "1"
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                r._element.append(char)
        run(" —")

    # -- parts ------------------------------------------------------------------------------------

    def _paragraph(self, align: WD_ALIGN_PARAGRAPH | None = None, *, indent: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        if self._new_page:
            paragraph.paragraph_format.page_break_before = True
            self._new_page = False
        return paragraph

    def _runs(self, paragraph: Paragraph, text: str, font: str, size: Pt = BODY_SIZE, *,
              highlight: bool = False) -> None:
        run = paragraph.add_run(clean(text))
        set_fonts(run, font, latin=LATIN_FONT if font == BODY_FONT else font, size=size)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def new_page(self) -> None:
        """Start the next part on a new page (never leaves an empty page behind)."""
        if self.doc.paragraphs or self.doc.tables:
            self._new_page = True

    def title(self, text: str) -> None:
        """The title: 方正小标宋简体 2号, centred (a long one wraps in the same paragraph)."""
        for line in clean(text).splitlines() or [""]:
            paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Twips(LINE_PITCH * 3 // 2)
            self._runs(paragraph, line, TITLE_FONT, TITLE_SIZE)

    def subtitle(self, text: str) -> None:
        """The line under a title, 楷体_GB2312 3号, centred."""
        self._runs(self._paragraph(WD_ALIGN_PARAGRAPH.CENTER), text, SUBTITLE_FONT)

    def blank(self) -> None:
        self._paragraph()

    def heading(self, text: str, level: int) -> None:
        """A heading of ``level`` 1 「一、」, 2 「（一）」, 3 「1.」 or 4 「（1）」 (the number is part of
        ``text``); level 0 is a part heading (e.g. 上半年工作回顾) centred in 黑体."""
        if level == 0:
            self._runs(self._paragraph(WD_ALIGN_PARAGRAPH.CENTER), text, HEADING_FONTS[1])
            return
        self._runs(self._paragraph(indent=True), text, HEADING_FONTS[level])

    def paragraph(self, text: str, *, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None,
                  highlight: bool = False) -> None:
        """Body text, 仿宋_GB2312 3号, two characters in; each line of ``text`` one paragraph.
        ``highlight``: a placeholder the office is to write (yellow)."""
        for line in clean(text).splitlines() or [""]:
            self._runs(self._paragraph(align, indent=indent), line, BODY_FONT, highlight=highlight)

    def right(self, text: str, *, chars_in: int = 0) -> None:
        """A line on the right (the issuer, the date), ``chars_in`` characters in from the edge."""
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
        if chars_in:
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * chars_in)
        self._runs(paragraph, text, BODY_FONT)

    def table(self, rows: Sequence[Sequence[object]], *, header: Sequence[str] = (),
              widths: Sequence[float] = (), bold_first_column: bool = False) -> Table:
        """A grid table (仿宋_GB2312 4号) the width of the text block; ``widths`` are shares of it."""
        ncols = max([1, len(header), *(len(r) for r in rows)])
        shares = list(widths) if len(widths) == ncols else [1.0] * ncols
        twips = [int(TEXT_WIDTH * s / sum(shares)) for s in shares]
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, twips, strict=True):
            column.width = Twips(width)
        all_rows = ([list(header)] if header else []) + [list(r) for r in rows]
        for i, values in enumerate(all_rows):
            cells = table.add_row().cells
            for j, (cell, width) in enumerate(zip(cells, twips, strict=True)):
                cell.width = Twips(width)
                value = values[j] if j < len(values) else ""
                for k, line in enumerate(clean(value).splitlines() or [""]):
                    paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                    if header and i == 0:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    run = paragraph.add_run(line)
                    head = (header and i == 0) or (bold_first_column and j == 0)
                    set_fonts(run, HEADING_FONTS[1] if head else BODY_FONT,
                              latin=LATIN_FONT, size=TABLE_SIZE)
        if self._new_page:  # a table first on a page: the break goes on an empty paragraph before it
            self._new_page = False
            table._tbl.addprevious(self._break_paragraph())
        return table

    def _break_paragraph(self) -> object:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pageBreakBefore"))
        p.append(ppr)
        return p

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


# --- letters: notices, sheets --------------------------------------------------------------------


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


def _letter(doc: OfficialDocument, letter: Letter) -> None:
    doc.title(letter.title)
    doc.right(_("编号：{code}").format(code=clean(letter.number)))
    if letter.addressee:
        doc.paragraph(_("{name}：").format(name=clean(letter.addressee)), indent=False)
    for text in letter.paragraphs:
        doc.paragraph(text)
    if letter.table:
        doc.table([(label, value) for label, value in letter.table], widths=(1, 4), bold_first_column=True)
    for text in letter.closing:
        doc.paragraph(text)
    doc.blank()
    doc.right(clean(letter.issuer), chars_in=4)
    doc.right(cn_date(letter.date), chars_in=4)


def render(letters: Sequence[Letter]) -> bytes:
    """The .docx bytes of ``letters``, one per page, in the official format."""
    doc = OfficialDocument()
    for letter in letters:
        doc.new_page()
        _letter(doc, letter)
    return doc.to_bytes()


def docx_response(filename: str, content: bytes) -> HttpResponse:
    """A .docx download that no cache keeps (it may hold personal data)."""
    response = HttpResponse(content, content_type=DOCX_TYPE)
    attach(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response
