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
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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


# -- pending uploads: files waiting for a background job -------------------------------------------
#
# A workbook to import is never read in the web request: the request stores it here (mode 0600,
# a random name, in a 0700 directory under the data directory) and enqueues a job. The job's
# owner removes the file when the job ends; whatever a killed job or an abandoned preview leaves
# is removed by :func:`sweep` (``renda worker`` at start-up and daily; ``renda sweep_uploads``).

#: Files in the pending directory older than this are removed by :func:`sweep`.
PENDING_MAX_AGE = 2 * 3600


def pending_dir() -> Path:
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def store_pending(f: Any, *, prefix: str, suffix: str) -> tuple[str, Path]:
    """Write the upload ``f`` (chunks) to a new private file; returns (token, path)."""
    token = secrets.token_hex(16)
    path = pending_dir() / f"{prefix}-{token}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            chunks = f.chunks() if hasattr(f, "chunks") else iter(lambda: f.read(64 * 1024), b"")
            for chunk in chunks:
                fh.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token, path


def sweep(max_age: float = PENDING_MAX_AGE, *, now: float | None = None) -> int:
    """Remove pending uploads older than ``max_age`` seconds; returns how many were removed."""
    cutoff = (time.time() if now is None else now) - max_age
    removed = 0
    for f in pending_dir().iterdir():
        try:
            if f.is_file() and f.stat().st_mtime < cutoff:
                f.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


# -- workbook limits, checked before a parser opens the file ---------------------------------------

#: An .xlsx upload: at most this many bytes …
XLSX_MAX_BYTES = 20 * 1024 * 1024
#: … this many entries in the zip, this many bytes once decompressed (all entries together) …
XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: … the shared strings at most this large decompressed …
XLSX_MAX_SHARED_STRINGS = 50 * 1024 * 1024
#: … and no entry larger than 1 MB decompressed that expands more than this many times.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR = 1024 * 1024
#: Rows and cells of all the sheets together (the sheets' declared size is checked first; the
#: importer counts the rows it really reads).
XLSX_MAX_ROWS = 50_000
XLSX_MAX_CELLS = 2_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


def _column_number(letters: bytes | None) -> int:
    n = 0
    for c in letters or b"A":
        n = n * 26 + c - 64
    return n


def check_xlsx(source: Any, *, limit_rows: bool = True) -> None:
    """Refuse a workbook that is too large, or would be once decompressed, before any XML
    parser sees it: ``InvalidInput`` with a message for the user. Reads only the zip's
    directory and the first bytes of each sheet (its declared size): a zip bomb is refused in
    milliseconds."""
    size = os.path.getsize(source) if isinstance(source, str | Path) else _size(source)
    if size > XLSX_MAX_BYTES:
        raise InvalidInput(_("文件过大（不超过 {n} MB）").format(n=XLSX_MAX_BYTES // (1024 * 1024)))
    try:
        if not isinstance(source, str | Path):
            source.seek(0)
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
            if len(infos) > XLSX_MAX_ENTRIES:
                raise InvalidInput(_("工作簿结构异常（内部文件过多），已拒绝。"))
            total = sum(i.file_size for i in infos)
            if total > XLSX_MAX_UNCOMPRESSED:
                raise InvalidInput(_("工作簿解压后过大（超过 {n} MB），已拒绝；请拆分后分批导入。").format(
                    n=XLSX_MAX_UNCOMPRESSED // (1024 * 1024)))
            for i in infos:
                name = i.filename.lower()
                if name.endswith("sharedstrings.xml") and i.file_size > XLSX_MAX_SHARED_STRINGS:
                    raise InvalidInput(_("工作簿中的文字内容解压后过大，已拒绝。"))
                if i.file_size > XLSX_RATIO_FLOOR and i.file_size > XLSX_MAX_RATIO * max(i.compress_size, 1):
                    raise InvalidInput(_("工作簿压缩比异常（疑似压缩炸弹），已拒绝。"))
            rows = cells = 0
            for i in infos:
                if not re.match(r"xl/worksheets/[^/]+\.xml$", i.filename):
                    continue
                with zf.open(i) as fh:
                    head = fh.read(4096)
                m = _DIMENSION.search(head)
                if m and m.group(4):
                    r = int(m.group(4)) - int(m.group(2) or 1) + 1
                    c = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
                    rows += max(r, 0)
                    cells += max(r, 0) * max(c, 0)
            if limit_rows and (rows > XLSX_MAX_ROWS or cells > XLSX_MAX_CELLS):
                raise InvalidInput(too_many_rows())
    except zipfile.BadZipFile as exc:
        raise InvalidInput(_("无法读取文件：请上传 Excel 工作簿（.xlsx）。")) from exc
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)


def too_many_rows() -> str:
    return _("工作簿过大：最多 {rows} 行、{cells} 个单元格，请拆分后分批导入。").format(
        rows=XLSX_MAX_ROWS, cells=XLSX_MAX_CELLS)
