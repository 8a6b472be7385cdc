"""Every legal time limit, in calendar days, moved to the next working day when the last day
falls on a rest day or holiday — with the real 2023/2024 holidays and make-up working days."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.calendar_days.workdays import WorkCalendar
from renda.petitions import rules

D = dt.date.fromisoformat
CAL = WorkCalendar({})  # the bundled State Council calendar, no overrides

TABLE = [
    # (limit, start, extension days, last day, why)
    ("acceptance", "2023-03-01", None, "2023-03-16", "15 days, a Thursday"),
    ("acceptance", "2023-09-14", None, "2023-10-07", "09-29 is 中秋国庆; 10-07 (Sat) a make-up working day"),
    ("acceptance", "2023-01-06", None, "2023-01-28", "15 days = 01-21, 春节 01-21..01-27; 01-28 (Sat) worked"),
    ("handling", "2023-02-28", None, "2023-05-04", "60 days = 04-29, 劳动节 04-29..05-03"),
    ("handling", "2024-08-02", None, "2024-10-08", "60 days = 10-01, 国庆 10-01..10-07"),
    ("handling", "2023-02-28", 30, "2023-05-29", "extended 30 days: 90 days, a Monday"),
    ("handling", "2023-11-20", 15, "2024-02-04", "75 days = 02-03 (Sat) → 02-04 (Sun) a make-up working day"),
    ("review_request", "2024-01-12", None, "2024-02-18", "30 days = 02-11, 春节 02-10..02-17; 02-18 worked"),
    ("answer", "2023-12-02", None, "2024-01-02", "30 days = 2024-01-01 元旦"),
    ("review_request", "2024-03-05", None, "2024-04-07", "30 days = 04-04 清明 04-04..06; 04-07 (Sun) worked"),
    ("answer", "2024-04-01", None, "2024-05-06", "30 days = 05-01 劳动节 05-01..05-05"),
]


@pytest.mark.parametrize(("limit", "start", "ext", "last", "why"), TABLE)
def test_deadline_table(limit: str, start: str, ext: int | None, last: str, why: str) -> None:
    s = D(start)
    if limit == "acceptance":
        got = rules.acceptance_due(s, cal=CAL)
    elif limit == "handling":
        got = rules.handling_due(s, ext, cal=CAL)
    elif limit == "review_request":
        got = rules.review_request_by(s, cal=CAL)
    else:
        got = rules.answer_due(s, cal=CAL)
    assert got == D(last), why


def test_the_day_of_the_event_is_not_counted() -> None:
    assert rules.period_end(D("2023-03-01"), 15, CAL) == D("2023-03-16")
    assert rules.period_end(D("2023-03-01"), 0, CAL) == D("2023-03-01")


def test_deadlines_of_a_petition_and_the_one_running() -> None:
    class P:
        registered_on = D("2023-03-01")
        accepted_on = D("2023-03-03")
        extension_days = 30
        opinion_on = D("2023-06-01")
        review_requested_on = D("2023-06-20")
        review_answered_on = None
        rereview_requested_on = None

    d = rules.deadlines(P(), cal=CAL)
    assert d.acceptance == D("2023-03-16")
    assert d.handling == D("2023-06-01")  # 90 days from 03-03
    assert d.review_request == D("2023-07-03")  # 07-01 is a Saturday
    assert d.review_answer == D("2023-07-20")
    assert d.rereview_request is None and d.rereview_answer is None
    assert rules.running_deadline("registered", d) == d.acceptance
    assert rules.running_deadline("handling", d) == d.handling
    assert rules.running_deadline("review", d) == d.review_answer
    for state in ("closed", "reviewed", "final", "declined"):
        assert rules.running_deadline(state, d) is None
