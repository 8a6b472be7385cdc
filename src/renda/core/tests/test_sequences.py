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


@pytest.mark.django_db
def test_a_registration_takes_the_next_code_when_its_number_is_held_without_the_counter(world: object) -> None:
    """Registering does not look its 编号 up first (``CodeSeries.next(looked_up=False)``): when a
    row written past the counter (not through a service, so never noted) holds it, the insert
    finds it taken on the unique index and takes the next — one number, and again for a run of
    them, up to ``insert_coded``'s attempts."""
    from renda.core.errors import Conflict
    from renda.suggestions.tests.helpers import public_item

    series = sequences.CodeSeries("suggestion:2023", "YJ2023-", Suggestion.objects.all())
    assert public_item(world).code == "YJ2023-001"  # type: ignore[arg-type]
    held = public_item(world, code="YJ2023-050")  # type: ignore[arg-type]
    Sequence.objects.filter(key="suggestion:2023").update(value=1)  # as if never noted

    def hold(*numbers: int) -> None:
        for n in numbers:
            Suggestion.objects.filter(pk=held.pk).update(code=f"YJ2023-{n:03d}")
            held.pk = None
            held.tracking_code = f"T{n:010d}"
            held.save(force_insert=True)

    hold(2)
    assert public_item(world).code == "YJ2023-003"  # type: ignore[arg-type]
    hold(4, 5, 6, 7)
    assert public_item(world).code == "YJ2023-008"  # type: ignore[arg-type]  # 4 taken, the 5th attempt
    hold(9, 10, 11, 12, 13)
    with pytest.raises(Conflict, match="YJ2023-013"):
        public_item(world)  # type: ignore[arg-type]
    # The refused registration's numbers were rolled back with it: the counter is at 8 again.
    assert series.next(looked_up=False) == "YJ2023-009"  # the counter's next, held or not
    assert series.next() == "YJ2023-014"  # looked up: 010–013 are held


@pytest.mark.django_db
def test_a_new_series_starts_after_the_largest_code_of_its_prefix_read_by_index_range(world: object) -> None:
    """The first number of a series continues after the largest code with its prefix — on SQLite
    read as a range of the unique index (``code >= 'YJ2023-' AND code < 'YJ2023.'``, no LIKE):
    codes of the neighbouring prefixes and non-numeric ones do not count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.suggestions.tests.helpers import public_item

    for code in ("YJ2023-007", "YJ2023-abc", "YJ2022-900", "YJ2023", "YJ20230-999", "YJ2024-001", "YJ2023-0012"):
        public_item(world, code=code)  # type: ignore[arg-type]
    Sequence.objects.all().delete()
    series = sequences.CodeSeries("suggestion:2023", "YJ2023-", Suggestion.objects.all())
    with CaptureQueriesContext(connection) as ctx:
        assert series._largest() == 12
    assert ("LIKE" in ctx.captured_queries[0]["sql"].upper()) is (connection.vendor != "sqlite")
    assert series.next() == "YJ2023-013"
