"""The work report page (工作报告初稿): the period (the statistics page's picker), the town or the
district as the user's reach allows, the as-of date and the format; it starts a background job
(``reports.report_jobs``) and sends the user to the job's status page, which shows a progress bar,
polls (HTMX) and survives a reload, and then offers the download (docx, html or md with their own
content types). The same document as ``renda work_report`` (``work_report.produce``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import jobs
from renda.core import stats as core_stats
from renda.core.errors import Forbidden, NotFound
from renda.places.models import Region
from renda.reports import policy, report_jobs, selection
from renda.reports.forms import PeriodForm, period_label

FORMAT_CHOICES = [("docx", _("Word 文档（.docx，公文格式）")), ("html", _("网页（.html）")),
                  ("md", _("Markdown（.md）"))]
DOWNLOAD_LABELS = {"docx": _("下载 Word 文档"), "html": _("下载网页文件"), "md": _("下载 Markdown 文件")}


def today() -> dt.date:
    return timezone.localdate()


def _require(request: HttpRequest) -> None:
    try:
        policy.require(request.user, "view")
    except (Forbidden, NotFound) as exc:
        raise PermissionDenied(exc.message) from exc


def default_period(on: dt.date) -> core_stats.Period:
    """The half-year that ended last (a report is written after its period)."""
    code = f"{on.year}H1" if on.month >= 7 else f"{on.year - 1}H2"
    return core_stats.Period.parse(code, today=on)


class WorkReportForm(PeriodForm):
    """The statistics page's period picker, the scope (a town, or 全区 for district roles) and the format."""

    town = forms.ChoiceField(label=_("范围"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    format = forms.ChoiceField(label=_("格式"), choices=FORMAT_CHOICES, initial="docx",
                               widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args: Any, towns: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.towns = towns
        choices = [(t.code, t.name) for t in towns]
        if len(towns) > 1:
            choices.insert(0, ("", gettext("全区（各镇街汇总）")))
        town_field: forms.ChoiceField = self.fields["town"]  # type: ignore[assignment]
        town_field.choices = choices
        town_field.error_messages["invalid_choice"] = gettext("「%(value)s」不是可选的范围")
        self.fields["format"].error_messages["invalid_choice"] = gettext("「%(value)s」不是可选的格式")
        self.fields["format"].error_messages["required"] = gettext("请选择格式")

    def query(self) -> dict[str, str]:
        query = super().query()
        if self.cleaned_data.get("town") and len(self.towns) > 1:
            query["town"] = self.cleaned_data["town"]
        return query


def _form_page(request: HttpRequest, form: WorkReportForm, error: str | None = None) -> HttpResponse:
    return render(request, "reports/work_report.html", {"form": form, "error": error,
                                                        "district": len(form.towns) > 1},
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def work_report(request: HttpRequest) -> HttpResponseBase:
    _require(request)
    towns = selection.towns_for(request.user)
    if request.method == "GET":
        form = WorkReportForm(initial=PeriodForm.for_period(default_period(today()), today=today()).initial,
                              today=today(), towns=towns)
        return _form_page(request, form)
    form = WorkReportForm(request.POST, today=today(), towns=towns)
    if not form.is_valid():
        return _form_page(request, form, form.error_text())
    query = form.query()
    chosen = selection.choose(QueryDict(urlencode(query)), towns, today=today())
    if chosen.error:
        return _form_page(request, form, chosen.error)
    job_id = report_jobs.start(request.user, chosen.querystring, form.cleaned_data["format"])
    return redirect("reports:work_report_status", job_id)


def _job(request: HttpRequest, job_id: Any) -> Any:
    _require(request)
    return jobs.job_or_404(request, report_jobs.job_for, job_id, kind="work-report")


@login_required
@require_GET
def work_report_status(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The job's state and progress; the page polls it (HTMX, or JSON with ?format=json)."""
    job = _job(request, job_id)
    _user_id, query, fmt = job.args
    chosen = selection.choose(QueryDict(query), selection.towns_for(request.user), today=today())
    where = chosen.scope.town.name if chosen.scope.town is not None else gettext("全区")
    title = gettext("工作报告初稿：{where}{period}").format(where=where, period=period_label(chosen.period))
    return jobs.export_status_response(
        request, job, status_url=reverse("reports:work_report_status", args=[job.id]),
        download_url=reverse("reports:work_report_download", args=[job.id]), title=title,
        back_url=reverse("reports:work_report"), back_label=gettext("返回工作报告"),
        download_label=str(DOWNLOAD_LABELS.get(fmt, DOWNLOAD_LABELS["docx"])))


@login_required
@require_GET
def work_report_download(request: HttpRequest, job_id: Any) -> FileResponse:
    response = jobs.export_download_response(_job(request, job_id))
    response["Cache-Control"] = "private, no-store"
    return response
