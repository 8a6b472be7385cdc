"""Ledger pages: upload (a background dry run, its preview), confirm (a background import), the
job page (its progress while it runs, 取消, then its result), template and export downloads (at
once, or as a background job with its own progress page). The jobs are in ``ledger.jobs``."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.audit import context
from renda.core import jobs as core_jobs
from renda.core.downloads import attach
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.export import xlsx_response
from renda.core.ledger import registry
from renda.core.privacy import record_reveal
from renda.core.uploads import clean_name
from renda.ledger import jobs, policy
from renda.ledger import template as ledger_template
from renda.ledger.exporter import export_filename, ledger_sheets
from renda.ledger.forms import UploadForm
from renda.places.models import Level, Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "ledger_upload"


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    try:
        policy.require(request.user, action, obj)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def _discard(request: HttpRequest) -> None:
    """Forget the session's pending upload and delete its file."""
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        jobs.discard(str(pending.get("token", "")))


def _scope_label(user: Any) -> str:
    return user.town.name if user.town_id else _("全部镇街")


def _index_context(request: HttpRequest, form: UploadForm | None = None) -> dict[str, Any]:
    user: Any = request.user
    return {
        "form": form or UploadForm(),
        "can_import": policy.can(user, "import"),
        "can_export": policy.can(user, "export"),
        "can_reveal": getattr(user, "town_id", None) is not None and policy.can(user, "reveal", user.town),
        "scope_label": _scope_label(user),
        "sheets": registry.sheets(),
        # A district-wide user picks the town whose records the template shows as examples.
        "template_towns": (list(Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
                           if getattr(user, "town_id", None) is None else []),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "view")
    return render(request, "ledger/index.html", _index_context(request))


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Store the workbook and enqueue its dry run; the job's page shows the preview."""
    _require(request, "import")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "ledger/index.html", _index_context(request, form), status=400)
    _discard(request)
    name = clean_name(form.cleaned_data["file"].name)
    token = jobs.store(form.cleaned_data["file"])
    job_id = jobs.start_preview(request.user, token, name)
    request.session[SESSION_KEY] = {"token": token, "name": name, "job": job_id}
    return redirect("ledger:job", job_id=job_id)


def _job(request: HttpRequest, job_id: Any) -> Any:
    _require(request, "import")
    return core_jobs.job_or_404(request, jobs.job_for, job_id, kind="ledger job")


def time_left(seconds: Any) -> str:
    """"约 N 秒" / "约 N 分钟" for the progress page ("" when not known yet)."""
    if not isinstance(seconds, int | float) or seconds < 0:
        return ""
    if seconds < 60:
        n = max(1, round(seconds))
        return ngettext("约 %(n)s 秒", "约 %(n)s 秒", n) % {"n": n}
    n = round(seconds / 60)
    return ngettext("约 %(n)s 分钟", "约 %(n)s 分钟", n) % {"n": n}


@login_required
@require_GET
def job(request: HttpRequest, job_id: Any) -> HttpResponse:
    """A preview or an import: its progress (the page polls it, HTMX) and then its result."""
    job = _job(request, job_id)
    status = str(job.status)
    confirmed = jobs.is_import(job)
    value = jobs.value(job)
    pending = request.session.get(SESSION_KEY)
    progress = jobs.progress_of(job)
    ctx = {
        "job_id": str(job.id),
        "status": status,
        "finished": job.is_finished,
        "failed": status == "FAILED",
        "missing": bool(value.get("missing")),
        "label": {"READY": _("排队中"), "RUNNING": _("正在校验") if not confirmed else _("正在导入"),
                  "SUCCESSFUL": _("已完成"), "FAILED": _("处理失败")}.get(status, status),
        "result": value,
        "sheets": value.get("sheets", []),
        "confirmed": confirmed,
        "can_confirm": (not confirmed and bool(value.get("ok")) and isinstance(pending, dict)
                        and pending.get("job") == str(job.id)),
        "filename": job.args[2] if len(job.args) > 2 else "",
        "scope_label": _scope_label(request.user),
        "progress": progress,
        "time_left": time_left((progress or {}).get("seconds_left")),
        "cancelled": bool(value.get("cancelled")),
        "cancelling": not job.is_finished and core_jobs.cancel_requested(job.id),
    }
    if request.GET.get("format") == "json":
        keys = ("job_id", "status", "finished", "confirmed", "progress", "cancelled", "cancelling")
        return JsonResponse({k: ctx[k] for k in keys} | {"result": value})
    if getattr(request, "htmx", False):
        return render(request, "ledger/partials/job.html", ctx)
    return render(request, "ledger/preview.html", ctx)


@login_required
@require_POST
def cancel(request: HttpRequest, job_id: Any) -> HttpResponseBase:
    """取消 a running preview or import: its next progress report stops it, and the importer
    rolls everything back (the page then says so)."""
    job = _job(request, job_id)
    if jobs.cancel(job):
        messages.info(request, _("已请求取消，正在撤销本次导入的全部改动……"))
    else:
        messages.warning(request, _("该任务已结束，无法取消。"))
    return redirect("ledger:job", job_id=job.id)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponseBase:
    """Enqueue the import of the previewed upload (the session's, once)."""
    _require(request, "import")
    pending = request.session.get(SESSION_KEY)
    job_id = request.POST.get("job", "")
    if not isinstance(pending, dict) or pending.get("job") != job_id:
        messages.error(request, _("预览已失效，请重新上传台账。"))
        return redirect("ledger:index")
    preview = jobs.job_for(request.user, job_id)
    token = str(pending.get("token", ""))
    if (preview is None or jobs.is_import(preview) or not jobs.value(preview).get("ok")
            or not jobs.TOKEN_RE.match(token) or not jobs.path_for(token).is_file()):
        _discard(request)
        messages.error(request, _("预览已失效，请重新上传台账。"))
        return redirect("ledger:index")
    request.session.pop(SESSION_KEY, None)  # the import job owns the file now
    return redirect("ledger:job", job_id=jobs.start_import(request.user, token, str(pending.get("name", ""))))


def _template_town(request: HttpRequest) -> Region | None:
    """The town whose records are the template's examples: the user's own; a district-wide user
    picks one (``?town=CODE``) or none (a template without examples)."""
    user: Any = request.user
    if user.town_id is not None:
        return user.town
    code = (request.GET.get("town") or "").strip()
    if not code:
        return None
    # A town code is digits; anything else (a NUL, which PostgreSQL cannot even compare) names no town.
    town = Region.objects.filter(level=Level.TOWN, code=code).first() if code.isascii() and code.isdigit() else None
    if town is None:
        raise Http404(_("没有代码为「{code}」的镇街").format(code=code))
    _require(request, "template", town)
    return town


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponseBase:
    _require(request, "template")
    town = _template_town(request)
    buf = io.BytesIO()
    ledger_template.write(buf, town)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    attach(response, ledger_template.filename(town))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponseBase:
    """GET: the workbook with personal data masked. POST with a reason: in clear, for office staff
    and presidium members of a town, recorded as a reveal in the audit trail."""
    _require(request, "export")
    user: Any = request.user
    # Town-scoped users export their own town; district-wide users every town.
    town = None if user.town_id is None else user.town
    if request.method == "GET":
        return xlsx_response(export_filename(town), ledger_sheets(town))
    _require(request, "reveal", town)
    assert town is not None  # the policy grants "reveal" to town users only
    try:
        record_reveal(actor=user, target=town, fields=[s.name for s in registry.sheets() if s.personal_data],
                      reason=request.POST.get("reason") or "")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:index")
    with context.revealing():
        return xlsx_response(export_filename(town), ledger_sheets(town))


# --- the background export ----------------------------------------------------------------


def _export_job(request: HttpRequest, job_id: Any) -> Any:
    _require(request, "export")
    return core_jobs.job_or_404(request, jobs.export_job_for, job_id, kind="ledger export")


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponseBase:
    """Enqueue the export of the user's ledger (masked); its page shows the rows written so far."""
    _require(request, "export")
    return redirect("ledger:export_status", job_id=jobs.start_export(request.user))


@login_required
@require_GET
def export_status(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _export_job(request, job_id)
    return core_jobs.export_status_response(
        request, job, status_url=reverse("ledger:export_status", args=[job.id]),
        download_url=reverse("ledger:export_download", args=[job.id]), title=_("导出台账"),
        back_url=reverse("ledger:index"), back_label=_("返回台账导入导出"))


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: Any) -> FileResponse:
    return core_jobs.export_download_response(_export_job(request, job_id))
