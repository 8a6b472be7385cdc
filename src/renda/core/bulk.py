"""Many rows written at once, at the speed of the database: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL — for the bulk ledger import (``suggestion_import_batch``) and the benchmark loader.

Django's ``bulk_create`` spends most of a large batch building SQL value by value; here a table's
columns and their conversions are worked out once (:class:`Table`) and the rows go to the driver
as tuples. What ``save()`` would do is done here: ``auto_now``/``auto_now_add`` fields set, and a
foreign key to an object saved in the same batch taken from that object's id. Model validation is
the caller's (``core.services.full_clean`` before the write); the database's constraints still
apply. Call inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


class Table:
    """The columns of a model and, for each, how a Python value becomes a database value."""

    def __init__(self, model: Any, vendor: str, *, with_id: bool) -> None:
        self.model = model
        self.name = model._meta.db_table
        pk = model._meta.pk
        self.fields = [f for f in model._meta.concrete_fields if with_id or f is not pk]
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif isinstance(f, models.TextField | models.CharField) and not f.null:
                self.defaults[f.attname] = ""
            else:
                self.defaults[f.attname] = None
        self.convert: list[Callable[[Any], Any] | None] = [self._converter(f, vendor) for f in self.fields]
        # A model instance holds Python values: a field of our own (an encrypted text …) prepares
        # its value as ``save()`` would have it prepared.
        self.convert_object = [self._prepare(f) if not type(f).__module__.startswith("django.") else conv
                               for f, conv in zip(self.fields, self.convert, strict=True)]
        self.timestamps = [f.attname for f in self.fields
                           if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)]
        self.relations = [(f.attname, f.name) for f in self.fields if isinstance(f, models.ForeignKey)]
        # For rows given as values (``values_row``): where each column's value is found — its
        # attname, else (a relation) its name, holding the related object; a default that is a
        # function (a new tracking code …) is called for each row, as a new instance calls it.
        self.sources = [(f.attname, f.name if isinstance(f, models.ForeignKey) else None,
                         f.attname in self.timestamps, f.default if f.has_default() and callable(f.default) else None,
                         self.defaults[f.attname], conv)
                        for f, conv in zip(self.fields, self.convert_object, strict=True)]

    @staticmethod
    def _converter(f: models.Field[Any, Any], vendor: str) -> Callable[[Any], Any] | None:
        if isinstance(f, models.JSONField):
            return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
        if vendor != "sqlite":
            return None
        if isinstance(f, models.DateTimeField):
            return lambda v: None if v is None else v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(f, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(f, models.BooleanField):
            return lambda v: None if v is None else int(v)
        return None

    @staticmethod
    def _prepare(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
        return lambda v: f.get_db_prep_save(v, connection)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, conv in zip(self.attnames, self.convert, strict=True):
            v = values[name] if name in values else self.defaults[name]
            out.append(conv(v) if conv is not None else v)
        return tuple(out)

    def values_row(self, values: dict[str, Any], now: dt.datetime) -> tuple[Any, ...]:
        """A row given as values by attname or, for a relation, by name holding the related object
        (saved in the same batch: its id is taken now); write times set as ``save()`` sets them;
        our own fields' values prepared as ``save()`` prepares them."""
        out = []
        for attname, name, stamped, make, default, conv in self.sources:
            v: Any
            if stamped:
                v = now
            elif attname in values:
                v = values[attname]
            elif name is not None and name in values:
                related = values[name]
                v = None if related is None else related.pk
            else:
                v = make() if make is not None else default
            out.append(conv(v) if conv is not None else v)
        return tuple(out)

    def object_row(self, obj: models.Model, now: dt.datetime) -> tuple[Any, ...]:
        """``obj`` as a row, with what ``save()`` would set (write times, ids of saved relations)."""
        for name in self.timestamps:
            setattr(obj, name, now)
        for attname, name in self.relations:
            if getattr(obj, attname) is None:
                related = obj._state.fields_cache.get(name)
                if related is not None and related.pk is not None:
                    setattr(obj, attname, related.pk)
        values = obj.__dict__
        out = []
        for name, conv in zip(self.attnames, self.convert_object, strict=True):
            v = values.get(name, self.defaults[name])
            out.append(conv(v) if conv is not None else v)
        return tuple(out)


_tables: dict[tuple[Any, str, bool], Table] = {}


def table(model: Any, *, with_id: bool) -> Table:
    key = (model, connection.vendor, with_id)
    if key not in _tables:
        _tables[key] = Table(model, connection.vendor, with_id=with_id)
    return _tables[key]


def write_tuples(t: Table, data: Iterable[tuple[Any, ...]]) -> int:
    """Insert ``data`` (rows in ``t``'s column order); returns how many."""
    data = list(data)
    if not data:
        return 0
    connection.ensure_connection()
    raw = connection.connection
    cols = ", ".join(f'"{c}"' for c in t.columns)
    # The driver's errors as Django's (``IntegrityError`` …), as the ORM raises them: callers catch those.
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f'COPY "{t.name}" ({cols}) FROM STDIN') as copy:
                for r in data:
                    copy.write_row(r)
        else:
            marks = ", ".join("?" for _ in t.columns)
            raw.executemany(f'INSERT INTO "{t.name}" ({cols}) VALUES ({marks})', data)  # noqa: S608
    return len(data)


def write_rows(model: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (attname → value; with ``id`` in every row or in none)."""
    if not rows:
        return 0
    t = table(model, with_id="id" in rows[0])
    return write_tuples(t, (t.row(r) for r in rows))


def write_values(model: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` of ``model`` given as a model instance's values (``Table.values_row``: a
    relation may be its object, saved earlier in the batch), without building the instances; the
    database numbers them."""
    if not rows:
        return 0
    t = table(model, with_id=False)
    now = timezone.now()
    return write_tuples(t, (t.values_row(r, now) for r in rows))


def reserve_ids(model: Any, n: int) -> list[int]:
    """``n`` new primary keys for ``model``: from its sequence on PostgreSQL (safe beside other
    writers); on SQLite after the largest id ever given (the transaction holds the write lock:
    IMMEDIATE)."""
    if n <= 0:
        return []
    table_name = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT nextval(pg_get_serial_sequence('\"{table_name}\"', 'id')) "  # noqa: S608
                        "FROM generate_series(1, %s)", [n])
            return [int(r[0]) for r in cur.fetchall()]
        # After the largest id ever given (AUTOINCREMENT's sqlite_sequence), not only the largest
        # left: an id of a deleted row is never given again (audit events may name it).
        cur.execute(f'SELECT MAX(id) FROM "{table_name}"')  # noqa: S608
        largest = int(cur.fetchone()[0] or 0)
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table_name])
        row = cur.fetchone()
        start = max(largest, int(row[0]) if row else 0) + 1
        return list(range(start, start + n))


def write_objects(objs: Sequence[models.Model], *, with_ids: bool = False) -> int:
    """Insert unsaved model instances of one model. ``with_ids``: each gets a reserved primary key
    first (so rows of the same batch can point at it); otherwise the database numbers them."""
    if not objs:
        return 0
    model = type(objs[0])
    if with_ids:
        for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
    t = table(model, with_id=with_ids)
    now = timezone.now()
    count = write_tuples(t, (t.object_row(o, now) for o in objs))
    if with_ids:
        for obj in objs:
            obj._state.adding = False
    return count
