"""``core.bulk``: model instances written at once as ``save()`` would write them — write times,
ids of relations saved in the batch, our own fields prepared (encrypted) — and new ids that no
row ever had."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from tests.support import World

from renda.core import bulk
from renda.core.roles import Role
from renda.suggestions.models import Suggestion, Transition

pytestmark = pytest.mark.django_db


def _item(world: World, code: str) -> Suggestion:
    return Suggestion(code=code, kind="public", town=world.town, title="标题", submitter_name="张三",
                      submitter_phone="13812345678", registered_at=dt.date(2023, 1, 5), state="registered",
                      created_by=world.users[Role.STAFF])


def test_objects_are_written_as_save_would_write_them(world: World) -> None:
    items = [_item(world, f"YJ2023-{n:03d}") for n in range(1, 4)]
    assert bulk.write_objects(items, with_ids=True) == 3
    steps = [Transition(suggestion=s, action="register", from_state="", to_state="registered",
                        on=s.registered_at, at=s.created_at) for s in items]
    assert bulk.write_objects(steps) == 3
    loaded = Suggestion.objects.get(code="YJ2023-002")
    assert loaded.pk == items[1].pk and loaded.created_at is not None and loaded.updated_at is not None
    assert loaded.submitter_name == "张三"  # read back through the field: it was stored encrypted
    with connection.cursor() as cur:
        cur.execute("SELECT submitter_name FROM suggestions_suggestion WHERE id = %s", [loaded.pk])
        stored = cur.fetchone()[0]
    assert stored and "张三" not in stored
    assert list(Transition.objects.filter(suggestion=loaded).values_list("action", flat=True)) == ["register"]


def test_new_ids_follow_the_largest_ever_given(world: World) -> None:
    first = _item(world, "YJ2023-101")
    first.save()
    second = _item(world, "YJ2023-102")
    second.save()
    gone = second.pk
    Suggestion.objects.filter(pk=gone).delete()
    (pk,) = bulk.reserve_ids(Suggestion, 1)
    assert pk > gone
    assert bulk.reserve_ids(Suggestion, 0) == []
