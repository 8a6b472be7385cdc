"""Half-year codes: parsing, the half of a date at its edges, order and wording."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.presidium import halves


@pytest.mark.parametrize(("text", "parsed"), [("2023H1", (2023, 1)), ("2023h2", (2023, 2)), ("2023H3", None),
                                              ("1999H1", None), ("2023", None), ("", None)])
def test_parse(text: str, parsed: tuple[int, int] | None) -> None:
    assert halves.parse(text) == parsed


def test_the_half_of_a_date_at_its_edges() -> None:
    assert halves.of(dt.date(2023, 6, 30)) == "2023H1"
    assert halves.of(dt.date(2023, 7, 1)) == "2023H2"
    assert halves.bounds("2023H2") == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    assert halves.following("2023H2") == "2024H1"
    assert halves.key("2023H2") < halves.key("2024H1")
    assert halves.label("2023H1") == "2023年上半年"
