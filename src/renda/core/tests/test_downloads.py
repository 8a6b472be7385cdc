"""Every download's ``Content-Disposition`` comes from ``core.downloads.content_disposition``:
a name built from what users typed (a hostile 编号) cannot break out of the header or name a path."""

from __future__ import annotations

import re
from pathlib import Path

from renda.core.downloads import MAX_LENGTH, ascii_filename, content_disposition, safe_filename

HOSTILE = '../../evil";x=.exe'


def test_a_hostile_name_is_made_safe() -> None:
    name = safe_filename(f"答复函-{HOSTILE}.docx")
    assert "/" not in name and '"' not in name and ";" not in name and "=" not in name
    assert name.endswith(".docx") and name.startswith("答复函-")
    header = content_disposition(f"答复函-{HOSTILE}.docx")
    assert header.startswith('attachment; filename="')
    fallback = re.search(r'filename="([^"]*)"', header)
    assert fallback and fallback.group(1).isascii() and fallback.group(1).endswith(".docx")
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded), encoded


def test_control_characters_hidden_names_and_length() -> None:
    assert safe_filename("a\x00b\r\nc.xlsx") == "a_b_c.xlsx"
    assert safe_filename("..") == "download" and safe_filename("") == "download"
    assert safe_filename(".htaccess") == "htaccess"
    long = safe_filename("台" * 400 + ".xlsx")
    assert len(long) == MAX_LENGTH and long.endswith(".xlsx")
    assert ascii_filename("台账-全部-20261206.xlsx") == "--20261206.xlsx"
    assert ascii_filename("统计.xlsx") == "download.xlsx"
    assert safe_filename("意见建议-20261206-1015.xlsx") == "意见建议-20261206-1015.xlsx"  # ordinary names unchanged


def test_no_download_sets_the_header_by_hand() -> None:
    src = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(src)) for p in src.rglob("*.py")
                 if "tests" not in p.parts and p.name != "downloads.py" and "Content-Disposition" in p.read_text()]
    assert offenders == []
