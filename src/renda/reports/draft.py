"""A structured document (a work report draft): title, the line under it, headings, paragraphs,
placeholders for the office to write and tables — built once, then rendered as .docx (the
official format of ``core.documents``), as HTML and as Markdown from the same blocks.

Passages are Django templates (``reports/work_report/<name>.txt``, each sentence in a
``{% blocktranslate %}``): ``passage(name, **context)`` renders one, a blank line between
paragraphs; a paragraph that starts with ``!`` is a placeholder (叙述性内容，由办公室撰写)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template import Context
from django.template.loader import get_template
from django.utils.translation import gettext as _

from renda.core.documents import OfficialDocument, clean

TITLE, SUBTITLE, HEADING, PARAGRAPH, PLACEHOLDER, TABLE, NEW_PAGE = (
    "title", "subtitle", "heading", "paragraph", "placeholder", "table", "new_page")


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    level: int = 0
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()


@dataclass
class Draft:
    blocks: list[Block] = field(default_factory=list)

    def title(self, text: str) -> None:
        self.blocks.append(Block(TITLE, text))

    def subtitle(self, text: str) -> None:
        self.blocks.append(Block(SUBTITLE, text))

    def heading(self, text: str, level: int) -> None:
        self.blocks.append(Block(HEADING, text, level=level))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Block(PARAGRAPH, text))

    def placeholder(self, text: str) -> None:
        self.blocks.append(Block(PLACEHOLDER, text))

    def table(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]], widths: tuple[float, ...] = ()) -> None:
        self.blocks.append(Block(TABLE, header=header, rows=tuple(rows), widths=widths))

    def new_page(self) -> None:
        self.blocks.append(Block(NEW_PAGE))

    def passage(self, name: str, **context: Any) -> None:
        """Add the paragraphs of passage ``name`` (placeholders marked by a leading ``!``)."""
        for text in passage(name, **context):
            if text.startswith("!"):
                self.placeholder(text[1:].strip())
            else:
                self.paragraph(text)

    def text(self) -> str:
        """Every paragraph, heading and cell as plain text (for tests and search)."""
        out: list[str] = []
        for b in self.blocks:
            out.append(b.text)
            out.extend(" ".join(r) for r in (b.header, *b.rows) if r)
        return "\n".join(x for x in out if x)


def passage(name: str, **context: Any) -> list[str]:
    """The paragraphs of ``reports/work_report/<name>.txt`` rendered with ``context`` (as text:
    nothing escaped; the .docx, the HTML and the Markdown renderers each escape for their own)."""
    template = get_template(f"reports/work_report/{name}.txt")
    text = template.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]
    paragraphs = []
    for chunk in text.split("\n\n"):
        line = " ".join(part.strip() for part in chunk.strip().splitlines() if part.strip())
        line = line.replace("， ", "，").replace("。 ", "。").replace("； ", "；").replace("： ", "：")
        if line:
            paragraphs.append(line)
    return paragraphs



def placeholder_text(text: str) -> str:
    return _("【待办公室撰写：{text}】").format(text=text)


# --- renderers --------------------------------------------------------------------------------


def to_docx(draft: Draft) -> bytes:
    doc = OfficialDocument()
    for b in draft.blocks:
        if b.kind == TITLE:
            doc.title(b.text)
        elif b.kind == SUBTITLE:
            doc.subtitle(b.text)
        elif b.kind == HEADING:
            doc.heading(b.text, b.level)
        elif b.kind == PARAGRAPH:
            doc.paragraph(b.text)
        elif b.kind == PLACEHOLDER:
            doc.paragraph(placeholder_text(b.text), highlight=True)
        elif b.kind == TABLE:
            doc.table(b.rows, header=b.header, widths=b.widths)
        elif b.kind == NEW_PAGE:
            doc.new_page()
    return doc.to_bytes()


def to_html_fragment(draft: Draft) -> str:
    """The draft as HTML (every text escaped), for the page's preview and the .html file."""
    e = html.escape
    out: list[str] = []
    for b in draft.blocks:
        text = e(clean(b.text))
        if b.kind == TITLE:
            out.append(f'<h1 class="wr-title">{text}</h1>')
        elif b.kind == SUBTITLE:
            out.append(f'<p class="wr-subtitle">{text}</p>')
        elif b.kind == HEADING:
            tag = "h2" if b.level <= 1 else "h3"
            out.append(f'<{tag} class="wr-h{b.level}">{text}</{tag}>')
        elif b.kind == PARAGRAPH:
            out.append(f"<p>{text}</p>")
        elif b.kind == PLACEHOLDER:
            out.append(f'<p class="wr-placeholder"><mark>{e(placeholder_text(clean(b.text)))}</mark></p>')
        elif b.kind == TABLE:
            head = "".join(f"<th>{e(clean(h))}</th>" for h in b.header)
            body = "".join("<tr>" + "".join(f"<td>{e(clean(c))}</td>" for c in r) + "</tr>" for r in b.rows)
            out.append(f'<div class="table-responsive"><table class="table table-bordered table-sm">'
                       f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
        elif b.kind == NEW_PAGE:
            out.append('<hr class="wr-page">')
    return "\n".join(out)


def to_html(draft: Draft, title: str) -> str:
    """A standalone HTML file (no external resources)."""
    style = ("body{font-family:'仿宋_GB2312','FangSong',serif;font-size:16pt;max-width:156mm;margin:2em auto;"
             "line-height:1.8}p{text-indent:2em;margin:0}.wr-title{font-family:'方正小标宋简体',serif;"
             "font-size:22pt;text-align:center;font-weight:normal}.wr-subtitle{text-align:center;text-indent:0;"
             "font-family:'楷体_GB2312','KaiTi',serif}h2,h3{font-size:16pt;margin:0;text-indent:2em}"
             ".wr-h0{text-align:center;text-indent:0}.wr-h1{font-family:'黑体','SimHei',sans-serif}"
             ".wr-h2{font-family:'楷体_GB2312','KaiTi',serif;font-weight:normal}"
             "table{border-collapse:collapse;font-size:14pt}td,th{border:1px solid #000;padding:2px 6px}"
             "mark{background:#fff3a0}")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(clean(title))}'
            f"</title><style>{style}</style></head><body>\n{to_html_fragment(draft)}\n</body></html>\n")


def _md_escape(text: str) -> str:
    text = clean(text)
    for ch in ("\\", "`", "*", "_", "[", "]", "<", ">", "#", "|"):
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(draft: Draft) -> str:
    out: list[str] = []
    for b in draft.blocks:
        t = _md_escape(b.text)
        if b.kind == TITLE:
            out.append(f"# {t}")
        elif b.kind == SUBTITLE:
            out.append(t)
        elif b.kind == HEADING:
            out.append("#" * (b.level + 2) + f" {t}")
        elif b.kind == PARAGRAPH:
            out.append(t)
        elif b.kind == PLACEHOLDER:
            out.append(f"**{_md_escape(placeholder_text(b.text))}**")
        elif b.kind == TABLE:
            lines = ["| " + " | ".join(_md_escape(h) for h in b.header) + " |",
                     "|" + "---|" * len(b.header)]
            lines += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in b.rows]
            out.append("\n".join(lines))
        elif b.kind == NEW_PAGE:
            out.append("---")
    return "\n\n".join(out) + "\n"
