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
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from renda.core import jobs
from renda.core.downloads import attach
from renda.core.errors import Forbidden, NotFound
from renda.core.replica import replica_reads
from renda.duties.models import ActivityType
from renda.reports import exports, metrics, policy, selection, workbook
from renda.reports.forms import PeriodForm, period_label


def today() -> dt.date:
    return timezone.localdate()


def _require(request: HttpRequest) -> None:
    try:
        policy.require(request.user, "view")
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
    facts = metrics.suggestion_facts(period, scope)
    section = metrics.suggestions_section(period, scope, facts)
    months = metrics.suggestions_by_month(period, scope, facts)
    petitions = metrics.petitions_section(period, scope)
    context = {
        "period": period,
        "period_label": period_label(period),
        "picker": picker,
        "export_url": _url("reports:export", chosen.query),
        "scope": scope,
        "towns": towns,
        "error": error,
        "s": section,
        "rates": [{"key": k, "label": label, "value": section[k],
                   "percent": None if section[k] is None else f"{section[k] * 100:.2f}%"} for k, label in RATES],
        "months": months,
        "p": petitions,
        "petition_cards": [(k, label, petitions[k]) for k, label in PETITION_CARDS],
        "g": metrics.grids_section(period, scope),
        "proj": metrics.projects_section(period, scope),  # projects (民生实事)
        # duties (履职活动): the activities of the period and the reports to voters
        "act": (act := metrics.activities_section(period, scope)),
        "act_types": [(ActivityType(k).label, n) for k, n in act["by_type"].items()],
        "reports_to_voters": metrics.reports_to_voters(period, scope),
        # liaison: deputies' contacts and the contact stations' receptions
        "d": metrics.deputies_section(period, scope),
        "receptions": metrics.receptions_count(period, scope),
        "channels": [(CHANNEL_LABELS[k], n) for k, n in petitions["by_channel"].items()],
        "chart": {
            "channels": [{"name": str(CHANNEL_LABELS[k]), "value": n} for k, n in petitions["by_channel"].items()],
            "months": [m["month"] for m in months],
            "registered": [m["registered"] for m in months],
            "closed": [m["closed"] for m in months],
            "units": [u["unit"] for u in section["by_unit"]],
            "unit_assigned": [u["assigned"] for u in section["by_unit"]],
            "unit_closed": [u["closed"] for u in section["by_unit"]],
            "categories": [{"name": k, "value": v} for k, v in section["by_category"].items()],
        },
    }
    return render(request, "reports/dashboard.html", context)


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
