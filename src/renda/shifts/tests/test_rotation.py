"""Rotation through the members, month helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.core.errors import InvalidInput
from renda.shifts import rotation

DAYS = [dt.date(2023, 3, d) for d in range(1, 7)]


def test_members_take_turns_and_no_one_twice_a_day() -> None:
    plan = rotation.rotate(DAYS, list("ABCDE"), 2)
    assert [p for _d, p in plan] == [["A", "B"], ["C", "D"], ["E", "A"], ["B", "C"], ["D", "E"], ["A", "B"]]
    assert [p for _d, p in rotation.rotate(DAYS[:3], list("ABC"), 1, start=2)] == [["C"], ["A"], ["B"]]


@pytest.mark.parametrize(("members", "per_day"), [([], 1), (["A"], 2), (["A", "B"], 0)])
def test_impossible_plans_are_refused(members: list[str], per_day: int) -> None:
    with pytest.raises(InvalidInput):
        rotation.rotate(DAYS, members, per_day)


def test_next_start_and_months() -> None:
    assert rotation.next_start(list("ABC"), "C") == 0
    assert rotation.next_start(list("ABC"), "A") == 1
    assert rotation.next_start(list("ABC"), None) == 0
    assert rotation.parse_month("2023-02", dt.date(2026, 11, 27)) == (2023, 2)
    assert rotation.parse_month("bad", dt.date(2026, 11, 27)) == (2026, 11)
    assert rotation.parse_month("2023-13", dt.date(2026, 11, 27)) == (2026, 11)
    assert rotation.shift_month(2026, 12, 1) == (2027, 1)
    assert rotation.shift_month(2026, 1, -1) == (2025, 12)
    assert rotation.month_bounds(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    weeks = rotation.weeks(2023, 1)
    assert weeks[0][:6] == [None] * 6 and weeks[0][6] == dt.date(2023, 1, 1)  # 2023-01-01 is a Sunday
