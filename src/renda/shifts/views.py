"""Pages of the duty roster (信访值班): the month roster, generating a month (preview, then
confirm), a shift with its people, swaps and attendance, a day's attendance, the person-times
summary and the Excel export. Thin: selectors → policy → services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.security import log_event
from renda.core.crud import add_error
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.export import xlsx_response
from renda.core.types import acting
from renda.places.models import Region
from renda.shifts import forms, policy, rotation, selectors, services, workflow
from renda.shifts.models import AssignmentState, DutyAssignment, DutyShift, Period
from renda.shifts.workflow import Action, State

# --- lookups ---------------------------------------------------------------------------------


def _missing(request: HttpRequest, model: type[Any], pk: int) -> Http404:
    if model._default_manager.filter(pk=pk).exists():
        log_event(kind="not_found", user=request.user, path=request.path, detail=f"{model._meta.label_lower}:{pk}")
    return Http404(_("记录不存在或无权查看。"))


def _shift(request: HttpRequest, pk: int) -> DutyShift:
    """The shift if this user may see it; another town's shift is a 404 (logged)."""
    shift = selectors.shifts_visible_to(request.user).filter(pk=pk).first()
    if shift is None:
        raise _missing(request, DutyShift, pk)
    return shift


def _assignment(request: HttpRequest, pk: int) -> DutyAssignment:
    a = selectors.assignments_visible_to(request.user).filter(pk=pk).first()
    if a is None:
        raise _missing(request, DutyAssignment, pk)
    return a


def _town(request: HttpRequest) -> Region:
    """The town whose roster is shown: ``?town=`` among those the user may read, else their own,
    else the first one (district users)."""
    user: Any = request.user
    towns = selectors.towns_visible_to(user)
    wanted = request.GET.get("town") or request.POST.get("town")
    if wanted and wanted.isdigit():
        town = towns.filter(pk=int(wanted)).first()
        if town is None:
            raise Http404(_("记录不存在或无权查看。"))
        return town
    town = towns.filter(pk=user.town_id).first() if user.town_id else towns.first()
    if town is None:
        raise Http404(_("没有可查看的镇街"))
    return town


def _month(request: HttpRequest) -> tuple[int, int]:
    return rotation.parse_month(request.GET.get("month"), timezone.localdate())


def _roster_url(town: Region, day: dt.date) -> str:
    return reverse("shifts:roster") + "?" + urlencode({"town": str(town.pk), "month": day.strftime("%Y-%m")})


def _can_manage(user: Any, town: Region) -> bool:
    return policy.can(user, "create", DutyShift(town=town, date=timezone.localdate()))


def _back(request: HttpRequest, shift: DutyShift) -> HttpResponseBase:
    return redirect("shifts:detail", shift.pk)


# --- the month roster --------------------------------------------------------------------------


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "list")
    town = _town(request)
    year, month = _month(request)
    data = selectors.month_roster(request.user, town=town, year=year, month=month)
    prev, nxt = rotation.shift_month(year, month, -1), rotation.shift_month(year, month, 1)
    ctx = {
        "roster": data, "town": town, "towns": selectors.towns_visible_to(request.user),
        "month": f"{year:04d}-{month:02d}", "prev": f"{prev[0]:04d}-{prev[1]:02d}",
        "next": f"{nxt[0]:04d}-{nxt[1]:02d}", "today": timezone.localdate(),
        "can_manage": _can_manage(request.user, town), "my_deputy_id": getattr(request.user, "deputy_id", None),
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
    }
    return render(request, "shifts/roster.html", ctx)


@login_required
def generate(request: HttpRequest) -> HttpResponseBase:
    """生成月度排班: the form, a preview of the plan, then confirm."""
    policy.require(request.user, "create")
    town = _town(request)
    policy.require(request.user, "create", DutyShift(town=town, date=timezone.localdate()))
    year, month = _month(request)
    data = request.POST if request.method == "POST" else None
    form = forms.GenerateForm(data, initial={"month": f"{year:04d}-{month:02d}"})
    plan = None
    if data is not None and form.is_valid():
        (year, month), d = form.cleaned_data["month"], form.cleaned_data
        try:
            if "confirm" in request.POST:
                made = services.roster_generate(actor=acting(request), town=town, year=year, month=month,
                                                per_day=d["per_day"], period=d["period"], location=d["location"])
                messages.success(request, _("已生成 {n} 个班次").format(n=len(made)))
                return redirect(_roster_url(town, dt.date(year, month, 1)))
            plan = selectors.month_plan(town=town, year=year, month=month, per_day=d["per_day"], period=d["period"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
    return render(request, "shifts/generate.html", {"form": form, "plan": plan, "town": town})


@login_required
def create(request: HttpRequest) -> HttpResponseBase:
    """新增班次 for one day, with its people."""
    policy.require(request.user, "create")
    town = _town(request)
    policy.require(request.user, "create", DutyShift(town=town, date=timezone.localdate()))
    initial = {"date": request.GET.get("date") or timezone.localdate().isoformat()}
    form = forms.ShiftForm(request.POST if request.method == "POST" else None, town_id=town.pk, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            shift = services.shift_create(actor=acting(request), town=town, date=d["date"], period=d["period"],
                                          location=d["location"], note=d["note"], deputies=list(d["deputies"]))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已新增班次 {shift}").format(shift=shift))
            return redirect("shifts:detail", shift.pk)
    return render(request, "shifts/form.html", {"form": form, "town": town, "title": _("新增值班班次")})


# --- one shift ------------------------------------------------------------------------------------


#: How a person's row offers each action of the workflow table: (view, button style, the
#: attendance state it posts — none for a link to the action's form).
BUTTONS: dict[Action, tuple[str, str, str | None]] = {
    Action.ATTEND: ("shifts:attendance", "btn-outline-success", State.ATTENDED),
    Action.ABSENT: ("shifts:attendance", "btn-outline-danger", State.ABSENT),
    Action.RESET: ("shifts:attendance", "btn-outline-secondary", State.SCHEDULED),
    Action.SWAP: ("shifts:swap", "btn-outline-primary", None),
    Action.EXCHANGE: ("shifts:exchange", "btn-outline-primary", None),
    Action.REMOVE: ("shifts:remove", "btn-outline-danger", ""),
}


def _buttons(user: Any, a: DutyAssignment, *, today: dt.date, replaced: bool) -> list[dict[str, Any]]:
    """The buttons of one person's row: the actions ``policy.available_actions`` offers now, in the
    order of the table's actions."""
    out = []
    for action in policy.available_actions(user, a, today=today, replaced=replaced):
        view, style, state = BUTTONS[action]
        out.append({"action": action.value, "label": workflow.label(action), "url": reverse(view, args=[a.pk]),
                    "style": style, "post": state is not None, "state": state or ""})
    return out


def _refused(request: HttpRequest, a: DutyAssignment, action: Action) -> bool:
    """An action the page does not offer now is refused before anything is read or written, with
    the reason in words (the table's or a guard's) as a message."""
    if action in policy.available_actions(request.user, a):
        return False
    reason = workflow.refusal(a.state, action, policy.facts(a))
    messages.error(request, reason or _("当前不能办理此操作，请刷新页面查看可办理的操作"))
    return True


def _ok(check: Any, **facts: Any) -> bool:
    try:
        check(**facts)
    except ApplicationError:
        return False
    return True


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    policy.require(request.user, "view", shift)
    people = list(selectors.with_people(DutyShift.objects.filter(pk=shift.pk))[0].assignments.all())
    manage = policy.can(request.user, "change", shift)
    today = timezone.localdate()
    replaced = {a.replaces_id for a in people if a.replaces_id}  # a replacement is on the same shift
    for a in people:
        a.shift = shift
        a.buttons = _buttons(request.user, a, today=today, replaced=a.pk in replaced)  # type: ignore[attr-defined]
    deletable = manage and _ok(workflow.check_shift_deletable, states=[a.state for a in people],
                               visits=selectors.has_visits(shift))
    ctx = {
        "shift": shift, "people": people, "manage": manage, "today": today, "deletable": deletable,
        "attendance_open": shift.date <= today,
        "add_form": forms.AddPersonForm(shift=shift) if manage else None,
        "visits": selectors.visits_for(request.user, shift),
        "show_visits": selectors.visits_installed() and policy.can_see_visits(request.user),
        "timeline": selectors.timeline(shift),
        "my_deputy_id": getattr(request.user, "deputy_id", None),
        "attended": sum(1 for a in people if a.state == AssignmentState.ATTENDED),
    }
    return render(request, "shifts/detail.html", ctx)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    shift = _shift(request, pk)
    policy.require(request.user, "change", shift)
    form = forms.ShiftEditForm(request.POST if request.method == "POST" else None,
                               initial={"location": shift.location, "note": shift.note})
    if request.method == "POST" and form.is_valid():
        try:
            _obj, changed = services.shift_update(actor=acting(request), shift_id=shift.pk, **form.cleaned_data)
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已保存修改") if changed else _("没有任何改动"))
            return redirect("shifts:detail", shift.pk)
    return render(request, "shifts/form.html", {"form": form, "town": shift.town, "shift": shift,
                                                "title": _("修改班次 {shift}").format(shift=shift)})


def _run(request: HttpRequest, fn: Any, ok: str, **kwargs: Any) -> bool:
    """Call a service; a domain error becomes a message (policy errors propagate as 403/404)."""
    try:
        fn(actor=acting(request), **kwargs)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, ok)
    return True


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    shift = _shift(request, pk)
    policy.require(request.user, "delete", shift)
    if _run(request, services.shift_delete, _("已删除班次 {shift}").format(shift=shift), shift_id=shift.pk):
        return redirect(_roster_url(shift.town, shift.date))
    return _back(request, shift)


@login_required
@require_POST
def add_person(request: HttpRequest, pk: int) -> HttpResponseBase:
    shift = _shift(request, pk)
    policy.require(request.user, "change", shift)
    form = forms.AddPersonForm(request.POST, shift=shift)
    if not form.is_valid():
        messages.error(request, _("请选择值班人员"))
        return _back(request, shift)
    deputy = form.cleaned_data["deputy"]
    _run(request, services.assignment_add, _("已安排「{name}」值班").format(name=deputy.name), shift_id=shift.pk,
         deputy=deputy, note=form.cleaned_data["note"])
    return _back(request, shift)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    a = _assignment(request, pk)
    policy.require(request.user, "change", a)
    if not _refused(request, a, Action.REMOVE):
        _run(request, services.assignment_remove, _("已移除「{name}」").format(name=a.deputy.name),
             assignment_id=a.pk)
    return _back(request, a.shift)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponseBase:
    a = _assignment(request, pk)
    policy.require(request.user, "change", a)
    state = request.POST.get("state", "")
    try:
        action = workflow.action_for(state)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(request, a.shift)
    if not _refused(request, a, action):
        label = dict(AssignmentState.choices).get(state, state)
        _run(request, services.assignment_record, _("「{name}」：{state}").format(name=a.deputy.name, state=label),
             assignment_id=a.pk, state=state)
    return _back(request, a.shift)


@login_required
def swap(request: HttpRequest, pk: int) -> HttpResponseBase:
    """调班: someone else takes this person's place on the shift."""
    a = _assignment(request, pk)
    policy.require(request.user, "change", a)
    if _refused(request, a, Action.SWAP):
        return _back(request, a.shift)
    form = forms.SwapForm(request.POST if request.method == "POST" else None, assignment=a)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_swap(actor=acting(request), assignment_id=a.pk, replacement=d["replacement"],
                                     note=d["note"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已调班：「{new}」替换「{old}」").format(new=d["replacement"].name,
                                                                       old=a.deputy.name))
            return _back(request, a.shift)
    return render(request, "shifts/form.html", {
        "form": form, "town": a.shift.town, "shift": a.shift,
        "title": _("调班：{shift}「{name}」").format(shift=a.shift, name=a.deputy.name)})


@login_required
def exchange(request: HttpRequest, pk: int) -> HttpResponseBase:
    """互换班次: two people trade their shifts."""
    a = _assignment(request, pk)
    policy.require(request.user, "change", a)
    if _refused(request, a, Action.EXCHANGE):
        return _back(request, a.shift)
    form = forms.ExchangeForm(request.POST if request.method == "POST" else None, user=request.user, assignment=a,
                              today=min(a.shift.date, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_exchange(actor=acting(request), assignment_id=a.pk, other_id=d["other"].pk,
                                         note=d["note"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已互换班次"))
            return _back(request, a.shift)
    return render(request, "shifts/form.html", {
        "form": form, "town": a.shift.town, "shift": a.shift,
        "title": _("互换班次：{shift}「{name}」").format(shift=a.shift, name=a.deputy.name)})


# --- a day's attendance -------------------------------------------------------------------------


@login_required
def day(request: HttpRequest) -> HttpResponseBase:
    """登记一天的考勤 (到岗/缺勤) for every person on the town's shifts of that day."""
    policy.require(request.user, "create")
    town = _town(request)
    policy.require(request.user, "create", DutyShift(town=town, date=timezone.localdate()))
    try:
        date = dt.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        date = timezone.localdate()
    shifts = list(selectors.with_people(selectors.shifts_visible_to(request.user).filter(town=town, date=date)))
    assignments = [a for s in sorted(shifts, key=lambda s: selectors.PERIOD_ORDER.get(Period(s.period), 9))
                   for a in s.assignments.all()]
    for a in assignments:  # the form labels use the shift; it is already loaded
        a.shift = next(s for s in shifts if s.pk == a.shift_id)
    form = forms.DayAttendanceForm(request.POST if request.method == "POST" else None, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.attendance_record_day(actor=acting(request), town=town, date=date, states=form.states())
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记考勤，{n} 人次有变化").format(n=n))
            return redirect(_roster_url(town, date))
    return render(request, "shifts/day.html", {"form": form, "town": town, "date": date, "shifts": shifts,
                                               "future": date > timezone.localdate()})


# --- person-times and the export ---------------------------------------------------------------------


def _range(request: HttpRequest) -> tuple[forms.RangeForm, Region | None, dt.date | None, dt.date | None]:
    """The summary/export filters: ``month`` wins over ``start``/``end``; town limited to the user's."""
    form = forms.RangeForm(request.GET or None, user=request.user)
    town: Region | None = None
    start = end = None
    if form.is_bound and form.is_valid():
        town = form.cleaned_data["town"]
        if form.cleaned_data["month"]:
            year, month = rotation.parse_month(form.cleaned_data["month"], timezone.localdate())
            start, end = rotation.month_bounds(year, month)
        else:
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    user: Any = request.user
    if town is None and user.town_id:
        town = selectors.towns_visible_to(user).filter(pk=user.town_id).first()
    return form, town, start, end


@login_required
def summary(request: HttpRequest) -> HttpResponseBase:
    """值班人次统计: who served how many times in a period."""
    policy.require(request.user, "summary")
    form, town, start, end = _range(request)
    rows = selectors.person_times(request.user, town=town, start=start, end=end)
    if request.GET.get("export") == "xlsx":
        headers = [_("值班人员"), _("主席团成员"), _("所属镇街"), _("到岗人次"), _("缺勤"), _("已调换"), _("已排班")]
        data = ([r["deputy__name"], r["deputy__is_presidium"], r["shift__town__name"], r["attended"], r["absent"],
                 r["swapped"], r["scheduled"]] for r in rows)
        return xlsx_response(_export_name(_("值班人次"), start, end), [(_("值班人次"), headers, data)])
    months = selectors.monthly_totals(request.user, town=town, start=start, end=end)
    return render(request, "shifts/summary.html", {
        "form": form, "rows": rows, "months": months, "town": town, "start": start, "end": end,
        "total": sum(r["attended"] for r in rows), "query": request.GET.urlencode(),
        "my_deputy_id": getattr(request.user, "deputy_id", None)})


def _export_name(what: str, start: dt.date | None, end: dt.date | None) -> str:
    span = f"{start.isoformat() if start else ''}_{end.isoformat() if end else ''}".strip("_")
    return f"{what}-{span or timezone.localdate().isoformat()}.xlsx"


def _export_rows(qs: Any) -> Iterator[list[Any]]:
    for a in qs.iterator(chunk_size=2000):
        yield [a.shift.date, a.shift.get_period_display(), a.shift.town.name, a.deputy.name,
               a.deputy.is_presidium, a.get_state_display(), a.replaces.deputy.name if a.replaces else "",
               a.shift.location, a.note]


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """值班表 Excel: one row per person and shift, by month (``month``) or date range."""
    policy.require(request.user, "export")
    _form, town, start, end = _range(request)
    if start is None and end is None:
        start, end = rotation.month_bounds(*_month(request))
    qs = selectors.assignments_visible_to(request.user).filter(shift__date__gte=start, shift__date__lte=end)
    if town is not None:
        qs = qs.filter(shift__town=town)
    qs = qs.annotate(period_rank=selectors.period_rank("shift__period")).order_by(
        "shift__town__code", "shift__date", "period_rank", "id")
    headers = [_("值班日期"), _("时段"), _("所属镇街"), _("值班人员"), _("主席团成员"), _("状态"), _("替换人员"),
               _("地点"), _("备注")]
    return xlsx_response(_export_name(_("信访值班"), start, end), [(_("信访值班"), headers, _export_rows(qs))])
