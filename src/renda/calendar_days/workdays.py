"""Working days (工作日) for statutory deadlines.

A date is a working day when:

1. an administrator's override (``CalendarDay``) for that date says so (it wins), else
2. the bundled State Council data (``data/cn_holidays.json``) lists it as a holiday (no) or as
   a make-up working day on a weekend (调休上班, yes), else
3. it is Monday to Friday.

The bundled file is read once per process. Overrides are read in one query each time a
``WorkCalendar`` is built, so a change made by an administrator counts at once in every
process. The module-level functions build one per call; code that asks many questions in a
row (a list of deadlines) builds one with ``calendar()`` and asks it instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

DATA_FILE = Path(__file__).resolve().parent / "data" / "cn_holidays.json"

#: More non-working days in a row than this means the calendar data is broken.
MAX_GAP_DAYS = 366


@dataclass(frozen=True)
class BundledDay:
    date: dt.date
    kind: str
    name: str
    year: int  # the year of the notice that lists it (2022-12-31 belongs to 2023's 元旦)


@dataclass(frozen=True)
class BundledYear:
    year: int
    source: str
    note: str
    arrangement: tuple[str, ...]


@dataclass(frozen=True)
class Bundled:
    days: Mapping[dt.date, BundledDay]
    years: Mapping[int, BundledYear]


def _load(path: Path) -> Bundled:
    raw = json.loads(path.read_text(encoding="utf-8"))
    days: dict[dt.date, BundledDay] = {}
    years: dict[int, BundledYear] = {}
    for key, entry in raw["years"].items():
        year = int(key)
        years[year] = BundledYear(year=year, source=str(entry["source"]), note=str(entry.get("note", "")),
                                  arrangement=tuple(str(a) for a in entry.get("arrangement", ())))
        for item in entry["days"]:
            day = dt.date.fromisoformat(item["date"])
            kind = item["kind"]
            if kind not in KINDS:
                raise ValueError(f"{path.name}: {day} has unknown kind {kind!r}")
            if day in days:
                raise ValueError(f"{path.name}: {day} is listed twice")
            if kind == WORKDAY and day.weekday() < 5:
                raise ValueError(f"{path.name}: make-up working day {day} is not a Saturday or Sunday")
            days[day] = BundledDay(date=day, kind=kind, name=str(item["name"]), year=year)
    return Bundled(days=days, years=years)


@functools.cache
def bundled() -> Bundled:
    """The bundled State Council calendar, read once per process."""
    return _load(DATA_FILE)


def _as_date(value: Any) -> dt.date:
    # A datetime is a date too, but it never equals one; refuse it instead of silently missing.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")
    return value


class WorkCalendar:
    """The bundled data merged with one snapshot of the overrides (``{date: kind}``)."""

    def __init__(self, overrides: Mapping[dt.date, str] | None = None, *, data: Bundled | None = None) -> None:
        self.overrides = dict(overrides or {})
        self.data = data if data is not None else bundled()

    def kind(self, d: dt.date) -> str | None:
        """``holiday``/``workday`` when an override or the bundled data lists ``d``, else None."""
        d = _as_date(d)
        if d in self.overrides:
            return self.overrides[d]
        listed = self.data.days.get(d)
        return listed.kind if listed is not None else None

    def is_workday(self, d: dt.date) -> bool:
        kind = self.kind(d)
        if kind is not None:
            return kind == WORKDAY
        return d.weekday() < 5

    def _step(self, d: dt.date, direction: int) -> dt.date:
        """The nearest working day strictly after (``direction=1``) or before (``-1``) ``d``."""
        for _ in range(MAX_GAP_DAYS):
            d += dt.timedelta(days=direction)
            if self.is_workday(d):
                return d
        raise ValueError(f"no working day within {MAX_GAP_DAYS} days of {d}; check the calendar overrides")

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted; it may be a
        holiday). ``n == 0`` gives ``start``; a negative ``n`` counts backwards."""
        d = _as_date(start)
        direction = 1 if n >= 0 else -1
        for _ in range(abs(n)):
            d = self._step(d, direction)
        return d

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """How many working days ``d`` have ``a < d <= b``; negative when ``b`` is before ``a``.
        So ``workdays_between(a, add_workdays(a, n)) == n`` for ``n >= 0``."""
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        d = a
        while d < b:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count

    def next_workday(self, d: dt.date) -> dt.date:
        """``d`` when it is a working day, else the first working day after it — the rule for a
        deadline that falls on a holiday (期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期)."""
        d = _as_date(d)
        return d if self.is_workday(d) else self._step(d, 1)

    def known_years(self) -> list[int]:
        """Years with an arrangement: in the bundled data or with at least one override."""
        return sorted(set(self.data.years) | {d.year for d in self.overrides})


def overrides() -> dict[dt.date, str]:
    """Every administrator override as ``{date: kind}``, in one query."""
    from renda.calendar_days.models import CalendarDay

    return dict(CalendarDay.objects.values_list("date", "kind"))


def calendar() -> WorkCalendar:
    """The calendar as it stands now (one query); reuse it for many questions in a row."""
    return WorkCalendar(overrides())


def is_workday(d: dt.date) -> bool:
    return calendar().is_workday(d)


def add_workdays(start: dt.date, n: int) -> dt.date:
    return calendar().add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    return calendar().workdays_between(a, b)


def next_workday(d: dt.date) -> dt.date:
    return calendar().next_workday(d)


def known_years() -> list[int]:
    return calendar().known_years()
