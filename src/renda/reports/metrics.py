"""Every indicator (统计口径) of ``shared/METRICS.md``, computed here and nowhere else.

``renda stats``, the office dashboard and (later) the work reports call these functions; a page
never counts on its own. The rules that apply everywhere:

- S (the suggestions of a period) = items registered in [from, to], less those withdrawn (撤回)
  or merged (合并) on or before the as-of date, which are only counted in ``withdrawn``/``merged``.
  Registration is a fact like any other: with an as-of date inside the period, items registered
  after it are not yet counted.
- Only facts dated on or before the as-of date count. Dates are the business dates the services
  record (登记/交办/答复/测评/办结 日期 and the ``Transition`` rows), i.e. local dates in
  Asia/Shanghai. An item closed after as-of is open; a reply after as-of is not counted; the
  unit and the deadline are those in force at as-of, read from the item's history (a return
  clears the lead unit on the item itself, so the current row is not enough).
- Rates are fractions rounded half-up to 4 decimals, ``None`` (JSON null) when the denominator
  is 0. Fixed-key objects carry every key; open-ended groups leave out empty groups.
- Several towns (the district): one computation over all of them, so every count is the sum of
  the towns' counts and every rate is recomputed from the sums.

The suggestion section reads its facts with one statement (``_FACTS_SQL``): the database counts
the items whose row is exact at as-of (no deadline-setting or exit transition after it, no
return…, i.e. nearly every item once the period is over) and returns the few others with their
timeline, which are rebuilt here item by item; the number of queries does not grow with the
number of items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
from renda.core.replica import read_alias, replica_reads
from renda.core.stats import Period, rate, section, sections
from renda.duties.models import Activity, Attendance, Participation, VoterReport
from renda.duties.workflow import COUNTED as DUTY_COUNTED
from renda.duties.workflow import ReportState
from renda.people.models import Deputy, DeputyLevel
from renda.places.models import GridWorker, Level, Region, WorkerKind
from renda.suggestions import rules
from renda.suggestions.models import (
    Evaluation,
    Extension,
    ExtensionStatus,
    Kind,
    Reply,
    ReplyClass,
    Result,
    Suggestion,
    SuggestionCategory,
    Transition,
)
from renda.suggestions.workflow import Action, State
from renda.units.models import Unit

#: The evaluation results the satisfaction rate counts (满意, 基本满意).
SATISFIED = (Result.SATISFIED.value, Result.BASICALLY_SATISFIED.value)

# --- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The towns counted: one town, or the whole district (every town)."""

    towns: tuple[Region, ...]
    town: Region | None  # the one town, or None for the district

    @property
    def town_ids(self) -> list[int]:
        return [t.pk for t in self.towns]

    def as_dict(self) -> dict[str, Any]:
        if self.town is not None:
            return {"scope": "town", "town": self.town.code, "town_name": self.town.name}
        return {"scope": "district", "town": None, "town_name": None}


def resolve_scope(town_code: str | None = None, *, within: Iterable[Region] | None = None) -> Scope:
    """``town_code`` (12 digits) → that town; none → the only town, or the whole district.
    ``within`` limits the candidates (a user's visible towns)."""
    towns = list(within) if within is not None else list(Region.objects.filter(level=Level.TOWN).order_by("code"))
    if town_code:
        match = [t for t in towns if t.code == town_code.strip()]
        if not match:
            raise InvalidInput(_("没有代码为「{code}」的镇街").format(code=town_code), fields={"town": _("不存在")})
        return Scope((match[0],), match[0])
    if len(towns) == 1:
        return Scope((towns[0],), towns[0])
    return Scope(tuple(towns), None)


#: Transitions that move the deadline or the lead unit, or take an item out of S (an exit counts
#: only with its exit state): the ``events`` of an item.
_DEADLINE_ACTIONS = (Action.ASSIGN.value, Action.RETURN.value, Action.APPROVE_EXTENSION.value,
                     Action.REHANDLE.value)
_EXIT = {Action.WITHDRAW.value: State.WITHDRAWN.value, Action.MERGE.value: State.MERGED.value}


@dataclass
class _Item:
    """One registered item as it stood at as-of."""

    pk: int
    kind: str
    category: str | None
    registered_at: dt.date
    town_id: int
    closed_at: dt.date | None  # only when closed on or before as-of
    unit_key: tuple[int, str] | None = None  # (town id, unit name) of the lead unit in force at as-of
    deadline: dt.date | None = None  # deadline in force at as-of
    reply_class: str | None = None  # class of the latest reply up to as-of
    result: str | None = None  # result of the latest evaluation up to as-of
    rehandled: bool = False
    key_supervised: bool = False
    grid_id: int | None = None


@dataclass
class _Tally:
    assigned: int = 0
    closed: int = 0
    on_time_closed: int = 0
    overdue_open: int = 0


@dataclass
class _Group:
    """Items of S with the same kind, category and lead unit at as-of, counted: ``received`` items,
    of which so many closed, closed on time, overdue, under key supervision, re-handled."""

    kind: str
    category: str | None
    unit_key: tuple[int, str] | None  # (town id, unit name); None: not assigned at as-of
    received: int = 0
    closed: int = 0
    on_time_closed: int = 0
    overdue_open: int = 0
    key_supervised: int = 0
    rehandled: int = 0
    #: The town and the grid of the items (the dashboards' breakdowns by town and by grid).
    town_id: int | None = None
    grid_id: int | None = None
    #: Of the items, those with an evaluation on or before as-of, and those whose latest one is
    #: 满意 or 基本满意 (the breakdowns' satisfaction rates; they sum to the section's).
    evaluated: int = 0
    satisfied: int = 0


@dataclass
class SuggestionFacts:
    """The items of S at as-of (and the withdrawn/merged counts): what every suggestion number
    (the section, the monthly series, the dashboard) is tallied from.

    ``groups`` counts the items of S by kind, category and lead unit; ``reply_class`` and
    ``satisfaction`` the latest reply and evaluation of each; ``items`` are the items whose state at
    as-of was rebuilt from their timeline (also counted in ``groups``); ``left_out`` the
    (registered, closed) dates of the items of the period that are not in S (withdrawn or merged)."""

    period: Period
    groups: list[_Group] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    reply_class: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ReplyClass.values, 0))
    satisfaction: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Result.values, 0))
    withdrawn: int = 0
    merged: int = 0
    closed_dissatisfied: int = 0
    #: (registered, closed, lead unit id of the row) of each item left out.
    left_out: list[tuple[dt.date, dt.date | None, int | None]] = field(default_factory=list)


# The suggestion facts are read with one statement (``_FACTS_SQL``, SQL for SQLite and PostgreSQL alike
# but for ``in_c``). C = the items registered in [from, min(to, as-of)] in the towns. ``item_events``
# sums up the events (deadline-setting and exit transitions, all of them) of each item of C that has any and
# puts it on one of two paths:
#
# - ``p``: no event dated after as-of, no return, no exit, an assignment, and no re-handling before
#   the first assignment. The row is then exact at as-of: the lead unit and the deadline in force are
#   the row's, and every re-handling happened while assigned (``_rebuild`` gives the same);
# - ``s``: anything else (an event after as-of, a return, an exit…): rebuilt in Python from its
#   timeline by ``_rebuild``, as every item used to be. Few items are: those that changed after
#   as-of, and the withdrawn, merged and returned ones.
#
# Items without events were never assigned at as-of (no unit, no deadline, never re-handled). The
# database counts them and the ``p`` items (``settled``). The statement returns tagged rows, one column layout
# (``_COLUMNS``) for every branch:
#   g     the counted items by town, lead unit, category and kind, with the counts of ``_Group``,
#         and how many of them have a lead unit but no events or the other way round (never
#         written by the services: the facts are then read again with every item on the ``s`` path)
#   n     each ``s`` item: its row, its latest reply class and evaluation result up to as-of
#   h, a  the events of the ``s`` items, their extensions approved up to as-of
#   r, v  the latest reply class / evaluation result up to as-of of every item of C, counted (the
#         ``s`` items' are taken off again and counted with the rebuilt items); ``v`` also counts
#         those closed on or before as-of (``closed_dissatisfied`` from the 不满意 row: a closed item
#         is in S, whichever path it takes)
#   u, k  the names of the units and categories of the towns
_COLUMNS = ("tag", "i1", "i2", "i3", "i4", "t1", "t2", "t3", "t4", "t5", "d1", "d2", "d3", "d4", "d5",
            "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9")
_NULLS = {"i": "CAST(NULL AS BIGINT)", "t": "CAST(NULL AS VARCHAR(200))", "d": "CAST(NULL AS DATE)",
          "n": "CAST(NULL AS BIGINT)"}


def _select(tag: str, **columns: str) -> str:
    """``SELECT 'tag', …`` with the given expressions in their columns and typed NULLs elsewhere."""
    exprs = [f"'{tag}'"] + [columns.get(c, _NULLS[c[0]]) for c in _COLUMNS[1:]]
    return "SELECT " + ", ".join(exprs)


#: The events of ``_rebuild`` (``_DEADLINE_ACTIONS`` and the exits with their exit state).
_EVENTS = ("t.action IN ({deadline_actions}, {exit_actions}) AND (t.action NOT IN ({exit_actions}) "
           "OR t.to_state = CASE t.action WHEN '{withdraw}' THEN '{withdrawn}' ELSE '{merged}' END)")

_FACTS_SQL = """WITH cs AS {materialized} (
  SELECT s.id, s.town_id, s.kind, s.category_id, s.lead_unit_id, s.grid_id, s.closed_at, s.deadline,
    s.key_supervision, s.key_supervision_since
  FROM {suggestion} s WHERE {c_filter}
), item_events AS (
  SELECT t.suggestion_id AS sid,
    CASE WHEN {rebuild_all} OR MAX(t."on") > %(as_of)s
              OR SUM(CASE WHEN t.action IN ('{return_}', {exit_actions}) THEN 1 ELSE 0 END) > 0
              OR MIN(CASE WHEN t.action = '{assign}' THEN t."on" END) IS NULL
              OR MIN(CASE WHEN t.action = '{rehandle}' THEN t."on" END)
                 <= MIN(CASE WHEN t.action = '{assign}' THEN t."on" END) THEN 's'
         ELSE 'p' END AS path,
    MAX(CASE WHEN t.action = '{rehandle}' THEN 1 ELSE 0 END) AS rehandled
  FROM {transition} t
  WHERE t.suggestion_id {in_c} AND {events}
  GROUP BY t.suggestion_id
), c AS {materialized} (
  SELECT cs.town_id, cs.kind, cs.category_id, cs.lead_unit_id, cs.grid_id, cs.closed_at, cs.deadline,
    cs.key_supervision, cs.key_supervision_since, item_events.sid, item_events.path,
    COALESCE(item_events.rehandled, 0) AS rehandled,
    (SELECT v.result FROM {evaluation} v WHERE v.suggestion_id = cs.id AND v.evaluated_at <= %(as_of)s
     ORDER BY v.evaluated_at DESC, v.id DESC LIMIT 1) AS result
  FROM cs LEFT JOIN item_events ON item_events.sid = cs.id
), settled AS (
  SELECT town_id, kind, category_id, lead_unit_id, grid_id, closed_at, deadline, key_supervision,
    key_supervision_since, rehandled, result,
    CASE WHEN {assigned} THEN 1 ELSE 0 END AS assigned,
    CASE WHEN {assigned} THEN 1 ELSE 0 END <> CASE WHEN sid IS NOT NULL THEN 1 ELSE 0 END AS odd
  FROM c
  WHERE path IS NULL OR path = 'p'
)
{g}
FROM settled
GROUP BY town_id, CASE WHEN assigned = 1 THEN lead_unit_id END, category_id, kind{grid_group}
UNION ALL
{n}
FROM item_events JOIN {suggestion} s ON s.id = item_events.sid
  LEFT JOIN {unit} u ON u.id = s.lead_unit_id
  LEFT JOIN {category} c ON c.id = s.category_id
WHERE item_events.path = 's'
UNION ALL
{h}
FROM {transition} t
WHERE t.suggestion_id IN (SELECT sid FROM item_events WHERE path = 's') AND {events}
UNION ALL
{a}
FROM {extension} a
WHERE a.suggestion_id IN (SELECT sid FROM item_events WHERE path = 's') AND a.status = '{approved}'
  AND a.decided_at <= %(as_of)s
UNION ALL
{r}
FROM (SELECT r.reply_class, ROW_NUMBER() OVER (PARTITION BY r.suggestion_id
                                               ORDER BY r.replied_at DESC, r.id DESC) AS recency
      FROM {reply} r WHERE r.suggestion_id {in_c} AND r.replied_at <= %(as_of)s) latest_reply
WHERE recency = 1 GROUP BY reply_class
UNION ALL
{v}
FROM c WHERE result IS NOT NULL GROUP BY result
UNION ALL
{u}
FROM {unit} u WHERE u.town_id IN ({towns})
UNION ALL
{k}
FROM {category} c WHERE c.town_id IN ({towns})"""

#: ``g``: the counted items (``settled``), by the definitions of ``_on_time``, ``_overdue`` and
#: ``_Item.key_supervised``; the lead unit and the deadline in force at as-of are the row's.
_G = {
    "i1": "town_id",
    "i2": "CASE WHEN assigned = 1 THEN lead_unit_id END",
    "i3": "category_id",
    "i4": "{grid}",
    "t1": "kind",
    "n1": "COUNT(*)",
    "n2": "SUM(CASE WHEN closed_at <= %(as_of)s THEN 1 ELSE 0 END)",
    "n3": "SUM(CASE WHEN assigned = 1 AND closed_at <= %(as_of)s AND closed_at <= deadline THEN 1 ELSE 0 END)",
    "n4": "SUM(CASE WHEN assigned = 1 AND (closed_at IS NULL OR closed_at > %(as_of)s) AND deadline < %(as_of)s "
          "THEN 1 ELSE 0 END)",
    "n5": "SUM(CASE WHEN key_supervision AND key_supervision_since <= %(as_of)s THEN 1 ELSE 0 END)",
    "n6": "SUM(rehandled)",
    "n7": "SUM(CASE WHEN odd THEN 1 ELSE 0 END)",
    "n8": "SUM(CASE WHEN result IS NOT NULL THEN 1 ELSE 0 END)",
    "n9": "SUM(CASE WHEN result IN ({satisfied}) THEN 1 ELSE 0 END)",
}
#: ``n``: an item to rebuild (the reply and evaluation subqueries run for these few rows only).
_N = {
    "i1": "item_events.sid", "i2": "s.town_id", "i3": "s.lead_unit_id", "i4": "s.grid_id",
    "t1": "u.name", "t2": "c.name", "t3": "s.kind",
    "t4": "(SELECT r.reply_class FROM {reply} r WHERE r.suggestion_id = item_events.sid AND r.replied_at <= %(as_of)s "
          "ORDER BY r.replied_at DESC, r.id DESC LIMIT 1)",
    "t5": "(SELECT v.result FROM {evaluation} v WHERE v.suggestion_id = item_events.sid "
          "AND v.evaluated_at <= %(as_of)s ORDER BY v.evaluated_at DESC, v.id DESC LIMIT 1)",
    "d1": "s.registered_at", "d2": "s.closed_at", "d3": "s.deadline", "d4": "s.original_deadline",
    "d5": "s.key_supervision_since",
    "n1": "CASE WHEN s.key_supervision THEN 1 ELSE 0 END",
}


def _facts_sql(towns: int, *, rebuild_all: bool = False, grids: bool = False) -> str:
    """``_FACTS_SQL`` for ``towns`` towns (parameters ``town0``…, ``from``, ``end``, ``as_of``). Only
    table names, constants of the workflow and placeholders are put into the text."""

    def table(model: type[Any]) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def quoted(values: Iterable[str]) -> str:
        return ", ".join(f"'{v}'" for v in values)

    names: dict[str, str] = {
        "suggestion": table(Suggestion), "transition": table(Transition), "extension": table(Extension),
        "reply": table(Reply), "evaluation": table(Evaluation), "unit": table(Unit),
        "category": table(SuggestionCategory),
        "assign": Action.ASSIGN, "return_": Action.RETURN, "rehandle": Action.REHANDLE,
        "withdraw": Action.WITHDRAW, "withdrawn": State.WITHDRAWN, "merged": State.MERGED,
        "approved": ExtensionStatus.APPROVED,
        "satisfied": quoted(SATISFIED),
        # by grid only when asked (the grid table): it multiplies the groups
        "grid": "grid_id" if grids else "CAST(NULL AS BIGINT)", "grid_group": ", grid_id" if grids else "",
        "deadline_actions": quoted(_DEADLINE_ACTIONS), "exit_actions": quoted(_EXIT),
        "rebuild_all": "1 = 1" if rebuild_all else "1 = 0",
        # A counted item is assigned at as-of when it has a lead unit: ``p`` items have one, items
        # without events have none (``odd`` otherwise). With ``rebuild_all`` only the items without
        # events are counted, none of them assigned.
        "assigned": "1 = 0" if rebuild_all else "lead_unit_id IS NOT NULL",
        "towns": ", ".join(f"%(town{i})s" for i in range(towns)),
    }
    names["c_filter"] = (f"s.town_id IN ({names['towns']}) AND s.registered_at >= %(from)s "
                         "AND s.registered_at <= %(end)s")
    # "in C": PostgreSQL would scan the whole transitions (replies, evaluations) table for a hash join
    # with C; given the ids as an array it reads just theirs through the suggestion_id index. The
    # items of C are read once (``cs``), for the arrays and the counts alike.
    names["in_c"] = "= ANY(ARRAY(SELECT id FROM cs))" if connection.vendor == "postgresql" else "IN (SELECT id FROM cs)"
    # Computed once, used more than once: C (``cs``), and C with each item's path and latest
    # evaluation (``c``: the ``g`` counts and the ``v`` tally; the evaluation subquery ran twice per
    # item when it was written into the counts). PostgreSQL inlines a CTE used once and cannot
    # estimate ``= ANY(ARRAY(…))`` (it guesses 10 rows): the hint keeps them computed tables.
    # SQLite materialises a CTE used more than once by itself (the hint is newer than some of
    # its releases).
    names["materialized"] = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    names["events"] = _EVENTS.format(**names)
    branches = {
        "g": _select("g", **{k: v.format(**names) for k, v in _G.items()}),
        "n": _select("n", **{k: v.format(**names) for k, v in _N.items()}),
        "h": _select("h", i1="t.suggestion_id", i2="t.id", t1="t.action", d1='t."on"'),
        "a": _select("a", i1="a.suggestion_id", i2="a.id", d1="a.new_deadline", d2="a.decided_at"),
        "r": _select("r", t1="reply_class", n1="COUNT(*)"),
        "v": _select("v", t1="result", n1="COUNT(*)", n2="SUM(CASE WHEN closed_at <= %(as_of)s THEN 1 ELSE 0 END)"),
        "u": _select("u", i1="u.id", t1="u.name"),
        "k": _select("k", i1="c.id", t1="c.name"),
    }
    return _FACTS_SQL.format(**names, **branches)


def _date(value: Any) -> dt.date | None:
    """A date column of the statement: a ``date`` (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def suggestion_facts(period: Period, scope: Scope, *, rebuild_all: bool = False,
                     grids: bool = False) -> SuggestionFacts:
    """The facts of S at as-of, read with ``_FACTS_SQL``. ``rebuild_all`` rebuilds every item that has
    deadline-setting or exit transitions from its timeline (the ``s`` path) instead of counting the
    ``p`` items in the database: the same facts, more slowly. ``grids`` also groups them by grid
    (``suggestions_by_grid``; off for ``renda stats``: it multiplies the groups)."""
    as_of = period.as_of
    facts = SuggestionFacts(period)
    if not scope.town_ids:
        return facts
    params: dict[str, Any] = {"as_of": as_of, "from": period.from_, "end": min(period.to, as_of)}
    params.update({f"town{i}": pk for i, pk in enumerate(scope.town_ids)})
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    alias = read_alias()
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        if connections[alias].vendor == "postgresql":
            # One report query over hundreds of thousands of rows: enough memory to sort and hash
            # without spilling to disk or losing the bitmap's rows (the server's default is 4 MB),
            # and no JIT compilation (160 ms of compiling for one run). For this query only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_facts_sql(len(scope.town_ids), rebuild_all=rebuild_all, grids=grids), params)
        for row in cursor.fetchall():
            rows[row[0]].append(dict(zip(_COLUMNS, row, strict=True)))
    if not rebuild_all and any(g["n7"] for g in rows["g"]):
        return suggestion_facts(period, scope, rebuild_all=True, grids=grids)  # rows that disagree with their history
    units = {u["i1"]: u["t1"] for u in rows["u"]}
    categories = {k["i1"]: k["t1"] for k in rows["k"]}
    if missing := {g["i2"] for g in rows["g"]} - units.keys() - {None}:  # a unit of another town
        units.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    if missing := {g["i3"] for g in rows["g"]} - categories.keys() - {None}:
        categories.update(SuggestionCategory.objects.filter(pk__in=missing).values_list("pk", "name"))
    for g in rows["g"]:
        unit, category = g["i2"], g["i3"]
        facts.groups.append(_Group(
            kind=g["t1"], category=None if category is None else categories[category],
            unit_key=None if unit is None else (g["i1"], units[unit]), received=g["n1"], closed=g["n2"],
            on_time_closed=g["n3"], overdue_open=g["n4"], key_supervised=g["n5"], rehandled=g["n6"],
            town_id=g["i1"], grid_id=g["i4"], evaluated=g["n8"] or 0, satisfied=g["n9"] or 0))
    for r in rows["r"]:
        facts.reply_class[r["t1"]] += r["n1"]
    for v in rows["v"]:
        facts.satisfaction[v["t1"]] += v["n1"]
        if v["t1"] == Result.DISSATISFIED.value:
            # closed (so in S, never withdrawn or merged) with 不满意 as the latest evaluation
            facts.closed_dissatisfied += v["n2"] or 0

    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for h in sorted(rows["h"], key=lambda h: (h["i1"], _date(h["d1"]), h["i2"])):
        history[h["i1"]].append({"action": h["t1"], "on": _date(h["d1"]), "id": h["i2"]})
    extensions: dict[int, list[dt.date | None]] = defaultdict(list)
    for a in sorted(rows["a"], key=lambda a: (a["i1"], _date(a["d2"]), a["i2"])):
        extensions[a["i1"]].append(_date(a["d1"]))

    stale: list[tuple[_Item, int]] = []
    for n in rows["n"]:
        # not among the ``g`` counts, but its latest reply and evaluation are among ``r`` and ``v``
        if n["t4"] is not None:
            facts.reply_class[n["t4"]] -= 1
        if n["t5"] is not None:
            facts.satisfaction[n["t5"]] -= 1
        r = {"pk": n["i1"], "town_id": n["i2"], "kind": n["t3"], "category__name": n["t2"],
             "registered_at": _date(n["d1"]), "closed_at": _date(n["d2"]), "deadline": _date(n["d3"]),
             "original_deadline": _date(n["d4"]), "lead_unit_id": n["i3"], "lead_unit__name": n["t1"],
             "key_supervision": bool(n["n1"]), "key_supervision_since": _date(n["d5"]),
             "grid_id": n["i4"] if grids else None}
        exit_state, item, stale_index = _rebuild(r, history.get(r["pk"], []), extensions.get(r["pk"], []),
                                                 n["t4"], n["t5"], as_of)
        if exit_state is not None:
            if exit_state == State.WITHDRAWN:
                facts.withdrawn += 1
            else:
                facts.merged += 1
            facts.left_out.append((r["registered_at"], r["closed_at"], r["lead_unit_id"]))
            continue
        if stale_index is not None:
            stale.append((item, stale_index))
        facts.items.append(item)
    _fill_from_audit(stale)
    for item in facts.items:
        facts.groups.append(_group_of(item, as_of))
        if item.reply_class is not None:
            facts.reply_class[item.reply_class] += 1
        if item.result is not None:
            facts.satisfaction[item.result] += 1
    return facts


def _rebuild(r: dict[str, Any], events: Sequence[dict[str, Any]], approved: Sequence[dt.date | None],
             reply_class: str | None, result: str | None,
             as_of: dt.date) -> tuple[str | None, _Item, int | None]:
    """One item at as-of from its row, its deadline-setting and exit transitions (``events``, all of
    them, in date order) and its extensions approved on or before as-of: (the exit state if it was
    withdrawn or merged by then, the item, the index of the assignment in force at as-of when a
    later return cleared it from the row — its unit and deadline are then read from the audit)."""
    item = _Item(pk=r["pk"], kind=r["kind"], category=r["category__name"], registered_at=r["registered_at"],
                 town_id=r["town_id"],
                 closed_at=r["closed_at"] if r["closed_at"] and r["closed_at"] <= as_of else None,
                 reply_class=reply_class, result=result, grid_id=r.get("grid_id"),
                 key_supervised=bool(r["key_supervision"] and r["key_supervision_since"]
                                     and r["key_supervision_since"] <= as_of))
    upto = [t for t in events if t["on"] <= as_of]
    exits = [t for t in upto if t["action"] in _EXIT]
    if exits:
        return _EXIT[exits[-1]["action"]], item, None
    assign_ids = [t["id"] for t in events if t["action"] == Action.ASSIGN]
    in_force: dict[str, Any] | None = None  # the assignment in force at as-of
    extensions_seen = 0
    for t in upto:
        action = t["action"]
        if action == Action.ASSIGN:
            in_force = t
            item.deadline = r["original_deadline"] if t["id"] == assign_ids[-1] else None
            if item.deadline is None:
                item.deadline = rules.deadline_for(r["kind"], t["on"])
        elif action == Action.RETURN:
            in_force, item.deadline = None, None
        elif action == Action.APPROVE_EXTENSION and in_force is not None:
            if extensions_seen < len(approved):
                item.deadline = approved[extensions_seen]
            extensions_seen += 1
        elif action == Action.REHANDLE and in_force is not None:
            item.rehandled = True
            item.deadline = max(rules.rehandle_deadline(t["on"], rules.rules_for(None)), in_force["on"])
    if in_force is None:
        item.deadline = None
    elif in_force["id"] == assign_ids[-1] and r["lead_unit_id"] is not None:
        item.unit_key = (r["town_id"], r["lead_unit__name"])
        if len(upto) == len(events):
            item.deadline = r["deadline"]  # nothing moved the deadline after as-of: the row is exact
    else:
        return None, item, assign_ids.index(in_force["id"])
    return None, item, None


def _fill_from_audit(stale: Sequence[tuple[_Item, int]]) -> None:
    """The unit and deadline of an assignment that a later return (after as-of) cleared from the
    row: the audit event of that assignment recorded them (its ``after`` snapshot)."""
    if not stale:
        return
    from renda.audit.models import AuditEvent

    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in (AuditEvent.objects.filter(verb=f"suggestion.{Action.ASSIGN.value}",
                                        target_type=Suggestion._meta.label_lower,
                                        target_id__in=[str(i.pk) for i, _k in stale])
              .order_by("id").values("target_id", "after")):
        events[e["target_id"]].append(e["after"] or {})
    for item, index in stale:
        found = events.get(str(item.pk), [])
        if index < len(found):
            after = found[index]
            item.unit_key = (item.town_id, after.get("lead_unit") or "")
            if after.get("deadline"):
                item.deadline = dt.date.fromisoformat(after["deadline"])


def _assigned(item: _Item) -> bool:
    return item.unit_key is not None


def _on_time(item: _Item) -> bool:
    return item.closed_at is not None and item.deadline is not None and item.closed_at <= item.deadline


def _overdue(item: _Item, as_of: dt.date) -> bool:
    return item.closed_at is None and item.deadline is not None and item.deadline < as_of


def _group_of(item: _Item, as_of: dt.date) -> _Group:
    """One rebuilt item as a group of one (the ``g`` rows of the statement count the others)."""
    return _Group(kind=item.kind, category=item.category, unit_key=item.unit_key if _assigned(item) else None,
                  received=1, closed=int(item.closed_at is not None), on_time_closed=int(_on_time(item)),
                  overdue_open=int(_overdue(item, as_of)), key_supervised=int(item.key_supervised),
                  rehandled=int(item.rehandled), town_id=item.town_id, grid_id=item.grid_id,
                  evaluated=int(item.result is not None), satisfied=int(item.result in SATISFIED))


def suggestions_section(period: Period, scope: Scope, facts: SuggestionFacts | None = None) -> dict[str, Any]:
    """The ``suggestions`` section of METRICS.md, every key."""
    facts = facts or suggestion_facts(period, scope)
    by_kind = {Kind.PUBLIC.value: 0, Kind.DEPUTY.value: 0}
    reply_class = dict(facts.reply_class)
    satisfaction = dict(facts.satisfaction)
    units: dict[tuple[int, str], _Tally] = {}
    categories: dict[str, int] = defaultdict(int)
    n = {"received": 0, "assigned": 0, "closed": 0, "on_time_closed": 0, "overdue_open": 0, "key_supervised": 0,
         "rehandled": 0}
    for g in facts.groups:
        by_kind[g.kind] = by_kind.get(g.kind, 0) + g.received
        if g.category:
            categories[g.category] += g.received
        n["received"] += g.received
        n["closed"] += g.closed
        n["on_time_closed"] += g.on_time_closed
        n["overdue_open"] += g.overdue_open
        n["key_supervised"] += g.key_supervised
        n["rehandled"] += g.rehandled
        if g.unit_key is not None:
            n["assigned"] += g.received
            tally = units.setdefault(g.unit_key, _Tally())
            tally.assigned += g.received
            tally.closed += g.closed
            tally.on_time_closed += g.on_time_closed
            tally.overdue_open += g.overdue_open
    received = n["received"]
    replied, evaluated = sum(reply_class.values()), sum(satisfaction.values())
    # assigned descending, then the name in Unicode code-point order (Python's str order)
    ordered = sorted(units.items(), key=lambda kv: (-kv[1].assigned, kv[0][1], kv[0][0]))
    by_unit = [{"unit": name, "assigned": t.assigned, "closed": t.closed, "on_time_closed": t.on_time_closed,
                "overdue_open": t.overdue_open} for (_town, name), t in ordered]
    return {
        "received": received,
        "by_kind": by_kind,
        "assigned": n["assigned"],
        "replied": replied,
        "closed": n["closed"],
        "open": received - n["closed"],
        "closure_rate": rate(n["closed"], received),
        "on_time_closed": n["on_time_closed"],
        "on_time_rate": rate(n["on_time_closed"], n["closed"]),
        "overdue_open": n["overdue_open"],
        "reply_class": reply_class,
        "resolved_rate": rate(reply_class[ReplyClass.A.value], replied),
        "evaluated": evaluated,
        "satisfaction": satisfaction,
        "satisfaction_rate": rate(satisfaction[Result.SATISFIED.value]
                                  + satisfaction[Result.BASICALLY_SATISFIED.value], evaluated),
        "key_supervised": n["key_supervised"],
        "rehandled": n["rehandled"],
        "closed_dissatisfied": facts.closed_dissatisfied,
        "withdrawn": facts.withdrawn,
        "merged": facts.merged,
        "by_unit": by_unit,
        "by_category": dict(sorted(categories.items())),
    }


def suggestions_by_month(period: Period, scope: Scope, facts: SuggestionFacts | None = None, *,
                         unit_id: int | None = None) -> list[dict[str, Any]]:
    """Per month: items of S registered that month, and items of S closed that month (on or before
    as-of); the months run from ``from`` to the later of ``to`` and as-of. The ``closed`` column
    sums to the section's ``closed``, the ``registered`` column to ``received``.

    ``unit_id``: only the items whose lead unit is that unit now (a unit's dashboard; an item moved
    to another unit after as-of follows its current unit here)."""
    facts = facts or suggestion_facts(period, scope)
    as_of = period.as_of
    last = max(period.to, as_of)
    months: list[str] = []
    y, m = period.from_.year, period.from_.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # the items of the period counted by date, less those not in S (withdrawn or merged by as-of)
    in_period = Suggestion.objects.filter(town_id__in=scope.town_ids, registered_at__gte=period.from_,
                                          registered_at__lte=min(period.to, as_of)).order_by()
    if unit_id is not None:
        in_period = in_period.filter(lead_unit_id=unit_id)
    registered: dict[str, int] = defaultdict(int)
    closed: dict[str, int] = defaultdict(int)
    for day, count in in_period.values("registered_at").annotate(n=Count("pk")).values_list("registered_at", "n"):
        registered[day.strftime("%Y-%m")] += count
    for closed_day, count in (in_period.filter(closed_at__lte=as_of).values("closed_at").annotate(n=Count("pk"))
                              .values_list("closed_at", "n")):
        if closed_day is not None:
            closed[closed_day.strftime("%Y-%m")] += count
    for on, closed_on, unit in facts.left_out:
        if unit_id is not None and unit != unit_id:
            continue
        registered[on.strftime("%Y-%m")] -= 1
        if closed_on is not None and closed_on <= as_of:
            closed[closed_on.strftime("%Y-%m")] -= 1
    return [{"month": k, "registered": registered.get(k, 0), "closed": closed.get(k, 0)} for k in months]


# --- grids and deputies ---------------------------------------------------------------------


def _serving(as_of: dt.date) -> Q:
    return (Q(is_active=True) & (Q(serving_from__isnull=True) | Q(serving_from__lte=as_of))
            & (Q(serving_to__isnull=True) | Q(serving_to__gte=as_of)))


def _counts(**querysets: QuerySet[Any]) -> dict[str, int]:
    """How many rows each queryset has, read with one statement
    (``SELECT (SELECT COUNT(*) FROM (…)), (SELECT COUNT(*) FROM (…)), …``): a section's counts over
    several tables in one round trip, each set still defined by its queryset (its app's selector)."""
    alias = read_alias()
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets.values():
        sql, p = qs.order_by().values("pk").query.get_compiler(using=alias).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")  # noqa: S608 - the ORM's own SQL
        params.extend(p)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {key: int(n or 0) for key, n in zip(querysets, row, strict=True)}


# --- petitions --------------------------------------------------------------------------------

CHANNELS = ("letter", "visit", "online", "phone", "referred")


def petitions_section(period: Period, scope: Scope) -> dict[str, Any]:
    """METRICS ``petitions``: P = petitions registered in [from, to] (and on or before as-of);
    decisions, opinions and instructions count when dated on or before as-of; duty shifts are
    attended assignments (person-times) and risks are dated by registration / resolution."""
    from renda.petitions import selectors as petition_selectors
    from renda.petitions.models import Petition
    from renda.risks.models import Risk
    from renda.shifts import selectors as shift_selectors

    as_of, end = period.as_of, min(period.to, period.as_of)
    towns = scope.town_ids
    p = Petition.objects.filter(town_id__in=towns, registered_on__gte=period.from_, registered_on__lte=end)
    # one grouped query for the counts over P (the channel counts sum to ``received``)
    reviewed = petition_selectors.letters_reviewed(p, as_of).values("pk")
    counts = dict.fromkeys(("received", "accepted", "declined", "closed", "letters_reviewed"), 0)
    by_channel = dict.fromkeys(CHANNELS, 0)
    for row in p.order_by().values("channel").annotate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_on__lte=as_of)),
        declined=Count("pk", filter=Q(declined_on__lte=as_of)),
        closed=Count("pk", filter=Q(opinion_on__lte=as_of)),
        letters_reviewed=Count("pk", filter=Q(pk__in=reviewed)),
    ):
        by_channel[row["channel"]] = row["received"]
        for key in counts:
            counts[key] += row[key]
    # petitions declined or given an opinion by as-of are not open: only the others are rebuilt
    open_at = p.exclude(declined_on__lte=as_of).exclude(opinion_on__lte=as_of)
    # the counts over the other tables in one statement
    risks = Risk.objects.filter(town_id__in=towns)
    resolved = risks.resolved_between(period.from_, end)
    others = _counts(shifts=shift_selectors.attended(town_ids=towns, start=period.from_, end=end),
                     registered=risks.registered_between(period.from_, end), resolved=resolved,
                     with_deputies=resolved.with_deputies())
    return {
        "received": counts["received"],
        "by_channel": by_channel,
        "letters_reviewed": counts["letters_reviewed"],
        "accepted": counts["accepted"],
        "declined": counts["declined"],
        "closed": counts["closed"],
        "overdue_open": petition_selectors.overdue_open_count(open_at, as_of),
        "duty_shifts": others["shifts"],
        "risks_registered": others["registered"],
        "risks_resolved": others["resolved"],
        "risks_resolved_with_deputies": others["with_deputies"],
    }


# --- grids ------------------------------------------------------------------------------------


def grids_section(period: Period, scope: Scope) -> dict[str, int]:
    """Grids in use, grid workers serving, distinct deputies assigned to a grid in use.

    Regions and grid workers keep no dated history (they are deactivated, not ended on a date),
    so "at as-of" is their current state; deputies use their serving dates."""
    grids = Region.objects.filter(level=Level.GRID, is_active=True, town_id__in=scope.town_ids)
    workers = GridWorker.objects.filter(is_active=True, town_id__in=scope.town_ids)
    return _counts(
        grids=grids,
        grid_workers=workers,
        full_time=workers.filter(kind=WorkerKind.FULL_TIME),
        part_time=workers.filter(kind=WorkerKind.PART_TIME),
        deputies_in_grids=Deputy.objects.filter(_serving(period.as_of), grids__in=grids).values("pk").distinct(),
    )


def deputies_section(period: Period, scope: Scope) -> dict[str, int]:
    """METRICS ``deputies``: deputies serving at as-of: all, district-level (区人大代表), town-level
    (镇人大代表); their reports to voters, the contact records, those without a presidium contact and
    those below their voter target. One statement for the counts, one for the voter target."""
    from renda.liaison import selectors as liaison

    towns, end = scope.town_ids, min(period.to, period.as_of)
    serving = Deputy.objects.filter(_serving(period.as_of), town_id__in=towns)
    counts = _counts(
        total=serving, district=serving.filter(level=DeputyLevel.DISTRICT),
        town=serving.filter(level=DeputyLevel.TOWN), reports_to_voters=_reports_to_voters(period, scope),
        # liaison (联系群众): voter and presidium contact records dated in [from, to] (up to as-of),
        # the serving deputies with no presidium contact in it
        voter_contacts=liaison.voter_contact_records(towns, period.from_, end),
        presidium_contacts=liaison.presidium_contact_records(towns, period.from_, end),
        without_contact=liaison.without_contact_at(towns, period.from_, period.to, period.as_of))
    # and those whose voter contacts are below their town's target pro rata (``liaison.targets``)
    below = len(liaison.below_voter_target(towns, period.from_, period.to, period.as_of))
    return {"total": counts["total"], "district": counts["district"], "town": counts["town"],
            "reports_to_voters": counts["reports_to_voters"], "voter_contacts": counts["voter_contacts"],
            "presidium_contacts": counts["presidium_contacts"], "without_contact": counts["without_contact"],
            "below_voter_target": below}


# --- liaison (联系群众): contact-station receptions (the liaison app) ------------------------------


def _receptions(period: Period, scope: Scope) -> QuerySet[Any]:
    from renda.liaison import selectors as liaison

    return liaison.receptions_in(scope.town_ids, period.from_, min(period.to, period.as_of))


def receptions_count(period: Period, scope: Scope) -> int:
    """METRICS ``activities.receptions``: contact-station reception records dated in [from, to]."""
    return _receptions(period, scope).count()


# --- everything -----------------------------------------------------------------------------


section("suggestions", order=100)(suggestions_section)
section("petitions", order=200)(petitions_section)
section("grids", order=300)(grids_section)
section("deputies", order=400)(deputies_section)



# --- projects (民生实事) -----------------------------------------------------------------------


def projects_section(period: Period, scope: Scope) -> dict[str, Any]:
    """METRICS ``projects``: the projects of the year(s) [from, to] touches, adopted by as-of; the
    votes and evaluations at sessions held in [from, to]; money summed in Decimal yuan (two places),
    printed as JSON numbers."""
    from decimal import Decimal

    from renda.projects import rules as project_rules
    from renda.projects import selectors as project_selectors
    from renda.projects.models import STAGE_ORDER, Candidate, Grade, Inspection, Project

    as_of, end = period.as_of, min(period.to, period.as_of)
    towns = scope.town_ids
    voted = Candidate.objects.filter(
        town_id__in=towns, candidate_list__session__starts_on__gte=period.from_,
        candidate_list__session__starts_on__lte=end, candidate_list__vote_round__isnull=False)
    projects = Project.objects.filter(town_id__in=towns, year__gte=period.from_.year, year__lte=period.to.year,
                                      adopted_on__lte=as_of)
    # the projects read once (with their stages), each with its ``overdue_stages`` test
    rows = list(projects.annotate(late=ExpressionWrapper(project_selectors.overdue_stage_q(as_of),
                                                         output_field=BooleanField()))
                .prefetch_related("stages"))
    by_stage = dict.fromkeys([*STAGE_ORDER, "done"], 0)
    for p in rows:
        stages = [_StageAt(s, as_of) for s in p.stages.all()]
        by_stage[project_rules.current_stage(stages, STAGE_ORDER)] += 1

    def money(field: str) -> float:
        total = project_rules.total(getattr(p, field) for p in rows)
        return float(total.quantize(Decimal("0.01")))

    evaluated = Project.objects.filter(town_id__in=towns, evaluated_on__lte=as_of).filter(
        Q(evaluation_session__starts_on__gte=period.from_, evaluation_session__starts_on__lte=end)
        | Q(evaluation_session__isnull=True, evaluated_on__gte=period.from_, evaluated_on__lte=end))
    grades = dict.fromkeys(Grade.values, 0)
    n_evaluated = 0
    for row in evaluated.order_by().values("grade").annotate(n=Count("pk")):
        n_evaluated += row["n"]
        if row["grade"] in grades:
            grades[row["grade"]] = row["n"]
    counts = _counts(candidates=voted, adopted=voted.filter(state="adopted"),
                     inspections=Inspection.deputies.through.objects.filter(
                         inspection__project__in=projects, inspection__on__gte=period.from_,
                         inspection__on__lte=end))
    return {
        "candidates": counts["candidates"],
        "adopted": counts["adopted"],
        "count": len(rows),
        "by_stage": {k: n for k, n in by_stage.items() if n},  # open-ended: empty groups left out
        "budget_total": money("budget"),
        "bid_total": money("bid_price"),
        "paid_total": money("paid"),
        "overdue_stages": sum(1 for p in rows if p.late),
        "evaluated": n_evaluated,
        "grades": grades,
        "deputy_inspections": counts["inspections"],
    }


class _StageAt:
    """A project stage as it stood at as-of (dates after as-of not yet happened)."""

    def __init__(self, s: Any, as_of: dt.date) -> None:
        self.stage: str = s.stage
        self.planned_start: dt.date | None = s.planned_start
        self.planned_end: dt.date | None = s.planned_end
        self.actual_start: dt.date | None = s.actual_start if s.actual_start and s.actual_start <= as_of else None
        self.actual_end: dt.date | None = s.actual_end if s.actual_end and s.actual_end <= as_of else None


section("projects", order=500)(projects_section)


@replica_reads()
def stats(period: Period, scope: Scope) -> dict[str, Any]:
    """The whole object ``renda stats --format json`` prints: the period, then every registered
    section (these four, and each app's ``stats.py``; see renda.core.stats) in order."""
    out: dict[str, Any] = {"period": {**period.as_dict(), **scope.as_dict()}}
    for s in sections():
        out[s.key] = s.compute(period, scope)
    return out


# --- duties (履职活动, 述职评议): the activities section and deputies.reports_to_voters ----------------


def activities_section(period: Period, scope: Scope) -> dict[str, Any]:
    """METRICS ``activities``: activities held (held or
    archived) dated in [from, to] and on or before as-of; by type (empty types left out); the
    deputies' attendances (person-times); the contact stations' receptions (liaison)."""
    end = min(period.to, period.as_of)
    held = Activity.objects.filter(town_id__in=scope.town_ids, on__gte=period.from_, on__lte=end,
                                   state__in=list(DUTY_COUNTED))
    by_type = {row["type"]: row["n"] for row in held.order_by().values("type").annotate(n=Count("pk"))
               .order_by("type") if row["n"]}
    counts = _counts(attendances=Participation.objects.filter(activity__in=held, attendance=Attendance.ATTENDED),
                     receptions=_receptions(period, scope))
    return {"total": sum(by_type.values()), "by_type": by_type, "deputy_attendances": counts["attendances"],
            "receptions": counts["receptions"]}


def _reports_to_voters(period: Period, scope: Scope) -> QuerySet[VoterReport]:
    end = min(period.to, period.as_of)
    return VoterReport.objects.filter(town_id__in=scope.town_ids, meeting_on__gte=period.from_, meeting_on__lte=end,
                                      state__in=[ReportState.RATED, ReportState.FILED])


def reports_to_voters(period: Period, scope: Scope) -> int:
    """Deputies' reports to voters (述职) held (rated or filed) with the meeting in [from, to]."""
    return _reports_to_voters(period, scope).count()


section("activities", order=450)(activities_section)


# --- dashboards: the breakdowns (by town, unit, grid) over the same facts ------------------------
#
# METRICS.md defines the indicators over a scope; the dashboards also show them per town, per lead
# unit and per grid. These are the same counts of the same ``SuggestionFacts`` grouped another way
# (each column sums to the section's number), and the rates are recomputed from the counts the same
# way: no page counts on its own.


def _tally(groups: Iterable[_Group]) -> dict[str, Any]:
    """The key figures of some groups of facts: counts, and the rates over them."""
    n = dict.fromkeys(("received", "assigned", "closed", "on_time_closed", "overdue_open", "evaluated", "satisfied"),
                      0)
    for g in groups:
        n["received"] += g.received
        n["assigned"] += g.received if g.unit_key is not None else 0
        n["closed"] += g.closed
        n["on_time_closed"] += g.on_time_closed
        n["overdue_open"] += g.overdue_open
        n["evaluated"] += g.evaluated
        n["satisfied"] += g.satisfied
    return {**n, "closure_rate": rate(n["closed"], n["received"]),
            "on_time_rate": rate(n["on_time_closed"], n["closed"]),
            "satisfaction_rate": rate(n["satisfied"], n["evaluated"])}


def suggestions_by_town(facts: SuggestionFacts, towns: Iterable[Region]) -> dict[int, dict[str, Any]]:
    """Per town (every one of ``towns``, zeros included): received, assigned, closed, on-time,
    overdue, evaluated and satisfied items of S, with the closure, on-time and satisfaction rates.
    For a town the same numbers as ``suggestions_section`` of that town alone."""
    grouped: dict[int, list[_Group]] = defaultdict(list)
    for g in facts.groups:
        if g.town_id is not None:
            grouped[g.town_id].append(g)
    return {t.pk: _tally(grouped.get(t.pk, [])) for t in towns}


def suggestions_by_unit(facts: SuggestionFacts) -> list[dict[str, Any]]:
    """Per lead unit at as-of: ``by_unit`` of the section (same order, same counts) with the unit's
    closure rate (closed / assigned), on-time rate, evaluated items and satisfaction rate."""
    grouped: dict[tuple[int, str], list[_Group]] = defaultdict(list)
    for g in facts.groups:
        if g.unit_key is not None:
            grouped[g.unit_key].append(g)
    rows = []
    for (town_id, name), groups in grouped.items():
        t = _tally(groups)
        rows.append({"unit": name, "town_id": town_id, **t, "closure_rate": rate(t["closed"], t["assigned"])})
    rows.sort(key=lambda r: (-r["assigned"], r["unit"], r["town_id"]))
    return rows


def suggestions_by_grid(facts: SuggestionFacts) -> dict[int | None, dict[str, Any]]:
    """Per grid of the items (None: no grid): the key figures of ``suggestions_by_town``. The facts
    must have been read with ``grids=True``."""
    grouped: dict[int | None, list[_Group]] = defaultdict(list)
    for g in facts.groups:
        grouped[g.grid_id].append(g)
    return {grid: _tally(groups) for grid, groups in grouped.items()}


def grid_table(period: Period, scope: Scope, facts: SuggestionFacts, *,
               grid_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The grid table: per grid in use (or the given ones), its grid workers and deputies serving at
    as-of, the suggestions of S reported in it (received, closed; ``facts`` read with ``grids=True``),
    the petitions registered in the period, the risks registered and resolved in it. A fixed number
    of queries."""
    from renda.petitions.models import Petition
    from renda.risks.models import Risk

    end = min(period.to, period.as_of)
    grids = Region.objects.filter(level=Level.GRID, is_active=True, town_id__in=scope.town_ids)
    if grid_ids is not None:
        grids = grids.filter(pk__in=list(grid_ids))
    grids = grids.select_related("parent").order_by("town_id", "code").annotate(
        workers=Count("grid_workers", filter=Q(grid_workers__is_active=True), distinct=True))
    deputies = dict(Deputy.objects.filter(_serving(period.as_of), grids__in=grids).order_by()
                    .values("grids").annotate(n=Count("pk", distinct=True)).values_list("grids", "n"))
    petitions = dict(Petition.objects.filter(grid__in=grids, registered_on__gte=period.from_, registered_on__lte=end)
                     .order_by().values("grid").annotate(n=Count("pk")).values_list("grid", "n"))
    risks = Risk.objects.filter(grid__in=grids).order_by()
    registered = dict(risks.registered_between(period.from_, end).values("grid").annotate(n=Count("pk"))
                      .values_list("grid", "n"))
    resolved = dict(risks.resolved_between(period.from_, end).values("grid").annotate(n=Count("pk"))
                    .values_list("grid", "n"))
    by_grid = suggestions_by_grid(facts)
    rows = []
    for grid in grids:
        s = by_grid.get(grid.pk, {})
        rows.append({"grid": grid.name, "grid_id": grid.pk, "village": grid.parent.name if grid.parent else "",
                     "workers": grid.workers, "deputies": deputies.get(grid.pk, 0),
                     "suggestions": s.get("received", 0), "suggestions_closed": s.get("closed", 0),
                     "petitions": petitions.get(grid.pk, 0), "risks_registered": registered.get(grid.pk, 0),
                     "risks_resolved": resolved.get(grid.pk, 0)})
    return rows


def deputies_without_contact(period: Period, scope: Scope) -> list[Deputy]:
    """The deputies counted by ``deputies.without_contact``: serving at as-of, no presidium contact
    dated in [from, min(to, as-of)]; by name."""
    from renda.liaison import selectors as liaison

    return list(liaison.without_contact_at(scope.town_ids, period.from_, period.to, period.as_of))


def town_comparison(period: Period, towns: Sequence[Region]) -> dict[str, Any]:
    """Every town side by side (the district view and the district viewer's home): per town the
    suggestion figures of ``suggestions_by_town`` (one read of the facts for all towns) and the
    petitions section's received, overdue and resolved risks; and the district's, its rates
    recomputed from the sums. Queries: one facts read, then the petitions section per town."""
    district = Scope(tuple(towns), None)
    facts = suggestion_facts(period, district)
    by_town = suggestions_by_town(facts, towns)
    rows = []
    for t in towns:
        p = petitions_section(period, Scope((t,), t))
        rows.append({"town": t, **by_town[t.pk], "petitions": p["received"], "petitions_overdue": p["overdue_open"],
                     "risks_resolved": p["risks_resolved"]})
    total = {**_tally(facts.groups), **{k: sum(r[k] for r in rows)
                                        for k in ("petitions", "petitions_overdue", "risks_resolved")}}
    return {"rows": rows, "total": total}


#: The indicators a ranking may use, and whether a larger value ranks higher.
RANKABLE = {"closure_rate": True, "on_time_rate": True, "satisfaction_rate": True, "received": True,
            "overdue_open": False, "petitions_overdue": False}


def rank(rows: Sequence[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """``rows`` ordered by ``key`` (best first; see ``RANKABLE``), each with its ``rank``: equal
    values share a rank and the next one skips (1, 1, 3); a row without a value (a rate with no
    denominator: a town with no data) has no rank (None) and comes last, in the given order."""
    higher = RANKABLE[key]
    valued = [r for r in rows if r.get(key) is not None]
    empty = [r for r in rows if r.get(key) is None]
    valued = sorted(valued, key=lambda r: -r[key] if higher else r[key])
    out: list[dict[str, Any]] = []
    for i, r in enumerate(valued):
        same = out and out[-1][key] == r[key]
        out.append({**r, "rank": out[-1]["rank"] if same else i + 1})
    return out + [{**r, "rank": None} for r in empty]


def deputy_figures(period: Period, deputy: Deputy) -> dict[str, int]:
    """One deputy's own figures (a deputy's dashboard), by the definitions of the sections restricted
    to them: suggestions they led registered in the period (received; closed by as-of), activities
    attended (``activities.deputy_attendances``), voter contacts and presidium contacts received
    (``deputies``), their reports to voters held (``deputies.reports_to_voters``)."""
    from renda.liaison.models import PresidiumContact, VoterContact

    as_of, end = period.as_of, min(period.to, period.as_of)
    exits = Transition.objects.filter(action__in=list(_EXIT), to_state__in=list(_EXIT.values()),
                                      on__lte=as_of).values("suggestion_id")
    led = (Suggestion.objects.filter(lead_deputy=deputy, registered_at__gte=period.from_, registered_at__lte=end)
           .exclude(pk__in=exits).aggregate(received=Count("pk"), closed=Count("pk", filter=Q(closed_at__lte=as_of))))
    held = Activity.objects.filter(on__gte=period.from_, on__lte=end, state__in=list(DUTY_COUNTED))
    return {
        "suggestions": led["received"],
        "suggestions_closed": led["closed"],
        "attendances": Participation.objects.filter(deputy=deputy, activity__in=held,
                                                    attendance=Attendance.ATTENDED).count(),
        "voter_contacts": VoterContact.objects.filter(deputy=deputy, on__gte=period.from_, on__lte=end).count(),
        "presidium_contacts": PresidiumContact.objects.filter(deputy=deputy, on__gte=period.from_,
                                                              on__lte=end).count(),
        "reports_to_voters": VoterReport.objects.filter(deputy=deputy, meeting_on__gte=period.from_,
                                                        meeting_on__lte=end,
                                                        state__in=[ReportState.RATED, ReportState.FILED]).count(),
    }
# --- the lists a work report names (the items behind the counts above) --------------------------


def _suggestions_in_s(period: Period, scope: Scope) -> Any:
    """The items of S (registered in [from, min(to, as-of)], not withdrawn or merged by as-of)."""
    end = min(period.to, period.as_of)
    exits = Transition.objects.filter(
        Q(action=Action.WITHDRAW, to_state=State.WITHDRAWN) | Q(action=Action.MERGE, to_state=State.MERGED),
        on__lte=period.as_of).values("suggestion_id")
    return (Suggestion.objects.filter(town_id__in=scope.town_ids, registered_at__gte=period.from_,
                                      registered_at__lte=end).exclude(pk__in=exits))


def open_suggestions(period: Period, scope: Scope) -> list[dict[str, Any]]:
    """The items of S not closed by as-of (``suggestions.open`` of them), oldest first: code,
    title and the lead unit's name (as the row stands)."""
    qs = (_suggestions_in_s(period, scope).exclude(closed_at__lte=period.as_of)
          .order_by("registered_at", "pk").values("code", "title", "lead_unit__name"))
    return [{"code": r["code"], "title": r["title"], "unit": r["lead_unit__name"] or ""} for r in qs]


def key_suggestions(period: Period, scope: Scope) -> list[dict[str, Any]]:
    """The items of S under key supervision at as-of (``suggestions.key_supervised`` of them)."""
    qs = (_suggestions_in_s(period, scope).filter(key_supervision=True, key_supervision_since__lte=period.as_of)
          .order_by("registered_at", "pk").values("code", "title", "closed_at"))
    return [{"code": r["code"], "title": r["title"],
             "closed": r["closed_at"] is not None and r["closed_at"] <= period.as_of} for r in qs]


def projects_list(period: Period, scope: Scope) -> list[dict[str, Any]]:
    """The projects of ``projects.count``, each with its stage at as-of (``by_stage``), budget and
    bid price (Decimal yuan, None when not recorded), in the order of their codes."""
    from renda.projects import rules as project_rules
    from renda.projects.models import STAGE_ORDER, Project, Stage

    labels = {**{s.value: str(s.label) for s in Stage}, "done": _("已完成")}
    projects = Project.objects.filter(town_id__in=scope.town_ids, year__gte=period.from_.year,
                                      year__lte=period.to.year, adopted_on__lte=period.as_of)
    out = []
    for p in projects.prefetch_related("stages").select_related("town").order_by("code"):
        stage = project_rules.current_stage([_StageAt(s, period.as_of) for s in p.stages.all()], STAGE_ORDER)
        out.append({"code": p.code, "title": p.title, "town": p.town.name, "stage": stage,
                    "stage_label": labels.get(stage, stage), "budget": p.budget, "bid_price": p.bid_price})
    return out
# --- information (信息与荣誉): the presidium's information items and the honours (duties.Award) ------


def information_section(period: Period, scope: Scope) -> dict[str, int]:
    """METRICS ``information``: information items submitted in [from, to] (up to as-of), those of
    them adopted by as-of, and the honours received in [from, to] (the presidium's, the office's
    and the deputies')."""
    from renda.presidium import selectors as presidium

    end = min(period.to, period.as_of)
    items = presidium.info_items_in(scope.town_ids, period.from_, end)
    return _counts(submitted=items, adopted=presidium.adopted_by(items, period.as_of),
                   honours=presidium.honours_in(scope.town_ids, period.from_, end))


section("information", order=700)(information_section)
# --- motions (议案) ------------------------------------------------------------------------------


def motions_section(period: Period, scope: Scope) -> dict[str, int]:
    """METRICS ``motions``: M = motions submitted (by the presidium or jointly by deputies, on or
    before as-of) at sessions held (opened) in [from, to]; of those, put on the session's agenda
    and treated as suggestions by a decision dated on or before as-of; ``resolved``: adopted
    motions whose resolution's follow-up is finished by as-of. Withdrawn motions are left out."""
    from renda.motions.models import Decision, Motion

    as_of, end = period.as_of, min(period.to, period.as_of)
    as_of_end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    m = Motion.objects.filter(town_id__in=scope.town_ids, session__starts_on__gte=period.from_,
                              session__starts_on__lte=end, submitted_at__lt=as_of_end).exclude(state="withdrawn")
    return m.aggregate(
        submitted=Count("pk"),
        on_agenda=Count("pk", filter=Q(decision=Decision.ON_AGENDA, decided_on__lte=as_of)),
        as_suggestions=Count("pk", filter=Q(decision=Decision.AS_SUGGESTION, decided_on__lte=as_of)),
        resolved=Count("pk", filter=Q(resolution_on__lte=as_of, finished_on__lte=as_of)),
    )


section("motions", order=470)(motions_section)
