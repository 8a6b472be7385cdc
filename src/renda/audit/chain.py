"""Canonical content and hashing of audit events; verification of the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

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


def compute_hash(prev_hash: str, e: Any) -> str:
    return hashlib.sha256((prev_hash + canonical(event_content(e))).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    event_id: int | None
    reason: str


def verify(events: Iterable[Any], *, head_id: int | None, head_hash: str, head_count: int) -> Problem | None:
    """Walk the events in id order; return the first problem, or None when the chain holds."""
    prev_hash = GENESIS
    prev_id = 0
    count = 0
    for e in events:
        count += 1
        if e.prev_hash != prev_hash:
            if e.prev_hash == GENESIS or count == 1:
                return Problem(e.id, "链首不符：之前的事件被删除或被重排")
            return Problem(e.id, f"与上一事件 #{prev_id} 不衔接：其间的事件被删除或顺序被改动")
        if compute_hash(e.prev_hash, e) != e.hash:
            return Problem(e.id, "内容与哈希不符：此事件被修改")
        prev_hash, prev_id = e.hash, e.id
    if head_count != count or (head_id or 0) != prev_id or (count and head_hash != prev_hash):
        return Problem(head_id, f"链尾不符：记录了 {head_count} 条、止于 #{head_id}，实有 {count} 条、止于 #{prev_id}；"
                                "末尾的事件被删除或被改动")
    return None
