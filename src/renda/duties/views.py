"""Pages for duties (代表履职): activities (a ``core.crud.Resource`` list with filters, search,
pagination and Excel export; the detail page with participants, attendance, files, findings,
the QR poster and the actions), the QR sign-in page (phone first), the duty archive of each
deputy (page and Word), the points ranking, awards, the points settings and the reports to
voters. Thin: selectors → policy → services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.core import policy as base
from renda.core.attachments import attachment_response
from renda.core.crud import Column, DetailField, Resource, action_panel, date_text, dispatch_action
from renda.core.documents import docx_response
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.export import xlsx_response
from renda.core.roles import Role
from renda.duties import documents, forms, policy, selectors, services, workflow
from renda.duties.models import Activity, ActivityAttachment, ActivityType, Attendance, Award, VoterReport
from renda.duties.workflow import Action, ReportAction
from renda.people.models import Deputy


def _404(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except NotFound as exc:
        raise Http404(exc.message) from exc


# --- activities --------------------------------------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    return policy.can(user, action, obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def attended_names(a: Activity) -> str:
    return "、".join(p.deputy.name for p in a.participations.all() if p.attendance == Attendance.ATTENDED)


def attended_count(a: Activity) -> int:
    return sum(1 for p in a.participations.all() if p.attendance == Attendance.ATTENDED)


def _create(user: Any, d: dict[str, Any]) -> Activity:
    return services.activity_plan(
        actor=user, town=d["town"], type=d["type"], title=d["title"], on=d["on"], starts_at=d.get("starts_at"),
        ends_at=d.get("ends_at"), place=d.get("place") or "", organizer=d.get("organizer") or "",
        organizer_kind=d["organizer_kind"], group_name=d.get("group_name") or "", content=d.get("content") or "",
        deputies=list(d.get("deputies") or []))


def _update(user: Any, obj: Activity, d: dict[str, Any]) -> tuple[Activity, bool]:
    keys = ("type", "title", "on", "starts_at", "ends_at", "place", "organizer", "organizer_kind", "group_name",
            "content", "outcome", "findings")
    return services.activity_update(actor=user, activity_id=obj.pk, changes={k: d.get(k) or (
        None if k in ("starts_at", "ends_at") else "") for k in keys if k in d},
        deputies=list(d.get("deputies") or []))


activities = Resource(
    name="duty_activities", model=Activity, label=gettext_lazy("履职活动"), label_plural=gettext_lazy("履职活动"),
    can=_can, require=_require, selector=selectors.activities_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("title", gettext_lazy("活动名称"), lambda o: o.title, link=True, card="title"),
        Column("type", gettext_lazy("活动类型"), lambda o: o.get_type_display(), sort="type", nowrap=True),
        Column("on", gettext_lazy("活动日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="deadline"),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("organizer", gettext_lazy("组织单位"), lambda o: o.organizer),
        Column("place", gettext_lazy("活动地点"), lambda o: o.place),
        Column("attended", gettext_lazy("出席人数"), attended_count, nowrap=True),
        Column("deputies", gettext_lazy("出席代表"), attended_names),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
    ],
    search_fields=("code", "title", "place", "organizer", "content"), filter_form=forms.ActivityFilter,
    default_sort="-on", form_class=forms.ActivityForm, initial=forms.activity_initial, create=_create,
    update=_update, export_name="履职活动",
)


def _get(request: HttpRequest, pk: int) -> Activity:
    a: Activity = activities.get_object(request, pk)
    _404(lambda: policy.require(request.user, "view", a))
    return a


Handler = Callable[[Any, Activity, dict[str, Any]], str]


def _hold(u: Any, a: Activity, d: dict[str, Any]) -> str:
    services.activity_hold(actor=u, activity_id=a.pk, outcome=d["outcome"], expected_state=d["state"])
    return _("已确认活动开展")


def _archive(u: Any, a: Activity, d: dict[str, Any]) -> str:
    services.activity_archive(actor=u, activity_id=a.pk, expected_state=d["state"])
    return _("已归档")


def _cancel(u: Any, a: Activity, d: dict[str, Any]) -> str:
    services.activity_cancel(actor=u, activity_id=a.pk, reason=d["reason"], expected_state=d["state"])
    return _("已取消活动")


def _attendance(u: Any, a: Activity, d: dict[str, Any]) -> str:
    services.activity_set_attendance(actor=u, activity_id=a.pk, deputy=d["deputy"], attendance=d["attendance"],
                                     note=d.get("note") or "")
    return _("已登记「{name}」的出席情况").format(name=d["deputy"].name)


def _attach(u: Any, a: Activity, d: dict[str, Any]) -> str:
    saved = services.activity_attach(actor=u, activity_id=a.pk, files=d["attachments"], kind=d["kind"])
    return _("已上传 {n} 个文件").format(n=len(saved))


def _finding(u: Any, a: Activity, d: dict[str, Any]) -> str:
    link = services.activity_finding(actor=u, activity_id=a.pk, title=d["title"], content=d.get("content") or "",
                                     lead_deputy=d.get("lead_deputy"))
    return _("已转为意见建议，编号 {code}").format(code=link.suggestion.code)


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.HOLD: (forms.HoldForm, _hold),
    Action.ATTENDANCE: (forms.AttendanceForm, _attendance),
    Action.ATTACH: (forms.AttachForm, _attach),
    Action.FINDING: (forms.FindingForm, _finding),
    Action.ARCHIVE: (forms.ArchiveForm, _archive),
    Action.CANCEL: (forms.CancelForm, _cancel),
}


def page_actions(user: Any, a: Activity) -> list[Action]:
    return [x for x in policy.available_actions(user, a) if x in ACTIONS]


def _signin_url(request: HttpRequest, a: Activity) -> str:
    return request.build_absolute_uri(reverse("duties:signin", args=[services.signin_token(a)]))


def _render_detail(request: HttpRequest, a: Activity, *, bound: tuple[Action, Any] | None = None,
                   status: int = 200) -> HttpResponse:
    user: Any = request.user
    own = policy.deputy_of(user)
    participations = list(a.participations.select_related("deputy").order_by("-deputy__level", "deputy__name"))
    mine = next((p for p in participations if own and p.deputy_id == own), None)
    opens, closes = services.signin_window(a)
    ctx = {
        "resource": activities, "obj": a, "a": a,
        "actions": action_panel(page_actions(user, a), ACTIONS, bound=bound, label=workflow.label,
                                form_kwargs={"activity": a}, user=user, danger=[Action.CANCEL]),
        "participations": participations, "mine": mine,
        "counts": {k: sum(1 for p in participations if p.attendance == k) for k in Attendance.values},
        "attachments": list(a.attachments.order_by("id")),
        "suggestions": [x.suggestion for x in a.suggestion_links.select_related("suggestion").order_by("id")],
        "can_change": a.state in (workflow.State.PLANNED, workflow.State.HELD) and policy.can(user, "change", a),
        "can_poster": policy.can(user, "poster", a),
        "window": (opens, closes - dt.timedelta(minutes=1)),
        "signin_url": _signin_url(request, a) if mine is not None and mine.attendance != Attendance.ATTENDED
        and a.state in (workflow.State.PLANNED, workflow.State.HELD) else "",
        "transitions": a.transitions.order_by("on", "at", "id"),
    }
    return render(request, "duties/activity_detail.html", ctx, status=status)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def activity_act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    a = _get(request, pk)
    act, form, done, _error = dispatch_action(
        request, a, action, parse=Action, actions=ACTIONS, require=policy.require, form_kwargs={"activity": a},
        detail="duty_activities:detail", offered=lambda: page_actions(request.user, a),
        refusal=lambda x: workflow.refusal_for(a.state, x))
    if done is not None:
        return done
    a.refresh_from_db()
    if act not in page_actions(request.user, a):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render_detail(request, a, bound=(act, form), status=400)


@login_required
def activity_attachment(request: HttpRequest, pk: int, att_id: int) -> FileResponse:
    a = _get(request, pk)
    att = ActivityAttachment.objects.filter(pk=att_id, activity_id=a.pk).first()
    if att is None:
        raise Http404
    return attachment_response(att)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno), scalable to its box."""
    return segno.make(url, error="m").svg_inline(scale=1, omitsize=True, border=2)


@login_required
def activity_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 sign-in poster (签到二维码): print it and put it up at the activity."""
    a = _get(request, pk)
    _404(lambda: policy.require(request.user, "poster", a))
    url = _signin_url(request, a)
    opens, closes = services.signin_window(a)
    return render(request, "duties/poster.html", {
        "a": a, "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's SVG of our own URL, no user text
        "url": url, "opens": opens, "closes": closes - dt.timedelta(minutes=1)})


# --- the QR sign-in ----------------------------------------------------------------------------------


@login_required
def signin(request: HttpRequest, token: str) -> HttpResponse:
    """扫码签到 (phone first): the activity and a 签到 button, or why the deputy cannot sign in.

    A forged link is told on the page; another town's activity (one the user may not see) is a
    404; a user who is not a deputy gets a 403. Every other refusal (not a participant, not yet,
    expired, twice) is told on the page: 200 for the GET, the error's status for the POST."""
    user: Any = request.user
    try:
        activity_id, _expires = services.read_token(token)
    except ApplicationError as exc:
        return render(request, "duties/signin.html", {"activity": None, "error": exc.message},
                      status=200 if request.method == "GET" else exc.status)
    activity = Activity.objects.select_related("town").filter(pk=activity_id).first()
    if activity is None or not policy.can_view_activity(user, activity):
        raise Http404(_("记录不存在或无权查看。"))
    own = policy.deputy_of(user)
    if not own:
        raise Forbidden(_("只有参加本次活动的代表可以签到，请使用代表本人的账号登录"))
    participation = activity.participations.select_related("deputy").filter(deputy_id=own).first()
    error, done, status, twice = "", False, 200, False
    try:
        if request.method == "POST":
            participation = services.activity_sign_in(actor=user, token=token)
            done = True
        else:
            services.signin_check(actor=user, token=token)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        error, status = exc.message, (200 if request.method == "GET" else exc.status)
        twice = exc.code == "twice"
    return render(request, "duties/signin.html", {
        "activity": activity, "p": participation, "error": error, "done": done, "twice": twice,
        "window": services.signin_window(activity)}, status=status)


# --- the archive (履职档案) and the ranking -------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[forms.PeriodFilter, dt.date | None, dt.date | None]:
    form = forms.PeriodFilter(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    return form, start, end


@login_required
def archive_index(request: HttpRequest) -> HttpResponseBase:
    """履职档案: a deputy goes to their own archive; the office picks a deputy."""
    user: Any = request.user
    own = policy.deputy_of(user)
    if user.role == Role.DEPUTY:
        if not own:
            raise Http404
        return redirect("duties:archive", own)
    if user.role not in policy.ARCHIVE_READERS:
        raise Forbidden()
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]  # PostgreSQL refuses NUL in text
    deputies = selectors.deputies_visible_to(user).filter(is_active=True).order_by("town__code", "-level", "name")
    if q:
        deputies = deputies.filter(name__icontains=q)
    return render(request, "duties/archive_index.html", {"deputies": deputies[:500], "q": q,
                                                         "can_rank": policy.can(user, "ranking")})


def _deputy(request: HttpRequest, deputy_id: int) -> Deputy:
    d = Deputy.objects.select_related("town", "village").filter(pk=deputy_id).first()
    if d is None or not policy.can_view_archive(request.user, d):
        raise Http404(_("记录不存在或无权查看。"))
    return d


@login_required
def archive(request: HttpRequest, deputy_id: int) -> HttpResponse:
    d = _deputy(request, deputy_id)
    form, start, end = _period(request)
    arc = selectors.archive(d, start, end)
    return render(request, "duties/archive.html", {
        "d": d, "arc": arc, "form": form, "query": request.GET.urlencode(),
        "can_award": policy.can(request.user, "award"),
        "can_draft": policy.can(request.user, ReportAction.DRAFT)})


@login_required
def archive_docx(request: HttpRequest, deputy_id: int) -> HttpResponse:
    d = _deputy(request, deputy_id)
    _form, start, end = _period(request)
    content = documents.render_archive(selectors.archive(d, start, end))
    return docx_response(f"履职档案-{d.name}.docx", content)


@login_required
def ranking(request: HttpRequest) -> HttpResponseBase:
    """履职积分排名: presidium and office only."""
    if not policy.can(request.user, "ranking"):
        raise Forbidden()
    form, start, end = _period(request)
    rows = selectors.ranking(request.user, start, end)
    if request.GET.get("export") == "xlsx":
        headers = [_("名次"), _("代表"), _("层级"), _("出席活动"), _("意见建议"), _("述职"), _("履职积分")]
        data = [[i, r.deputy.name, r.deputy.get_level_display(), r.attendances, r.suggestions, r.reports, r.points]
                for i, r in enumerate(rows, start=1)]
        return xlsx_response(f"履职积分排名-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
                             [(_("履职积分排名"), headers, data)])
    params = request.GET.copy()
    params["export"] = "xlsx"
    return render(request, "duties/ranking.html", {"rows": rows, "form": form, "export_query": params.urlencode()})


# --- settings -------------------------------------------------------------------------------------


@login_required
def settings_view(request: HttpRequest) -> HttpResponseBase:
    """履职积分设置 of the user's town (the office)."""
    user: Any = request.user
    if not policy.can(user, "settings") or not user.town_id:
        raise Forbidden()
    current = selectors.settings_for(user.town_id)
    initial = {"per_suggestion": current.per_suggestion, "per_report": current.per_report,
               "report_cadence": current.report_cadence, "min_present": current.min_present,
               **{f"weight_{t.value}": current.weight(t.value) for t in ActivityType}}
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _obj, changed = services.settings_update(
                actor=user, town=user.town, weights={t.value: d[f"weight_{t.value}"] for t in ActivityType},
                per_suggestion=d["per_suggestion"], per_report=d["per_report"], report_cadence=d["report_cadence"],
                min_present=d["min_present"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存履职积分设置") if changed else _("没有任何改动"))
            return redirect("duties:settings")
    return render(request, "duties/settings.html", {"form": form}, status=400 if form.errors else 200)


# --- awards -----------------------------------------------------------------------------------------


def _award_create(user: Any, d: dict[str, Any]) -> Award:
    return services.award_create(actor=user, recipient=d["recipient"], deputy=d.get("deputy"),
                                 town=d.get("town") or getattr(user, "town", None), title=d["title"], body=d["body"],
                                 on=d["on"])


def _award_update(user: Any, obj: Award, d: dict[str, Any]) -> tuple[Award, bool]:
    return services.award_update(actor=user, award_id=obj.pk, recipient=d["recipient"], deputy=d.get("deputy"),
                                 title=d["title"], body=d["body"], on=d["on"])


def _award_can(user: Any, action: str, obj: Any = None) -> bool:
    if obj is None and action in {"list", "export", "view"}:
        return policy.can(user, "archives")
    if obj is None and action == "create":
        return policy.can(user, "award")
    return policy.can(user, action, obj)


#: One table of honours (decision 0018-presidium-honours): the presidium's, the office's and the
#: deputies'; a deputy's also appear in their duty archive.
awards = Resource(
    name="duty_awards", model=Award, label=gettext_lazy("荣誉"), label_plural=gettext_lazy("荣誉"),
    can=_award_can, require=lambda u, a, o=None: base.require(_award_can, u, a, o),
    selector=selectors.awards_visible_to,
    columns=[
        Column("title", gettext_lazy("荣誉名称"), lambda o: o.title, link=True, card="title"),
        Column("recipient", gettext_lazy("获奖对象"), lambda o: o.recipient_text, sort="recipient", card="code"),
        Column("body", gettext_lazy("授予单位"), lambda o: o.body),
        Column("on", gettext_lazy("授予日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="deadline"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("title", "body", "deputy__name"), filter_form=forms.AwardFilter, default_sort="-on",
    form_class=forms.AwardForm, create=_award_create, update=_award_update, export_name="荣誉",
    initial=lambda u, o: {} if o is None else {"recipient": o.recipient, "deputy": o.deputy_id, "title": o.title,
                                                 "body": o.body, "on": o.on},
    detail_fields=[
        DetailField(gettext_lazy("获奖对象"), lambda o: o.get_recipient_display()),
        DetailField(gettext_lazy("代表"), lambda o: o.deputy.name if o.deputy else "—"),
        DetailField(gettext_lazy("荣誉名称"), lambda o: o.title),
        DetailField(gettext_lazy("授予单位"), lambda o: o.body),
        DetailField(gettext_lazy("授予日期"), lambda o: date_text(o.on)),
        DetailField(gettext_lazy("所属镇街"), lambda o: o.town.name),
    ],
)


# --- reports to voters (述职评议) ---------------------------------------------------------------------


def _report_create(user: Any, d: dict[str, Any]) -> VoterReport:
    return services.report_draft(actor=user, deputy=d["deputy"], year=d["year"])


def _report_can(user: Any, action: str, obj: Any = None) -> bool:
    if obj is None and action in {"list", "export", "view"}:
        return policy.can(user, "reports")
    if obj is None and action == "create":
        return policy.can(user, ReportAction.DRAFT)
    return policy.can(user, action, obj)


reports = Resource(
    name="duty_reports", model=VoterReport, label=gettext_lazy("述职评议"), label_plural=gettext_lazy("述职评议"),
    can=_report_can, require=lambda u, a, o=None: base.require(_report_can, u, a, o),
    selector=selectors.reports_visible_to,
    columns=[
        Column("deputy", gettext_lazy("代表"), lambda o: o.deputy.name, sort="deputy__name", link=True, card="title"),
        Column("year", gettext_lazy("述职年度"), lambda o: o.year, sort="year", nowrap=True, card="code"),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("meeting_on", gettext_lazy("述职会议日期"), lambda o: date_text(o.meeting_on), sort="meeting_on",
               nowrap=True),
        Column("present", gettext_lazy("到会人数"), lambda o: o.present if o.present is not None else ""),
        Column("satisfied", gettext_lazy("满意"), lambda o: o.satisfied if o.present is not None else ""),
        Column("basically_satisfied", gettext_lazy("基本满意"),
               lambda o: o.basically_satisfied if o.present is not None else ""),
        Column("dissatisfied", gettext_lazy("不满意"), lambda o: o.dissatisfied if o.present is not None else ""),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("deputy__name", "text"), filter_form=forms.ReportFilter, default_sort="-year",
    form_class=forms.DraftReportForm, create=_report_create, export_name="述职评议",
)


def _get_report(request: HttpRequest, pk: int) -> VoterReport:
    r: VoterReport = reports.get_object(request, pk)
    _404(lambda: policy.require(request.user, "view", r))
    return r


RHandler = Callable[[Any, VoterReport, dict[str, Any]], str]


def _r_edit(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    _obj, changed = services.report_edit(actor=u, report_id=r.pk, text=d["text"])
    return _("已保存述职报告") if changed else _("没有任何改动")


def _r_submit(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    services.report_submit(actor=u, report_id=r.pk, expected_state=d["state"])
    return _("已提交述职报告")


def _r_return(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    services.report_return(actor=u, report_id=r.pk, reason=d["reason"], expected_state=d["state"])
    return _("已退回修改")


def _r_rate(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    services.report_rate(actor=u, report_id=r.pk, meeting_on=d["meeting_on"], meeting_place=d.get("meeting_place")
                         or "", present=d["present"], satisfied=d["satisfied"],
                         basically_satisfied=d["basically_satisfied"], dissatisfied=d["dissatisfied"],
                         expected_state=d["state"])
    return _("已登记测评结果")


def _r_feedback(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    services.report_feedback(actor=u, report_id=r.pk, feedback=d["feedback"])
    return _("已反馈意见")


def _r_file(u: Any, r: VoterReport, d: dict[str, Any]) -> str:
    services.report_file(actor=u, report_id=r.pk, on=d["on"], expected_state=d["state"])
    return _("已报送主席团存档")


REPORT_ACTIONS: dict[ReportAction, tuple[type[forms.ReportActionForm], RHandler]] = {
    ReportAction.EDIT: (forms.EditReportForm, _r_edit),
    ReportAction.SUBMIT: (forms.SubmitReportForm, _r_submit),
    ReportAction.RETURN: (forms.ReturnReportForm, _r_return),
    ReportAction.RATE: (forms.RateReportForm, _r_rate),
    ReportAction.FEEDBACK: (forms.FeedbackReportForm, _r_feedback),
    ReportAction.FILE: (forms.FileReportForm, _r_file),
}


def report_page_actions(user: Any, r: VoterReport) -> list[ReportAction]:
    return [x for x in policy.available_report_actions(user, r) if x in REPORT_ACTIONS]


def _render_report(request: HttpRequest, r: VoterReport, *, bound: tuple[ReportAction, Any] | None = None,
                   status: int = 200) -> HttpResponse:
    user = request.user
    ctx = {"resource": reports, "obj": r, "r": r,
           "actions": action_panel(report_page_actions(user, r), REPORT_ACTIONS, bound=bound,
                                   label=workflow.report_label, form_kwargs={"report": r}, user=user),
           "minimum": selectors.settings_for(r.town_id).min_present,
           "transitions": r.transitions.order_by("on", "at", "id")}
    return render(request, "duties/report_detail.html", ctx, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_report(request, _get_report(request, pk))


@login_required
@require_POST
def report_act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    r = _get_report(request, pk)
    act, form, done, _error = dispatch_action(
        request, r, action, parse=ReportAction, actions=REPORT_ACTIONS, require=policy.require,
        form_kwargs={"report": r}, detail="duty_reports:detail", offered=lambda: report_page_actions(request.user, r),
        refusal=lambda x: workflow.report_refusal_for(r.state, x))
    if done is not None:
        return done
    r.refresh_from_db()
    if act not in report_page_actions(request.user, r):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render_report(request, r, bound=(act, form), status=400)
