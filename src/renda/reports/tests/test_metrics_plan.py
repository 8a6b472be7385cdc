"""``renda stats`` reads the items' events from covering indexes (migration
``suggestions/0014_stats_cover``) and the items of C once: the plan of the facts statement, on
whichever database the suite runs. The numbers themselves are proved by test_metrics_fastpath."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from renda.reports import metrics
from renda.suggestions.models import Evaluation, Reply, Transition

pytestmark = pytest.mark.django_db

COVERING = {"transition_events_cover": Transition, "reply_latest_cover": Reply,
            "evaluation_latest_cover": Evaluation}


def test_the_covering_indexes_exist() -> None:
    for name, model in COVERING.items():
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
        assert name in constraints, name
        assert constraints[name]["index"]
    # (suggestion, action) is the covering index's prefix: the old index is gone, not doubled.
    with connection.cursor() as cursor:
        transition = connection.introspection.get_constraints(cursor, Transition._meta.db_table)
    assert not [n for n, c in transition.items() if c["index"] and c["columns"] == ["suggestion_id", "action"]]


def _facts_statement(towns: int = 2) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"as_of": dt.date(2025, 12, 31), "from": dt.date(2025, 1, 1),
                                 "end": dt.date(2025, 12, 31)}
    params.update({f"town{i}": i + 1 for i in range(towns)})
    return metrics._facts_sql(towns), params


def test_facts_statement_reads_c_once_and_evaluations_once_per_item() -> None:
    sql, _params = _facts_statement()
    # C's rows come from one scan (``cs``); every "in C" is over it.
    assert sql.count("registered_at >= %(from)s") == 1
    # The latest evaluation is looked up once per item (in ``c``), not once per count that uses it.
    assert sql.count("v.suggestion_id = cs.id") == 1
    assert sql.count("v.suggestion_id = s.id") == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_sqlite_reads_events_from_the_covering_indexes() -> None:
    sql, params = _facts_statement()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX transition_events_cover" in plan
    assert "COVERING INDEX evaluation_latest_cover" in plan
    assert "COVERING INDEX reply_latest_cover" in plan
