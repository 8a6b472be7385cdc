"""Ledger pages: upload with a dry-run preview, confirm, template and export downloads."""

from __future__ import annotations

import io
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.audit import context
from renda.core.downloads import attach
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.export import xlsx_response
from renda.core.ledger import registry
from renda.core.privacy import record_reveal
from renda.core.types import acting
from renda.ledger import policy
from renda.ledger import template as ledger_template
from renda.ledger.exporter import export_filename, ledger_sheets
from renda.ledger.forms import UploadForm
from renda.ledger.importer import ImportResult, import_workbook
from renda.places.models import Level, Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "ledger_upload"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 24 * 3600
PREVIEW_ITEMS = 200


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    try:
        policy.require(request.user, action, obj)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload_path(token: str) -> Path:
    if not TOKEN_RE.match(token):
        raise ValueError("bad token")
    return upload_dir() / f"ledger-{token}.xlsx"


def _discard(request: HttpRequest) -> None:
    """Forget the session's pending upload and delete its file."""
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and TOKEN_RE.match(str(pending.get("token", ""))):
        _upload_path(pending["token"]).unlink(missing_ok=True)


def _clean_stale() -> None:
    cutoff = time.time() - STALE_SECONDS
    for f in upload_dir().glob("ledger-*.xlsx"):
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink(missing_ok=True)
        except OSError:
            continue


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


def _preview_context(result: ImportResult) -> dict[str, Any]:
    sheets = []
    for s in result.sheets:
        items = s.items[:PREVIEW_ITEMS]
        sheets.append({"sheet": s, "items": items, "more": s.item_count - len(items)})
    return {"result": result, "sheets": sheets}


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    _require(request, "import")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "ledger/index.html", _index_context(request, form), status=400)
    _discard(request)
    _clean_stale()
    token = secrets.token_hex(16)
    path = _upload_path(token)
    with path.open("wb") as fh:
        for chunk in form.cleaned_data["file"].chunks():
            fh.write(chunk)
    result = import_workbook(path, actor=acting(request), dry_run=True)
    if result.ok:
        request.session[SESSION_KEY] = {"token": token, "name": form.cleaned_data["file"].name}
    else:
        path.unlink(missing_ok=True)
    ctx = _preview_context(result) | {
        "token": token,
        "filename": form.cleaned_data["file"].name,
        "scope_label": _scope_label(request.user),
    }
    return render(request, "ledger/preview.html", ctx)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponseBase:
    _require(request, "import")
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not isinstance(pending, dict) or pending.get("token") != token or not TOKEN_RE.match(token):
        messages.error(request, _("预览已失效，请重新上传台账。"))
        return redirect("ledger:index")
    path = _upload_path(token)
    if not path.is_file():
        _discard(request)
        messages.error(request, _("预览已失效，请重新上传台账。"))
        return redirect("ledger:index")
    try:
        result = import_workbook(path, actor=acting(request))
    finally:
        _discard(request)
    ctx = _preview_context(result) | {
        "filename": pending.get("name", ""),
        "confirmed": True,
        "scope_label": _scope_label(request.user),
    }
    if result.committed:
        messages.success(request, _("导入完成：{summary}").format(summary=result.summary))
    return render(request, "ledger/preview.html", ctx)


def _template_town(request: HttpRequest) -> Region | None:
    """The town whose records are the template's examples: the user's own; a district-wide user
    picks one (``?town=CODE``) or none (a template without examples)."""
    user: Any = request.user
    if user.town_id is not None:
        return user.town
    code = (request.GET.get("town") or "").strip()
    if not code:
        return None
    town = Region.objects.filter(level=Level.TOWN, code=code).first()
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
