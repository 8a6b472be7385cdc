# ruff: noqa: S608 - the SQL is written here; the only interpolation is a list of integer ids
"""The hand-written SQL baseline of the ``stats`` scenario: the aggregates of ``renda stats``'
suggestions and petitions sections (METRICS.md) as plain SQL over the current rows — what a
report written directly against the database would run. It reads each item's row as it is now
(no reconstruction of the state at an earlier as-of date, which ``reports.metrics`` does from
the timeline), so it is a lower bound for the same numbers. Portable SQL (SQLite and
PostgreSQL): CTEs, ``ROW_NUMBER()``, ``SUM(CASE …)``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from renda.reports.metrics import parse_period

S = """WITH s AS (
  SELECT id, kind, state, category_id, lead_unit_id, closed_at, deadline FROM suggestions_suggestion
  WHERE town_id IN ({towns}) AND registered_at >= %s AND registered_at <= %s)"""

TOTALS = S + """
SELECT
  SUM(CASE WHEN state NOT IN ('withdrawn', 'merged') THEN 1 ELSE 0 END),
  SUM(CASE WHEN state NOT IN ('withdrawn', 'merged') AND kind = 'public' THEN 1 ELSE 0 END),
  SUM(CASE WHEN state NOT IN ('withdrawn', 'merged') AND lead_unit_id IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN closed_at IS NOT NULL AND closed_at <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN closed_at IS NOT NULL AND closed_at <= %s AND closed_at <= deadline THEN 1 ELSE 0 END),
  SUM(CASE WHEN (closed_at IS NULL OR closed_at > %s) AND deadline < %s
           AND state NOT IN ('withdrawn', 'merged', 'declined') THEN 1 ELSE 0 END),
  SUM(CASE WHEN state = 'withdrawn' THEN 1 ELSE 0 END),
  SUM(CASE WHEN state = 'merged' THEN 1 ELSE 0 END)
FROM s"""

LATEST_REPLY = S + """, r AS (
  SELECT reply_class, ROW_NUMBER() OVER (PARTITION BY suggestion_id ORDER BY replied_at DESC, id DESC) AS n
  FROM suggestions_reply WHERE suggestion_id IN (SELECT id FROM s) AND replied_at <= %s)
SELECT reply_class, COUNT(*) FROM r WHERE n = 1 GROUP BY reply_class"""

LATEST_EVALUATION = S + """, e AS (
  SELECT result, ROW_NUMBER() OVER (PARTITION BY suggestion_id ORDER BY evaluated_at DESC, id DESC) AS n
  FROM suggestions_evaluation WHERE suggestion_id IN (SELECT id FROM s) AND evaluated_at <= %s)
SELECT result, COUNT(*) FROM e WHERE n = 1 GROUP BY result"""

BY_UNIT = S + """
SELECT u.name, COUNT(*),
  SUM(CASE WHEN s.closed_at IS NOT NULL AND s.closed_at <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN s.closed_at IS NOT NULL AND s.closed_at <= %s AND s.closed_at <= s.deadline THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.closed_at IS NULL OR s.closed_at > %s) AND s.deadline < %s THEN 1 ELSE 0 END)
FROM s JOIN units_unit u ON u.id = s.lead_unit_id
WHERE s.state NOT IN ('withdrawn', 'merged')
GROUP BY u.name ORDER BY COUNT(*) DESC, u.name"""

BY_CATEGORY = S + """
SELECT c.name, COUNT(*) FROM s JOIN suggestions_suggestioncategory c ON c.id = s.category_id
WHERE s.state NOT IN ('withdrawn', 'merged') GROUP BY c.name"""

PETITIONS = """
SELECT channel, COUNT(*),
  SUM(CASE WHEN accepted_on IS NOT NULL AND accepted_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN declined_on IS NOT NULL AND declined_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN opinion_on IS NOT NULL AND opinion_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('registered', 'handling') AND deadline < %s THEN 1 ELSE 0 END)
FROM petitions_petition
WHERE town_id IN ({towns}) AND registered_on >= %s AND registered_on <= %s
GROUP BY channel"""


def run(connection: Any, *, period: str, town_code: str | None) -> dict[str, Any]:
    from renda.places.models import Region

    from_, to = parse_period(period)
    as_of = min(to, dt.date.today())
    towns = Region.objects.filter(level="town")
    if town_code:
        towns = towns.filter(code=town_code)
    ids = ",".join(str(int(pk)) for pk in towns.values_list("pk", flat=True))
    base = [from_, to]
    out: dict[str, Any] = {}
    with connection.cursor() as cur:
        cur.execute(TOTALS.format(towns=ids), [*base, as_of, as_of, as_of, as_of])
        out["totals"] = cur.fetchone()
        cur.execute(LATEST_REPLY.format(towns=ids), [*base, as_of])
        out["reply_class"] = cur.fetchall()
        cur.execute(LATEST_EVALUATION.format(towns=ids), [*base, as_of])
        out["satisfaction"] = cur.fetchall()
        cur.execute(BY_UNIT.format(towns=ids), [*base, as_of, as_of, as_of, as_of])
        out["by_unit"] = cur.fetchall()
        cur.execute(BY_CATEGORY.format(towns=ids), base)
        out["by_category"] = cur.fetchall()
        cur.execute(PETITIONS.format(towns=ids), [as_of, as_of, as_of, as_of, *base])
        out["petitions"] = cur.fetchall()
    return out
