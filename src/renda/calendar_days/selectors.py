"""Reads for the calendar page: one year's listed days, bundled and overridden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from renda.calendar_days import workdays
from renda.calendar_days.models import CalendarDay


@dataclass(frozen=True)
class ListedDay:
    date: dt.date
    kind: str  # the kind in force
    name: str
    note: str
    override: CalendarDay | None  # the administrator's entry, when there is one
    bundled: workdays.BundledDay | None  # what the State Council data says, when it lists the date

    @property
    def is_workday(self) -> bool:
        return self.kind == workdays.WORKDAY

    @property
    def replaces_bundled(self) -> bool:
        return self.override is not None and self.bundled is not None


def days_of_year(year: int) -> list[ListedDay]:
    """Every date of ``year`` that the bundled data or an override lists, by date."""
    data = workdays.bundled()
    overrides = {o.date: o for o in CalendarDay.objects.filter(date__year=year)}
    bundled = {d: b for d, b in data.days.items() if d.year == year}
    out = []
    for d in sorted(set(overrides) | set(bundled)):
        o, b = overrides.get(d), bundled.get(d)
        if o is not None:
            out.append(ListedDay(date=d, kind=o.kind, name=o.name, note=o.note, override=o, bundled=b))
        elif b is not None:
            out.append(ListedDay(date=d, kind=b.kind, name=b.name, note="", override=None, bundled=b))
    return out


def year_is_known(year: int) -> bool:
    """Whether ``year`` has an arrangement: in the bundled data or entered by an administrator."""
    return year in workdays.bundled().years or CalendarDay.objects.filter(date__year=year).exists()
