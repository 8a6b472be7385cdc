"""A deputy's items (``lead_deputy = d OR via_deputy = d``) are found through two indexes, not a
scan of every item: ``via_deputy``, empty on nearly every item, has an index of the items that
name a deputy only (migration 0016). With a full index, SQLite's statistics showed one value on
a million rows and the planner scanned the table (1.1 s a count at 1,000,000 items)."""

from __future__ import annotations

import pytest
from django.db import connection

from renda.suggestions.models import Suggestion
from renda.suggestions.selectors import _deputy_q

pytestmark = pytest.mark.django_db


def indexes() -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Suggestion._meta.db_table)


def test_via_deputy_has_a_partial_index_and_no_full_one() -> None:
    found = indexes()
    assert "suggestion_via_deputy" in found
    assert found["suggestion_via_deputy"]["columns"] == ["via_deputy_id"]
    full = [n for n, c in found.items()
            if c["index"] and c["columns"] == ["via_deputy_id"] and n != "suggestion_via_deputy"]
    assert full == []


def test_sqlite_finds_a_deputys_items_by_index_when_via_deputy_is_all_empty() -> None:
    """The statistics of a million items with no via_deputy, as ANALYZE writes them."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner and statistics")
    table = Suggestion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        stats = [(table, None, "1000000")]
        for name, c in indexes().items():
            if name == "suggestion_via_deputy":  # the items that name a deputy: a few
                stats.append((table, name, "20 1"))
            elif c["index"] and c["columns"]:
                per_key = {"lead_deputy_id": "2000", "via_deputy_id": "1000000"}.get(c["columns"][0], "50")
                stats.append((table, name, " ".join(["1000000", *[per_key] * len(c["columns"])])))
        cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", stats)
        cursor.execute("ANALYZE sqlite_schema")
        sql, params = Suggestion.objects.filter(_deputy_q(7)).order_by().values("id").query.sql_with_params()
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "suggestion_via_deputy" in plan and f"SCAN {table}" not in plan.replace(" USING", "|"), plan
