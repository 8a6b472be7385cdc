# Re-hash every existing audit chain with the audit key (decision 0010). The old chain is
# checked under the old rule (plain SHA-256) first: a chain that does not verify is not
# laundered into a keyed one — the migration stops and says where it breaks.

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 2000


def _rehash(apps: Any, *, old: Any, new: Any, what: str) -> None:
    from renda.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or not AuditEvent.objects.exists():
        return
    prev_old = prev_new = chain.GENESIS
    count, last_id = 0, 0
    batch: list[Any] = []
    for e in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        count += 1
        if e.prev_hash != prev_old or old(e.prev_hash, e) != e.hash:
            raise RuntimeError(
                f"审计链在事件 #{e.id} 处不能按{what}校验（被修改、删除或重排），迁移中止：请先用旧版本的"
                "`renda audit verify` 查明原因，不要把被改动的链重算成新的链。")
        prev_old = e.hash
        e.prev_hash = prev_new
        e.hash = new(prev_new, e)
        prev_new, last_id = e.hash, e.id
        batch.append(e)
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if head.count != count or (head.last_event_id or 0) != last_id or head.last_hash != prev_old:
        raise RuntimeError(f"审计链链尾与链头记录不符（记录 {head.count} 条、止于 #{head.last_event_id}，"
                           f"实有 {count} 条、止于 #{last_id}），迁移中止。")
    AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
    head.last_hash = prev_new
    head.save(update_fields=["last_hash"])


def forward(apps: Any, schema_editor: Any) -> None:
    from renda.audit import chain

    _rehash(apps, old=chain.unkeyed_hash, new=chain.compute_hash, what="旧规则（无密钥）")


def backward(apps: Any, schema_editor: Any) -> None:
    from renda.audit import chain

    _rehash(apps, old=chain.compute_hash, new=chain.unkeyed_hash, what="审计密钥")


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_securityevent")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
