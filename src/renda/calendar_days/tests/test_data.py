"""The bundled State Council data, checked against the notices' own numbers (共N天) and
their lists of make-up working days, written out here independently of the JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from renda.calendar_days import workdays

D = dt.date.fromisoformat

#: (year, holiday name) -> (first day off, number of days off) as the notices give them.
HOLIDAYS: dict[int, dict[str, tuple[str, int]]] = {
    2020: {"元旦": ("2020-01-01", 1), "春节": ("2020-01-24", 10), "清明节": ("2020-04-04", 3),
           "劳动节": ("2020-05-01", 5), "端午节": ("2020-06-25", 3), "国庆节、中秋节": ("2020-10-01", 8)},
    2021: {"元旦": ("2021-01-01", 3), "春节": ("2021-02-11", 7), "清明节": ("2021-04-03", 3),
           "劳动节": ("2021-05-01", 5), "端午节": ("2021-06-12", 3), "中秋节": ("2021-09-19", 3),
           "国庆节": ("2021-10-01", 7)},
    2022: {"元旦": ("2022-01-01", 3), "春节": ("2022-01-31", 7), "清明节": ("2022-04-03", 3),
           "劳动节": ("2022-04-30", 5), "端午节": ("2022-06-03", 3), "中秋节": ("2022-09-10", 3),
           "国庆节": ("2022-10-01", 7)},
    2023: {"元旦": ("2022-12-31", 3), "春节": ("2023-01-21", 7), "清明节": ("2023-04-05", 1),
           "劳动节": ("2023-04-29", 5), "端午节": ("2023-06-22", 3), "中秋节、国庆节": ("2023-09-29", 8)},
    2024: {"元旦": ("2024-01-01", 1), "春节": ("2024-02-10", 8), "清明节": ("2024-04-04", 3),
           "劳动节": ("2024-05-01", 5), "端午节": ("2024-06-10", 1), "中秋节": ("2024-09-15", 3),
           "国庆节": ("2024-10-01", 7)},
    2025: {"元旦": ("2025-01-01", 1), "春节": ("2025-01-28", 8), "清明节": ("2025-04-04", 3),
           "劳动节": ("2025-05-01", 5), "端午节": ("2025-05-31", 3), "国庆节、中秋节": ("2025-10-01", 8)},
    2026: {"元旦": ("2026-01-01", 3), "春节": ("2026-02-15", 9), "清明节": ("2026-04-04", 3),
           "劳动节": ("2026-05-01", 5), "端午节": ("2026-06-19", 3), "中秋节": ("2026-09-25", 3),
           "国庆节": ("2026-10-01", 7)},
}

#: Every make-up working day (调休上班) of each year's notice.
WORKDAYS: dict[int, set[str]] = {
    # 2020-02-01 was one until the Spring Festival holiday was extended to 2 February.
    2020: {"2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"},
    2021: {"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"},
    2022: {"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"},
    2023: {"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"},
    2024: {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
           "2024-10-12"},
    2025: {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
    2026: {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
}


def test_years_2020_to_2026_with_a_source_each() -> None:
    data = workdays.bundled()
    assert sorted(data.years) == list(range(2020, 2027))
    for year in data.years.values():
        assert "国务院办公厅" in year.source and "gov.cn" in year.source
        assert year.arrangement


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_holidays_match_the_notice(year: int) -> None:
    by_name: dict[str, list[dt.date]] = defaultdict(list)
    for day in workdays.bundled().days.values():
        if day.year == year and day.kind == workdays.HOLIDAY:
            by_name[day.name].append(day.date)
    assert set(by_name) == set(HOLIDAYS[year])
    for name, (first, count) in HOLIDAYS[year].items():
        dates = sorted(by_name[name])
        expected = [D(first) + dt.timedelta(days=i) for i in range(count)]
        assert dates == expected, (year, name)


@pytest.mark.parametrize("year", sorted(WORKDAYS))
def test_make_up_workdays_match_the_notice(year: int) -> None:
    listed = {d.date.isoformat() for d in workdays.bundled().days.values()
              if d.year == year and d.kind == workdays.WORKDAY}
    assert listed == WORKDAYS[year]
    assert all(D(d).weekday() >= 5 for d in listed)


def test_loader_refuses_broken_data(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"years": {"2030": {"source": "x", "days": [
        {"date": "2030-01-02", "kind": "workday", "name": "元旦"}]}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a Saturday or Sunday"):
        workdays._load(path)
    path.write_text(json.dumps({"years": {"2030": {"source": "x", "days": [
        {"date": "2030-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2030-01-01", "kind": "holiday", "name": "元旦"}]}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        workdays._load(path)
