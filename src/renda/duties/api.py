"""API for duties (代表履职) — thin over the same selectors, policy and services as the pages.

Activities (list, detail, plan, state actions, attendance), the QR sign-in, a deputy's archive,
the points ranking (presidium and office) and the reports to voters (list, detail, draft,
actions). Schema names start with ``Duty``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.accounts.models import User
from renda.core import policy as base_policy
from renda.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    RefOut,
    RegionRefOut,
    TimelineOut,
    actor,
    require_list,
    search,
    visible,
    visible_ref,
    visible_refs,
)
from renda.core.errors import Forbidden, InvalidInput, NotFound
from renda.duties import policy, selectors, services
from renda.duties.models import Activity, ActivityType, Attendance, OrganizerKind, Participation, VoterReport
from renda.duties.workflow import Action, ReportAction, ReportState, State
from renda.people.models import Deputy
from renda.places.models import Level, Region

duties_router: Router = Router(tags=["代表履职"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


# -- schemas -----------------------------------------------------------------------------------------


class DutyParticipationOut(Schema):
    id: int = Field(description="ID")
    deputy: RefOut = Field(description="代表")
    attendance: str = Field(description="出席情况：expected 待签到、attended 出席、leave 请假、absent 缺席")
    signed_in_at: dt.datetime | None = Field(description="签到时间")
    via: str = Field(description="登记方式：qr 扫码签到、office 人大办登记、import 台账导入")
    note: str = Field(description="备注")


class DutyActivityOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 HD2023-001")
    type: str = Field(description="活动类型代码（METRICS activities.by_type）")
    type_label: str = Field(description="活动类型（中文）")
    title: str = Field(description="活动名称")
    on: dt.date = Field(description="活动日期")
    starts_at: dt.time | None = Field(description="开始时间")
    ends_at: dt.time | None = Field(description="结束时间")
    place: str = Field(description="活动地点")
    organizer: str = Field(description="组织单位")
    organizer_kind: str = Field(description="组织方类别")
    group_name: str = Field(description="代表小组")
    state: str = Field(description="状态：planned 计划中、held 已开展、archived 已归档、cancelled 已取消")
    town: RegionRefOut = Field(description="所属镇街")
    attended: int = Field(description="出席人数")

    @staticmethod
    def resolve_type_label(obj: Activity) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_attended(obj: Activity) -> int:
        return sum(1 for p in obj.participations.all() if p.attendance == Attendance.ATTENDED)


class DutyActivityTransitionOut(TimelineOut):
    pass


class DutyActivityDetailOut(DutyActivityOut):
    content: str = Field(description="活动内容")
    outcome: str = Field(description="活动成果")
    findings: str = Field(description="发现问题")
    participants: list[DutyParticipationOut] = Field(description="参加代表及出席情况")
    timeline: list[DutyActivityTransitionOut] = Field(description="活动记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_participants(obj: Activity) -> list[Any]:
        return list(obj.participations.all())

    @staticmethod
    def resolve_timeline(obj: Activity) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Activity) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class DutyActivityFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（编号、名称、地点、组织单位）")
    type: ActivityType | None = Field(None, description="活动类型")
    state: State | None = Field(None, description="状态")
    date_from: dt.date | None = Field(None, description="活动日期起")
    date_to: dt.date | None = Field(None, description="活动日期止")
    town_id: int | None = Field(None, description="所属镇街 ID")


class DutyActivityIn(InSchema):
    type: ActivityType = Field(description="活动类型")
    title: str = Field(min_length=1, max_length=200, description="活动名称")
    on: dt.date = Field(description="活动日期")
    starts_at: dt.time | None = Field(None, description="开始时间")
    ends_at: dt.time | None = Field(None, description="结束时间")
    place: str = Field("", max_length=200, description="活动地点")
    organizer: str = Field("", max_length=100, description="组织单位，如 区人民检察院")
    organizer_kind: OrganizerKind = Field(OrganizerKind.PRESIDIUM, description="组织方类别")
    group_name: str = Field("", max_length=100, description="代表小组")
    content: str = Field("", max_length=10000, description="活动内容")
    deputy_ids: list[int] = Field(default_factory=list, max_length=500, description="参加代表 ID")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")


class DutyActivityActionIn(InSchema):
    action: str = Field(description="hold 确认已开展、archive 归档、cancel 取消活动")
    outcome: str | None = Field(None, max_length=10000, description="活动成果（hold 时可填）")
    reason: str = Field("", max_length=2000, description="取消理由（cancel 必填）")
    expected_state: str | None = Field(None, description="客户端看到的状态；不一致时返回 409")


class DutyAttendanceIn(InSchema):
    deputy_id: int = Field(description="代表 ID（本镇街）")
    attendance: Attendance = Field(description="出席情况")
    note: str = Field("", max_length=200, description="备注（如请假事由）")


class DutySignInIn(InSchema):
    token: str = Field(min_length=1, max_length=500, description="活动签到二维码链接中的签名")


class DutyArchiveItemOut(Schema):
    activity_id: int = Field(description="活动 ID")
    on: dt.date = Field(description="活动日期")
    type: str = Field(description="活动类型代码")
    title: str = Field(description="活动名称")
    attendance: str = Field(description="出席情况")

    @staticmethod
    def resolve_on(obj: Participation) -> dt.date:
        return obj.activity.on

    @staticmethod
    def resolve_type(obj: Participation) -> str:
        return obj.activity.type

    @staticmethod
    def resolve_title(obj: Participation) -> str:
        return obj.activity.title


class DutyArchiveSuggestionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号")
    title: str = Field(description="标题")
    registered_at: dt.date = Field(description="登记日期")


class DutyPointsOut(Schema):
    label: str = Field(description="计分项")
    count: int = Field(description="次数/件数")
    weight: int = Field(description="每次积分")
    points: int = Field(description="积分")


class DutyArchiveOut(Schema):
    deputy: RefOut = Field(description="代表")
    sessions: list[DutyArchiveItemOut] = Field(description="出席会议")
    inspections: list[DutyArchiveItemOut] = Field(description="视察调研")
    trainings: list[DutyArchiveItemOut] = Field(description="学习培训")
    groups: list[DutyArchiveItemOut] = Field(description="小组活动")
    others: list[DutyArchiveItemOut] = Field(description="其他履职活动")
    suggestions: list[DutyArchiveSuggestionOut] = Field(description="意见建议")
    reports: list[int] = Field(description="述职评议 ID")
    points: int = Field(description="履职积分合计")
    points_detail: list[DutyPointsOut] = Field(description="积分明细")


class DutyPeriodFilters(Schema):
    date_from: dt.date | None = Field(None, description="起始日期")
    date_to: dt.date | None = Field(None, description="截止日期")


class DutyRankOut(Schema):
    deputy: RefOut = Field(description="代表")
    attendances: int = Field(description="出席活动次数")
    suggestions: int = Field(description="意见建议件数")
    reports: int = Field(description="述职次数")
    points: int = Field(description="履职积分")


class DutyReportTransitionOut(TimelineOut):
    pass


class DutyReportOut(Schema):
    id: int = Field(description="ID")
    deputy: RefOut = Field(description="代表")
    year: int = Field(description="述职年度")
    state: str = Field(description="状态：drafting 起草中、submitted 已提交、rated 已测评、filed 已报送主席团")
    meeting_on: dt.date | None = Field(description="述职会议日期")
    present: int | None = Field(description="到会人数")
    satisfied: int = Field(description="满意票数")
    basically_satisfied: int = Field(description="基本满意票数")
    dissatisfied: int = Field(description="不满意票数")


class DutyReportDetailOut(DutyReportOut):
    text: str = Field(description="述职报告")
    meeting_place: str = Field(description="会议地点")
    feedback: str = Field(description="反馈意见")
    filed_on: dt.date | None = Field(description="报送日期")
    timeline: list[DutyReportTransitionOut] = Field(description="述职记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_timeline(obj: VoterReport) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: VoterReport) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class DutyReportFilters(Schema):
    state: ReportState | None = Field(None, description="状态")
    year: int | None = Field(None, ge=2000, le=2100, description="述职年度")


class DutyReportDraftIn(InSchema):
    deputy_id: int = Field(description="代表 ID")
    year: int = Field(ge=2000, le=2100, description="述职年度")


class DutyReportActionIn(InSchema):
    action: str = Field(description="edit 修改、submit 提交、return 退回、rate 登记测评、feedback 反馈、file 报送存档")
    text: str | None = Field(None, max_length=20000, description="述职报告（edit）")
    reason: str = Field("", max_length=2000, description="退回理由（return）")
    meeting_on: dt.date | None = Field(None, description="述职会议日期（rate）")
    meeting_place: str = Field("", max_length=200, description="会议地点（rate）")
    present: int | None = Field(None, ge=0, le=100000, description="到会人数（rate，不少于本镇设置的最少人数）")
    satisfied: int = Field(0, ge=0, le=100000, description="满意票数（rate）")
    basically_satisfied: int = Field(0, ge=0, le=100000, description="基本满意票数（rate）")
    dissatisfied: int = Field(0, ge=0, le=100000, description="不满意票数（rate）")
    feedback: str = Field("", max_length=10000, description="反馈意见（feedback）")
    expected_state: str | None = Field(None, description="客户端看到的状态；不一致时返回 409")


# -- helpers -----------------------------------------------------------------------------------------


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    a: Activity = visible(request, selectors.activities_visible_to(actor(request)), activity_id)
    a.api_allowed_actions = [x.value for x in policy.available_actions(actor(request), a)]  # type: ignore[attr-defined]
    return a


def _report(request: HttpRequest, report_id: int) -> VoterReport:
    r: VoterReport = visible(request, selectors.reports_visible_to(actor(request)), report_id)
    r.api_allowed_actions = [x.value for x in policy.available_report_actions(actor(request), r)]  # type: ignore[attr-defined]
    return r


def _town(user: User, town_id: int | None) -> Region:
    wanted = town_id if town_id is not None else user.town_id
    if wanted is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    town = Region.objects.filter(pk=wanted, level=Level.TOWN).first()
    if town is None or not base_policy.in_town(user, town.pk):
        raise NotFound(fields={"town_id": _("不存在或无权查看：{id}").format(id=wanted)})
    return town


# -- activities --------------------------------------------------------------------------------------


@duties_router.get("/activities", response={200: list[DutyActivityOut], **ERRORS}, summary="履职活动列表")
@paginate(Pagination)
def list_duty_activities(request: HttpRequest, filters: Query[DutyActivityFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = selectors.activities_visible_to(user)
    for name, lookup in (("type", "type"), ("state", "state"), ("date_from", "on__gte"), ("date_to", "on__lte"),
                         ("town_id", "town_id")):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return search(qs, filters.q, ("code", "title", "place", "organizer")).order_by("-on", "-id")


@duties_router.get("/activities/{int:activity_id}", response={200: DutyActivityDetailOut, **ERRORS},
                   summary="履职活动详情")
def get_duty_activity(request: HttpRequest, activity_id: int) -> Activity:
    return _activity(request, activity_id)


@duties_router.post("/activities", response={201: DutyActivityDetailOut, **VERB_ERRORS}, summary="安排履职活动")
def plan_duty_activity(request: HttpRequest, payload: DutyActivityIn) -> Status[Activity]:
    user = actor(request)
    policy.require(user, Action.PLAN)
    town = _town(user, payload.town_id)
    deputies = visible_refs(Deputy.objects.filter(town_id=town.pk), payload.deputy_ids, "deputy_ids")
    a = services.activity_plan(
        actor=user, town=town, type=payload.type, title=payload.title, on=payload.on, starts_at=payload.starts_at,
        ends_at=payload.ends_at, place=payload.place, organizer=payload.organizer,
        organizer_kind=payload.organizer_kind, group_name=payload.group_name, content=payload.content,
        deputies=deputies)
    return Status(201, _activity(request, a.pk))


@duties_router.post("/activities/{int:activity_id}/actions", response={200: DutyActivityDetailOut, **VERB_ERRORS},
                    summary="履职活动状态操作（确认开展、归档、取消）")
def act_on_duty_activity(request: HttpRequest, activity_id: int, payload: DutyActivityActionIn) -> Activity:
    user = actor(request)
    a = _activity(request, activity_id)
    expected = payload.expected_state
    if payload.action == Action.HOLD:
        services.activity_hold(actor=user, activity_id=a.pk, outcome=payload.outcome, expected_state=expected)
    elif payload.action == Action.ARCHIVE:
        services.activity_archive(actor=user, activity_id=a.pk, expected_state=expected)
    elif payload.action == Action.CANCEL:
        services.activity_cancel(actor=user, activity_id=a.pk, reason=payload.reason, expected_state=expected)
    else:
        raise InvalidInput(_("不支持的操作：{a}").format(a=payload.action[:50]), fields={"action": _("不正确")})
    return _activity(request, a.pk)


@duties_router.put("/activities/{int:activity_id}/attendance", response={200: DutyParticipationOut, **VERB_ERRORS},
                   summary="登记代表出席情况")
def set_duty_attendance(request: HttpRequest, activity_id: int, payload: DutyAttendanceIn) -> Participation:
    user = actor(request)
    a = _activity(request, activity_id)
    policy.require(user, Action.ATTENDANCE, a)
    deputy = visible_ref(Deputy.objects.filter(town_id=a.town_id), payload.deputy_id, "deputy_id")
    assert deputy is not None
    p, _changed = services.activity_set_attendance(actor=user, activity_id=a.pk, deputy=deputy,
                                                   attendance=payload.attendance, note=payload.note)
    return p


@duties_router.post("/signin", response={200: DutyParticipationOut, **VERB_ERRORS}, summary="扫码签到")
def duty_sign_in(request: HttpRequest, payload: DutySignInIn) -> Participation:
    return services.activity_sign_in(actor=actor(request), token=payload.token)


# -- archive and ranking -----------------------------------------------------------------------------


@duties_router.get("/archive/{int:deputy_id}", response={200: DutyArchiveOut, **ERRORS}, summary="代表履职档案")
def get_duty_archive(request: HttpRequest, deputy_id: int, period: Query[DutyPeriodFilters]) -> dict[str, Any]:
    user = actor(request)
    d = Deputy.objects.select_related("town").filter(pk=deputy_id).first()
    if d is None or not policy.can_view_archive(user, d):
        raise NotFound()
    arc = selectors.archive(d, period.date_from, period.date_to)
    return {"deputy": d, "sessions": arc.sessions, "inspections": arc.inspections, "trainings": arc.trainings,
            "groups": arc.groups, "others": arc.others, "suggestions": arc.suggestions,
            "reports": [r.pk for r in arc.reports], "points": arc.points,
            "points_detail": [{"label": label, "count": n, "weight": w, "points": p}
                              for label, n, w, p in arc.points_detail]}


@duties_router.get("/ranking", response={200: list[DutyRankOut], **ERRORS}, summary="履职积分排名（主席团、人大办）")
def duty_ranking(request: HttpRequest, period: Query[DutyPeriodFilters]) -> list[Any]:
    user = actor(request)
    if not policy.can(user, "ranking"):
        raise Forbidden()
    return list(selectors.ranking(user, period.date_from, period.date_to))


# -- reports to voters -------------------------------------------------------------------------------


@duties_router.get("/reports", response={200: list[DutyReportOut], **ERRORS}, summary="述职评议列表")
@paginate(Pagination)
def list_duty_reports(request: HttpRequest, filters: Query[DutyReportFilters]) -> Any:
    user = actor(request)
    if not policy.can(user, "reports"):
        raise Forbidden()
    qs = selectors.reports_visible_to(user)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return qs.order_by("-year", "-id")


@duties_router.get("/reports/{int:report_id}", response={200: DutyReportDetailOut, **ERRORS}, summary="述职评议详情")
def get_duty_report(request: HttpRequest, report_id: int) -> VoterReport:
    return _report(request, report_id)


@duties_router.post("/reports", response={201: DutyReportDetailOut, **VERB_ERRORS}, summary="起草述职报告")
def draft_duty_report(request: HttpRequest, payload: DutyReportDraftIn) -> Status[VoterReport]:
    user = actor(request)
    policy.require(user, ReportAction.DRAFT)
    deputy = visible_ref(selectors.deputies_visible_to(user), payload.deputy_id, "deputy_id")
    assert deputy is not None
    r = services.report_draft(actor=user, deputy=deputy, year=payload.year)
    return Status(201, _report(request, r.pk))


@duties_router.post("/reports/{int:report_id}/actions", response={200: DutyReportDetailOut, **VERB_ERRORS},
                    summary="述职评议操作（修改、提交、退回、登记测评、反馈、报送存档）")
def act_on_duty_report(request: HttpRequest, report_id: int, payload: DutyReportActionIn) -> VoterReport:
    user = actor(request)
    r = _report(request, report_id)
    expected, action = payload.expected_state, payload.action
    if action == ReportAction.EDIT:
        services.report_edit(actor=user, report_id=r.pk, text=payload.text or "")
    elif action == ReportAction.SUBMIT:
        services.report_submit(actor=user, report_id=r.pk, expected_state=expected)
    elif action == ReportAction.RETURN:
        services.report_return(actor=user, report_id=r.pk, reason=payload.reason, expected_state=expected)
    elif action == ReportAction.RATE:
        if payload.meeting_on is None:
            raise InvalidInput(_("请填写述职会议日期"), fields={"meeting_on": _("必填")})
        services.report_rate(actor=user, report_id=r.pk, meeting_on=payload.meeting_on, present=payload.present or 0,
                             meeting_place=payload.meeting_place, satisfied=payload.satisfied,
                             basically_satisfied=payload.basically_satisfied, dissatisfied=payload.dissatisfied,
                             expected_state=expected)
    elif action == ReportAction.FEEDBACK:
        services.report_feedback(actor=user, report_id=r.pk, feedback=payload.feedback)
    elif action == ReportAction.FILE:
        services.report_file(actor=user, report_id=r.pk, expected_state=expected)
    else:
        raise InvalidInput(_("不支持的操作：{a}").format(a=action[:50]), fields={"action": _("不正确")})
    return _report(request, r.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/duties", duties_router)]
