"""Model check constraints evaluated in Python, without a query.

Django validates each ``CheckConstraint`` by asking the database (``SELECT 1 WHERE …``): one
round trip per constraint per save — a quarter of the time of registering a suggestion. The
conditions we write use a small set of lookups on the model's own fields (``exact``, ``in``,
``isnull``, ``gt``/``gte``/``lt``/``lte``, ``F()`` of another own field), so they are evaluated
here with SQL's three-valued logic (a comparison with NULL is unknown, and an unknown check
passes, as ``COALESCE(condition, TRUE)`` in Django's query). Anything else falls back to the
database. The database still enforces every constraint on insert and update.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q


class Unsupported(Exception):
    """The condition uses something this evaluator does not handle: ask the database."""


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
}
_LOOKUPS = frozenset({*_COMPARE, "in", "isnull"})


def _field_value(obj: models.Model, name: str, exclude: set[str]) -> Any:
    field_name, attname = _compile_field(type(obj), name)
    if field_name in exclude:
        raise _Skip
    return getattr(obj, attname)


class _Skip(Exception):
    """The condition refers to an excluded field: Django skips such a constraint too."""


def _operand(obj: models.Model, value: Any, exclude: set[str]) -> Any:
    if isinstance(value, F):
        return _field_value(obj, value.name, exclude)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "resolve_expression"):
        raise Unsupported(repr(value))
    return value


def _lookup(obj: models.Model, key: str, value: Any, exclude: set[str]) -> bool | None:
    parts = key.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
    current = _field_value(obj, "__".join(parts), exclude)
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise Unsupported(key)
        return (current is None) == value
    if lookup == "in":
        if isinstance(value, F) or hasattr(value, "resolve_expression"):
            raise Unsupported(key)
        if current is None:
            return None
        options = [_operand(obj, v, exclude) for v in value]
        return current in options
    other = _operand(obj, value, exclude)
    if current is None or other is None:
        return None
    return _COMPARE[lookup](current, other)


def evaluate(q: Q, obj: models.Model, exclude: set[str]) -> bool | None:
    """``q`` on ``obj``: True, False, or None (unknown, as SQL NULL)."""
    results: list[bool | None] = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(evaluate(child, obj, exclude))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(obj, child[0], child[1], exclude))
        else:
            raise Unsupported(repr(child))
    if q.connector == Q.AND:
        result: bool | None = False if False in results else (None if None in results else True)
    elif q.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise Unsupported(q.connector)
    if q.negated:
        result = None if result is None else not result
    return result


# --- compiled: the same evaluation, its lookups resolved once per model and condition ---------
#
# ``evaluate`` walks the condition and looks up each field on every call (a large import checks
# a model's constraints hundreds of thousands of times). ``_compiled`` turns a condition it
# supports entirely into nested functions that do only what remains per instance — read the
# values, apply the comparisons, combine as SQL does. A condition it does not support entirely
# is left to ``evaluate``, which decides as before (unsupported: ask the database).

Compiled = Callable[[models.Model, set[str]], "bool | None"]


def _compile_field(model: type[models.Model], name: str) -> tuple[str, str]:
    """(field name, attname) of ``name`` on ``model``, as ``_field_value`` finds it."""
    if "__" in name:
        raise Unsupported(name)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise Unsupported(name) from exc
    if not getattr(field, "concrete", False) or field.many_to_many:
        raise Unsupported(name)
    return field.name, field.attname  # type: ignore[union-attr]


def _compile_operand(model: type[models.Model], value: Any) -> Callable[[models.Model, set[str]], Any]:
    if isinstance(value, F):
        fname, attname = _compile_field(model, value.name)

        def field_value(obj: models.Model, exclude: set[str]) -> Any:
            if fname in exclude:
                raise _Skip
            return getattr(obj, attname)

        return field_value
    if isinstance(value, models.Model):
        return lambda obj, exclude: value.pk
    if hasattr(value, "resolve_expression"):
        raise Unsupported(repr(value))
    return lambda obj, exclude: value


def _compile_lookup(model: type[models.Model], key: str, value: Any) -> Compiled:
    parts = key.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
    current = _compile_operand(model, F("__".join(parts)))
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise Unsupported(key)
        return lambda obj, exclude: (current(obj, exclude) is None) == value
    if lookup == "in":
        if isinstance(value, F) or hasattr(value, "resolve_expression"):
            raise Unsupported(key)
        options = [_compile_operand(model, v) for v in value]

        def is_in(obj: models.Model, exclude: set[str]) -> bool | None:
            here = current(obj, exclude)
            if here is None:
                return None
            return here in [o(obj, exclude) for o in options]

        return is_in
    other, compare = _compile_operand(model, value), _COMPARE[lookup]

    def compared(obj: models.Model, exclude: set[str]) -> bool | None:
        here, there = current(obj, exclude), other(obj, exclude)
        if here is None or there is None:
            return None
        return compare(here, there)

    return compared


def _compile(q: Q, model: type[models.Model]) -> Compiled:
    children: list[Compiled] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_compile(child, model))
        elif isinstance(child, tuple) and len(child) == 2:
            children.append(_compile_lookup(model, child[0], child[1]))
        else:
            raise Unsupported(repr(child))
    if q.connector not in (Q.AND, Q.OR):
        raise Unsupported(q.connector)
    conjunction, negated = q.connector == Q.AND, q.negated

    def run(obj: models.Model, exclude: set[str]) -> bool | None:
        results = [c(obj, exclude) for c in children]  # every child, as ``evaluate`` (a skip anywhere counts)
        if conjunction:
            result: bool | None = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        if negated:
            result = None if result is None else not result
        return result

    return run


_compiled_conditions: dict[tuple[type[models.Model], int], tuple[models.CheckConstraint, Compiled | None]] = {}


def _compiled(model: type[models.Model], constraint: models.CheckConstraint) -> Compiled | None:
    """``constraint``'s condition compiled for instances of ``model``, or None: not supported
    entirely (``evaluate`` decides). Kept with the constraint it was made from."""
    key = (model, id(constraint))
    found = _compiled_conditions.get(key)
    if found is None or found[0] is not constraint:
        try:
            run: Compiled | None = _compile(Q(constraint.condition), model)
        except Unsupported:
            run = None
        found = _compiled_conditions[key] = (constraint, run)
    return found[1]


def validate_constraints(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    """What ``Model.validate_constraints`` does, with check constraints evaluated in Python when
    possible. Raises ``ValidationError`` with the same messages."""
    excluded = set(exclude)
    errors: dict[str, Any] = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, models.CheckConstraint):
                    try:
                        run = _compiled(type(obj), constraint)
                        result = run(obj, excluded) if run is not None else evaluate(Q(constraint.condition), obj,
                                                                                      excluded)
                        if result is False:
                            raise ValidationError(constraint.get_violation_error_message(),
                                                  code=constraint.violation_error_code)
                        continue
                    except _Skip:
                        continue
                    except Unsupported:
                        pass
                constraint.validate(model_class, obj, exclude=excluded)  # type: ignore[attr-defined]
            except ValidationError as e:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(e, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
