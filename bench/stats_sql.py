# ruff: noqa: S608 - the SQL is written here; the only interpolation is a list of integer ids
"""The hand-written SQL baseline of the ``stats`` scenario: every figure of ``renda stats`` (every
section of METRICS.md: suggestions, petitions, grids, deputies, activities, motions, projects,
information) as plain SQL — what a report written directly against the database would run, one
statement per section or less, and the JSON object assembled from their rows.

It reads each item's row as it is now: no reconstruction of the state at an earlier as-of date
(``reports.metrics`` rebuilds the lead unit, the deadline and withdrawals from each item's
timeline, and petitions' time limits from the working-day calendar; here the stored ``deadline``
columns stand for them). So it is a lower bound for the same numbers, and equal to them when
nothing happened after the as-of date (``tests/bench/test_smoke.py`` holds that). Two rules are
applied in Python to rows the SQL returns, as a report would: a project's current stage
(``projects.rules.current_stage``) and a deputy's pro-rata voter-contact target
(``liaison.targets``). Portable SQL (SQLite and PostgreSQL): CTEs, ``ROW_NUMBER()``,
``SUM(CASE …)``, scalar subqueries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from renda.core.stats import parse_period, rate

LEFT_OUT = "('withdrawn', 'merged')"

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
  FROM suggestions_reply WHERE suggestion_id IN (SELECT id FROM s WHERE state NOT IN ('withdrawn', 'merged'))
    AND replied_at <= %s)
SELECT reply_class, COUNT(*) FROM r WHERE n = 1 GROUP BY reply_class"""

#: The latest evaluation's result of each item, and how many of those items are closed by as-of (the
#: item's row by its key: joined with the CTE ``s`` instead, SQLite scans ``s`` for each row, 8 s for
#: the district at scale 0.05).
LATEST_EVALUATION = S + """, e AS (
  SELECT suggestion_id, result,
         ROW_NUMBER() OVER (PARTITION BY suggestion_id ORDER BY evaluated_at DESC, id DESC) AS n
  FROM suggestions_evaluation WHERE suggestion_id IN (SELECT id FROM s WHERE state NOT IN ('withdrawn', 'merged'))
    AND evaluated_at <= %s)
SELECT e.result, COUNT(*), SUM(CASE WHEN x.closed_at IS NOT NULL AND x.closed_at <= %s THEN 1 ELSE 0 END)
FROM e JOIN suggestions_suggestion x ON x.id = e.suggestion_id WHERE e.n = 1 GROUP BY e.result"""

BY_UNIT = S + """
SELECT u.name, u.town_id, COUNT(*),
  SUM(CASE WHEN s.closed_at IS NOT NULL AND s.closed_at <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN s.closed_at IS NOT NULL AND s.closed_at <= %s AND s.closed_at <= s.deadline THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.closed_at IS NULL OR s.closed_at > %s) AND s.deadline < %s THEN 1 ELSE 0 END)
FROM s JOIN units_unit u ON u.id = s.lead_unit_id
WHERE s.state NOT IN ('withdrawn', 'merged')
GROUP BY u.id, u.name, u.town_id"""

BY_CATEGORY = S + """
SELECT c.name, COUNT(*) FROM s JOIN suggestions_suggestioncategory c ON c.id = s.category_id
WHERE s.state NOT IN ('withdrawn', 'merged') GROUP BY c.name"""

PETITIONS = """
SELECT channel, COUNT(*),
  SUM(CASE WHEN accepted_on IS NOT NULL AND accepted_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN declined_on IS NOT NULL AND declined_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN opinion_on IS NOT NULL AND opinion_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN state IN ('registered', 'handling') AND deadline < %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN channel = 'letter' AND EXISTS (SELECT 1 FROM petitions_reviewinstruction i
        WHERE i.petition_id = petitions_petition.id AND i.instructed_on <= %s) THEN 1 ELSE 0 END)
FROM petitions_petition
WHERE town_id IN ({towns}) AND registered_on >= %s AND registered_on <= %s
GROUP BY channel"""

#: Parameters: from, end (×4).
PETITION_OTHERS = """SELECT
  (SELECT COUNT(*) FROM shifts_dutyassignment a JOIN shifts_dutyshift ds ON ds.id = a.shift_id
   WHERE a.state = 'attended' AND ds.town_id IN ({towns}) AND ds.date >= %s AND ds.date <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.registered_on >= %s AND r.registered_on <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.state = 'resolved'
     AND r.resolved_on >= %s AND r.resolved_on <= %s),
  (SELECT COUNT(*) FROM risks_risk r WHERE r.town_id IN ({towns}) AND r.state = 'resolved'
     AND r.resolved_on >= %s AND r.resolved_on <= %s
     AND EXISTS (SELECT 1 FROM risks_riskparticipant rp WHERE rp.risk_id = r.id AND rp.deputy_id IS NOT NULL))"""

SERVING = """d.is_active AND (d.serving_from IS NULL OR d.serving_from <= %s)
  AND (d.serving_to IS NULL OR d.serving_to >= %s)"""

#: Parameters: as_of ×2.
GRIDS = """SELECT
  (SELECT COUNT(*) FROM places_region g WHERE g.level = 'grid' AND g.is_active AND g.town_id IN ({towns})),
  SUM(CASE WHEN w.is_active THEN 1 ELSE 0 END),
  SUM(CASE WHEN w.is_active AND w.kind = 'full_time' THEN 1 ELSE 0 END),
  SUM(CASE WHEN w.is_active AND w.kind = 'part_time' THEN 1 ELSE 0 END),
  (SELECT COUNT(DISTINCT d.id) FROM people_deputy d JOIN people_deputy_grids dg ON dg.deputy_id = d.id
     JOIN places_region g ON g.id = dg.region_id
   WHERE g.level = 'grid' AND g.is_active AND g.town_id IN ({towns}) AND """ + SERVING + """)
FROM places_gridworker w WHERE w.town_id IN ({towns})"""

#: Each serving deputy (tag ``d``): level, town, serving dates, voter contacts in [from, end], whether a
#: presidium contact is dated in it; the counts (tag ``c``): reports to voters, voter and presidium contact
#: records; the towns' voter targets (tag ``t``). Parameters: from, end, from, end, as_of, as_of;
#: from, end (×3).
DEPUTIES = """SELECT 'd', d.level, d.town_id, d.serving_from, d.serving_to,
  (SELECT COUNT(*) FROM liaison_votercontact v WHERE v.deputy_id = d.id AND v.town_id IN ({towns})
     AND v."on" >= %s AND v."on" <= %s),
  CASE WHEN EXISTS (SELECT 1 FROM liaison_presidiumcontact p WHERE p.deputy_id = d.id AND p.town_id IN ({towns})
     AND p."on" >= %s AND p."on" <= %s) THEN 1 ELSE 0 END
FROM people_deputy d WHERE d.town_id IN ({towns}) AND """ + SERVING + """
UNION ALL
SELECT 'c', NULL,
  (SELECT COUNT(*) FROM duties_voterreport r WHERE r.town_id IN ({towns}) AND r.meeting_on >= %s
     AND r.meeting_on <= %s AND r.state IN ('rated', 'filed')),
  NULL, NULL,
  (SELECT COUNT(*) FROM liaison_votercontact v WHERE v.town_id IN ({towns}) AND v."on" >= %s AND v."on" <= %s),
  (SELECT COUNT(*) FROM liaison_presidiumcontact p WHERE p.town_id IN ({towns}) AND p."on" >= %s AND p."on" <= %s)
UNION ALL
SELECT 't', NULL, town_id, NULL, NULL, voter_contacts_per_year, NULL FROM liaison_liaisonsettings
WHERE town_id IN ({towns})"""

#: Parameters: from, end (activities), from, end (receptions).
ACTIVITIES = """SELECT a.type, COUNT(DISTINCT a.id),
  SUM(CASE WHEN p.attendance = 'attended' THEN 1 ELSE 0 END)
FROM duties_activity a LEFT JOIN duties_participation p ON p.activity_id = a.id
WHERE a.town_id IN ({towns}) AND a."on" >= %s AND a."on" <= %s AND a.state IN ('held', 'archived')
GROUP BY a.type
UNION ALL
SELECT NULL, COUNT(*), NULL FROM liaison_reception r WHERE r.town_id IN ({towns}) AND r."on" >= %s AND r."on" <= %s"""

#: Parameters: as_of ×5, from, end, the end of the as-of day (an aware datetime).
MOTIONS = """SELECT COUNT(*),
  SUM(CASE WHEN m.decision = 'on_agenda' AND m.decided_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN m.decision = 'as_suggestion' AND m.decided_on <= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN m.resolution_on <= %s AND m.finished_on <= %s THEN 1 ELSE 0 END)
FROM motions_motion m JOIN congress_session cs ON cs.id = m.session_id
WHERE m.town_id IN ({towns}) AND cs.starts_on >= %s AND cs.starts_on <= %s AND m.submitted_at < %s
  AND m.state <> 'withdrawn'"""

#: The projects of the years (tag ``p``: budget, bid price, paid, a stage late at as-of), their stages
#: (``s``), the candidates voted and adopted and the deputies' inspections (``c``), the grades of the
#: evaluations (``g``). Parameters: see ``_projects``.
PROJECTS = """WITH p AS (
  SELECT id, budget, bid_price, paid FROM projects_project
  WHERE town_id IN ({towns}) AND year >= %s AND year <= %s AND adopted_on <= %s)
SELECT 'p', p.id, CAST(NULL AS VARCHAR(30)), p.budget, p.bid_price, p.paid, CAST(NULL AS DATE), CAST(NULL AS DATE),
  CASE WHEN EXISTS (SELECT 1 FROM projects_projectstage st WHERE st.project_id = p.id AND st.planned_end < %s
                    AND (st.actual_end IS NULL OR st.actual_end > %s)) THEN 1 ELSE 0 END,
  CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM p
UNION ALL
SELECT 's', st.project_id, st.stage, NULL, NULL, NULL,
  CASE WHEN st.actual_start <= %s THEN st.actual_start END, CASE WHEN st.actual_end <= %s THEN st.actual_end END,
  NULL, NULL, NULL
FROM projects_projectstage st WHERE st.project_id IN (SELECT id FROM p)
UNION ALL
SELECT 'c', NULL, NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*), SUM(CASE WHEN c.state = 'adopted' THEN 1 ELSE 0 END),
  (SELECT COUNT(*) FROM projects_inspection_deputies idp JOIN projects_inspection i ON i.id = idp.inspection_id
   WHERE i.project_id IN (SELECT id FROM p) AND i."on" >= %s AND i."on" <= %s)
FROM projects_candidate c JOIN projects_candidatelist cl ON cl.id = c.candidate_list_id
  JOIN congress_session cs ON cs.id = cl.session_id
WHERE c.town_id IN ({towns}) AND cs.starts_on >= %s AND cs.starts_on <= %s AND cl.vote_round_id IS NOT NULL
UNION ALL
SELECT 'g', NULL, pr.grade, NULL, NULL, NULL, NULL, NULL, COUNT(*), NULL, NULL
FROM projects_project pr LEFT JOIN congress_session es ON es.id = pr.evaluation_session_id
WHERE pr.town_id IN ({towns}) AND pr.evaluated_on <= %s
  AND ((es.starts_on >= %s AND es.starts_on <= %s)
       OR (pr.evaluation_session_id IS NULL AND pr.evaluated_on >= %s AND pr.evaluated_on <= %s))
GROUP BY pr.grade"""

#: Parameters: from, end, as_of, from, end.
INFORMATION = """SELECT COUNT(*), SUM(CASE WHEN adopted AND adopted_on <= %s THEN 1 ELSE 0 END),
  (SELECT COUNT(*) FROM duties_award a WHERE a.town_id IN ({towns}) AND a."on" >= %s AND a."on" <= %s)
FROM presidium_infoitem WHERE town_id IN ({towns}) AND submitted_on >= %s AND submitted_on <= %s"""


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def run(connection: Any, *, period: str, town_code: str | None, as_of: dt.date | None = None) -> dict[str, Any]:
    """The sections of ``renda stats`` for ``period`` (``2025``, ``2026H1`` …) and one town (its code)
    or the district (None): the same keys and values as its JSON, ``period`` left out."""
    from renda.places.models import Region

    from_, to = parse_period(period)
    as_of = as_of or min(to, dt.date.today())
    end = min(to, as_of)
    towns = Region.objects.filter(level="town")
    if town_code:
        towns = towns.filter(code=town_code)
    ids = ",".join(str(int(pk)) for pk in towns.values_list("pk", flat=True))
    base = [from_, end]
    out: dict[str, Any] = {}
    with connection.cursor() as cur:
        out["suggestions"] = _suggestions(cur, ids, base, as_of)
        out["petitions"] = _petitions(cur, ids, from_, end, as_of)
        cur.execute(GRIDS.format(towns=ids), [as_of, as_of])
        g = [int(n or 0) for n in cur.fetchone()]
        out["grids"] = dict(zip(("grids", "grid_workers", "full_time", "part_time", "deputies_in_grids"), g,
                                strict=True))
        out["deputies"] = _deputies(cur, ids, from_, end, as_of)
        out["activities"] = _activities(cur, ids, from_, end)
        out["motions"] = _motions(cur, ids, from_, end, as_of)
        out["projects"] = _projects(cur, ids, from_, to, end, as_of)
        cur.execute(INFORMATION.format(towns=ids), [as_of, from_, end, from_, end])
        submitted, adopted, honours = cur.fetchone()
        out["information"] = {"submitted": submitted or 0, "adopted": adopted or 0, "honours": honours or 0}
    return out


def _suggestions(cur: Any, ids: str, base: list[Any], as_of: dt.date) -> dict[str, Any]:
    cur.execute(TOTALS.format(towns=ids), [*base, as_of, as_of, as_of, as_of, as_of])
    (received, public, assigned, closed, on_time, overdue, withdrawn, merged, key, rehandled) = (
        int(n or 0) for n in cur.fetchone())
    cur.execute(LATEST_REPLY.format(towns=ids), [*base, as_of])
    reply_class = dict.fromkeys("ABCD", 0) | dict(cur.fetchall())
    cur.execute(LATEST_EVALUATION.format(towns=ids), [*base, as_of, as_of])
    satisfaction = {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}
    closed_dissatisfied = 0
    for result, n, n_closed in cur.fetchall():
        satisfaction[result] = n
        if result == "dissatisfied":
            closed_dissatisfied = int(n_closed or 0)
    cur.execute(BY_UNIT.format(towns=ids), [*base, as_of, as_of, as_of, as_of])
    units = [(name, n, int(c or 0), int(t or 0), int(o or 0), town) for name, town, n, c, t, o in cur.fetchall()]
    units.sort(key=lambda u: (-u[1], u[0], u[5]))  # code-point order of the names, whatever the collation
    cur.execute(BY_CATEGORY.format(towns=ids), base)
    categories = dict(sorted(cur.fetchall()))
    replied, evaluated = sum(reply_class.values()), sum(satisfaction.values())
    return {
        "received": received, "by_kind": {"public": public, "deputy": received - public}, "assigned": assigned,
        "replied": replied, "closed": closed, "open": received - closed, "closure_rate": rate(closed, received),
        "on_time_closed": on_time, "on_time_rate": rate(on_time, closed), "overdue_open": overdue,
        "reply_class": reply_class, "resolved_rate": rate(reply_class["A"], replied), "evaluated": evaluated,
        "satisfaction": satisfaction,
        "satisfaction_rate": rate(satisfaction["satisfied"] + satisfaction["basically_satisfied"], evaluated),
        "key_supervised": key, "rehandled": rehandled, "closed_dissatisfied": closed_dissatisfied,
        "withdrawn": withdrawn, "merged": merged,
        "by_unit": [{"unit": u[0], "assigned": u[1], "closed": u[2], "on_time_closed": u[3], "overdue_open": u[4]}
                    for u in units],
        "by_category": categories,
    }


def _petitions(cur: Any, ids: str, from_: dt.date, end: dt.date, as_of: dt.date) -> dict[str, Any]:
    cur.execute(PETITIONS.format(towns=ids), [as_of, as_of, as_of, as_of, as_of, from_, end])
    by_channel = dict.fromkeys(("letter", "visit", "online", "phone", "referred"), 0)
    n = dict.fromkeys(("received", "accepted", "declined", "closed", "overdue_open", "letters_reviewed"), 0)
    for channel, *counts in cur.fetchall():
        by_channel[channel] = int(counts[0])
        for key, value in zip(n, counts, strict=True):
            n[key] += int(value or 0)
    cur.execute(PETITION_OTHERS.format(towns=ids), [from_, end] * 4)
    shifts, registered, resolved, with_deputies = cur.fetchone()
    return {"received": n["received"], "by_channel": by_channel, "letters_reviewed": n["letters_reviewed"],
            "accepted": n["accepted"], "declined": n["declined"], "closed": n["closed"],
            "overdue_open": n["overdue_open"], "duty_shifts": shifts, "risks_registered": registered,
            "risks_resolved": resolved, "risks_resolved_with_deputies": with_deputies}


def _deputies(cur: Any, ids: str, from_: dt.date, end: dt.date, as_of: dt.date) -> dict[str, Any]:
    from renda.liaison import targets

    cur.execute(DEPUTIES.format(towns=ids), [from_, end, from_, end, as_of, as_of, *([from_, end] * 3)])
    out = {"total": 0, "district": 0, "town": 0}
    per_year: dict[int, int] = defaultdict(lambda: 10)  # LiaisonSettings.voter_contacts_per_year's default
    deputies = []
    for tag, level, town, serving_from, serving_to, n1, n2 in cur.fetchall():
        if tag == "t":
            per_year[town] = n1
        elif tag == "c":
            out.update(reports_to_voters=town, voter_contacts=n1, presidium_contacts=n2)
        else:
            out["total"] += 1
            out[level] += 1
            deputies.append((town, _date(serving_from), _date(serving_to), n1, n2))
    out["without_contact"] = sum(1 for d in deputies if not d[4])
    below = 0
    for town, serving_from, serving_to, count, _contacted in deputies:
        span = targets.clip(from_, end, serving_from, serving_to)
        if span is not None and count < targets.voter_target(per_year[town], *span):
            below += 1
    out["below_voter_target"] = below
    return out


def _activities(cur: Any, ids: str, from_: dt.date, end: dt.date) -> dict[str, Any]:
    cur.execute(ACTIVITIES.format(towns=ids), [from_, end, from_, end])
    by_type, attendances, receptions = {}, 0, 0
    for type_, n, attended in cur.fetchall():
        if type_ is None:
            receptions = n
        else:
            by_type[type_] = n
            attendances += int(attended or 0)
    return {"total": sum(by_type.values()), "by_type": dict(sorted(by_type.items())),
            "deputy_attendances": attendances, "receptions": receptions}


def _motions(cur: Any, ids: str, from_: dt.date, end: dt.date, as_of: dt.date) -> dict[str, Any]:
    from django.utils import timezone

    as_of_end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    as_of_end = cur.db.ops.adapt_datetimefield_value(as_of_end)  # SQLite: naive UTC text
    cur.execute(MOTIONS.format(towns=ids), [as_of, as_of, as_of, as_of, from_, end, as_of_end])
    row = [int(n or 0) for n in cur.fetchone()]
    return dict(zip(("submitted", "on_agenda", "as_suggestions", "resolved"), row, strict=True))


class _Stage:
    def __init__(self, stage: str, actual_start: Any, actual_end: Any) -> None:
        self.stage, self.planned_start, self.planned_end = stage, None, None
        self.actual_start, self.actual_end = _date(actual_start), _date(actual_end)


def _projects(cur: Any, ids: str, from_: dt.date, to: dt.date, end: dt.date, as_of: dt.date) -> dict[str, Any]:
    from renda.projects.models import STAGE_ORDER
    from renda.projects.rules import current_stage

    cur.execute(PROJECTS.format(towns=ids), [from_.year, to.year, as_of, as_of, as_of, as_of, as_of, from_, end,
                                             from_, end, as_of, from_, end, from_, end])
    money = {"budget": Decimal(0), "bid_price": Decimal(0), "paid": Decimal(0)}
    stages: dict[int, list[_Stage]] = {}
    late = candidates = adopted = inspections = evaluated = 0
    grades = {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}
    for tag, pk, text, budget, bid, paid, start, finish, n1, n2, n3 in cur.fetchall():
        if tag == "p":
            stages.setdefault(pk, [])
            for key, value in (("budget", budget), ("bid_price", bid), ("paid", paid)):
                money[key] += Decimal(str(value)) if value is not None else 0
            late += n1
        elif tag == "s":
            stages.setdefault(pk, []).append(_Stage(text, start, finish))
        elif tag == "c":
            candidates, adopted, inspections = int(n1 or 0), int(n2 or 0), int(n3 or 0)
        else:
            evaluated += n1
            if text in grades:
                grades[text] = n1
    by_stage: dict[str, int] = defaultdict(int)
    for project_stages in stages.values():
        by_stage[current_stage(project_stages, STAGE_ORDER)] += 1
    order = [*STAGE_ORDER, "done"]
    return {"candidates": candidates, "adopted": adopted, "count": len(stages),
            "by_stage": {k: by_stage[k] for k in order if by_stage.get(k)},
            "budget_total": float(money["budget"].quantize(Decimal("0.01"))),
            "bid_total": float(money["bid_price"].quantize(Decimal("0.01"))),
            "paid_total": float(money["paid"].quantize(Decimal("0.01"))),
            "overdue_stages": late, "evaluated": evaluated, "grades": grades, "deputy_inspections": inspections}
