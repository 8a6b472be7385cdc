"""Upload checks without the database (``core.uploads``): the type told by the content, never by
the name; the name cleaned; the size and the number of files limited. The services that store
attachments are tested in their apps (``suggestions/tests/test_attachments.py`` …)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core import uploads
from renda.core.errors import InvalidInput

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HTML = b"<html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_sniff_by_magic_bytes() -> None:
    assert uploads.sniff(PDF) == "application/pdf"
    assert uploads.sniff(PNG) == "image/png"
    assert uploads.sniff(JPEG) == "image/jpeg"
    assert uploads.sniff(HTML) is None
    assert uploads.sniff(EXE) is None
    assert uploads.sniff(b"") is None


def test_clean_name_drops_directories_and_control_characters() -> None:
    assert uploads.clean_name("../../etc/现场照片.png") == "现场照片.png"
    assert uploads.clean_name("C:\\Users\\x\\a\x00b.pdf") == "ab.pdf"
    assert uploads.clean_name("") == "附件"
    assert len(uploads.clean_name("长" * 300 + ".pdf")) == 255


def test_check_files_limits() -> None:
    with pytest.raises(InvalidInput, match="最多上传 9 个附件"):
        uploads.check_files([upload(f"{i}.pdf", PDF) for i in range(10)])
    with pytest.raises(InvalidInput, match="最多上传 9 个附件"):
        uploads.check_files([upload("a.pdf", PDF)], existing=9)
    with pytest.raises(InvalidInput, match="文件是空的"):
        uploads.check_files([upload("a.pdf", b"")])


def test_every_accepted_type_has_a_stored_extension() -> None:
    assert {content_type for _magic, content_type in uploads.MAGIC} == set(uploads.EXTENSIONS)
