from __future__ import annotations

import pytest

from renda.core import sequences
from renda.core.models import Sequence
from renda.suggestions.models import Suggestion


@pytest.mark.django_db
def test_take_starts_after_what_exists_and_then_counts() -> None:
    calls: list[int] = []

    def start() -> int:
        calls.append(1)
        return 41

    assert [sequences.take("t", start=start) for _ in range(3)] == [42, 43, 44]
    assert len(calls) == 1  # only the first number reads what exists
    sequences.at_least("t", 100, start=start)
    assert sequences.take("t", start=start) == 101
    sequences.at_least("t", 50, start=start)  # a lower hand-given number changes nothing
    assert sequences.take("t", start=start) == 102
    assert Sequence.objects.get(key="t").value == 102


@pytest.mark.django_db
def test_code_series_skips_taken_codes_and_notes_hand_codes(world: object) -> None:
    from renda.suggestions.tests.helpers import public_item

    public_item(world, code="YJ2023-002")  # type: ignore[arg-type]
    series = sequences.CodeSeries("suggestion:2023", "YJ2023-", Suggestion.objects.all())
    assert series.next() == "YJ2023-003"  # continues after the hand-given code
    public_item(world, code="YJ2023-010")  # type: ignore[arg-type]
    assert series.next() == "YJ2023-011"
    series.note("YJ2023-abc")  # not numeric: ignored
    assert series.next() == "YJ2023-012"
