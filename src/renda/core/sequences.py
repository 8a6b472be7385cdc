"""Numbering (编号) without scanning: one locked counter row per sequence (``core.models.Sequence``).

``take(key, start=...)`` returns the next number of ``key``. The first call of a sequence asks
``start()`` for the largest number already used (e.g. from imported ledgers) and continues from
there; afterwards numbering reads and writes one row. Callers still check the code they build
is free (a ledger may import a later code by hand) and take again if not — see ``next_free``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from renda.core.models import Sequence


def take(key: str, *, start: Callable[[], int]) -> int:
    """The next number of ``key``, inside the caller's transaction (the row stays locked until
    it commits, so two registrations take turns)."""
    with transaction.atomic():
        row = Sequence.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():  # a savepoint: another transaction may create it first
                    row = Sequence.objects.create(key=key, value=start())
            except IntegrityError:
                row = Sequence.objects.select_for_update().get(key=key)
            else:
                row = Sequence.objects.select_for_update().get(pk=row.pk)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value


def at_least(key: str, value: int, *, start: Callable[[], int]) -> None:
    """A number given by hand (an explicit 编号): later numbers continue after it."""
    with transaction.atomic():
        current = take(key, start=start) - 1  # creates and locks the row; undo the bump below
        Sequence.objects.filter(key=key).update(value=max(current, value))


def next_free(key: str, *, start: Callable[[], int], code: Callable[[int], str],
              taken: Callable[[str], bool]) -> str:
    """The next code of ``key`` not yet in use: ``code(n)`` for the numbers ``take`` gives, skipping
    any ``taken`` one (hand-numbered rows from an imported ledger)."""
    while True:
        candidate = code(take(key, start=start))
        if not taken(candidate):
            return candidate
