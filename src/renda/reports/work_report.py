"""The work report draft (工作报告初稿) of a town for a period, and the district report.

The draft follows the town's own half-year report (shared/seed): the title and the line under it
from the session record, 各位代表, the review in four parts (political leadership; the central
tasks: grids and petitions, rural revitalization; the deputies' role: livelihood projects,
opinions collected and handled, judicial witness; self-building: rules, suggestion handling and
key supervision), the shortcomings suggested from data, the plan for the next period, and an
attachment (附件) that tables every indicator the sentences use with its definition.

Every number is an indicator of ``reports.metrics`` (the same object ``renda stats`` prints) and
every list comes from the list functions next to them there; the sentences are the passages in
``templates/reports/work_report/`` (``draft.passage``). Narrative passages are placeholders for
the office. Parts whose data lives in apps this module cannot see yet take plain data through
one function each (``information_data``, ``division_of_duties_data``, ``plan_tasks_data``,
``motions_data``) and say plainly that the data is not recorded while those return None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import stats as core_stats
from renda.core.documents import DOCX_TYPE, cn_date
from renda.core.replica import replica_reads
from renda.reports import metrics
from renda.reports.draft import Draft
from renda.reports.forms import period_label

Progress = Callable[[int], None]

#: Below this satisfaction rate the draft names low satisfaction as a shortcoming.
SATISFACTION_FLOOR = 0.9

#: Every indicator a report may cite: (label, definition as METRICS.md gives it).
INDICATORS: dict[str, tuple[Any, Any]] = {
    "petitions.duty_shifts": (gettext_lazy("信访值班"), gettext_lazy(
        "期间内主席团成员参加信访值班的人次")),
    "petitions.letters_reviewed": (gettext_lazy("阅批群众来信"), gettext_lazy(
        "期间内登记的来信中，截至日前有主席团阅批意见的件数")),
    "petitions.received": (gettext_lazy("登记信访件"), gettext_lazy("期间内登记的信访件数")),
    "petitions.closed": (gettext_lazy("出具处理意见"), gettext_lazy(
        "期间内登记、截至日前出具处理意见的信访件数")),
    "petitions.risks_resolved": (gettext_lazy("化解信访隐患"), gettext_lazy("期间内化解的信访隐患数")),
    "petitions.risks_resolved_with_deputies": (gettext_lazy("代表参与化解隐患"), gettext_lazy(
        "期间内化解的信访隐患中，至少一名代表参与的起数")),
    "grids.grids": (gettext_lazy("网格"), gettext_lazy("截至日在用的网格数")),
    "grids.grid_workers": (gettext_lazy("网格员"), gettext_lazy("截至日在岗的网格员人数")),
    "grids.full_time": (gettext_lazy("专职网格员"), gettext_lazy("截至日在岗的专职网格员人数")),
    "grids.part_time": (gettext_lazy("兼职网格员"), gettext_lazy("截至日在岗的兼职网格员人数")),
    "grids.deputies_in_grids": (gettext_lazy("纳入网格的代表"), gettext_lazy(
        "截至日在任、编入至少一个网格的代表人数")),
    "activities.by_type.research": (gettext_lazy("调研"), gettext_lazy("期间内开展的调研活动次数")),
    "activities.by_type.inspection": (gettext_lazy("视察"), gettext_lazy("期间内开展的视察活动次数")),
    "activities.by_type.law_inspection": (gettext_lazy("执法检查"), gettext_lazy("期间内开展的执法检查次数")),
    "activities.by_type.judicial_witness": (gettext_lazy("司法见证"), gettext_lazy(
        "期间内代表参加的司法见证活动次数")),
    "activities.by_type.symposium": (gettext_lazy("座谈会"), gettext_lazy("期间内代表参加的座谈会次数")),
    "activities.receptions": (gettext_lazy("联络站接待"), gettext_lazy("期间内代表联络站的接待记录数")),
    "projects.count": (gettext_lazy("民生实事项目"), gettext_lazy(
        "期间所在年度票决确定的民生实事项目数（截至日前确定）")),
    "projects.budget_total": (gettext_lazy("项目预算合计"), gettext_lazy("上述项目预算总造价之和")),
    "projects.bid_total": (gettext_lazy("项目中标价合计"), gettext_lazy("上述项目中标价之和")),
    "projects.overdue_stages": (gettext_lazy("阶段超期项目"), gettext_lazy(
        "截至日有阶段超过计划时间仍未完成的项目数")),
    "projects.deputy_inspections": (gettext_lazy("代表视察项目"), gettext_lazy(
        "期间内代表视察检查上述项目的人次")),
    "suggestions.received": (gettext_lazy("收集意见建议"), gettext_lazy(
        "期间内登记的意见建议（不含撤回、合并）")),
    "suggestions.closed": (gettext_lazy("已办结"), gettext_lazy("其中截至日前办结的件数")),
    "suggestions.open": (gettext_lazy("未办结"), gettext_lazy("收集数减办结数")),
    "suggestions.closure_rate": (gettext_lazy("办结率"), gettext_lazy("办结数 ÷ 收集数")),
    "suggestions.overdue_open": (gettext_lazy("超期未办结"), gettext_lazy(
        "截至日未办结且已过办理期限的件数")),
    "suggestions.key_supervised": (gettext_lazy("重点督办建议"), gettext_lazy("其中列为重点督办的件数")),
    "suggestions.evaluated": (gettext_lazy("满意度测评"), gettext_lazy("截至日前有满意度测评的件数")),
    "suggestions.satisfaction_rate": (gettext_lazy("满意率"), gettext_lazy(
        "（满意 + 基本满意）÷ 测评件数，以最近一次测评为准")),
    "suggestions.resolved_rate": (gettext_lazy("问题解决率"), gettext_lazy(
        "最近一次答复为 A 类（已经解决或基本解决）的件数 ÷ 已答复件数")),
    "deputies.total": (gettext_lazy("在任代表"), gettext_lazy("截至日在任的代表人数")),
    "deputies.voter_contacts": (gettext_lazy("代表联系选民"), gettext_lazy("期间内代表联系选民的记录数")),
    "deputies.presidium_contacts": (gettext_lazy("主席团联系代表"), gettext_lazy(
        "期间内主席团成员联系代表的记录数")),
    "deputies.without_contact": (gettext_lazy("未被联系的代表"), gettext_lazy(
        "在任代表中，期间内没有主席团成员联系记录的人数")),
    "deputies.below_voter_target": (gettext_lazy("联系选民未达标的代表"), gettext_lazy(
        "在任代表中，期间内联系选民次数低于全镇目标（按时间折算）的人数")),
    "deputies.reports_to_voters": (gettext_lazy("代表述职"), gettext_lazy("期间内举行的代表向选民述职人次")),
    "information.submitted": (gettext_lazy("报送信息"), gettext_lazy("期间内向区人大及以上报送的信息条数")),
    "information.adopted": (gettext_lazy("信息被采用"), gettext_lazy("其中截至日前被采用（采编或刊发）的条数")),
    "motions.submitted": (gettext_lazy("代表议案"), gettext_lazy(
        "期间内召开的人代会上提出的议案数（主席团提出或代表联名提出）")),
    "motions.on_agenda": (gettext_lazy("列入议程的议案"), gettext_lazy("其中截至日前决定列入会议议程的件数")),
    "motions.as_suggestions": (gettext_lazy("作为建议处理的议案"), gettext_lazy(
        "其中截至日前决定作为代表建议处理的件数")),
}


def value_at(data: dict[str, Any], key: str) -> Any:
    """``renda stats``'s value at the dotted ``key`` (a missing group of an open-ended object is 0)."""
    node: Any = data
    for part in key.split("."):
        node = node.get(part, 0) if isinstance(node, dict) else 0
    return node


def percent(value: float | None) -> str:
    return "—" if value is None else f"{Decimal(str(value)) * 100:.2f}%"


def wan(yuan: Decimal | float | None) -> str | None:
    """Yuan as 万元 with two decimals (the unit of the town's report)."""
    if yuan is None:
        return None
    return str((Decimal(str(yuan)) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class Cited:
    """The stats object and the keys the sentences used, in order of first use."""

    data: dict[str, Any]
    keys: list[str] = field(default_factory=list)

    def __call__(self, key: str) -> Any:
        if key not in INDICATORS:
            raise KeyError(key)
        if key not in self.keys:
            self.keys.append(key)
        return value_at(self.data, key)


# --- the presidium's records and the motions: plain data for the passages; None = not recorded ----


def report_session(period: core_stats.Period, scope: metrics.Scope) -> Any:
    """The town's first congress session that opens after the period: where the report is given."""
    from renda.congress.models import Session

    if scope.town is None:
        return None
    return Session.objects.filter(town=scope.town, starts_on__gt=period.to).order_by("starts_on", "pk").first()


def information_data(period: core_stats.Period, scope: metrics.Scope, cite: Cited) -> dict[str, Any] | None:
    """Information items of the period (numbers from the ``information`` section) and the honours
    received from the period's start to the day the report is given (the next session, when one is
    recorded; otherwise the period's end): the report cites an honour of July at the July session.
    None when the towns record neither information items nor honours at all."""
    from renda.presidium import selectors as presidium

    session = report_session(period, scope)
    until = session.starts_on if session is not None else min(period.to, period.as_of)
    honours = list(presidium.honours_in(scope.town_ids, period.from_, until).order_by("on", "pk"))
    info = presidium.information_for_report(period, scope)
    if not info.items and not honours and not presidium.info_items_in(
            scope.town_ids, dt.date.min, dt.date.max).exists():
        return None  # the towns have never recorded their information work here
    return {"submitted": cite("information.submitted"), "adopted": cite("information.adopted"),
            "items": [{"title": i.title, "on": i.submitted_on} for i in info.items],
            "honours": [{"on": cn_date(h.on), "title": h.title} for h in honours]}


def division_of_duties_data(period: core_stats.Period, scope: metrics.Scope) -> list[dict[str, str]] | None:
    """The presidium members' division of duties of the period's year (职责分工): ``[{"name",
    "duty"}]``, or None when none is recorded."""
    from renda.presidium import selectors as presidium

    if scope.town is None:
        return None
    rows = [{"name": d.member.name, "duty": d.areas}
            for d in presidium.division_of_duties(scope.town, period.from_.year)]
    return rows or None


def _next_halves(period: core_stats.Period) -> list[str]:
    """The half-years after the period: the next half after a half, both halves after a year."""
    from renda.presidium import halves

    kind, year, number = core_stats.period_kind(period.from_, period.to)
    if kind == core_stats.HALF and number is not None:
        return [halves.following(halves.code(year, number))]
    if kind == core_stats.YEAR:
        return [halves.code(year + 1, 1), halves.code(year + 1, 2)]
    return []


def plan_tasks_data(period: core_stats.Period, scope: metrics.Scope) -> list[dict[str, str]] | None:
    """The annual plan's tasks due in the half-years after the period (下半年工作安排):
    ``[{"title", "due"}]``; None when the town has no plan for those years."""
    from renda.presidium import selectors as presidium
    from renda.presidium.models import Plan

    wanted = _next_halves(period)
    if scope.town is None or not wanted:
        return None
    years = {int(h[:4]) for h in wanted}
    if not Plan.objects.filter(town=scope.town, year__in=years).exists():
        return None
    return [{"title": t.text, "due": cn_date(t.due_on) if t.due_on else ""}
            for half in wanted for t in presidium.tasks_for_half(scope.town, half)]


def motions_data(period: core_stats.Period, scope: metrics.Scope, cite: Cited) -> dict[str, Any]:
    """The motions of the period's sessions (numbers from the ``motions`` section, titles from
    ``motions.selectors.motions_for_report``); ``motions`` None when no session of the towns opened
    in the period is recorded (the passage then says so instead of "no motion")."""
    from renda.congress.models import Session
    from renda.motions import selectors as motions

    if not Session.objects.filter(town_id__in=scope.town_ids, starts_on__gte=period.from_,
                                  starts_on__lte=min(period.to, period.as_of)).exists():
        return {"motions": None, "submitted": 0, "on_agenda": 0, "as_suggestions": 0}
    return {"submitted": cite("motions.submitted"), "on_agenda": cite("motions.on_agenda"),
            "as_suggestions": cite("motions.as_suggestions"),
            "motions": [{"title": m.title} for m in motions.motions_for_report(period, scope)]}


# --- the town's draft --------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1–99 in Chinese numerals (二十、十四); larger numbers as digits."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def next_period_label(period: core_stats.Period) -> str:
    kind, year, number = core_stats.period_kind(period.from_, period.to)
    if kind == core_stats.HALF:
        return _("{y}年下半年").format(y=year) if number == 1 else _("{y}年上半年").format(y=year + 1)
    if kind == core_stats.YEAR:
        return _("{y}年").format(y=year + 1)
    return _("下一阶段")


def title_of(period: core_stats.Period, scope: metrics.Scope) -> str:
    where = scope.town.name if scope.town is not None else _("全区各镇街")
    if scope.town is None:
        return _("{where}{period}人大工作情况报告").format(where=where, period=period_label(period))
    return _("{where}{period}人大主席团工作报告").format(where=where, period=period_label(period))


def session_line(period: core_stats.Period, scope: metrics.Scope) -> str:
    """「（YYYY年M月D日在XX镇第X届人民代表大会第X次会议上）」: the town's first session that opens
    after the period; the blanks are left as ×× when none is recorded yet."""
    assert scope.town is not None
    s = report_session(period, scope)
    if s is None:
        return _("（××××年×月×日在{town}第×届人民代表大会第×次会议上）").format(town=scope.town.name)
    return _("（{date}在{town}第{term}届人民代表大会第{number}次会议上）").format(
        date=cn_date(s.starts_on), town=scope.town.name, term=cn_number(s.term), number=cn_number(s.number))


def _titles(items: list[dict[str, Any]], limit: int = 10) -> str:
    names = [f"「{i['title']}」" for i in items[:limit]]
    text = "、".join(names)
    if len(items) > limit:
        text += _("等")
    return text


def _shortcomings(cite: Cited, s: dict[str, Any]) -> list[str]:
    """Shortcomings suggested from the data, in the document's register (one sentence each)."""
    from renda.reports.draft import passage

    found: list[dict[str, Any]] = []
    if cite("deputies.without_contact"):
        found.append({"kind": "without_contact", "n": cite("deputies.without_contact")})
    if cite("deputies.below_voter_target"):
        found.append({"kind": "below_voter_target", "n": cite("deputies.below_voter_target")})
    inspections = cite("activities.by_type.inspection") + cite("activities.by_type.law_inspection")
    if not inspections or not cite("suggestions.key_supervised"):
        found.append({"kind": "weak_supervision", "inspections": inspections,
                      "key": cite("suggestions.key_supervised")})
    if cite("suggestions.overdue_open"):
        units = [u for u in s["by_unit"] if u["overdue_open"]]
        names = "、".join(_("{unit}{n}件").format(unit=u["unit"], n=u["overdue_open"]) for u in units[:5])
        found.append({"kind": "overdue", "units": names, "n": cite("suggestions.overdue_open")})
    rate = cite("suggestions.satisfaction_rate")
    if rate is not None and rate < SATISFACTION_FLOOR:
        found.append({"kind": "satisfaction", "rate": percent(rate)})
    if cite("projects.overdue_stages"):
        found.append({"kind": "projects", "n": cite("projects.overdue_stages")})
    return [" ".join(passage("shortcoming_items", **f)) for f in found]


def _review(draft: Draft, period: core_stats.Period, scope: metrics.Scope, data: dict[str, Any], cite: Cited, *,
            progress: Progress) -> None:
    """Parts 二 to 四 of the review: every passage that carries numbers; for the district (its
    summary) the same parts numbered from 一 and worded for the district's towns (各镇街, 全区)."""
    s = data["suggestions"]
    district = scope.town is None
    central, deputies, self_building = (
        (_("一、聚焦中心大局，更好助力全区经济社会发展"), _("二、聚焦代表履职，充分发挥代表主体作用"),
         _("三、聚焦自身建设，全面提升履职能力水平")) if district else
        (_("二、聚焦中心大局，更好助力全镇经济社会发展"), _("三、聚焦代表履职，充分发挥代表主体作用"),
         _("四、聚焦自身建设，全面提升履职能力水平")))
    draft.heading(central, 1)
    p_keys = ("duty_shifts", "letters_reviewed", "received", "closed")
    p_values: dict[str, Any] = {k: value_at(data, f"petitions.{k}") for k in p_keys}
    no_petitions = not any(p_values.values())
    if not no_petitions:
        p_values = {k: cite(f"petitions.{k}") for k in p_keys}
    grids = cite("grids.grids")
    draft.passage("petitions", district=district, no_petition_data=no_petitions, **p_values, grids=grids,
                  grid_workers=cite("grids.grid_workers") if grids else 0,
                  full_time=cite("grids.full_time") if grids else 0, part_time=cite("grids.part_time") if grids else 0,
                  deputies_in_grids=cite("grids.deputies_in_grids") if grids else 0,
                  risks_resolved=cite("petitions.risks_resolved"),
                  risks_resolved_with_deputies=cite("petitions.risks_resolved_with_deputies"))
    surveys = {k: value_at(data, f"activities.by_type.{k}") for k in ("research", "inspection", "law_inspection")}
    if any(surveys.values()):
        surveys = {k: cite(f"activities.by_type.{k}") for k in surveys}
    draft.passage("rural", surveys=any(surveys.values()), **surveys)
    progress(60)

    draft.heading(deputies, 1)
    projects = metrics.projects_list(period, scope)
    count = cite("projects.count")
    draft.passage("projects", district=district,
                  projects=[{**p, "budget": wan(p["budget"]), "bid_price": wan(p["bid_price"])} for p in projects],
                  count=count, year=period.from_.year,
                  inspections=cite("projects.deputy_inspections") if count else 0)
    if count:
        cite("projects.budget_total")
        cite("projects.bid_total")
    open_items = metrics.open_suggestions(period, scope)
    received = cite("suggestions.received")
    units = "、".join(u["unit"] for u in s["by_unit"][:3])
    draft.passage("opinions", received=received, closed=cite("suggestions.closed") if received else 0,
                  open=cite("suggestions.open") if received else 0, open_items=open_items,
                  open_titles=_titles(open_items), units=units,
                  closure_rate=percent(cite("suggestions.closure_rate")) if received else "",
                  voter_contacts=cite("deputies.voter_contacts"), receptions=cite("activities.receptions"))
    draft.passage("judicial", judicial_witness=cite("activities.by_type.judicial_witness"),
                  symposium=cite("activities.by_type.symposium"))
    motions = motions_data(period, scope, cite)
    draft.passage("motions", **motions)
    progress(75)

    draft.heading(self_building, 1)
    draft.passage("rules", district=district, duties=division_of_duties_data(period, scope),
                  presidium_contacts=cite("deputies.presidium_contacts"), deputies=cite("deputies.total"),
                  reports_to_voters=cite("deputies.reports_to_voters"))
    key_items = metrics.key_suggestions(period, scope)
    evaluated = cite("suggestions.evaluated")
    draft.passage("key_supervision", district=district, key_items=key_items, key_titles=_titles(key_items),
                  key_supervised=cite("suggestions.key_supervised"), evaluated=evaluated,
                  satisfaction_rate=percent(cite("suggestions.satisfaction_rate")) if evaluated else "",
                  resolved_rate=percent(cite("suggestions.resolved_rate")) if evaluated else "")



def town_draft(period: core_stats.Period, scope: metrics.Scope, *, progress: Progress | None = None) -> Draft:
    """The work report draft of one town (``scope.town``)."""
    assert scope.town is not None
    step = progress or (lambda pct: None)
    data = metrics.stats(period, scope)
    step(40)
    cite = Cited(data)
    label = period_label(period)
    draft = Draft()
    draft.title(title_of(period, scope))
    draft.subtitle(session_line(period, scope))
    draft.passage("opening", town=scope.town.name)
    draft.heading(_("{period}工作回顾").format(period=label), 0)
    draft.passage("review_intro", period=label)

    draft.heading(_("一、聚焦政治引领，始终坚持党的全面领导"), 1)
    draft.passage("political")
    info = information_data(period, scope, cite)
    draft.passage("information", items=None if info is None else info.get("items", []),
                  honours=None if info is None else info.get("honours", []),
                  submitted=(info or {}).get("submitted", 0), adopted=(info or {}).get("adopted", 0))

    _review(draft, period, scope, data, cite, progress=step)

    draft.passage("thanks", period=label)
    draft.passage("shortcomings", items=_shortcomings(cite, data["suggestions"]))
    step(85)

    next_label = next_period_label(period)
    draft.heading(_("{period}工作安排").format(period=next_label), 0)
    draft.passage("plan", next_period=next_label, tasks=plan_tasks_data(period, scope))
    draft.passage("closing")
    _attachment(draft, period, scope, cite)
    step(95)
    return draft


def _scope_label(scope: metrics.Scope) -> str:
    return scope.town.name if scope.town is not None else _("全区")


def _attachment(draft: Draft, period: core_stats.Period, scope: metrics.Scope, cite: Cited) -> None:
    draft.new_page()
    draft.heading(_("附件"), 1)
    draft.title(_("统计指标及口径"))
    draft.passage("attachment", period=period_label(period), as_of=cn_date(period.as_of), scope=_scope_label(scope))
    rows = []
    for i, key in enumerate(cite.keys, 1):
        label, definition = INDICATORS[key]
        value = value_at(cite.data, key)
        rows.append((str(i), str(label), _cell(key, value), str(definition), key))
    draft.table((_("序号"), _("指标"), _("数值"), _("统计口径"), _("字段")), rows, widths=(0.6, 2, 1.4, 4.5, 2.6))


# --- the district report ----------------------------------------------------------------------

#: The district report's tables: (heading, [indicator keys]).
DISTRICT_TABLES: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (gettext_lazy("（一）意见建议办理"), ("suggestions.received", "suggestions.closed", "suggestions.closure_rate",
                                 "suggestions.overdue_open", "suggestions.satisfaction_rate")),
    (gettext_lazy("（二）信访与网格"), ("petitions.duty_shifts", "petitions.letters_reviewed",
                                "petitions.risks_resolved_with_deputies", "grids.grids", "grids.grid_workers")),
    (gettext_lazy("（三）民生实事"), ("projects.count", "projects.budget_total", "projects.bid_total",
                              "projects.overdue_stages")),
    (gettext_lazy("（四）代表履职"), ("deputies.total", "deputies.presidium_contacts", "deputies.voter_contacts",
                              "activities.by_type.judicial_witness", "deputies.without_contact")),
)


def _cell(key: str, value: Any) -> str:
    if key.endswith("_rate"):
        return percent(value)
    if key.endswith("_total"):
        return _("{n}万元").format(n=wan(value)) if value is not None else "—"
    return str(value)


def district_draft(period: core_stats.Period, scope: metrics.Scope, *, progress: Progress | None = None) -> Draft:
    """The district report: the same indicators for each town side by side (one row per town and
    the district's, its rates recomputed from the sums), one table per part."""
    step = progress or (lambda pct: None)
    per_town: list[tuple[str, dict[str, Any]]] = []
    for i, town in enumerate(scope.towns):
        per_town.append((town.name, metrics.stats(period, metrics.Scope((town,), town))))
        step(10 + 70 * (i + 1) // max(len(scope.towns), 1))
    total = metrics.stats(period, scope)
    step(90)
    draft = Draft()
    draft.title(title_of(period, scope))
    draft.subtitle(_("（统计期间：{period}，截至{as_of}）").format(period=period_label(period),
                                                           as_of=cn_date(period.as_of)))
    cite = Cited(total)
    draft.heading(_("全区综述"), 0)
    draft.paragraph(_("{period}，全区{n}个镇街人大工作的主要数据汇总如下（各镇街分列数见后）。").format(
        period=period_label(period), n=len(scope.towns)))
    _review(draft, period, scope, total, cite, progress=lambda pct: None)
    draft.new_page()
    draft.heading(_("各镇街指标对比"), 0)
    draft.passage("attachment", period=period_label(period), as_of=cn_date(period.as_of), scope=_("全区"))
    keys: list[str] = []
    for heading, columns in DISTRICT_TABLES:
        draft.heading(str(heading), 2)
        header = (_("镇街"), *(str(INDICATORS[k][0]) for k in columns))
        rows = [(name, *(_cell(k, value_at(d, k)) for k in columns)) for name, d in per_town]
        rows.append((_("全区"), *(_cell(k, value_at(total, k)) for k in columns)))
        draft.table(header, rows, widths=(1.6, *(1.0 for _k in columns)))
        keys.extend(columns)
    draft.heading(_("指标口径"), 2)
    draft.table((_("指标"), _("统计口径"), _("字段")),
                [(str(INDICATORS[k][0]), str(INDICATORS[k][1]), k) for k in keys], widths=(2, 5, 2.5))
    return draft


def build(period: core_stats.Period, scope: metrics.Scope, *, progress: Progress | None = None) -> Draft:
    """The town's draft, or the district report when ``scope`` is the district."""
    if scope.town is None:
        return district_draft(period, scope, progress=progress)
    return town_draft(period, scope, progress=progress)


def filename(period: core_stats.Period, scope: metrics.Scope, fmt: str) -> str:
    return f"{title_of(period, scope)}.{fmt}"


def render(draft: Draft, fmt: str, title: str) -> bytes:
    from renda.reports import draft as drafts

    if fmt == "docx":
        return drafts.to_docx(draft)
    if fmt == "html":
        return drafts.to_html(draft, title).encode()
    if fmt == "md":
        return drafts.to_markdown(draft).encode()
    raise ValueError(fmt)


FORMATS = ("docx", "html", "md")

#: The content type of each format's file (the page's download sends it).
CONTENT_TYPES = {
    "docx": DOCX_TYPE,
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@replica_reads()
def produce(period: core_stats.Period, scope: metrics.Scope, fmt: str, *, progress: Progress | None = None) -> bytes:
    """The file of the report in ``fmt``: what ``renda work_report`` writes and the page's job
    stores (one implementation for both). ``progress`` hears 0–100 as the parts are done."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    step = progress or (lambda pct: None)
    step(5)
    draft = build(period, scope, progress=step)
    content = render(draft, fmt, title_of(period, scope))
    step(100)
    return content


