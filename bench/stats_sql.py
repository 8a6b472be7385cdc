# ruff: noqa: S608 - the SQL is written here; the only interpolation is a list of integer ids
"""The hand-written SQL baseline of the ``stats`` scenario: the aggregates of ``renda stats``
(every section of METRICS.md: suggestions, petitions, grids, deputies) as plain SQL over the
current rows — what a report written directly against the database would run. It reads each
item's row as it is now (no reconstruction of the state at an earlier as-of date, which
``reports.metrics`` does from the timeline), so it is a lower bound for the same numbers.
Portable SQL (SQLite and PostgreSQL): CTEs, ``ROW_NUMBER()``, ``SUM(CASE …)``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from renda.core.stats import parse_period

S = """WITH s AS (
  SELECT id, kind, state, category_id, lead_unit_id, closed_at, deadline, key_supervision, key_supervision_since,
         rehandle_count FROM suggestions_suggestion
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
  SUM(CASE WHEN state = 'merged' THEN 1 ELSE 0 END),
  SUM(CASE WHEN state NOT IN ('withdrawn', 'merged') AND key_supervision AND key_supervision_since <= %s
           THEN 1 ELSE 0 END),
  SUM(CASE WHEN state NOT IN ('withdrawn', 'merged') AND rehandle_count > 0 THEN 1 ELSE 0 END)
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
  SUM(CASE WHEN state IN ('registered', 'handling') AND deadline < %s THEN 1 ELSE 0 END)
FROM petitions_petition
WHERE town_id IN ({towns}) AND registered_on >= %s AND registered_on <= %s
GROUP BY channel"""

#: The other indicators, one small count each: letters reviewed, duty shifts, risks, grids, deputies.
SERVING = """d.is_active AND (d.serving_from IS NULL OR d.serving_from <= %s)
  AND (d.serving_to IS NULL OR d.serving_to >= %s)"""
OTHERS = """SELECT
  (SELECT COUNT(*) FROM petitions_petition p
   WHERE p.town_id IN ({towns}) AND p.registered_on >= %s AND p.registered_on <= %s AND p.channel = 'letter'
     AND EXISTS (SELECT 1 FROM petitions_reviewinstruction i WHERE i.petition_id = p.id AND i.instructed_on <= %s)),
  (SELECT COUNT(*) FROM shifts_dutyassignment a JOIN shifts_dutyshift ds ON ds.id = a.shift_id
   WHERE a.state = 'attended' AND ds.town_id IN ({towns}) AND ds.date >= %s AND ds.date <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.registered_on >= %s AND r.registered_on <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.state = 'resolved'
     AND r.resolved_on >= %s AND r.resolved_on <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.state = 'resolved'
     AND r.resolved_on >= %s AND r.resolved_on <= %s
     AND EXISTS (SELECT 1 FROM risks_riskparticipant rp WHERE rp.risk_id = r.id AND rp.deputy_id IS NOT NULL)),
  (SELECT COUNT(*) FROM places_region g WHERE g.level = 'grid' AND g.is_active AND g.town_id IN ({towns})),
  (SELECT COUNT(*) FROM places_gridworker w WHERE w.is_active AND w.town_id IN ({towns})),
  (SELECT COUNT(*) FROM places_gridworker w WHERE w.is_active AND w.town_id IN ({towns}) AND w.kind = 'full_time'),
  (SELECT COUNT(*) FROM places_gridworker w WHERE w.is_active AND w.town_id IN ({towns}) AND w.kind = 'part_time'),
  (SELECT COUNT(DISTINCT d.id) FROM people_deputy d JOIN people_deputy_grids dg ON dg.deputy_id = d.id
     JOIN places_region g ON g.id = dg.region_id
   WHERE g.level = 'grid' AND g.is_active AND g.town_id IN ({towns}) AND """ + SERVING + """),
  (SELECT COUNT(*) FROM people_deputy d WHERE d.town_id IN ({towns}) AND """ + SERVING + """),
  (SELECT COUNT(*) FROM people_deputy d WHERE d.town_id IN ({towns}) AND d.level = 'district' AND """ + SERVING + """),
  (SELECT COUNT(*) FROM people_deputy d WHERE d.town_id IN ({towns}) AND d.level = 'town' AND """ + SERVING + """)
"""


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
        cur.execute(TOTALS.format(towns=ids), [*base, as_of, as_of, as_of, as_of, as_of])
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
        end = min(to, as_of)
        cur.execute(OTHERS.format(towns=ids), [from_, end, as_of, from_, end, from_, end, from_, end, from_, end,
                                               as_of, as_of, as_of, as_of, as_of, as_of, as_of, as_of])
        out["others"] = cur.fetchone()
    return out
