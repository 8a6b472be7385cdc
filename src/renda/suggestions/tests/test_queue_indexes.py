"""The indexes the lists and queues are read by (migrations 0018, 0019; decision 0021): a town's
list sorted by 办理期限 in index order, the due-soon and overdue queues from the index of the
items being handled, and the office queue's 退回 count from the index of the returned items.
Each plan is asked of the database as the page asks it; on PostgreSQL, with tables this small,
what the planner would pick for a few rows is forbidden, so the plan shows whether the index
can serve the query at all."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from tests.support import World

from renda.core.roles import Role
from renda.suggestions import selectors

pytestmark = pytest.mark.django_db


def _plan(qs: QuerySet[Any]) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def _sorts_everything(plan: str) -> bool:
    """A sort of every row found (not one of each run of equal keys, read in index order)."""
    return "TEMP B-TREE FOR ORDER BY" in plan or re.search(r"(^|\|)\s*(->\s*)?Sort\s+\(", plan) is not None


def _ids(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The page's ids query, as ``DeferredJoinPaginator`` reads it."""
    return qs.values_list("pk", flat=True)[:20]


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_a_towns_list_by_deadline_is_read_in_index_order(world: World, sort: str) -> None:
    qs = selectors.suggestions_visible_to(world.users[Role.STAFF]).order_by(sort, "pk")
    plan = _plan(_ids(qs))
    assert "suggestion_town_deadline" in plan, plan
    assert not _sorts_everything(plan), plan


def test_the_default_order_still_uses_the_recent_index(world: World) -> None:
    qs = selectors.suggestions_visible_to(world.users[Role.STAFF]).order_by("-registered_at", "pk")
    assert not _sorts_everything(_plan(_ids(qs)))


def test_the_due_soon_and_overdue_queues_read_the_index_of_the_items_being_handled(world: World) -> None:
    qs = selectors.suggestions_visible_to(world.users[Role.STAFF])
    for queue in selectors.due_and_overdue(qs, dt.date(2023, 3, 1), 7):
        plan = _plan(_ids(queue))
        # SQLite without statistics takes the full deadline index (in order too, the state
        # checked on each row); PostgreSQL the partial one, which holds no closed item.
        index = "suggestion_town_handling_due" if connection.vendor == "postgresql" else "suggestion_town_deadline"
        assert index in plan, plan
        assert not _sorts_everything(plan), plan


def test_the_office_queues_returned_items_are_read_from_their_own_index(world: World) -> None:
    queue = selectors.office_queue(world.users[Role.STAFF], today=dt.date(2023, 3, 1))
    for tab in ("new", "returned"):
        plan = _plan(queue[tab].order_by().values("pk"))
        if connection.vendor == "postgresql":
            # the returned items read from their own index (at scale: hashed once, not probed per
            # registered item; the state index ending with the id is the benchmark's to show)
            assert "Index Only Scan using transition_returns" in plan, plan
        else:  # SQLite probes its covering indexes per item: no row of either table read
            assert "COVERING INDEX suggestion_town_state_reg_id" in plan, plan
            assert "COVERING INDEX transition_events_cover" in plan, plan
