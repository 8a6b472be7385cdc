"""The official format (GB/T 9704-2012) of every Word file, read back from the generated XML:
page and margins in twips, the document grid, the fonts of every run, the heading fonts, the
odd/even footers with 「— PAGE —」 in 宋体 4号, and no separate first page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

from renda.core import documents
from renda.core.documents import Letter, OfficialDocument, render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _parts(content: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}


def _sample() -> bytes:
    doc = OfficialDocument()
    doc.title("××镇2023年上半年人大主席团工作报告")
    doc.subtitle("（2023年7月14日在××镇第二十届人民代表大会第四次会议上）")
    doc.heading("2023年上半年工作回顾", 0)
    doc.heading("一、聚焦政治引领", 1)
    doc.heading("（一）学习贯彻", 2)
    doc.heading("1. 第一议题", 3)
    doc.heading("（1）中心组学习", 4)
    doc.paragraph("今年以来，参与信访值班158次，阅批群众来信9件。ABC 123")
    doc.table([("信访值班", "158")], header=("指标", "数值"))
    doc.new_page()
    doc.title("附件")
    return doc.to_bytes()


def _font(run: etree._Element) -> dict[str, str | None]:
    fonts = run.find("w:rPr/w:rFonts", NS)
    assert fonts is not None, etree.tostring(run, encoding="unicode")
    return {k: fonts.get(w(k)) for k in ("ascii", "hAnsi", "eastAsia")}


def _size(run: etree._Element) -> float:
    sz = run.find("w:rPr/w:sz", NS)
    assert sz is not None
    return int(sz.get(w("val"))) / 2


def test_page_margins_and_grid() -> None:
    parts = _parts(_sample())
    sect = parts["word/document.xml"].find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (11906, 16838)  # A4
    margin = sect.find("w:pgMar", NS)
    twips = {k: int(margin.get(w(k))) for k in ("top", "bottom", "left", "right", "footer")}
    # 37, 35, 28, 26 mm (1 mm = 56.69 twips)
    assert (twips["top"], twips["bottom"], twips["left"], twips["right"]) == (2098, 1984, 1587, 1474)
    text_width = 11906 - twips["left"] - twips["right"]
    text_height = 16838 - twips["top"] - twips["bottom"]
    assert abs(text_width - 156 * 1440 / 25.4) < 2 and abs(text_height - 225 * 1440 / 25.4) < 2
    grid = sect.find("w:docGrid", NS)
    assert grid.get(w("type")) == "linesAndChars"
    assert int(grid.get(w("linePitch"))) == 579 == text_height // 22  # 22 lines
    # 28 characters of 16 pt: the pitch is 16 pt + charSpace/4096 pt
    pitch = 16 + int(grid.get(w("charSpace"))) / 4096
    assert int(grid.get(w("charSpace"))) == -842 and int(text_width / 20 / pitch) == 28
    # ... and the text keeps it in every renderer: the Normal style's lines are exactly the grid's
    # pitch, its characters 16 pt condensed by 0.3 pt (28 of them fit the line, with slack for
    # rounding), not snapped to the character grid (LibreOffice would give each glyph two cells)
    normal = parts["word/styles.xml"].find("w:style[@w:styleId='Normal']", NS)
    line = normal.find("w:pPr/w:spacing", NS)
    assert line.get(w("lineRule")) == "exact" and int(line.get(w("line"))) == 579
    assert normal.find("w:pPr/w:snapToGrid", NS).get(w("val")) == "0"
    condensed = int(normal.find("w:rPr/w:spacing", NS).get(w("val"))) / 20
    assert condensed == -0.3
    assert 28 * (16 + condensed) < text_width / 20 < 29 * (16 + condensed)
    # the page number's line starts 7 mm under the text block: footer distance + one 14 pt line
    assert abs((twips["bottom"] - twips["footer"] - 280) - 7 * 1440 / 25.4) < 2
    # the first page is numbered like the others; odd and even pages have their own footers
    title_pg = sect.find("w:titlePg", NS)
    assert title_pg is not None and title_pg.get(w("val")) == "0"
    assert parts["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None
    kinds = {ref.get(w("type")) for ref in sect.findall("w:footerReference", NS)}
    assert kinds == {"default", "even"}


def test_every_run_names_its_east_asian_font() -> None:
    parts = _parts(_sample())
    runs = [r for name, root in parts.items() if name.startswith(("word/document", "word/footer"))
            for r in root.iter(w("r"))]
    assert runs
    for run in runs:
        assert _font(run)["eastAsia"], etree.tostring(run, encoding="unicode")
    normal = parts["word/styles.xml"].find(".//w:style[@w:styleId='Normal']", NS)
    assert normal.find(".//w:rFonts", NS).get(w("eastAsia")) == "仿宋_GB2312"
    assert normal.find(".//w:sz", NS).get(w("val")) == "32"


def _paragraph_run(parts: dict[str, etree._Element], text: str) -> etree._Element:
    for p in parts["word/document.xml"].iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).startswith(text):
            return p.find("w:r", NS)
    raise AssertionError(text)


def test_title_headings_and_body_fonts() -> None:
    parts = _parts(_sample())
    expect = [("××镇2023年上半年", "方正小标宋简体", 22), ("（2023年7月14日", "楷体_GB2312", 16),
              ("一、聚焦", "黑体", 16), ("（一）学习", "楷体_GB2312", 16), ("1. 第一", "仿宋_GB2312", 16),
              ("（1）中心", "仿宋_GB2312", 16), ("今年以来", "仿宋_GB2312", 16)]
    for text, font, size in expect:
        run = _paragraph_run(parts, text)
        assert _font(run)["eastAsia"] == font, text
        assert _size(run) == size, text
    # body paragraphs are indented two characters; the table is 4号 仿宋 / 黑体 in the header
    body = _paragraph_run(parts, "今年以来").getparent()
    assert body.find("w:pPr/w:ind", NS).get(w("firstLine")) == "640"
    cells = parts["word/document.xml"].findall(".//w:tc", NS)
    assert _font(cells[0].find(".//w:r", NS))["eastAsia"] == "黑体"
    assert _font(cells[2].find(".//w:r", NS))["eastAsia"] == "仿宋_GB2312" and _size(cells[2].find(".//w:r", NS)) == 14


def test_footers_page_number_between_em_dashes_odd_right_even_left() -> None:
    content = _sample()
    parts = _parts(content)
    sect = parts["word/document.xml"].find(".//w:body/w:sectPr", NS)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    for ref in sect.findall("w:footerReference", NS):
        footer = parts["word/" + targets[ref.get(f"{{{R}}}id")]]
        p = footer.find("w:p", NS)
        jc, ind = p.find("w:pPr/w:jc", NS).get(w("val")), p.find("w:pPr/w:ind", NS)
        if ref.get(w("type")) == "default":  # odd pages
            assert jc == "right" and ind.get(w("right")) == "280"
        else:
            assert jc == "left" and ind.get(w("left")) == "280"
        text = "".join(t.text or "" for t in p.iter(w("t")))
        assert text == "— 1 —"
        assert "".join(i.text for i in p.iter(w("instrText"))).strip() == "PAGE"
        for run in p.findall("w:r", NS):
            assert _font(run) == {"ascii": "宋体", "hAnsi": "宋体", "eastAsia": "宋体"}
            assert _size(run) == 14


def test_letters_one_per_page_and_no_empty_page() -> None:
    letters = [Letter(title=f"告知书{i}", number=str(i), issuer="××镇人大主席团", date=dt.date(2023, 7, 1),
                      paragraphs=["正文"], table=[("事项", "内容")]) for i in range(3)]
    body = _parts(render(letters))["word/document.xml"].find("w:body", NS)
    breaks = body.findall(".//w:pageBreakBefore", NS)
    assert len(breaks) == 2  # before the 2nd and 3rd letters, none before the first or after the last
    assert body.find("w:p", NS).find("w:pPr/w:pageBreakBefore", NS) is None
    assert not body.findall(".//w:br[@w:type='page']", NS)
    # the margins are the same for letters (one helper)
    assert body.find("w:sectPr/w:pgMar", NS).get(w("top")) == str(documents.MARGIN_TOP)


def test_hostile_text_is_written_as_text() -> None:
    doc = OfficialDocument()
    doc.paragraph("=HYPERLINK(\"x\")\x00\x07 正文")
    xml = etree.tostring(_parts(doc.to_bytes())["word/document.xml"], encoding="unicode")
    assert "=HYPERLINK" in xml and "\x00" not in xml and "fldSimple" not in xml
