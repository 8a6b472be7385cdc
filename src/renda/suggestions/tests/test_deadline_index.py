"""A town's list sorted by 办理期限 (``?sort=deadline`` / ``-deadline``) reads its page in index
order (``(town, deadline, id)``, migration 0017): no sort of every item of the town. (The list
breaks ties by ``id`` ascending, so a descending sort orders each run of equal dates among
themselves — SQLite's "RIGHT PART OF ORDER BY", PostgreSQL's Incremental Sort — and stops at the
page all the same.)"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from tests.support import World

from renda.core.roles import Role
from renda.suggestions.selectors import suggestions_visible_to

pytestmark = pytest.mark.django_db


def _plan(world: World, sort: str) -> str:
    """The plan of the list page's ids query, as ``DeferredJoinPaginator`` reads it."""
    qs = suggestions_visible_to(world.users[Role.STAFF]).order_by(sort, "pk").values_list("pk", flat=True)[:20]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The tables are tiny here: forbid what the planner would pick for a few rows, so the
            # plan shows whether an index can give this order at all (else a Sort stays).
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


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_a_towns_list_by_deadline_is_read_in_index_order(world: World, sort: str) -> None:
    plan = _plan(world, sort)
    assert "suggestion_town_deadline" in plan, plan
    assert not _sorts_everything(plan), plan


def test_the_default_order_still_uses_the_recent_index(world: World) -> None:
    plan = _plan(world, "-registered_at")
    assert not _sorts_everything(plan), plan
