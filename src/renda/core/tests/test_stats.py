"""The section registry of ``renda stats`` (renda.core.stats)."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core import stats


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, stats.Section]:
    sections: dict[str, stats.Section] = {}
    monkeypatch.setattr(stats, "_SECTIONS", sections)
    return sections


def test_sections_come_in_order_then_by_key(registry: dict[str, stats.Section]) -> None:
    def compute(period: stats.Period, scope: Any) -> dict[str, int]:
        return {}

    stats.section("b", order=20)(compute)
    stats.section("a", order=20)(compute)
    stats.section("z", order=10)(compute)
    assert [s.key for s in stats.sections()] == ["z", "a", "b"]


def test_registering_a_key_again_replaces_it(registry: dict[str, stats.Section]) -> None:
    stats.section("x", order=1)(lambda period, scope: 1)
    stats.section("x", order=2)(lambda period, scope: 2)
    (only,) = stats.sections()
    assert (only.order, only.compute(None, None)) == (2, 2)  # type: ignore[arg-type]


def test_the_platform_sections_are_registered() -> None:
    from renda.reports import metrics  # noqa: F401 - registers the first four sections

    keys = [s.key for s in stats.sections()]
    assert keys[:4] == ["suggestions", "petitions", "grids", "deputies"]
