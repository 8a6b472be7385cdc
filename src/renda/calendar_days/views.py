"""The calendar page: a year's holidays and make-up working days; administrators edit them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.calendar_days import policy, selectors, services, workdays
from renda.calendar_days.forms import CalendarDayForm
from renda.calendar_days.models import CalendarDay, DayKind
from renda.core.crud import add_error, style_form
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.types import acting

WEEKDAYS = (gettext_lazy("星期一"), gettext_lazy("星期二"), gettext_lazy("星期三"), gettext_lazy("星期四"),
            gettext_lazy("星期五"), gettext_lazy("星期六"), gettext_lazy("星期日"))


def today() -> dt.date:
    return timezone.localdate()


def _require(request: HttpRequest, action: str, obj: Any = None) -> None:
    try:
        policy.require(request.user, action, obj)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return today().year
    return year if services.MIN_YEAR <= year <= services.MAX_YEAR else today().year


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def index_url(year: int) -> str:
    return f"{reverse('calendar_days:index')}?{urlencode({'year': year})}"


def _initial(day: dt.date) -> dict[str, Any]:
    """The form filled with what is in force for ``day`` (override, bundled entry or nothing)."""
    override = CalendarDay.objects.filter(date=day).first()
    if override is not None:
        return {"date": day, "kind": override.kind, "name": override.name, "note": override.note}
    listed = workdays.bundled().days.get(day)
    if listed is not None:
        return {"date": day, "kind": listed.kind, "name": listed.name}
    return {"date": day, "kind": DayKind.WORKDAY if day.weekday() >= 5 else DayKind.HOLIDAY}


def _context(request: HttpRequest, year: int, form: CalendarDayForm | None = None) -> dict[str, Any]:
    can_change = policy.can(request.user, "change")
    if can_change and form is None:
        edit = _parse_date(request.GET.get("date"))
        form = CalendarDayForm(initial=_initial(edit) if edit else {"date": dt.date(year, 1, 1)})
    next_year = today().year + 1
    return {
        "year": year,
        "prev_year": year - 1 if year > services.MIN_YEAR else None,
        "next_year_link": year + 1 if year < services.MAX_YEAR else None,
        "rows": [{"day": d, "weekday": WEEKDAYS[d.date.weekday()]} for d in selectors.days_of_year(year)],
        "bundled_year": workdays.bundled().years.get(year),
        "year_known": selectors.year_is_known(year),
        "next_year": next_year,
        "next_year_missing": not selectors.year_is_known(next_year),
        "can_change": can_change,
        "form": style_form(form) if can_change and form is not None else None,
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "view")
    return render(request, "calendar_days/index.html", _context(request, _year(request.GET.get("year"))))


@login_required
@require_POST
def set_day(request: HttpRequest) -> HttpResponseBase:
    _require(request, "change")
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = services.calendar_day_set(actor=acting(request), date=data["date"], kind=data["kind"],
                                            name=data["name"], note=data["note"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已保存：{day}").format(day=day))
            return redirect(index_url(day.date.year))
    entered = form.cleaned_data.get("date")
    year = entered.year if isinstance(entered, dt.date) and services.MIN_YEAR <= entered.year <= services.MAX_YEAR \
        else today().year
    return render(request, "calendar_days/index.html", _context(request, year, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def delete_day(request: HttpRequest, day: str) -> HttpResponseBase:
    _require(request, "delete")
    date = _parse_date(day)
    override = CalendarDay.objects.filter(date=date).first() if date else None
    if date is None or override is None:
        raise Http404(_("该日期没有管理员录入的调整。"))
    if request.method == "POST":
        services.calendar_day_delete(actor=acting(request), date=date)
        messages.success(request, _("已删除{date}的调整").format(date=date.isoformat()))
        return redirect(index_url(date.year))
    return render(request, "calendar_days/confirm_delete.html", {
        "override": override,
        "listed": workdays.bundled().days.get(date),
        "fallback_is_workday": workdays.WorkCalendar({}).is_workday(date),
        "weekday": WEEKDAYS[date.weekday()],
        "back": index_url(date.year),
    })
