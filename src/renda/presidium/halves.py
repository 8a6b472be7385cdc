"""Half-years (半年) as codes — ``2023H1``, ``2023H2`` — pure Python: parsing, their dates,
their order and the half of a date (the label translated). The plan's tasks are due in a half and reviewed per half."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

HALF_RE = re.compile(r"^(\d{4})H([12])$")


def parse(code: str) -> tuple[int, int] | None:
    """``2023H2`` → (2023, 2); anything else → None."""
    m = HALF_RE.match((code or "").strip().upper())
    if not m or not 2000 <= int(m[1]) <= 2100:
        return None
    return int(m[1]), int(m[2])


def code(year: int, half: int) -> str:
    return f"{year}H{half}"


def of(on: dt.date) -> str:
    """The half a date falls in: 30 June is H1, 1 July is H2."""
    return code(on.year, 1 if on.month <= 6 else 2)


def bounds(half_code: str) -> tuple[dt.date, dt.date]:
    parsed = parse(half_code)
    if parsed is None:
        raise ValueError(half_code)
    year, half = parsed
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def key(half_code: str) -> tuple[int, int]:
    """Sort key: halves compare in time order."""
    parsed = parse(half_code)
    if parsed is None:
        raise ValueError(half_code)
    return parsed


def following(half_code: str) -> str:
    year, half = key(half_code)
    return code(year, 2) if half == 1 else code(year + 1, 1)


def label(half_code: str) -> str:
    """``2023H1`` → 2023年上半年 (the reports' wording)."""
    year, half = key(half_code)
    return (_("{y}年上半年") if half == 1 else _("{y}年下半年")).format(y=year)
