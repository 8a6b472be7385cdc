"""The ``Content-Disposition`` of every download (one helper, RFC 6266 / RFC 5987).

A download's name is built from what users typed (a 编号, a town's name, an uploaded file's
name), so it is made safe first: path separators, quotes, semicolons, control characters and
anything else outside letters (Chinese included), digits, space and ``. - _ ( ) （ ）`` become
``_``; no leading dot; at most ``MAX_LENGTH`` characters, the extension kept. The header carries
the name as ``filename*=UTF-8''…`` and an ASCII ``filename="…"`` fallback for old clients."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponseBase

MAX_LENGTH = 150
_UNSAFE = re.compile(r"[^\w .()（）-]|_{2,}")
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._()-]+")


def safe_filename(filename: str, *, default: str = "download") -> str:
    """``filename`` with only safe characters (see the module), never empty or hidden."""
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = "".join(ch if unicodedata.category(ch)[0] != "C" else "_" for ch in name)
    name = _UNSAFE.sub("_", name.replace("/", "_").replace("\\", "_"))
    name = re.sub(r"_{2,}", "_", name).strip(" ._")
    if len(name) > MAX_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = stem[: MAX_LENGTH - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:MAX_LENGTH]
    return name or default


def ascii_filename(filename: str, *, default: str = "download") -> str:
    """An ASCII stand-in for ``filename`` (the fallback of clients without RFC 5987)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem = _NOT_ASCII_SAFE.sub("_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())
    stem = stem.strip("._") or default
    ext = _NOT_ASCII_SAFE.sub("", ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header value for a download named ``filename``."""
    name = safe_filename(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attach(response: HttpResponseBase, filename: str, *, inline: bool = False) -> HttpResponseBase:
    """Set ``response``'s ``Content-Disposition`` for ``filename``; returns the response."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
