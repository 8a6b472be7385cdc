"""History timelines: audit events of one object, in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from renda.audit.models import AuditEvent
from renda.audit.verbs import describe

HIDDEN = {"town", "password", "key_hash"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    text: str
    changes: list[Change]


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:
        return name


def _display(model: type[models.Model] | None, name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if model is not None:
        try:
            f = model._meta.get_field(name)
            choices = dict(getattr(f, "flatchoices", None) or ())
            if value in choices:
                return str(choices[value])
        except Exception:  # noqa: S110
            pass
    return str(value)


def describe_changes(event: AuditEvent) -> list[Change]:
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        model = None
    before = event.before or {}
    after = event.after or {}
    out = []
    for name in sorted(set(before) | set(after), key=lambda n: list(after).index(n) if n in after else 999):
        if name in HIDDEN:
            continue
        if event.before is None:
            if after.get(name) in (None, "", [], False):
                continue
            out.append(Change(_field_label(model, name), "", _display(model, name, after.get(name))))
        elif before.get(name) != after.get(name):
            out.append(Change(_field_label(model, name), _display(model, name, before.get(name)),
                              _display(model, name, after.get(name))))
    return out


def history_for(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    events = (
        AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
        .select_related("actor")
        .order_by("-id")[:limit]
    )
    return [HistoryEntry(e, describe(e.verb), describe_changes(e)) for e in events]
