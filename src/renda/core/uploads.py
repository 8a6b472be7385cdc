"""Checks of uploaded attachments, without the database: the type is told by the file's first
bytes (its "magic"), never by its name or by what the browser claims; the size and the number of
files are limited.

A file whose name says ``.pdf`` but which holds HTML or a program is refused like any other.
Used by every app with attachments (suggestions, petitions); the stored row is a
``core.models.AttachmentBase``, the download and the form field are in ``core.attachments``.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput

MAX_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_FILES = 9  # per item, and per reply

#: (leading bytes, content type): PNG, JPEG, PDF.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_HEAD = max(len(m) for m, _t in MAGIC)
#: The extension of a stored file of each accepted type (the name on disk is random).
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}
FIELD = "attachments"


@dataclass(frozen=True)
class Checked:
    """An accepted upload: the file itself and what we know of it."""

    file: Any
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type told by the first bytes, or None for anything but PNG, JPEG and PDF."""
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def clean_name(name: str | None) -> str:
    """The user's file name to show and to offer on download: no directories, no control
    characters, at most 255 characters (the extension kept)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().strip(".")
    if not base:
        return _("附件")
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext[:20])] + ext[:20]
    return base


def _size(f: Any) -> int:
    size = getattr(f, "size", None)
    if size is None:
        pos = f.tell()
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(pos)
    return int(size)


def _digest(f: IO[bytes] | Any) -> str:
    h = hashlib.sha256()
    f.seek(0)
    chunks = f.chunks() if hasattr(f, "chunks") else iter(lambda: f.read(64 * 1024), b"")
    for chunk in chunks:
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def check_one(f: Any) -> Checked:
    """One upload checked by its content and size; ``InvalidInput`` on the ``attachments`` field otherwise."""
    name = clean_name(getattr(f, "name", ""))
    size = _size(f)
    if size > MAX_SIZE:
        raise InvalidInput(_("文件不能超过 10 MB") + f"：{name}", fields={FIELD: _("文件不能超过 10 MB")})
    if size == 0:
        raise InvalidInput(_("文件是空的") + f"：{name}", fields={FIELD: _("文件是空的")})
    f.seek(0)
    head = f.read(_HEAD)
    f.seek(0)
    content_type = sniff(head)
    if content_type is None:
        message = _("只能上传 PNG、JPEG 图片或 PDF 文件")
        raise InvalidInput(f"{message}：{name}", fields={FIELD: message})
    return Checked(file=f, name=name, content_type=content_type, size=size, sha256=_digest(f))


def check_files(files: Sequence[Any], *, existing: int = 0) -> list[Checked]:
    """Every upload checked; at most ``MAX_FILES`` in all, counting the ``existing`` ones."""
    if existing + len(files) > MAX_FILES:
        message = _("最多上传 {n} 个附件").format(n=MAX_FILES)
        raise InvalidInput(message, fields={FIELD: message})
    return [check_one(f) for f in files]
