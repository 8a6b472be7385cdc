"""Canonical content and hashing of audit events; verification of the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from renda.audit import anchor

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def event_content(e: Any) -> dict[str, Any]:
    """What the hash covers: every column but the hashes themselves."""
    return {
        "id": e.id,
        "at": e.at.isoformat(timespec="microseconds"),
        "actor_id": e.actor_id,
        "actor_label": e.actor_label,
        "verb": e.verb,
        "target_type": e.target_type,
        "target_id": str(e.target_id),
        "target_label": e.target_label,
        "town_id": e.town_id,
        "before": e.before,
        "after": e.after,
        "comment": e.comment,
        "request_id": e.request_id,
        "ip": e.ip,
        "source": e.source,
    }


def compute_hash(prev_hash: str, e: Any, *, key: bytes | None = None) -> str:
    """HMAC-SHA256, under the audit key (``anchor.audit_key``), of the previous hash and this
    event's canonical content: without the key nobody can recompute a chain that verifies."""
    message = (prev_hash + canonical(event_content(e))).encode("utf-8")
    return hmac.new(anchor.audit_key() if key is None else key, message, hashlib.sha256).hexdigest()


def unkeyed_hash(prev_hash: str, e: Any) -> str:
    """The rule before the key (decision 0002): plain SHA-256. Only migration 0003 uses it, to
    check the old chains before re-hashing them with the key; nothing verifies under it now."""
    return hashlib.sha256((prev_hash + canonical(event_content(e))).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    event_id: int | None
    reason: str


def _at(cp: anchor.Checkpoint) -> str:
    return cp.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _check_point(cp: anchor.Checkpoint, prev_id: int, prev_hash: str) -> Problem | None:
    if (cp.event_id or 0) != prev_id or cp.hash != prev_hash:
        return Problem(prev_id or None,
                       f"与检查点不符：{_at(cp)} 记录第 {cp.count} 条为 #{cp.event_id or 0}、哈希 {cp.hash[:16]}…，"
                       f"现为 #{prev_id}、哈希 {prev_hash[:16]}…；该检查点之前的事件被改写后重算了哈希")
    return None


def verify(events: Iterable[Any], *, head_id: int | None, head_hash: str, head_count: int,
           checkpoints: Sequence[anchor.Checkpoint] = ()) -> Problem | None:
    """Walk the events in id order; return the first problem, or None when the chain holds.

    Each checkpoint is compared when the walk reaches its count (one dictionary look-up per
    event, so the walk stays linear); checkpoints beyond the end mean the tail was cut."""
    due: dict[int, list[anchor.Checkpoint]] = {}
    for cp in checkpoints:
        due.setdefault(cp.count, []).append(cp)
    prev_hash = GENESIS
    prev_id = 0
    count = 0
    key = anchor.audit_key()
    for cp in due.pop(0, []):
        if (problem := _check_point(cp, 0, GENESIS)) is not None:
            return problem
    for e in events:
        count += 1
        if e.prev_hash != prev_hash:
            if e.prev_hash == GENESIS or count == 1:
                return Problem(e.id, "链首不符：之前的事件被删除或被重排")
            return Problem(e.id, f"与上一事件 #{prev_id} 不衔接：其间的事件被删除或顺序被改动")
        if not hmac.compare_digest(compute_hash(e.prev_hash, e, key=key), e.hash):
            return Problem(e.id, "内容与哈希不符：此事件被修改（或哈希不是用本系统的审计密钥计算的）")
        prev_hash, prev_id = e.hash, e.id
        if due and count in due:
            for cp in due.pop(count):
                if (problem := _check_point(cp, prev_id, prev_hash)) is not None:
                    return problem
    if due:
        cp0 = due[min(due)][0]
        return Problem(head_id, f"链短于检查点：{_at(cp0)} 记录了 {cp0.count} 条、止于 #{cp0.event_id or 0}，"
                                f"现只有 {count} 条；该检查点之后被截去的事件丢失")
    if head_count != count or (head_id or 0) != prev_id or (count and head_hash != prev_hash):
        return Problem(head_id, f"链尾不符：记录了 {head_count} 条、止于 #{head_id}，实有 {count} 条、止于 #{prev_id}；"
                                "末尾的事件被删除或被改动")
    return None
