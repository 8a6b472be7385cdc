from __future__ import annotations

import datetime as dt

import pytest

from renda.calendar_days import workdays
from renda.calendar_days.workdays import WorkCalendar

D = dt.date.fromisoformat


@pytest.mark.parametrize(("day", "expected"), [
    ("2023-01-27", False),  # Friday in 春节
    ("2023-01-28", True),   # Saturday, 春节 make-up working day
    ("2023-01-29", True),   # Sunday, 春节 make-up working day
    ("2023-10-02", False),  # Monday in 中秋节、国庆节
    ("2023-10-07", True),   # Saturday make-up working day
    ("2022-12-31", False),  # Saturday, 2023's 元旦
    ("2024-02-09", True),   # 除夕 2024: not a holiday, only "encouraged" off
    ("2024-02-18", True),   # Sunday, 春节 make-up working day
    ("2025-01-28", False),  # 除夕 2025: a statutory holiday from 2025 on
    ("2025-05-02", False),  # Friday, 劳动节 (2 days statutory from 2025 on)
    ("2025-02-08", True),   # Saturday make-up working day
    ("2020-01-19", True),   # Sunday make-up working day
    ("2020-02-01", False),  # Saturday: make-up working day cancelled by the extension
    ("2020-01-31", False),  # Friday: the extended 春节 holiday
    ("2026-01-04", True),   # Sunday make-up working day
    ("2026-02-23", False),  # Monday, last day of 春节 2026
    ("2026-02-28", True),   # Saturday make-up working day
    ("2026-09-20", True),   # Sunday make-up working day
    ("2026-10-08", True),   # Thursday after 国庆节 2026
    ("2023-03-04", False),  # plain Saturday
    ("2023-03-05", False),  # plain Sunday
    ("2023-03-06", True),   # plain Monday
    ("2027-06-01", True),   # not yet known: the weekday rule
    ("2027-06-05", False),
])
def test_known_dates(day: str, expected: bool) -> None:
    assert WorkCalendar().is_workday(D(day)) is expected


def test_add_workdays_across_national_day_2023() -> None:
    cal = WorkCalendar()
    # After Wed 27 Sep: Thu 28 (1); 29 Sep-6 Oct off; Sat 7 (2), Sun 8 (3), Mon 9 (4), Tue 10 (5).
    assert cal.add_workdays(D("2023-09-27"), 5) == D("2023-10-10")
    assert cal.add_workdays(D("2023-09-27"), 1) == D("2023-09-28")
    assert cal.add_workdays(D("2023-09-27"), 2) == D("2023-10-07")
    assert cal.workdays_between(D("2023-09-27"), D("2023-10-10")) == 5
    assert cal.workdays_between(D("2023-10-10"), D("2023-09-27")) == -5


def test_add_workdays_across_spring_festival() -> None:
    cal = WorkCalendar()
    # 2023: Fri 20 Jan (1); 21-27 off; Sat 28 (2), Sun 29 (3).
    assert cal.add_workdays(D("2023-01-19"), 3) == D("2023-01-29")
    # 2024: Fri 9 Feb (1, 除夕 is a working day); 10-17 off; Sun 18 (2).
    assert cal.add_workdays(D("2024-02-08"), 2) == D("2024-02-18")
    # 2025: Sun 26 Jan (1), Mon 27 (2); 28 Jan-4 Feb off; Wed 5 (3), Thu 6 (4), Fri 7 (5).
    assert cal.add_workdays(D("2025-01-24"), 5) == D("2025-02-07")
    # 2025 国庆节、中秋节: Sun 28 Sep (1), Mon 29 (2), Tue 30 (3); 1-8 Oct off; Thu 9 (4), Fri 10 (5).
    assert cal.add_workdays(D("2025-09-26"), 5) == D("2025-10-10")


def test_add_workdays_from_a_holiday_zero_and_backwards() -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(D("2023-10-01"), 1) == D("2023-10-07")
    assert cal.add_workdays(D("2023-10-01"), 0) == D("2023-10-01")
    # Before Mon 9 Oct: Sun 8 (1), Sat 7 (2); 6 Oct-29 Sep off; Thu 28 Sep (3).
    assert cal.add_workdays(D("2023-10-09"), -3) == D("2023-09-28")


def test_workdays_between_a_month() -> None:
    # January 2023: 22 weekdays, less 2 Jan and 23-27 Jan, plus Sat 28 and Sun 29.
    assert WorkCalendar().workdays_between(D("2022-12-31"), D("2023-01-31")) == 18
    assert WorkCalendar().workdays_between(D("2023-01-31"), D("2023-01-31")) == 0


def test_next_workday() -> None:
    cal = WorkCalendar()
    assert cal.next_workday(D("2023-10-01")) == D("2023-10-07")
    assert cal.next_workday(D("2023-10-09")) == D("2023-10-09")
    assert cal.next_workday(D("2024-02-17")) == D("2024-02-18")
    assert cal.next_workday(D("2023-03-04")) == D("2023-03-06")


def test_overrides_win_over_bundled_data() -> None:
    cal = WorkCalendar({D("2023-01-28"): workdays.HOLIDAY, D("2023-03-04"): workdays.WORKDAY,
                        D("2027-01-01"): workdays.HOLIDAY})
    assert not cal.is_workday(D("2023-01-28"))
    assert cal.is_workday(D("2023-03-04"))
    assert not cal.is_workday(D("2027-01-01"))
    assert cal.known_years() == [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]


def test_refuses_datetimes() -> None:
    with pytest.raises(TypeError):
        WorkCalendar().is_workday(dt.datetime(2023, 10, 2, 9, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WorkCalendar().add_workdays("2023-10-02", 1)  # type: ignore[arg-type]


def test_a_calendar_with_no_working_day_is_an_error() -> None:
    start = D("2030-01-01")
    everything_off = {start + dt.timedelta(days=i): workdays.HOLIDAY for i in range(1, 400)}
    with pytest.raises(ValueError, match="no working day"):
        WorkCalendar(everything_off).add_workdays(start, 1)


@pytest.mark.django_db
def test_module_functions_read_the_overrides() -> None:
    from renda.calendar_days.models import CalendarDay

    assert workdays.known_years() == list(range(2020, 2027))
    assert workdays.is_workday(D("2023-03-06"))
    CalendarDay.objects.create(date=D("2023-03-06"), kind="holiday", name="测试")
    assert not workdays.is_workday(D("2023-03-06"))
    assert workdays.next_workday(D("2023-03-06")) == D("2023-03-07")
    assert workdays.add_workdays(D("2023-03-03"), 1) == D("2023-03-07")
    assert workdays.workdays_between(D("2023-03-03"), D("2023-03-07")) == 1
    CalendarDay.objects.create(date=D("2027-10-01"), kind="holiday", name="国庆节")
    assert workdays.known_years()[-1] == 2027
