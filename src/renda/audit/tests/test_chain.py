"""The hash chain detects edited, deleted and reordered audit rows (written behind the
services' back with raw SQL), and a clean chain passes."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from tests.support import make_district, make_town, make_unit

from renda.audit import chain
from renda.audit.models import AuditEvent, AuditHead
from renda.audit.services import record, verify_chain
from renda.units.models import Unit

TABLE = AuditEvent._meta.db_table
FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields if f.name != "id"]


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.fixture
def ids(db: None) -> list[int]:
    """Six events written through the services: a district, a town and four units."""
    town = make_town(district=make_district())
    for _ in range(4):
        make_unit(town)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert len(ids) == 6
    return ids


def test_clean_chain_passes(ids: list[int]):
    assert verify_chain() is None
    head = AuditHead.objects.get()  # created with the first event, moved by each after it
    assert (head.last_event_id, head.count) == (ids[-1], 6)
    assert head.last_hash == AuditEvent.objects.get(pk=ids[-1]).hash


def test_empty_chain_passes(db: None):
    assert verify_chain() is None


def test_each_event_links_to_the_previous(ids: list[int]):
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == chain.GENESIS
    for prev, this in itertools.pairwise(events):
        assert this.prev_hash == prev.hash
        assert this.hash == chain.compute_hash(prev.hash, this)


@pytest.mark.parametrize("position", [0, 2, -1])
def test_edited_verb_is_detected(ids: list[int], position: int):
    victim = ids[position]
    sql(f"UPDATE {q(TABLE)} SET {q('verb')} = %s WHERE {q('id')} = %s", ["unit.delete", victim])
    problem = verify_chain()
    assert problem == chain.Problem(victim, "内容与哈希不符：此事件被修改（或哈希不是用本系统的审计密钥计算的）")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("before", {"name": "伪造"}),
        ("after", {"name": "伪造", "contact_person": "张三"}),
        ("after", None),
        ("actor_label", "某人"),
        ("target_id", "999"),
        ("comment", "事后补记"),
        ("source", "web"),
    ],
)
def test_edited_content_is_detected(ids: list[int], field: str, value: object):
    # QuerySet.update is one SQL UPDATE: no service, no new hash.
    AuditEvent.objects.filter(pk=ids[3]).update(**{field: value})
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[3]
    assert "被修改" in problem.reason


def test_edited_and_rehashed_row_breaks_the_next_link(ids: list[int]):
    """Recomputing the edited row's own hash does not help: the next row still names the old one."""
    e = AuditEvent.objects.get(pk=ids[2])
    e.verb = "unit.delete"
    AuditEvent.objects.filter(pk=e.pk).update(verb=e.verb, hash=chain.compute_hash(e.prev_hash, e))
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[3]
    assert "不衔接" in problem.reason


def test_edited_and_rehashed_last_row_disagrees_with_the_head(ids: list[int]):
    e = AuditEvent.objects.get(pk=ids[-1])
    e.comment = "事后补记"
    AuditEvent.objects.filter(pk=e.pk).update(comment=e.comment, hash=chain.compute_hash(e.prev_hash, e))
    problem = verify_chain()
    assert problem is not None
    assert "链尾不符" in problem.reason


def test_deleted_middle_row_is_detected(ids: list[int]):
    sql(f"DELETE FROM {q(TABLE)} WHERE {q('id')} = %s", [ids[2]])
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[3]
    assert f"#{ids[1]}" in problem.reason and "删除" in problem.reason


def test_deleted_last_row_is_detected(ids: list[int]):
    sql(f"DELETE FROM {q(TABLE)} WHERE {q('id')} = %s", [ids[-1]])
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[-1]
    assert "链尾不符" in problem.reason and "实有 5 条" in problem.reason


def test_deleted_last_rows_and_rewound_head_are_detected_by_count(ids: list[int]):
    """Deleting the tail and pointing the head at the new last row still leaves the count wrong."""
    sql(f"DELETE FROM {q(TABLE)} WHERE {q('id')} = %s", [ids[-1]])
    new_last = AuditEvent.objects.get(pk=ids[-2])
    AuditHead.objects.update(last_event_id=new_last.pk, last_hash=new_last.hash)
    problem = verify_chain()
    assert problem is not None
    assert "链尾不符" in problem.reason


def test_deleted_first_row_is_detected(ids: list[int]):
    sql(f"DELETE FROM {q(TABLE)} WHERE {q('id')} = %s", [ids[0]])
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[1]
    assert "链首不符" in problem.reason


def test_swapped_row_contents_are_detected(ids: list[int]):
    """Swap everything but the ids of two rows: the order of events changes."""
    a, b = ids[1], ids[4]
    row_a = AuditEvent.objects.filter(pk=a).values(*FIELDS).get()
    row_b = AuditEvent.objects.filter(pk=b).values(*FIELDS).get()
    AuditEvent.objects.filter(pk=a).update(hash="x" * 64)  # ``hash`` is unique: park it first
    AuditEvent.objects.filter(pk=b).update(**row_a)
    AuditEvent.objects.filter(pk=a).update(**row_b)
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == a


def test_swapped_row_ids_are_detected(ids: list[int]):
    """Renumber two rows so that they trade places in id order."""
    a, b = ids[1], ids[4]
    sql(f"UPDATE {q(TABLE)} SET {q('id')} = %s WHERE {q('id')} = %s", [-1, a])
    sql(f"UPDATE {q(TABLE)} SET {q('id')} = %s WHERE {q('id')} = %s", [a, b])
    sql(f"UPDATE {q(TABLE)} SET {q('id')} = %s WHERE {q('id')} = %s", [b, -1])
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == a


def test_missing_head_is_detected(ids: list[int]):
    AuditHead.objects.all().delete()
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == ids[0]


def test_the_chain_continues_after_verification(ids: list[int]):
    assert verify_chain() is None
    e = record(actor=None, verb="unit.update", target=Unit.objects.first(), comment="再写一条")
    assert e.prev_hash == AuditEvent.objects.get(pk=ids[-1]).hash
    assert verify_chain() is None
