from __future__ import annotations

import datetime as dt

from renda.suggestions import rules

D = dt.date.fromisoformat


def test_add_months_clamps_to_month_end() -> None:
    assert rules.add_months(D("2023-01-31"), 1) == D("2023-02-28")
    assert rules.add_months(D("2024-01-31"), 1) == D("2024-02-29")
    assert rules.add_months(D("2023-11-15"), 3) == D("2024-02-15")
    assert rules.add_months(D("2023-03-31"), -1) == D("2023-02-28")


def test_deadlines() -> None:
    assert rules.deadline_for("deputy", D("2023-03-10")) == D("2023-06-10")
    assert rules.deadline_for("public", D("2023-03-10")) == D("2023-04-09")
    assert rules.rehandle_deadline(D("2023-05-31")) == D("2023-06-30")
    assert rules.extension_cap("deputy", D("2023-03-10")) == D("2023-09-10")
    assert rules.extension_cap("public", D("2023-03-10")) is None
    assert rules.rules_for(None) == rules.Rules()
