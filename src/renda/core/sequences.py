"""Numbering (编号) without scanning: one locked counter row per sequence (``core.models.Sequence``).

``take(key, start=...)`` returns the next number of ``key``. The first call of a sequence asks
``start()`` for the largest number already used (e.g. from imported ledgers) and continues from
there; afterwards numbering reads and writes one row. Callers still check the code they build
is free (a ledger may import a later code by hand) and take again if not — see ``next_free``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import QuerySet

from renda.core.models import Sequence


def _bump(db: str, key: str) -> int | None:
    """``value + 1`` of the row ``key``, written and read back in one statement (``UPDATE …
    RETURNING``: SQLite ≥ 3.35, PostgreSQL), which also locks the row until the transaction ends;
    ``None`` when the row does not exist yet."""
    conn = connections[db]
    qn = conn.ops.quote_name
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(Sequence._meta.db_table)} SET {qn('value')} = {qn('value')} + 1 "  # noqa: S608
                       f"WHERE {qn('key')} = %s RETURNING {qn('value')}", [key])
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def take(key: str, *, start: Callable[[], int]) -> int:
    """The next number of ``key``, inside the caller's transaction (the row stays locked until
    it commits, so two registrations take turns). An existing counter is one statement; no
    savepoint of its own (an error here aborts the caller's transaction, as it should)."""
    db = router.db_for_write(Sequence)
    with transaction.atomic(using=db, savepoint=False):
        if connections[db].features.can_return_columns_from_insert:  # RETURNING: SQLite ≥ 3.35
            value = _bump(db, key)
            if value is not None:
                return value
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


_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class CodeSeries:
    """The 编号 of one kind of record in one scope and year: ``prefix`` + a zero-padded number
    (YJ2023-001). ``rows`` are the records of the series (their ``code`` field); numbering
    continues after the largest number used, hand-given codes included."""

    key: str
    prefix: str
    rows: QuerySet[Any]
    width: int = 3

    def _largest(self) -> int:
        codes = self.rows.filter(code__startswith=self.prefix)
        if connections[self.rows.db].vendor == "sqlite":
            # A range of the unique index: SQLite's LIKE (case-insensitive) reads the whole table
            # (2.8 s at 1,000,000 items, on the first 编号 of a year); its BINARY collation orders
            # the codes of the prefix between it and the prefix with its last character's next.
            # (PostgreSQL reads LIKE 'prefix%' from Django's pattern index; its collation may not
            # order punctuation by code point, so it keeps LIKE.)
            after = self.prefix[:-1] + chr(ord(self.prefix[-1]) + 1)
            codes = self.rows.filter(code__gte=self.prefix, code__lt=after)
        numbers = [int(c[len(self.prefix):]) for c in codes.values_list("code", flat=True).iterator(chunk_size=5000)
                   if c.startswith(self.prefix) and _DIGITS.match(c[len(self.prefix):])]
        return max(numbers, default=0)

    def next(self, *, looked_up: bool = True) -> str:
        """The next free code (locks the series' counter until the caller's transaction ends).
        ``looked_up=False``: the next number's code, not looked for among the rows first — for a
        caller whose insert takes the next one when the unique index finds it taken
        (``core.services.insert_coded``)."""
        code = lambda n: f"{self.prefix}{n:0{self.width}d}"  # noqa: E731
        if not looked_up:
            return code(take(self.key, start=self._largest))
        return next_free(self.key, start=self._largest, code=code, taken=lambda c: self.rows.filter(code=c).exists())

    def note(self, code: str) -> None:
        """A code given by hand (a ledger row): later generated codes continue after it."""
        rest = code[len(self.prefix):] if code.startswith(self.prefix) else ""
        if _DIGITS.match(rest):
            at_least(self.key, int(rest), start=self._largest)
