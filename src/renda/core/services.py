"""Helpers that every app's services use to write a record and its audit event the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from renda.audit.services import record, snapshot
from renda.core.errors import NotFound, from_django_validation

M = TypeVar("M", bound=models.Model)


def full_clean(obj: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as exc:
        raise from_django_validation(exc) from exc


def lock(model: type[M], pk: Any) -> M:
    """The row, locked for the rest of the transaction (``SELECT … FOR UPDATE``)."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise NotFound() from exc


def create_audited(
    obj: M,
    *,
    actor: Any,
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
    actor: Any,
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


def set_active(obj: M, *, actor: Any, verb: str, active: bool, comment: str = "",
               extra: Mapping[str, Any] | None = None) -> M:
    """Deactivate (停用) or re-activate a locked record, refusing a no-op with a clear message."""
    from django.utils.translation import gettext as _

    from renda.core.errors import InvalidInput

    if bool(getattr(obj, "is_active")) == active:  # noqa: B009 - every caller's model has the field
        raise InvalidInput((_("「{name}」已经启用") if active else _("「{name}」已经停用")).format(name=obj))
    updated, _changed = update_audited(obj, actor=actor, verb=verb, changes={"is_active": active, **(extra or {})},
                                       comment=comment)
    return updated
