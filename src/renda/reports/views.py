"""The office dashboard (统计): suggestion rates, by unit, by category and by month; petitions,
duty shifts, risks and grids. Every number comes from ``reports.metrics``; this page only
chooses the period (a picker, or the code in the URL: ``reports.selection``) and the towns.
Its Excel export holds every section of ``renda stats`` (``reports.workbook``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from renda.core import jobs
from renda.core.downloads import attach
from renda.core.errors import Forbidden, NotFound
from renda.core.export import xlsx_response
from renda.core.replica import replica_reads
from renda.core.roles import Role
from renda.duties.models import ActivityType
from renda.reports import dashboards, exports, metrics, policy, selection, workbook
from renda.reports.forms import PeriodForm, period_label


def today() -> dt.date:
    return timezone.localdate()


def _require(request: HttpRequest, action: str = "view") -> None:
    try:
        policy.require(request.user, action)
    except (Forbidden, NotFound) as exc:
        raise PermissionDenied(exc.message) from exc


def _url(name: str, query: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


CHANNEL_LABELS = {"letter": _("来信"), "visit": _("来访"), "online": _("网上"), "phone": _("电话"),
                  "referred": _("上级转交")}

PETITION_CARDS = [("received", _("信访件")), ("letters_reviewed", _("阅批群众来信")), ("accepted", _("受理")),
                  ("declined", _("不予受理")), ("closed", _("出具处理意见")), ("overdue_open", _("超期未办结")),
                  ("duty_shifts", _("信访值班（人次）")), ("risks_registered", _("排查隐患")),
                  ("risks_resolved", _("化解隐患")), ("risks_resolved_with_deputies", _("代表参与化解"))]

RATES = [("closure_rate", _("办结率")), ("on_time_rate", _("按期办结率")), ("resolved_rate", _("解决率")),
         ("satisfaction_rate", _("满意率"))]


@login_required
@require_GET
@replica_reads()
def dashboard(request: HttpRequest) -> HttpResponseBase:
    _require(request)
    towns = selection.towns_for(request.user)
    picker = None
    if "kind" in request.GET:
        # The picker (年度/半年/季度/月份/自定义区间) names the period; the URL keeps its code.
        picker = PeriodForm(request.GET, today=today())
        if picker.is_valid():
            query = picker.query()
            if request.GET.get("town"):
                query["town"] = request.GET["town"]
            return redirect(_url("reports:dashboard", query))
    chosen = selection.choose(request.GET, towns, today=today())
    period, scope, error = chosen.period, chosen.scope, chosen.error
    if picker is not None:
        error = picker.error_text()
    else:
        picker = PeriodForm.for_period(period, today=today(), as_of_given="as_of" in chosen.query)
    data = dashboards.office(period, scope)
    section, petitions, act = data["s"], data["p"], data["act"]
    context = {
        **data,
        "period": period,
        "period_label": period_label(period),
        "picker": picker,
        "export_url": _url("reports:export", chosen.query),
        "panel_query": urlencode({**chosen.query, "dashboard": "office"}),
        "period_query": urlencode({k: v for k, v in chosen.query.items() if k != "town"}),
        "scope": scope,
        "towns": towns,
        "error": error,
        "rates": [{"key": k, "label": label, "value": section[k],
                   "percent": None if section[k] is None else f"{section[k] * 100:.2f}%"} for k, label in RATES],
        "months": data["months"],
        "petition_cards": [(k, label, petitions[k]) for k, label in PETITION_CARDS],
        "act_types": [(ActivityType(k).label, n) for k, n in act["by_type"].items()],
        "reports_to_voters": data["d"]["reports_to_voters"],
        "receptions": act["receptions"],
        "charts": _charts(data["panels"]),
    }
    return render(request, "reports/dashboard.html", context)


def _charts(panels: list[dashboards.Panel]) -> list[dict[str, Any]]:
    return [c for p in panels if (c := p.as_chart()) is not None]


Chosen = tuple[selection.Chosen, PeriodForm | None, HttpResponseBase | None]


def _chosen(request: HttpRequest, towns: list[Any]) -> Chosen:
    """The period and town of the URL, or a redirect when the picker was submitted."""
    if "kind" in request.GET:
        picker = PeriodForm(request.GET, today=today())
        if picker.is_valid():
            query = picker.query()
            for name in ("town", "rank"):
                if request.GET.get(name):
                    query[name] = request.GET[name]
            return selection.choose(request.GET, towns, today=today()), picker, redirect(
                _url(request.resolver_match.view_name if request.resolver_match else "reports:dashboard", query))
        return selection.choose(request.GET, towns, today=today()), picker, None
    return selection.choose(request.GET, towns, today=today()), None, None


def _page(request: HttpRequest, chosen: selection.Chosen, picker: PeriodForm | None) -> dict[str, Any]:
    error = chosen.error if picker is None else picker.error_text()
    if picker is None:
        picker = PeriodForm.for_period(chosen.period, today=today(), as_of_given="as_of" in chosen.query)
    return {"period": chosen.period, "period_label": period_label(chosen.period), "picker": picker, "error": error,
            "scope": chosen.scope}


def _own_data(user: Any, chosen: selection.Chosen) -> tuple[str, dict[str, Any]]:
    """The dashboard of a unit, a grid worker or a deputy (a presidium member sees theirs as a deputy)."""
    period, scope = chosen.period, chosen.scope
    if user.role == Role.UNIT and user.unit is not None:
        return "unit", {**dashboards.unit(period, scope, user.unit), "own": user.unit}
    if user.role == Role.GRID_WORKER and user.grid_worker is not None:
        worker = user.grid_worker
        return "grid", {**dashboards.grid(period, scope, [g.pk for g in worker.grids.all()]), "own": worker}
    if user.deputy is not None:
        return "deputy", {**dashboards.deputy(period, user.deputy), "own": user.deputy}
    raise PermissionDenied(gettext("没有可显示的统计"))


@login_required
@require_GET
@replica_reads()
def mine(request: HttpRequest) -> HttpResponseBase:
    """我的统计: a handling unit's, a grid worker's or a deputy's own figures (``dashboards``)."""
    _require(request, "view_own")
    towns = selection.towns_for(request.user)
    chosen, picker, redirect_to = _chosen(request, towns)
    if redirect_to is not None:
        return redirect_to
    kind, data = _own_data(request.user, chosen)
    context = {**_page(request, chosen, picker), **data, "kind": kind, "towns": [],
               "panel_query": urlencode({**chosen.query, "dashboard": "mine"}), "charts": _charts(data["panels"])}
    return render(request, "reports/mine.html", context)


@login_required
@require_GET
@replica_reads()
def district(request: HttpRequest) -> HttpResponseBase:
    """The district view: every town side by side, charted and ranked by one indicator."""
    _require(request, "view_district")
    towns = [t for t in selection.towns_for(request.user) if t.is_active]
    chosen, picker, redirect_to = _chosen(request, towns)
    if redirect_to is not None:
        return redirect_to
    key = request.GET.get("rank", "")
    key = key if key in metrics.RANKABLE else "closure_rate"
    data = dashboards.district(chosen.period, towns, key)
    query = {k: v for k, v in chosen.query.items() if k != "town"}
    context = {**_page(request, chosen, picker), **data, "rank": key, "towns": [],
               "rank_choices": [(k, RANK_LABELS[k]) for k in metrics.RANKABLE],
               "panel_query": urlencode({**query, "rank": key, "dashboard": "district"}),
               "charts": _charts(data["panels"])}
    return render(request, "reports/district.html", context)


RANK_LABELS = {"closure_rate": _("办结率"), "on_time_rate": _("按期办结率"), "satisfaction_rate": _("满意率"),
               "received": _("意见建议数"), "overdue_open": _("超期未办结（少者在前）"),
               "petitions_overdue": _("信访超期（少者在前）")}


@login_required
@require_GET
@replica_reads()
def table(request: HttpRequest) -> HttpResponseBase:
    """One panel's table as an Excel file (``?dashboard=office|mine|district&panel=KEY`` and the
    page's period and town; without ``panel`` every panel, a sheet each): the same rows the page
    shows, written through core.export."""
    which = request.GET.get("dashboard", "office")
    towns = selection.towns_for(request.user)
    chosen = selection.choose(request.GET, towns, today=today())
    if which == "mine":
        _require(request, "view_own")
        _kind, data = _own_data(request.user, chosen)
    elif which == "district":
        _require(request, "view_district")
        key = request.GET.get("rank", "")
        data = dashboards.district(chosen.period, [t for t in towns if t.is_active],
                                   key if key in metrics.RANKABLE else "closure_rate")
    elif which == "office":
        _require(request)
        data = dashboards.office(chosen.period, chosen.scope)
    else:
        raise Http404
    panels: list[dashboards.Panel] = data["panels"]
    if request.GET.get("panel"):
        panels = [p for p in panels if p.key == request.GET["panel"]]
        if not panels:
            raise Http404
    title = panels[0].title if len(panels) == 1 else gettext("统计图表")
    name = f"{title}-{exports.scope_label(chosen) if which == 'office' else ''}{period_label(chosen.period)}.xlsx"
    return xlsx_response(name, [(p.title[:31], p.headers, _sheet_rows(p)) for p in panels])


def _sheet_rows(panel: dashboards.Panel) -> list[list[Any]]:
    """The panel's rows as the page shows them: rates as percentages (text), counts as numbers."""
    return [[c["text"] if i in panel.rates else r[i] for i, c in enumerate(cells)]
            for r, cells in zip(panel.rows, panel.cells(), strict=True)]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The page's numbers as a workbook, one sheet per section of ``renda stats``; a large period
    (the district's) in the background (``reports.exports``)."""
    _require(request)
    chosen = selection.choose(request.GET, selection.towns_for(request.user), today=today())
    if chosen.error:
        messages.error(request, chosen.error)
        return redirect(_url("reports:dashboard", chosen.query))
    if exports.is_large(chosen):
        job_id = exports.start(request.user, chosen.querystring)
        messages.info(request, gettext("统计数据较多，已转入后台生成，完成后可在本页下载"))
        return redirect("reports:export_status", job_id)
    response = HttpResponse(workbook.to_bytes(exports.data_for(chosen)), content_type=XLSX)
    attach(response, exports.download_name(chosen))
    return response


def _job(request: HttpRequest, job_id: Any) -> Any:
    _require(request)
    return jobs.job_or_404(request, exports.job_for, job_id, kind="stats-export")


@login_required
@require_GET
def export_status(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The state of a background export; the page polls it (HTMX, or JSON with ?format=json)."""
    job = _job(request, job_id)
    return jobs.export_status_response(
        request, job, status_url=reverse("reports:export_status", args=[job.id]),
        download_url=reverse("reports:export_download", args=[job.id]), title=gettext("导出统计"),
        back_url=reverse("reports:dashboard"), back_label=gettext("返回统计"))


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: Any) -> FileResponse:
    return jobs.export_download_response(_job(request, job_id))
