"""The office dashboard (统计): suggestion rates, by unit, by category and by month; petitions,
duty shifts, risks and grids. Every number
comes from ``reports.metrics``; this page only chooses the period and the towns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.places.models import Level, Region
from renda.reports import metrics, policy


def today() -> dt.date:
    return timezone.localdate()


def _towns_for(user: Any) -> list[Region]:
    qs = Region.objects.filter(level=Level.TOWN).order_by("code")
    if user.town_id is not None:
        qs = qs.filter(pk=user.town_id)
    return list(qs)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


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
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        policy.require(request.user, "view")
    except (Forbidden, NotFound) as exc:
        raise PermissionDenied(exc.message) from exc
    towns = _towns_for(request.user)
    error = None
    period_text = (request.GET.get("period") or "").strip()
    from_, to, as_of = _date(request.GET.get("from")), _date(request.GET.get("to")), _date(request.GET.get("as_of"))
    try:
        if from_ and to and not period_text:
            period = metrics.Period.make(from_, to, as_of, today=today())
        else:
            period = metrics.Period.parse(period_text or str(today().year), as_of, today=today())
        scope = metrics.resolve_scope(request.GET.get("town") or None, within=towns)
    except ApplicationError as exc:
        error = exc.message
        period = metrics.Period.parse(str(today().year), today=today())
        scope = metrics.resolve_scope(None, within=towns)
    facts = metrics.suggestion_facts(period, scope)
    section = metrics.suggestions_section(period, scope, facts)
    months = metrics.suggestions_by_month(period, scope, facts)
    petitions = metrics.petitions_section(period, scope)
    context = {
        "period": period,
        "period_text": period_text if not (from_ and to) else "",
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
