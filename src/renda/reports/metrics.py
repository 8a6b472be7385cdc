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

The suggestion section reads a handful of narrow queries (the items of the period, their
deadline-setting transitions, approved extensions, replies and evaluations up to as-of) and
tallies them in one pass; the number of queries does not grow with the number of items.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
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
    Transition,
)
from renda.suggestions.workflow import Action, State

# --- period ---------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})H([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2023`` · ``2023H1`` · ``2023Q3`` · ``2023-07`` → (first day, last day)."""
    value = (text or "").strip()
    if m := _YEAR.match(value):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if m := _HALF.match(value):
        year, half = int(m[1]), int(m[2])
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1),
                                                                              dt.date(year, 12, 31))
    if m := _QUARTER.match(value):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * quarter - 2
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if (m := _MONTH.match(value)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return dt.date(year, month, 1), _month_end(year, month)
    raise InvalidInput(_("统计期间「{p}」格式不正确，应为 2023、2023H1、2023Q3 或 2023-07").format(p=value),
                       fields={"period": _("格式不正确")})


@dataclass(frozen=True)
class Period:
    """[from_, to] and the as-of date (only facts dated on or before it count)."""

    from_: dt.date
    to: dt.date
    as_of: dt.date

    @classmethod
    def make(cls, from_: dt.date, to: dt.date, as_of: dt.date | None = None, *,
             today: dt.date | None = None) -> Period:
        """``as_of`` defaults to ``to``, or today (Asia/Shanghai) when ``to`` is in the future."""
        if to < from_:
            raise InvalidInput(_("统计截止日期不能早于起始日期"), fields={"to": _("早于起始日期")})
        if as_of is None:
            as_of = min(to, today or timezone.localdate())
        return cls(from_, to, as_of)

    @classmethod
    def parse(cls, text: str, as_of: dt.date | None = None, *, today: dt.date | None = None) -> Period:
        from_, to = parse_period(text)
        return cls.make(from_, to, as_of, today=today)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.from_.isoformat(), "to": self.to.isoformat(), "as_of": self.as_of.isoformat()}


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


# --- helpers --------------------------------------------------------------------------------

_FOUR = Decimal("0.0001")


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator rounded half-up to 4 decimals; None when the denominator is 0."""
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(_FOUR, rounding=ROUND_HALF_UP))


#: Transitions that move the deadline or the lead unit, or take an item out of S.
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


@dataclass
class _Tally:
    assigned: int = 0
    closed: int = 0
    on_time_closed: int = 0
    overdue_open: int = 0


@dataclass
class SuggestionFacts:
    """The items of S at as-of (and the withdrawn/merged counts): what every suggestion number
    (the section, the monthly series, the dashboard) is tallied from."""

    period: Period
    items: list[_Item] = field(default_factory=list)
    withdrawn: int = 0
    merged: int = 0


def suggestion_facts(period: Period, scope: Scope) -> SuggestionFacts:
    as_of = period.as_of
    in_period = Suggestion.objects.filter(town_id__in=scope.town_ids, registered_at__gte=period.from_,
                                          registered_at__lte=min(period.to, as_of))
    rows = list(
        in_period
        .values("pk", "town_id", "kind", "state", "category__name", "registered_at", "closed_at", "deadline",
                "original_deadline", "assigned_at", "lead_unit_id", "lead_unit__name", "key_supervision",
                "key_supervision_since")
    )
    facts = SuggestionFacts(period)
    if not rows:
        return facts
    # The related rows are selected with the same filter as a subquery, never with a list of ids:
    # a district-wide year holds hundreds of thousands of items (too many SQL parameters).
    ids = in_period.values("pk")

    # Deadline-setting and exit transitions (all of them: the last assignment overall tells whether
    # the one in force at as-of is still on the row).
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (Transition.objects.filter(suggestion_id__in=ids)
              .filter(Q(action__in=_DEADLINE_ACTIONS) | Q(action=Action.WITHDRAW, to_state=State.WITHDRAWN)
                      | Q(action=Action.MERGE, to_state=State.MERGED))
              .order_by("suggestion_id", "on", "id").values("suggestion_id", "action", "on", "id")):
        history[row["suggestion_id"]].append(dict(row))
    extensions: dict[int, list[dt.date]] = defaultdict(list)
    for e in (Extension.objects.filter(suggestion_id__in=ids, status=ExtensionStatus.APPROVED, decided_at__lte=as_of)
              .order_by("suggestion_id", "decided_at", "id").values("suggestion_id", "new_deadline")):
        extensions[e["suggestion_id"]].append(e["new_deadline"])
    last_reply: dict[int, str] = {}
    replies = (Reply.objects.filter(suggestion_id__in=ids, replied_at__lte=as_of)
               .order_by("suggestion_id", "replied_at", "id").values_list("suggestion_id", "reply_class"))
    for sid, reply_class in replies:
        last_reply[sid] = reply_class  # ordered: the latest one wins
    last_eval: dict[int, str] = {}
    for sid, result in (Evaluation.objects.filter(suggestion_id__in=ids, evaluated_at__lte=as_of)
                        .order_by("suggestion_id", "evaluated_at", "id").values_list("suggestion_id", "result")):
        last_eval[sid] = result

    stale: list[tuple[_Item, int]] = []  # assigned at as-of by an assignment no longer on the row
    for r in rows:
        item = _Item(pk=r["pk"], kind=r["kind"], category=r["category__name"], registered_at=r["registered_at"],
                     town_id=r["town_id"],
                     closed_at=r["closed_at"] if r["closed_at"] and r["closed_at"] <= as_of else None,
                     reply_class=last_reply.get(r["pk"]), result=last_eval.get(r["pk"]),
                     key_supervised=bool(r["key_supervision"] and r["key_supervision_since"]
                                         and r["key_supervision_since"] <= as_of))
        events = history.get(r["pk"], [])
        upto = [t for t in events if t["on"] <= as_of]
        exits = [t for t in upto if t["action"] in _EXIT]
        if exits:
            if _EXIT[exits[-1]["action"]] == State.WITHDRAWN:
                facts.withdrawn += 1
            else:
                facts.merged += 1
            continue
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
                approved = extensions.get(r["pk"], [])
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
            stale.append((item, assign_ids.index(in_force["id"])))
        facts.items.append(item)
    _fill_from_audit(stale)
    return facts


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


def suggestions_section(period: Period, scope: Scope, facts: SuggestionFacts | None = None) -> dict[str, Any]:
    """The ``suggestions`` section of METRICS.md, every key."""
    facts = facts or suggestion_facts(period, scope)
    items, as_of = facts.items, period.as_of
    by_kind = {Kind.PUBLIC.value: 0, Kind.DEPUTY.value: 0}
    reply_class = dict.fromkeys(ReplyClass.values, 0)
    satisfaction = dict.fromkeys(Result.values, 0)
    units: dict[tuple[int, str], _Tally] = {}
    categories: dict[str, int] = defaultdict(int)
    n = {"assigned": 0, "replied": 0, "closed": 0, "on_time_closed": 0, "overdue_open": 0, "evaluated": 0,
         "key_supervised": 0, "rehandled": 0}
    for item in items:
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
        if item.category:
            categories[item.category] += 1
        tally = None
        if _assigned(item):
            assert item.unit_key is not None
            n["assigned"] += 1
            tally = units.setdefault(item.unit_key, _Tally())
            tally.assigned += 1
        if item.reply_class is not None:
            n["replied"] += 1
            reply_class[item.reply_class] += 1
        if item.result is not None:
            n["evaluated"] += 1
            satisfaction[item.result] += 1
        n["key_supervised"] += item.key_supervised
        n["rehandled"] += item.rehandled
        closed, on_time, overdue = item.closed_at is not None, _on_time(item), _overdue(item, as_of)
        n["closed"] += closed
        n["on_time_closed"] += on_time
        n["overdue_open"] += overdue
        if tally is not None:
            tally.closed += closed
            tally.on_time_closed += on_time
            tally.overdue_open += overdue
    received = len(items)
    # assigned descending, then the name in Unicode code-point order (Python's str order)
    ordered = sorted(units.items(), key=lambda kv: (-kv[1].assigned, kv[0][1], kv[0][0]))
    by_unit = [{"unit": name, "assigned": t.assigned, "closed": t.closed, "on_time_closed": t.on_time_closed,
                "overdue_open": t.overdue_open} for (_town, name), t in ordered]
    return {
        "received": received,
        "by_kind": by_kind,
        "assigned": n["assigned"],
        "replied": n["replied"],
        "closed": n["closed"],
        "open": received - n["closed"],
        "closure_rate": rate(n["closed"], received),
        "on_time_closed": n["on_time_closed"],
        "on_time_rate": rate(n["on_time_closed"], n["closed"]),
        "overdue_open": n["overdue_open"],
        "reply_class": reply_class,
        "resolved_rate": rate(reply_class[ReplyClass.A.value], n["replied"]),
        "evaluated": n["evaluated"],
        "satisfaction": satisfaction,
        "satisfaction_rate": rate(satisfaction[Result.SATISFIED.value]
                                  + satisfaction[Result.BASICALLY_SATISFIED.value], n["evaluated"]),
        "key_supervised": n["key_supervised"],
        "rehandled": n["rehandled"],
        "withdrawn": facts.withdrawn,
        "merged": facts.merged,
        "by_unit": by_unit,
        "by_category": dict(sorted(categories.items())),
    }


def suggestions_by_month(period: Period, scope: Scope, facts: SuggestionFacts | None = None) -> list[dict[str, Any]]:
    """Per month: items of S registered that month, and items of S closed that month (on or before
    as-of); the months run from ``from`` to the later of ``to`` and as-of. The ``closed`` column
    sums to the section's ``closed``, the ``registered`` column to ``received``."""
    facts = facts or suggestion_facts(period, scope)
    last = max(period.to, period.as_of)
    months: list[str] = []
    y, m = period.from_.year, period.from_.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    registered: dict[str, int] = defaultdict(int)
    closed: dict[str, int] = defaultdict(int)
    for item in facts.items:
        registered[item.registered_at.strftime("%Y-%m")] += 1
        if item.closed_at is not None:
            closed[item.closed_at.strftime("%Y-%m")] += 1
    return [{"month": k, "registered": registered.get(k, 0), "closed": closed.get(k, 0)} for k in months]


# --- grids and deputies ---------------------------------------------------------------------


def _serving(as_of: dt.date) -> Q:
    return (Q(is_active=True) & (Q(serving_from__isnull=True) | Q(serving_from__lte=as_of))
            & (Q(serving_to__isnull=True) | Q(serving_to__gte=as_of)))


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
    counts = p.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_on__lte=as_of)),
        declined=Count("pk", filter=Q(declined_on__lte=as_of)),
        closed=Count("pk", filter=Q(opinion_on__lte=as_of)),
    )
    by_channel = dict.fromkeys(CHANNELS, 0)
    for channel, n in p.order_by().values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"):
        by_channel[channel] = n
    shifts = shift_selectors.attended_count(town_ids=towns, start=period.from_, end=end)
    risks = Risk.objects.filter(town_id__in=towns)
    resolved = risks.resolved_between(period.from_, end)
    return {
        "received": counts["received"],
        "by_channel": by_channel,
        "letters_reviewed": petition_selectors.letters_reviewed(p, as_of).count(),
        "accepted": counts["accepted"],
        "declined": counts["declined"],
        "closed": counts["closed"],
        "overdue_open": petition_selectors.overdue_open_count(p, as_of),
        "duty_shifts": shifts,
        "risks_registered": risks.registered_between(period.from_, end).count(),
        "risks_resolved": resolved.count(),
        "risks_resolved_with_deputies": resolved.with_deputies().count(),
    }


# --- grids ------------------------------------------------------------------------------------


def grids_section(period: Period, scope: Scope) -> dict[str, int]:
    """Grids in use, grid workers serving, distinct deputies assigned to a grid in use.

    Regions and grid workers keep no dated history (they are deactivated, not ended on a date),
    so "at as-of" is their current state; deputies use their serving dates."""
    grids = Region.objects.filter(level=Level.GRID, is_active=True, town_id__in=scope.town_ids)
    workers = GridWorker.objects.filter(is_active=True, town_id__in=scope.town_ids).aggregate(
        total=Count("pk"), full_time=Count("pk", filter=Q(kind=WorkerKind.FULL_TIME)),
        part_time=Count("pk", filter=Q(kind=WorkerKind.PART_TIME)))
    deputies = (Deputy.objects.filter(_serving(period.as_of), grids__in=grids).values("pk").distinct().count())
    return {
        "grids": grids.count(),
        "grid_workers": workers["total"],
        "full_time": workers["full_time"],
        "part_time": workers["part_time"],
        "deputies_in_grids": deputies,
    }


def deputies_section(period: Period, scope: Scope) -> dict[str, int]:
    """Deputies serving at as-of: all, district-level (区人大代表), town-level (镇人大代表)."""
    counts = Deputy.objects.filter(_serving(period.as_of), town_id__in=scope.town_ids).aggregate(
        total=Count("pk"), district=Count("pk", filter=Q(level=DeputyLevel.DISTRICT)),
        town=Count("pk", filter=Q(level=DeputyLevel.TOWN)))
    return {"total": counts["total"], "district": counts["district"], "town": counts["town"]}


# --- everything -----------------------------------------------------------------------------


def stats(period: Period, scope: Scope) -> dict[str, Any]:
    """The whole object ``renda stats --format json`` prints."""
    return {
        "period": {**period.as_dict(), **scope.as_dict()},
        "suggestions": suggestions_section(period, scope),
        "petitions": petitions_section(period, scope),
        "grids": grids_section(period, scope),
        "deputies": deputies_section(period, scope),
    }
