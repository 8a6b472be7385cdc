"""The town's contact targets as arithmetic (pure Python, no database).

- Voter contacts (联系选民): ``per_year`` a year, pro rata for a part of a year — the days of
  [start, end] in each calendar year over that year's days (a deputy serving half the year owes
  half). A deputy is below target when their count is less than that share (no rounding: 9 of
  10 is below, 10 is not; in the first half of 2023, 181/365 × 10 = 4.96, so 4 is below and 5 is
  not).
- Presidium contacts (联系代表): each presidium member contacts each deputy assigned to them at
  least ``per_quarter`` times in every calendar quarter; a contact counts for the quarter of its
  date (31 March is Q1, 1 April is Q2).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


def quarter_of(on: dt.date) -> tuple[int, int]:
    return on.year, (on.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    last_month = 3 * quarter
    last = dt.date(year + (last_month == 12), 1 if last_month == 12 else last_month + 1, 1) - dt.timedelta(days=1)
    return first, last


def quarter_code(on: dt.date) -> str:
    year, q = quarter_of(on)
    return f"{year}Q{q}"


def previous_quarter(on: dt.date) -> tuple[dt.date, dt.date]:
    first, _last = quarter_range(*quarter_of(on))
    return quarter_range(*quarter_of(first - dt.timedelta(days=1)))


def clip(start: dt.date, end: dt.date, serving_from: dt.date | None, serving_to: dt.date | None
         ) -> tuple[dt.date, dt.date] | None:
    """[start, end] within the serving dates, or None when they do not meet."""
    if serving_from is not None and serving_from > start:
        start = serving_from
    if serving_to is not None and serving_to < end:
        end = serving_to
    return (start, end) if start <= end else None


def year_share(start: dt.date, end: dt.date) -> Fraction:
    """The part of a year [start, end] covers, year by year (a whole year is exactly 1)."""
    share = Fraction(0)
    year = start.year
    while year <= end.year:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        a, b = max(start, first), min(end, last)
        if a <= b:
            share += Fraction((b - a).days + 1, (last - first).days + 1)
        year += 1
    return share


def voter_target(per_year: int, start: dt.date, end: dt.date) -> Fraction:
    """The voter contacts owed over [start, end] (pro rata)."""
    if end < start:
        return Fraction(0)
    return per_year * year_share(start, end)


def below_voter_target(count: int, per_year: int, start: dt.date, end: dt.date) -> bool:
    return Fraction(count) < voter_target(per_year, start, end)


def presidium_behind(count_in_quarter: int, per_quarter: int) -> bool:
    return count_in_quarter < per_quarter
