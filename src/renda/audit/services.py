"""``record`` — the one way to write an audit event; ``snapshot`` — what a record looked like."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path
from typing import Any, Protocol

from django.db import DatabaseError, connections, models, router, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

from renda.audit import anchor, chain, context
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
            value = field.value_from_object(obj)
            mask = getattr(field, "audit_mask", None)  # personal data recorded masked (core.fields)
            data[field.name] = mask(value) if mask is not None and value else _plain(value)
    if m2m and obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    return data


def _town_of(target: models.Model) -> int | None:
    town_id = getattr(target, "town_id", None)
    if town_id is None and getattr(target, "level", None) == "town":
        return int(target.pk)
    return int(town_id) if town_id is not None else None


@transaction.atomic(savepoint=False)
def record(
    *,
    actor: Recorded | None,
    verb: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (its own when there is none).

    No savepoint of its own: an event that fails to be written aborts the caller's transaction
    rather than letting the audited change commit without it (and a savepoint's two round trips
    are a fifth of a registration's). The head row is read and locked in one statement."""
    db = router.db_for_write(AuditHead)
    last_event_id, last_hash, count = _locked_head(db)
    ctx = context.current()
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    event = AuditEvent(
        id=(last_event_id or 0) + 1,
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
        prev_hash=last_hash,
    )
    event.hash = chain.compute_hash(last_hash, event)
    _append(db, event, count + 1)
    return event


# The head is read and written by every audited change: its statements are written out (the
# ORM's building and compiling of them cost more than running them).


def _head_sql(db: str, sql: str) -> str:
    qn = connections[db].ops.quote_name
    return sql.format(table=qn(AuditHead._meta.db_table), last_event_id=qn("last_event_id"),
                      last_hash=qn("last_hash"), count=qn("count"), id=qn("id"))


def _locked_head(db: str) -> tuple[int | None, str, int]:
    """The head's last event, hash and count, its row locked until the transaction ends (created
    with the first event)."""
    lock = " FOR UPDATE" if connections[db].features.has_select_for_update else ""
    with connections[db].cursor() as cursor:
        cursor.execute(_head_sql(db, "SELECT {last_event_id}, {last_hash}, {count} FROM {table} WHERE {id} = 1") + lock)
        row = cursor.fetchone()
    if row is None:
        head, _ = AuditHead.objects.using(db).select_for_update().get_or_create(pk=1)
        return head.last_event_id, head.last_hash, head.count
    return int(row[0]) if row[0] is not None else None, str(row[1]), int(row[2])


def _append(db: str, event: AuditEvent, count: int) -> None:
    """Insert ``event`` and move the head to it (``count`` events): on PostgreSQL in one statement
    (the insert in a ``WITH``, which runs whether or not the ``UPDATE`` reads it), elsewhere in
    two. The insert is the ORM's own (``InsertQuery``: each field's conversion), without the save
    path around it."""
    connection = connections[db]
    query = InsertQuery(AuditEvent)
    query.insert_values(AuditEvent._meta.concrete_fields, [event])
    [(insert_sql, insert_params)] = query.get_compiler(using=db).as_sql()
    move_sql = _head_sql(db, "UPDATE {table} SET {last_event_id} = %s, {last_hash} = %s, {count} = %s WHERE {id} = 1")
    move_params: list[Any] = [event.id, event.hash, count]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH {connection.ops.quote_name('event')} AS ({insert_sql}) {move_sql}",
                           [*insert_params, *move_params])
        else:
            cursor.execute(insert_sql, insert_params)
            cursor.execute(move_sql, move_params)
        if cursor.rowcount != 1:
            raise DatabaseError("the audit chain's head was not moved")
    event._state.adding, event._state.db = False, db


def changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before != after


def verify_chain(*, checkpoints: Path | None = None) -> chain.Problem | None:
    """The chain under the audit key, its head, and every checkpoint of the data directory's
    file (or of ``checkpoints``, e.g. the copy beside a backup or one typed back from paper)."""
    try:
        cps = anchor.read_checkpoints(checkpoints)
    except anchor.CheckpointFileError as exc:
        return chain.Problem(None, str(exc))
    if checkpoints is not None and not checkpoints.is_file():
        return chain.Problem(None, f"检查点文件不存在：{checkpoints}")
    head = AuditHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    if head is None:
        first = AuditEvent.objects.order_by("id").first()
        if first is not None:
            return chain.Problem(first.id, "缺少链头记录")
        return chain.verify([], head_id=None, head_hash=chain.GENESIS, head_count=0, checkpoints=cps)
    return chain.verify(events, head_id=head.last_event_id, head_hash=head.last_hash, head_count=head.count,
                        checkpoints=cps)


def current_checkpoint(*, source: str) -> anchor.Checkpoint:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return anchor.Checkpoint(at=timezone.now(), count=0, event_id=None, hash=chain.GENESIS, source=source)
    return anchor.Checkpoint(at=timezone.now(), count=head.count, event_id=head.last_event_id,
                             hash=head.last_hash, source=source)


def write_checkpoint(*, source: str) -> anchor.Checkpoint:
    """Append the head as it is now (time, count, last event, hash) to the checkpoint file.
    The chain is verified first: a checkpoint must never vouch for a tampered chain."""
    cp = current_checkpoint(source=source)  # first: events appended meanwhile come after it
    try:
        earlier = anchor.read_checkpoints()
    except anchor.CheckpointFileError as exc:
        raise ChainBroken(chain.Problem(None, str(exc))) from exc
    events = AuditEvent.objects.order_by("id").filter(id__lte=cp.event_id or 0).iterator(chunk_size=2000)
    problem = chain.verify(events, head_id=cp.event_id, head_hash=cp.hash, head_count=cp.count,
                           checkpoints=earlier)
    if problem is not None:
        raise ChainBroken(problem)
    anchor.append_checkpoint(cp)
    return cp


class ChainBroken(Exception):
    """The chain does not verify, so no checkpoint was written."""

    def __init__(self, problem: chain.Problem) -> None:
        self.problem = problem
        where = f"事件 #{problem.event_id}" if problem.event_id is not None else "链头"
        super().__init__(f"审计链校验失败，未写检查点: {where}: {problem.reason}")
