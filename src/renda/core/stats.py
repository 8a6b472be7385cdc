"""The ``renda stats`` contract (shared/METRICS.md): the period, the rounding of rates, and the
registry of sections that apps contribute.

``reports/metrics.py`` assembles the JSON object: ``period``, then every registered section in
order. The sections of the apps that existed first are computed in ``reports/metrics.py``
(they share its fact queries); a later app adds its section in its own ``stats.py``::

    from renda.core.stats import Period, rate, section

    @section("projects", order=500)
    def projects(period: Period, scope) -> dict[str, Any]:
        ...  # scope.town_ids: the towns counted

Each indicator is still defined once (in METRICS.md) and computed in one function.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
from renda.core.plugins import app_modules

# --- period ---------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})年?$")
_HALF = re.compile(r"^(\d{4})(?:H([12])|年?([上下])半年)$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})(?:Q([1-4])|年?第?([1-4一二三四])季度?)$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2})|年(\d{1,2})月)$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}

#: The kinds of period the statistics page's picker offers; ``RANGE`` is any [from, to].
YEAR, HALF, QUARTER, MONTH, RANGE = "year", "half", "quarter", "month", "range"
#: The numbers each kind takes (a half, a quarter, a month of the year).
KIND_NUMBERS = {HALF: range(1, 3), QUARTER: range(1, 5), MONTH: range(1, 13)}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_range(kind: str, year: int, number: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, a half (1–2), a quarter (1–4) or a month (1–12)."""
    if kind == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind not in KIND_NUMBERS or number not in KIND_NUMBERS[kind]:
        raise ValueError(f"no {kind} numbered {number}")
    assert number is not None
    months = {HALF: 6, QUARTER: 3, MONTH: 1}[kind]
    first = months * (number - 1) + 1
    return dt.date(year, first, 1), _month_end(year, first + months - 1)


def period_code(kind: str, year: int, number: int | None = None) -> str:
    """The code ``renda stats --period`` and the page's URL take: 2023, 2023H1, 2023Q3, 2023-07."""
    period_range(kind, year, number)  # refuses a number the kind does not have
    if kind == YEAR:
        return f"{year:04d}"
    return {HALF: f"{year:04d}H{number}", QUARTER: f"{year:04d}Q{number}", MONTH: f"{year:04d}-{number:02d}"}[kind]


def period_kind(from_: dt.date, to: dt.date) -> tuple[str, int, int | None]:
    """(kind, year, number) of [from_, to]: the year, half, quarter or month it is exactly, else
    (RANGE, from_.year, None)."""
    for kind in (YEAR, HALF, QUARTER, MONTH):
        for number in KIND_NUMBERS.get(kind, [None]):
            if period_range(kind, from_.year, number) == (from_, to):
                return kind, from_.year, number
    return RANGE, from_.year, None


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2023`` · ``2023H1`` · ``2023Q3`` · ``2023-07`` → (first day, last day); the Chinese forms
    ``2023年``, ``2023上半年``/``2023年下半年``, ``2023年第三季度``/``2023年3季度``, ``2023年7月`` too."""
    value = re.sub(r"\s+", "", text or "")
    if m := _YEAR.match(value):
        return period_range(YEAR, int(m[1]))
    if m := _HALF.match(value):
        half = int(m[2]) if m[2] else (1 if m[3] == "上" else 2)
        return period_range(HALF, int(m[1]), half)
    if m := _QUARTER.match(value):
        quarter = int(m[2]) if m[2] else _CN_DIGITS.get(m[3]) or int(m[3])
        return period_range(QUARTER, int(m[1]), quarter)
    if (m := _MONTH.match(value)) and 1 <= int(m[2] or m[3]) <= 12:
        return period_range(MONTH, int(m[1]), int(m[2] or m[3]))
    raise InvalidInput(_("统计期间「{p}」格式不正确，应为 2023、2023H1（2023上半年）、2023Q3 或 2023-07")
                       .format(p=value), fields={"period": _("格式不正确")})


@dataclass(frozen=True)
class Period:
    """[from_, to] and the as-of date (only facts dated on or before it count)."""

    from_: dt.date
    to: dt.date
    as_of: dt.date

    @classmethod
    def make(cls, from_: dt.date, to: dt.date, as_of: dt.date | None = None, *,
             today: dt.date | None = None) -> Period:
        """``as_of`` defaults to ``to``, or today (Asia/Shanghai) when ``to`` is in the future."""
        if to < from_:
            raise InvalidInput(_("统计截止日期不能早于起始日期"), fields={"to": _("早于起始日期")})
        if as_of is None:
            as_of = min(to, today or timezone.localdate())
        return cls(from_, to, as_of)

    @classmethod
    def parse(cls, text: str, as_of: dt.date | None = None, *, today: dt.date | None = None) -> Period:
        from_, to = parse_period(text)
        return cls.make(from_, to, as_of, today=today)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.from_.isoformat(), "to": self.to.isoformat(), "as_of": self.as_of.isoformat()}


# --- helpers --------------------------------------------------------------------------------

_FOUR = Decimal("0.0001")


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator rounded half-up to 4 decimals; None when the denominator is 0."""
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(_FOUR, rounding=ROUND_HALF_UP))


# --- sections -------------------------------------------------------------------------------

#: ``compute(period, scope)``: scope is the reports' Scope (``towns``, ``town``, ``town_ids``).
Compute = Callable[[Period, Any], Any]


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    compute: Compute


_SECTIONS: dict[str, Section] = {}


def section(key: str, *, order: int) -> Callable[[Compute], Compute]:
    """Register ``compute`` as the section ``key`` of ``renda stats``; sections appear by ``order``."""

    def register(compute: Compute) -> Compute:
        _SECTIONS[key] = Section(key=key, order=order, compute=compute)
        return compute

    return register


def sections() -> list[Section]:
    """Every section, in order (every renda app's ``stats`` module imported first)."""
    app_modules("stats")
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
