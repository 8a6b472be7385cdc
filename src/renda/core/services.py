"""Helpers that every app's services use to write a record and its audit event the same way."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from operator import attrgetter
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core import validators
from renda.core.constraints import validate_constraints
from renda.core.errors import ApplicationError, Conflict, InvalidInput, NotFound, from_django_validation
from renda.core.types import Actor

M = TypeVar("M", bound=models.Model)


def _known_relations(obj: models.Model) -> set[str]:
    """Foreign keys set from a loaded object (``item.town = town``): that it exists needs no
    ``SELECT`` (the database's foreign key refuses it anyway if it went in the meantime)."""
    known = set()
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and not f.remote_field.limit_choices_to and f.is_cached(obj):
            related = f.get_cached_value(obj)
            if related is not None and related.pk is not None and related.pk == getattr(obj, f.attname) \
                    and not related._state.adding:
                known.add(f.name)
    return known


#: Date fields that hold a planned date (a deadline, a term's end, a duty day): a few years ahead.
PLANNED_DATE = re.compile(r"deadline|due|_to$|^date$")


@functools.cache
def _edge_fields(model: type[models.Model]) -> tuple[tuple[str, str, str, Any, int | None, bool], ...]:
    """What the edge rule checks of a model, worked out once: (kind, name, attname, label,
    max_length, flag) — a text (flag: multi-line) or a date (flag: a planned date)."""
    plan: list[tuple[str, str, str, Any, int | None, bool]] = []
    for f in model._meta.concrete_fields:
        if isinstance(f, (models.CharField, models.TextField)):
            plan.append(("text", f.name, f.attname, f.verbose_name, f.max_length, isinstance(f, models.TextField)))
        elif isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField) \
                and not (f.auto_now or f.auto_now_add):
            plan.append(("date", f.name, f.attname, f.verbose_name, None, bool(PLANNED_DATE.search(f.name))))
    return tuple(plan)


#: Where ``edge_rule`` notes on an instance the texts it passed (see there).
_EDGE_PASSED = "_edge_rule_passed"


def edge_rule(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """The edge rule of ``core.validators`` on every field of ``obj``: its texts cleaned in place
    (control characters, invisible ends, one length limit: the model's), its dates in the sane
    window, its 编号 of safe characters; ``ValidationError`` naming every field that fails.

    A text is checked once: the rule notes on ``obj`` each text it passed (the very string,
    cleaned), and a later call (the ``full_clean`` after a step, or after the registration's own
    check) skips a field that still holds that string — the rule depends only on the text and the
    field, and a cleaned text passes it unchanged. Dates are checked every time (against today)."""
    excluded = set(exclude)
    errors: dict[str, list[ValidationError]] = {}
    today = timezone.localdate()
    passed: dict[str, str] = obj.__dict__.setdefault(_EDGE_PASSED, {})
    for kind, name, attname, label, max_length, flag in _edge_fields(type(obj)):
        if name in excluded:
            continue
        value = getattr(obj, attname)
        try:
            if kind == "text":
                if not isinstance(value, str) or passed.get(attname) is value:
                    continue
                cleaned = validators.clean_text(value, label=label, max_length=max_length, multiline=flag)
                if cleaned != value:
                    setattr(obj, attname, cleaned)
                    value = cleaned
                if name == "code":
                    validators.validate_code(cleaned)
                passed[attname] = value  # what the field holds now (a choice's enum member stays one)
            elif isinstance(value, dt.date):
                validators.validate_date_window(value, label=label, planned=flag, today=today)
        except ValidationError as exc:
            errors[name] = [exc]
    if errors:
        raise ValidationError(errors)


def check_edges(obj: models.Model) -> None:
    """``edge_rule`` raised as ``InvalidInput``: for a service that looks things up with a new
    record's text (similar items, a 编号 taken) before ``full_clean``."""
    try:
        edge_rule(obj)
    except ValidationError as exc:
        raise from_django_validation(exc) from None


def clean_text(value: str | None, field: str, *, label: Any = "", max_length: int | None = None,
               multiline: bool = False) -> str:
    """``validators.clean_text`` for a service's text input before it looks anything up with it,
    raised as ``InvalidInput`` naming ``field``."""
    try:
        return validators.clean_text(value or "", label=label, max_length=max_length, multiline=multiline)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={field: exc.messages[0]}) from None


def full_clean(obj: models.Model, *, exclude: Iterable[str] | None = None, unique: bool = True) -> None:
    """``Model.full_clean`` (field checks, ``clean()``, unique checks), raised as ``InvalidInput``,
    after the edge rule (``edge_rule``: texts cleaned, dates in their window, safe 编号), with two
    savings that keep registering fast: the model's check constraints are evaluated in Python (no
    query per constraint; ``core.constraints``) and a foreign key set from a loaded object is not
    looked up again."""
    excluded = set(exclude or ())
    errors: dict[str, Any] = {}
    try:
        edge_rule(obj, exclude=excluded)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
        excluded |= set(errors)
    try:
        obj.clean_fields(exclude=excluded | _known_relations(obj))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # As Django does: unique checks and constraints are not checked on fields that already failed.
    skip = excluded | {name for name in errors if name != NON_FIELD_ERRORS}
    if unique:  # (a bulk import checks its keys for a whole batch in one query: ``unique=False``)
        try:
            obj.validate_unique(exclude=skip)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    skip |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        validate_constraints(obj, skip)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise from_django_validation(ValidationError(errors))


def lock(model: type[M], pk: Any) -> M:
    """The row, locked for the rest of the transaction (``SELECT … FOR UPDATE``)."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise NotFound() from exc


def check_version(obj: M, expected_version: Any, *, message: str | None = None,
                  of: Callable[[M], Any] = attrgetter("version")) -> None:
    """Refuse a stale form: ``obj``, locked (``lock``), must still be at the version the form was
    filled in from (``of(obj)``: its ``version`` by default), else ``Conflict`` (code ``stale``,
    HTTP 409) with ``message`` (by default 该记录已被他人修改…). ``expected_version`` ``None`` (a
    client that sent none) is not checked.

    The one stale-form check of every app: the workflow services (``expected_version``) and the
    generic edit pages of ``core.crud`` (the record's last change time) call it under the row lock."""
    if expected_version is not None and of(obj) != expected_version:
        raise Conflict(message or _("该记录已被他人修改，请刷新页面，核对后重新保存。"), code="stale")


def insert_coded(obj: M, *, code: str | None, next_code: Callable[[], str], attempts: int = 5,
                 check_generated: bool = True, taken: Callable[[str], ApplicationError] | None = None,
                 validated: bool = False, redraw: Sequence[str] = ()) -> M:
    """Validate and insert ``obj``, which has a unique 编号 (``code``): one given is refused when
    taken; a generated one (``code`` blank: ``next_code()``) is generated again when a concurrent
    registration took it first.

    ``check_generated=False`` leaves a generated 编号 to the unique index and the retry, not to a
    validation query that a concurrent registration can race past. ``taken(code)`` is the error
    for a 编号 found taken on insert (by default ``Conflict`` 编号「…」已被使用 on the ``code`` field).

    ``redraw``: unique fields holding a random value drawn by their default (a tracking code),
    which the caller did not check against the table (``full_clean`` excluding them): a clash is
    left to the unique index, and when the insert fails with the 编号 still free, they are drawn
    again and the insert retried with the same 编号 (no number lost).

    ``next_code`` locks the series' counter row until the transaction ends, and every registration
    of the series waits for it: the less done while it is held, the more registrations a second. A
    given 编号 is validated with the rest before any numbering; a generated one after it (a model's
    ``clean`` may look at its 编号). ``validated=True``: the caller has already run ``full_clean``
    (``suggestions.services.suggestion_register``, whose model does not look at its 编号, before
    its transaction)."""
    if code and not validated:
        full_clean(obj)
    numbered = False
    for attempt in range(attempts):
        if not (code or numbered):
            obj.code = next_code()  # type: ignore[attr-defined]
            numbered = True
        try:
            with transaction.atomic():
                if not (code or validated):
                    full_clean(obj, exclude=None if check_generated else ["code"])
                obj.save(force_insert=True)
        except IntegrityError:
            obj.pk = None
            clash = "code"
            if redraw and not type(obj)._default_manager.filter(code=obj.code).exists():  # type: ignore[attr-defined]
                clash = "redraw"
            if attempt == attempts - 1 or (code and clash == "code"):
                taken_code = obj.code  # type: ignore[attr-defined]
                if taken is not None:
                    raise taken(taken_code) from None
                raise Conflict(_("编号「{code}」已被使用").format(code=taken_code),
                               fields={"code": _("已被使用")}) from None
            if clash == "code":
                numbered = False
            else:
                for name in redraw:
                    field: Any = obj._meta.get_field(name)
                    setattr(obj, name, field.get_default())
            continue
        break
    _no_relations_yet(obj)
    return obj


def _no_relations_yet(obj: models.Model) -> None:
    """A row just inserted has no many-to-many rows yet (its key is new, and the foreign keys of a
    through table refuse rows for a key that does not exist): its managers answer ``[]`` without a
    query, e.g. for the audit snapshot. ``add``/``set``/``remove``/``clear`` forget this, as they
    forget any prefetched rows; a service that writes a through model directly (``bulk_create`` of
    ``SuggestionCoUnit``) does so on a row it has read again (``lock``), never on this object."""
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache is None:
        cache = obj._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    for field in obj._meta.many_to_many:
        if field.name not in cache:  # as ``prefetch_related`` leaves it: rows already fetched (none)
            related: Any = field.related_model
            rows: Any = related._base_manager.none()
            rows._result_cache, rows._prefetch_done = [], True
            cache[field.name] = rows


def create_audited(
    obj: M,
    *,
    actor: Actor,
    verb: str,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    comment: str = "",
) -> M:
    """Validate and insert ``obj``, set its many-to-many fields, record the event."""
    full_clean(obj)
    obj.save(force_insert=True)
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(list(values))
    record(actor=actor, verb=verb, target=obj, before=None, after=snapshot(obj), comment=comment)
    return obj


def update_audited(
    obj: M,
    *,
    actor: Actor,
    verb: str,
    changes: Mapping[str, Any],
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    comment: str = "",
) -> tuple[M, bool]:
    """Apply ``changes`` to a locked ``obj``; record an event only when something changed.

    Returns the object and whether it changed, so re-imports of the same data stay silent.
    """
    before = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    full_clean(obj)
    after_fields = snapshot(obj, m2m=False)
    new_m2m = {name: sorted(str(v) for v in values) for name, values in (m2m or {}).items()}
    after = after_fields | {k: v for k, v in before.items() if k not in after_fields} | new_m2m
    if after == before:
        return obj, False
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(list(values))
    record(actor=actor, verb=verb, target=obj, before=before, after=snapshot(obj), comment=comment)
    return obj, True


def set_active(obj: M, *, actor: Actor, verb: str, active: bool, comment: str = "",
               extra: Mapping[str, Any] | None = None) -> M:
    """Deactivate (停用) or re-activate a locked record, refusing a no-op with a clear message."""
    if bool(getattr(obj, "is_active")) == active:  # noqa: B009 - every caller's model has the field
        raise InvalidInput((_("「{name}」已经启用") if active else _("「{name}」已经停用")).format(name=obj))
    updated, _changed = update_audited(obj, actor=actor, verb=verb, changes={"is_active": active, **(extra or {})},
                                       comment=comment)
    return updated


# --- the steps of a workflow (timeline rows, business dates, who did it) -------------------


def actor_user(actor: Actor) -> Any:
    """The user to store as the actor of a row: ``None`` for the system (commands, imports)."""
    return actor if getattr(actor, "pk", None) else None


def actor_label(actor: Actor) -> str:
    """The name a row keeps of its actor (it outlives the account); 系统 for commands."""
    return str(actor)[:100] if actor is not None else str(_("系统"))


def business_date(on: dt.date | None, *, not_after_today: bool = False) -> dt.date:
    """The business date of a step: ``on``, or today; with ``not_after_today`` a later date is refused."""
    today = timezone.localdate()
    if not_after_today and on is not None and on > today:
        raise InvalidInput(_("日期不能晚于今天"), fields={"on": _("不能晚于今天")})
    return on or today


def business_at(on: dt.date | None) -> dt.datetime:
    """When a step dated ``on`` happened: now for today (or no date), else noon of that day (imports, demo)."""
    now, tz = timezone.now(), timezone.get_current_timezone()
    if on is None or on == now.astimezone(tz).date():
        return now
    return _noon(on, tz)


@functools.lru_cache(maxsize=4096)
def _noon(on: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Noon of ``on`` in ``tz`` (``timezone.make_aware``), worked out once: a large import dates
    hundreds of thousands of steps on a few thousand days."""
    return dt.datetime.combine(on, dt.time(12), tzinfo=tz)


def required_text(value: str, field: str, message: str | Promise, *, max_length: int | None = None) -> str:
    """``value`` cleaned (``clean_text``: one line), or ``InvalidInput(message)`` naming ``field``
    (必填) when it is blank — zero-width spaces only are blank too. A hot caller passes ``message``
    lazily (``gettext_lazy``): it is translated only when it is shown."""
    value = clean_text(value, field, max_length=max_length)
    if not value:
        raise InvalidInput(str(message), fields={field: _("必填")})
    return value


def transition_values(*, action: StrEnum, from_state: str, to_state: str, actor: Actor, on: dt.date,
                      comment: str = "") -> dict[str, Any]:
    """The values of one row of an item's timeline (``Transition``-shaped: action, from/to state,
    actor, date), by field name: what ``transition_row`` builds a row of, and what a bulk import
    writes without building one (``core.bulk.write_values``)."""
    return {"action": action, "from_state": from_state, "to_state": to_state, "actor": actor_user(actor),
            "actor_label": actor_label(actor), "on": on, "at": business_at(on), "comment": comment}


def transition_row(timeline: type[M], *, action: StrEnum, from_state: str, to_state: str, actor: Actor,
                   on: dt.date, comment: str = "", **owner: models.Model) -> M:
    """One row of an item's timeline (``transition_values``), not saved; ``owner`` names the item
    (``petition=p``)."""
    return timeline(**owner, **transition_values(action=action, from_state=from_state, to_state=to_state,
                                                 actor=actor, on=on, comment=comment))


def record_transition(timeline: type[M], *, action: StrEnum, from_state: str, to_state: str, actor: Actor,
                      on: dt.date, comment: str = "", **owner: models.Model) -> M:
    """``transition_row``, saved."""
    row = transition_row(timeline, action=action, from_state=from_state, to_state=to_state, actor=actor, on=on,
                         comment=comment, **owner)
    row.save(force_insert=True)
    return row


def commit_transition(obj: M, *, history: Callable[..., Any], snap: Callable[[M], dict[str, Any]], verb: str,
                      action: StrEnum, actor: Actor, on: dt.date, from_state: str, before: dict[str, Any],
                      comment: str = "") -> M:
    """Validate and save ``obj`` after a step, then write its timeline row (``history``) and the
    audit event ``verb`` (``snap`` the after-snapshot)."""
    full_clean(obj)
    obj.save()
    history(obj, action=action, actor=actor, on=on, from_state=from_state, comment=comment)
    record(actor=actor, verb=verb, target=obj, before=before, after=snap(obj), comment=comment)
    return obj
