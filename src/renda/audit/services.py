"""``record`` — the one way to write an audit event; ``snapshot`` — what a record looked like."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, Protocol

from django.db import models, transaction
from django.utils import timezone

from renda.audit import chain, context
from renda.audit.models import AuditEvent, AuditHead

#: Fields never copied into the audit trail.
SECRET_FIELDS = frozenset({"password", "key_hash"})


class Recorded(Protocol):
    """Who an event is recorded for: a user (``core.types.Actor`` is one; audit, below core,
    reads only its key and its name)."""

    @property
    def pk(self) -> Any: ...



def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, *, m2m: bool = True) -> dict[str, Any]:
    """Field values of ``obj`` as JSON: foreign keys as their label, many-to-many as label lists."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name in {"created_at", "updated_at", "id", "last_login"}:
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(obj, field.name) if getattr(obj, field.attname) is not None else None
            data[field.name] = str(related) if related is not None else None
        else:
            data[field.name] = _plain(field.value_from_object(obj))
    if m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    return data


def _town_of(target: models.Model) -> int | None:
    town_id = getattr(target, "town_id", None)
    if town_id is None and getattr(target, "level", None) == "town":
        return int(target.pk)
    return int(town_id) if town_id is not None else None


@transaction.atomic
def record(
    *,
    actor: Recorded | None,
    verb: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    ctx = context.current()
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    event = AuditEvent(
        id=(head.last_event_id or 0) + 1,
        at=timezone.now().astimezone(dt.UTC),
        actor_id=actor_obj.pk if actor_obj is not None else None,
        actor_label=str(actor_obj) if actor_obj else (str(actor) if actor else "系统"),
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        town_id=_town_of(target),
        before=before,
        after=after,
        comment=comment,
        request_id=ctx.request_id,
        ip=ctx.ip,
        source=ctx.source,
        prev_hash=head.last_hash,
    )
    event.hash = chain.compute_hash(head.last_hash, event)
    event.save(force_insert=True)
    head.last_event_id, head.last_hash, head.count = event.id, event.hash, head.count + 1
    head.save(update_fields=["last_event_id", "last_hash", "count"])
    return event


def changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before != after


def verify_chain() -> chain.Problem | None:
    head = AuditHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    if head is None:
        first = AuditEvent.objects.order_by("id").first()
        return chain.Problem(first.id, "缺少链头记录") if first else None
    return chain.verify(events, head_id=head.last_event_id, head_hash=head.last_hash, head_count=head.count)
