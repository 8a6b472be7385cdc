"""The dashboards' panels: each a chart, the table of the same numbers (the accessible view) and
its Excel export, built from ``reports.metrics`` (no number is counted here, only arranged).

A panel is ``Panel(key, title, headers, rows, chart)``; ``chart`` tells dashboard.js what to draw
(``bar``/``hbar``/``pie`` over some columns of the rows), ``None`` for a table only. The page shows
the panels of a dashboard (``office``, ``unit``, ``grid``, ``deputy``, ``district``) and its export
link per panel (``reports:table``) writes that panel's headers and rows through core.export — the
tables are bounded by the number of months, units, grids or towns, so they are written at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.stats import rate
from renda.duties.models import ActivityType
from renda.projects.models import Stage
from renda.reports import metrics
from renda.units.models import Unit


@dataclass
class Panel:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    #: {"type": "bar"|"hbar"|"pie", "columns": [column indexes charted]}; the first column names the row.
    chart: dict[str, Any] | None = None
    #: Columns holding rates (fractions): shown as percentages.
    rates: set[int] = field(default_factory=set)
    empty: str = ""
    #: Many columns: the panel takes the whole width.
    wide: bool = False

    def as_chart(self) -> dict[str, Any] | None:
        if self.chart is None or not any(r[c] for r in self.rows for c in self.chart["columns"]):
            return None  # nothing to draw (an all-zero pie would show equal slices): the table says it
        names = [str(r[0]) for r in self.rows]
        series = []
        for c in self.chart["columns"]:
            values = [r[c] for r in self.rows]
            if c in self.rates:
                values = [None if v is None else round(v * 100, 2) for v in values]
            series.append({"name": self.headers[c], "data": values})
        return {"id": f"chart-{self.key}", "type": self.chart["type"], "names": names, "series": series,
                "percent": bool(self.rates & set(self.chart["columns"]))}

    def cells(self) -> list[list[dict[str, Any]]]:
        """The rows for the template: each cell's text (rates as percentages) and whether it is a number."""
        return [[{"text": percent(v) if i in self.rates else ("—" if v is None else v), "header": self.headers[i],
                  "number": i > 0 and (isinstance(v, int | float) or v is None)} for i, v in enumerate(r)]
                for r in self.rows]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


# --- the panels ---------------------------------------------------------------------------------


def months_panel(months: Sequence[dict[str, Any]]) -> Panel:
    return Panel("months", _("按月登记与办结"), [_("月份"), _("登记"), _("办结")],
                 [[m["month"], m["registered"], m["closed"]] for m in months], {"type": "bar", "columns": [1, 2]})


UNIT_HEADERS = (gettext_lazy("承办单位"), gettext_lazy("交办"), gettext_lazy("办结"), gettext_lazy("办结率"),
                gettext_lazy("按期办结率"), gettext_lazy("超期未办结"), gettext_lazy("已测评"), gettext_lazy("满意率"))


def units_panel(units: Sequence[dict[str, Any]]) -> Panel:
    return Panel("units", _("各承办单位办结率与满意率"), [str(h) for h in UNIT_HEADERS],
                 [[u["unit"], u["assigned"], u["closed"], u["closure_rate"], u["on_time_rate"], u["overdue_open"],
                   u["evaluated"], u["satisfaction_rate"]] for u in units],
                 {"type": "hbar", "columns": [3, 7]}, rates={3, 4, 7}, empty=_("本期间没有交办的意见建议"))


def overdue_panel(units: Sequence[dict[str, Any]]) -> Panel:
    rows = [[u["unit"], u["overdue_open"], u["assigned"]] for u in units if u["overdue_open"]]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return Panel("overdue", _("各承办单位超期未办结"), [_("承办单位"), _("超期未办结"), _("交办")], rows,
                 {"type": "hbar", "columns": [1]}, empty=_("没有超期未办结的意见建议"))


def categories_panel(by_category: dict[str, int]) -> Panel:
    return Panel("categories", _("按类别"), [_("类别"), _("收到")], [[k, n] for k, n in by_category.items()],
                 {"type": "pie", "columns": [1]}, empty=_("暂无"))


CHANNEL_LABELS = {"letter": gettext_lazy("来信"), "visit": gettext_lazy("来访"), "online": gettext_lazy("网上"),
                  "phone": gettext_lazy("电话"), "referred": gettext_lazy("上级转交")}


def channels_panel(by_channel: dict[str, int]) -> Panel:
    return Panel("channels", _("信访渠道"), [_("渠道"), _("信访件")],
                 [[str(CHANNEL_LABELS[k]), n] for k, n in by_channel.items()], {"type": "pie", "columns": [1]})


GRID_HEADERS = (gettext_lazy("网格"), gettext_lazy("村（社区）"), gettext_lazy("网格员"), gettext_lazy("代表"),
                gettext_lazy("意见建议"), gettext_lazy("其中已办结"), gettext_lazy("信访件"), gettext_lazy("排查隐患"),
                gettext_lazy("化解隐患"))


def grids_panel(rows: Sequence[dict[str, Any]]) -> Panel:
    return Panel("grids", _("各网格情况"), [str(h) for h in GRID_HEADERS],
                 [[g["grid"], g["village"], g["workers"], g["deputies"], g["suggestions"], g["suggestions_closed"],
                   g["petitions"], g["risks_registered"], g["risks_resolved"]] for g in rows],
                 None, empty=_("没有在用的网格"), wide=True)


def activities_panel(by_type: dict[str, int]) -> Panel:
    return Panel("activities", _("履职活动（按类型）"), [_("活动类型"), _("次数")],
                 [[str(ActivityType(k).label), n] for k, n in by_type.items()], {"type": "bar", "columns": [1]},
                 empty=_("本期间没有履职活动"))


def stages_panel(by_stage: dict[str, int]) -> Panel:
    labels = {**{s.value: str(s.label) for s in Stage}, "done": _("已全部完成")}
    return Panel("stages", _("民生实事项目进度（当前阶段）"), [_("阶段"), _("项目")],
                 [[labels.get(k, k), n] for k, n in by_stage.items()], {"type": "bar", "columns": [1]},
                 empty=_("本期间没有民生实事项目"))


def without_contact_panel(deputies: Sequence[Any]) -> Panel:
    return Panel("without_contact", _("无主席团成员联系的代表"), [_("代表"), _("层级")],
                 [[d.name, str(d.get_level_display())] for d in deputies], None,
                 empty=_("每位代表本期间都有主席团成员联系"))


def towns_panel(comparison: dict[str, Any], key: str) -> Panel:
    """The district view: every town with its figures, ranked by ``key`` (metrics.rank)."""
    ranked = metrics.rank(comparison["rows"], key)
    headers = [_("镇街"), _("排名"), _("意见建议"), _("已办结"), _("办结率"), _("按期办结率"), _("满意率"),
               _("超期未办结"), _("信访件"), _("信访超期"), _("化解隐患")]
    rows = [[r["town"].name, r["rank"], r["received"], r["closed"], r["closure_rate"], r["on_time_rate"],
             r["satisfaction_rate"], r["overdue_open"], r["petitions"], r["petitions_overdue"], r["risks_resolved"]]
            for r in ranked]
    column = {"received": 2, "closure_rate": 4, "on_time_rate": 5, "satisfaction_rate": 6, "overdue_open": 7,
              "petitions_overdue": 9}[key]
    return Panel("towns", _("各镇街对比与排名"), headers, rows, {"type": "hbar", "columns": [column]},
                 rates={4, 5, 6}, empty=_("没有镇街"), wide=True)


# --- the dashboards -----------------------------------------------------------------------------


def office(period: metrics.Period, scope: metrics.Scope) -> dict[str, Any]:
    """The town's (or the district's) dashboard: the office, the presidium, the district viewer."""
    facts = metrics.suggestion_facts(period, scope, grids=True)
    section = metrics.suggestions_section(period, scope, facts)
    units = metrics.suggestions_by_unit(facts)
    petitions = metrics.petitions_section(period, scope)
    projects = metrics.projects_section(period, scope)
    activities = metrics.activities_section(period, scope)
    months = metrics.suggestions_by_month(period, scope, facts)
    panels = [
        months_panel(months),
        units_panel(units),
        overdue_panel(units),
        categories_panel(section["by_category"]),
        channels_panel(petitions["by_channel"]),
        activities_panel(activities["by_type"]),
        stages_panel(projects["by_stage"]),
        grids_panel(metrics.grid_table(period, scope, facts)),
        without_contact_panel(metrics.deputies_without_contact(period, scope)),
    ]
    return {"s": section, "p": petitions, "proj": projects, "act": activities,
            "g": metrics.grids_section(period, scope), "d": metrics.deputies_section(period, scope),
            "months": months, "panels": panels}


def unit(period: metrics.Period, scope: metrics.Scope, own: Unit) -> dict[str, Any]:
    """A handling unit's dashboard: its items by month, and its figures against the town's."""
    facts = metrics.suggestion_facts(period, scope)
    units = metrics.suggestions_by_unit(facts)
    mine = next((u for u in units if u["unit"] == own.name and u["town_id"] == own.town_id), None)
    town = metrics.suggestions_by_town(facts, scope.towns)[own.town_id]
    town = {**town, "closure_rate": rate(town["closed"], town["assigned"])}
    keys = ("assigned", "closed", "closure_rate", "on_time_rate", "overdue_open", "evaluated", "satisfaction_rate")
    labels = (_("交办"), _("办结"), _("办结率"), _("按期办结率"), _("超期未办结"), _("已测评"), _("满意率"))
    rows: list[list[Any]] = []
    for k, label in zip(keys, labels, strict=True):
        own_value, town_value = (mine or {}).get(k, None if "rate" in k else 0), town[k]
        if "rate" in k:  # a row of rates: shown (and exported) as percentages
            own_value, town_value = percent(own_value), percent(town_value)
        rows.append([label, own_value, town_value])
    compare = Panel("compare", _("本单位与全镇对比"), [_("指标"), own.name, _("全镇（已交办）")], rows, None)
    return {"mine": mine, "compare": compare,
            "panels": [compare, months_panel(metrics.suggestions_by_month(period, scope, facts, unit_id=own.pk))]}


def grid(period: metrics.Period, scope: metrics.Scope, grid_ids: Sequence[int]) -> dict[str, Any]:
    """A grid worker's dashboard: the grid table of their grids."""
    facts = metrics.suggestion_facts(period, scope, grids=True)
    return {"panels": [grids_panel(metrics.grid_table(period, scope, facts, grid_ids=grid_ids))]}


def deputy(period: metrics.Period, deputy: Any) -> dict[str, Any]:
    """A deputy's dashboard: their own suggestions, duty activities and contacts."""
    f = metrics.deputy_figures(period, deputy)
    labels = {"suggestions": _("领衔提出的建议"), "suggestions_closed": _("其中已办结"),
              "attendances": _("参加履职活动（次）"), "voter_contacts": _("联系选民（次）"),
              "presidium_contacts": _("主席团成员联系（次）"), "reports_to_voters": _("向选民述职")}
    panel = Panel("mine", _("本人履职情况"), [_("指标"), _("数量")], [[labels[k], n] for k, n in f.items()],
                  {"type": "bar", "columns": [1]})
    return {"figures": f, "panels": [panel]}


def district(period: metrics.Period, towns: Sequence[Any], key: str) -> dict[str, Any]:
    comparison = metrics.town_comparison(period, towns)
    return {"comparison": comparison, "total": comparison["total"], "panels": [towns_panel(comparison, key)]}
