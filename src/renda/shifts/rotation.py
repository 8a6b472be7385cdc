"""Rotating people through duty days (轮流值班): pure functions, no database."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput

T = TypeVar("T")


def rotate(days: Sequence[dt.date], members: Sequence[T], per_day: int,
           start: int = 0) -> list[tuple[dt.date, list[T]]]:
    """``per_day`` members for each of ``days``, taking ``members`` in turn from index ``start``:
    with members A–E and two a day, A B | C D | E A | B C … No one is on one day twice."""
    if per_day < 1:
        raise InvalidInput(_("每天值班人数至少为1"), fields={"per_day": _("至少为1")})
    if not members:
        raise InvalidInput(_("没有可以轮流值班的主席团成员"), fields={"per_day": _("没有主席团成员")})
    if per_day > len(members):
        raise InvalidInput(
            _("每天值班人数（{n}）不能多于主席团成员人数（{m}）").format(n=per_day, m=len(members)),
            fields={"per_day": _("多于主席团成员人数")},
        )
    out: list[tuple[dt.date, list[T]]] = []
    i = start % len(members)
    for day in days:
        out.append((day, [members[(i + k) % len(members)] for k in range(per_day)]))
        i = (i + per_day) % len(members)
    return out


def next_start(members: Sequence[T], last: T | None) -> int:
    """Where the rotation goes on after ``last`` (the last person on duty before): the member
    after them, or the first member."""
    if last is None or last not in members:
        return 0
    return (list(members).index(last) + 1) % len(members)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_days(year: int, month: int) -> list[dt.date]:
    first, last = month_bounds(year, month)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def month_days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def weeks(year: int, month: int) -> list[list[dt.date | None]]:
    """The month as calendar weeks, Monday first; days outside the month are None."""
    return [[d if d.month == month else None for d in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]


def parse_month(text: str | None, today: dt.date) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month); blank or malformed → the month of ``today``."""
    try:
        year_text, month_text = (text or "").strip().split("-")
        year, month = int(year_text), int(month_text)
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1
