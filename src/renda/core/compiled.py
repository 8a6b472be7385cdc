"""A query that runs on (nearly) every request, built and compiled once per database connection.

Building a queryset and compiling it to SQL costs more than running it when the query is a single
indexed lookup: for the API token's (token, its user, the user's town) 0.36 ms of Python against
0.07 ms to run it and make the objects on SQLite, 0.8 against 0.4 on PostgreSQL. ``CompiledQuery``
builds the queryset once with stand-ins for its values, keeps the compiler's SQL, parameters and
row layout on the connection (one per thread and database alias), and afterwards only puts the
values in their places, runs the SQL and builds the instances as the queryset would (Django's own
converters and ``select_related`` populators).

Only for the queries written for it: each value must be used once, as an equality parameter of a
text or integer column (it is sent as given, without the field's conversion; ``kinds`` says which
values are integers). ``first`` needs a queryset of model instances, ``rows`` one of
``values_list`` (tuples, converted by the fields as the queryset converts them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=models.Model)


def _stand_in(i: int, kind: type) -> Any:
    """What ``build`` gets for value ``i`` while the query is compiled: a text no query holds, or
    an integer no query holds (a query holding it anyway is refused: it would be found twice)."""
    return f"\x00renda.compiled.{i}\x00" if kind is str else -7_302_118_513_000_000 - i


@dataclass(frozen=True)
class _Plan:
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]
    converters: dict[int, Any]
    model: type[models.Model] | None  # of a queryset of instances (``first``)
    fields: slice
    init_list: list[str]
    populators: list[Any]


class CompiledQuery(Generic[M]):
    """``CompiledQuery(build, arity)``: ``build(*values)`` returns the queryset for ``values``;
    ``first(*values)`` runs it and returns its first instance (or ``None``), ``all(*values)`` every
    instance; ``rows(*values)`` its rows, of a ``values_list`` queryset. ``kinds``: each value's
    type (``str`` or ``int``), when not all ``arity`` values are texts."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, arity: int = 1,
                 kinds: Sequence[type] | None = None) -> None:
        self.build = build
        self.kinds = tuple(kinds) if kinds is not None else (str,) * arity
        if not set(self.kinds) <= {str, int}:
            raise TypeError("values are texts or integers")
        self.arity = len(self.kinds)
        self._model: type[models.Model] | None = None

    def _stand_ins(self) -> list[Any]:
        return [_stand_in(i, kind) for i, kind in enumerate(self.kinds)]

    def _plan(self, db: str) -> _Plan:
        connection = connections[db]
        plans: dict[CompiledQuery[Any], _Plan] = connection.__dict__.setdefault("renda_compiled_plans", {})
        plan = plans.get(self)
        if plan is None:
            stand_ins = self._stand_ins()
            qs = self.build(*stand_ins)
            compiler = qs.query.get_compiler(using=db)
            sql, params = compiler.as_sql()
            found = [[i for i, p in enumerate(params) if p == s] for s in stand_ins]
            if any(len(at) != 1 for at in found):
                raise ValueError("each value must be one parameter of the query")
            positions = tuple(at[0] for at in found)
            converters = compiler.get_converters([s[0] for s in compiler.select[0:compiler.col_count]])
            info = compiler.klass_info
            if not issubclass(qs._iterable_class, ModelIterable):  # values_list
                model, fields, init_list, populators = None, slice(0), [], []
            else:
                first, last = info["select_fields"][0], info["select_fields"][-1] + 1
                model, fields = info["model"], slice(first, last)
                init_list = [f[0].target.attname for f in compiler.select[first:last]]
                populators = get_related_populators(info, compiler.select, db)
            plan = _Plan(compiler=compiler, sql=sql, params=tuple(params), positions=positions,
                         converters=converters, model=model, fields=fields, init_list=init_list,
                         populators=populators)
            plans[self] = plan
        return plan

    def _run(self, values: tuple[Any, ...], limit: int | None) -> tuple[_Plan, list[Any]]:
        """The plan and the rows for ``values`` (at most ``limit``), converted as Django would."""
        if len(values) != self.arity:
            raise TypeError(f"{self.arity} values expected, {len(values)} given")
        plan = self._plan(self._db())
        params = list(plan.params)
        for position, value in zip(plan.positions, values, strict=True):
            params[position] = value
        with plan.compiler.connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        if plan.converters:
            rows = [tuple(row) for row in plan.compiler.apply_converters(rows, plan.converters)]
        return plan, rows

    def first(self, *values: Any) -> M | None:
        found = self._instances(values, 1)
        return found[0] if found else None

    def all(self, *values: Any) -> list[M]:
        """Every instance the queryset yields."""
        return self._instances(values, None)

    def _instances(self, values: tuple[Any, ...], limit: int | None) -> list[M]:
        plan, rows = self._run(values, limit)
        if plan.model is None:
            raise TypeError("first() and all() read model instances: rows() reads a values_list")
        found = []
        for row in rows:
            obj = plan.model.from_db(plan.compiler.using, plan.init_list, row[plan.fields])
            for populator in plan.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found  # type: ignore[return-value]

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        """Every row of a ``values_list`` queryset, as tuples."""
        plan, rows = self._run(values, None)
        if plan.model is not None:
            raise TypeError("rows() reads a values_list: first() and all() read model instances")
        return rows

    def _db(self) -> str:
        """The alias the queryset would read from now (the router may send reads elsewhere)."""
        if self._model is None:
            self._model = self.build(*self._stand_ins()).model
        return str(router.db_for_read(self._model))
