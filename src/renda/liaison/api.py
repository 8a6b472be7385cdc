"""API of the liaison records (联系群众) — thin over the same selectors, policy and services as
the pages. Voters' and visitors' personal data are masked; ``POST …/reveal`` with a reason
returns a visitor in clear to the town's office and presidium, audited."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    RefOut,
    RevealIn,
    TimelineOut,
    actor,
    visible,
    visible_ref,
    visible_refs,
)
from renda.core.errors import InvalidInput
from renda.liaison import policy, selectors, services, targets
from renda.liaison.models import ContactWay, PresidiumContact, Reception, VoterContact
from renda.liaison.models import DeputyGroup as Group
from renda.liaison.models import Station as StationModel
from renda.liaison.workflow import Action, State
from renda.people.models import Deputy

liaison_router: Router = Router(tags=["联系群众"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


# -- schemas -----------------------------------------------------------------------------------------


class LiaisonVoterContactOut(Schema):
    id: int = Field(description="ID")
    deputy: RefOut = Field(description="代表")
    on: dt.date = Field(description="联系日期")
    way: str = Field(description="联系方式：visit 走访、phone 电话、reception 接待、meeting 座谈会、online 网络")
    households: int = Field(description="联系选民（户）")
    place: str = Field(description="地点")
    issues: str = Field(description="反映问题")
    suggestion_id: int | None = Field(description="转为的意见建议 ID")


class LiaisonVoterContactIn(InSchema):
    deputy_id: int | None = Field(None, description="代表 ID；代表本人记录时不填")
    on: dt.date | None = Field(None, description="联系日期（默认今天，不晚于今天）")
    way: ContactWay = Field(description="联系方式")
    households: int = Field(1, ge=1, le=10000, description="联系选民（户）")
    voter_ids: list[int] = Field(default_factory=list, max_length=200, description="联系选民户 ID（本代表登记的）")
    place: str = Field("", max_length=200, description="地点")
    issues: str = Field("", max_length=10000, description="反映问题")


class LiaisonPresidiumContactOut(Schema):
    id: int = Field(description="ID")
    presidium_member: RefOut = Field(description="主席团成员")
    deputy: RefOut = Field(description="联系代表")
    on: dt.date = Field(description="联系日期")
    way: str = Field(description="联系方式")
    content: str = Field(description="联系内容")


class LiaisonPresidiumContactIn(InSchema):
    presidium_member_id: int | None = Field(None, description="主席团成员 ID；主席团成员本人记录时不填")
    deputy_id: int = Field(description="联系代表 ID（须有联系安排）")
    on: dt.date | None = Field(None, description="联系日期（默认今天，不晚于今天）")
    way: ContactWay = Field(description="联系方式")
    content: str = Field(min_length=1, max_length=10000, description="联系内容")


class LiaisonGroupOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="小组名称")
    leader: RefOut | None = Field(description="组长")
    members: list[RefOut] = Field(description="组员")
    regions: list[RefOut] = Field(description="联系村社区/网格")
    is_active: bool = Field(description="是否启用")

    @staticmethod
    def resolve_members(obj: Group) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_regions(obj: Group) -> list[Any]:
        return list(obj.regions.all())


class LiaisonStationOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="名称")
    kind: str = Field(description="类型：station 代表联络站、room 代表联系群众活动室")
    address: str = Field(description="地址")
    opening_hours: str = Field(description="开放时间")
    cadence: str = Field(description="接待日安排：weekly 每周、monthly 每月")
    deputies: list[RefOut] = Field(description="进站代表")
    is_active: bool = Field(description="是否启用")

    @staticmethod
    def resolve_deputies(obj: StationModel) -> list[Any]:
        return list(obj.deputies.all())


class LiaisonReceptionTransitionOut(TimelineOut):
    pass


class LiaisonReceptionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 JD2023-001")
    station: RefOut = Field(description="联络站")
    on: dt.date = Field(description="接待日期")
    visitor_name: str = Field(description="来访人（脱敏）")
    visitor_phone: str = Field(description="联系电话（脱敏）")
    visitors: int = Field(description="来访人数")
    matter: str = Field(description="反映事项")
    state: str = Field(description="状态：registered 已登记、proposed 已提出办理意见、transferred 已转办、"
                                   "chasing 督办中、fed_back 已反馈、filed 已归档、turned_away 已引导依法处理")
    state_label: str = Field(description="状态（中文）")
    proposal: str = Field(description="办理意见")
    transferred_to: str = Field(description="转办单位")
    suggestion_id: int | None = Field(description="转为的意见建议 ID")
    feedback: str = Field(description="反馈情况")
    route: str = Field(description="依法处理途径（涉法涉诉）")
    closed_on: dt.date | None = Field(description="办结日期")
    deputies: list[RefOut] = Field(description="接待代表")

    @staticmethod
    def resolve_visitor_name(obj: Reception) -> str:
        return obj.visitor_name_masked

    @staticmethod
    def resolve_visitor_phone(obj: Reception) -> str:
        return obj.visitor_phone_masked

    @staticmethod
    def resolve_state_label(obj: Reception) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_deputies(obj: Reception) -> list[Any]:
        return list(obj.deputies.all())


class LiaisonReceptionDetailOut(LiaisonReceptionOut):
    timeline: list[LiaisonReceptionTransitionOut] = Field(description="办理记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_timeline(obj: Reception) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Reception) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class LiaisonReceptionIn(InSchema):
    station_id: int = Field(description="联络站 ID")
    on: dt.date | None = Field(None, description="接待日期（默认今天，不晚于今天）")
    visitor_name: str = Field(min_length=1, max_length=50, description="来访人姓名")
    visitor_phone: str = Field("", max_length=20, description="联系电话")
    visitors: int = Field(1, ge=1, le=1000, description="来访人数")
    matter: str = Field(min_length=1, max_length=10000, description="反映事项")
    deputy_ids: list[int] = Field(default_factory=list, max_length=100, description="接待代表 ID")


class LiaisonReceptionActionIn(InSchema):
    action: str = Field(description="propose 提出办理意见、transfer 转办、chase 督办、feedback 反馈、file 归档、"
                                    "turn_away 引导依法处理（涉法涉诉）")
    on: dt.date | None = Field(None, description="日期（默认今天，不早于上一步，不晚于今天）")
    text: str = Field("", max_length=10000,
                      description="办理意见 / 转办单位 / 督办情况 / 反馈情况 / 说明 / 依法处理途径")
    as_suggestion: bool = Field(False, description="转办时同时登记为群众意见建议")
    title: str = Field("", max_length=200, description="意见建议标题（as_suggestion 时）")
    expected_state: str | None = Field(None, description="客户端看到的状态；不一致时返回 409")


class LiaisonVisitorOut(Schema):
    visitor_name: str = Field(description="来访人")
    visitor_phone: str = Field(description="联系电话")


class LiaisonDeputyOut(RefOut):
    level: str = Field(description="层级：district 区人大代表、town 镇人大代表")


class LiaisonPeriodIn(Schema):
    date_from: dt.date | None = Field(None, description="开始日期（默认本季度第一天）")
    date_to: dt.date | None = Field(None, description="结束日期（默认今天）")


class LiaisonDateFilters(Schema):
    date_from: dt.date | None = Field(None, description="日期起")
    date_to: dt.date | None = Field(None, description="日期止")


def _dated(qs: Any, f: LiaisonDateFilters) -> Any:
    if f.date_from:
        qs = qs.filter(on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(on__lte=f.date_to)
    return qs


# -- endpoints ---------------------------------------------------------------------------------------


@liaison_router.get("/voter-contacts", response={200: list[LiaisonVoterContactOut], **ERRORS},
                    summary="代表联系选民记录")
@paginate(Pagination)
def list_voter_contacts(request: HttpRequest, filters: Query[LiaisonDateFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="voter_contacts")
    return _dated(selectors.voter_contacts_visible_to(user), filters).order_by("-on", "-id")


@liaison_router.get("/voter-contacts/{int:contact_id}", response={200: LiaisonVoterContactOut, **ERRORS},
                    summary="联系选民记录详情")
def get_voter_contact(request: HttpRequest, contact_id: int) -> VoterContact:
    return visible(request, selectors.voter_contacts_visible_to(actor(request)), contact_id)


@liaison_router.post("/voter-contacts", response={201: LiaisonVoterContactOut, **VERB_ERRORS}, summary="记录联系选民")
def record_voter_contact(request: HttpRequest, payload: LiaisonVoterContactIn) -> Status[VoterContact]:
    user = actor(request)
    policy.require(user, "create", kind="voter_contacts")
    deputy = _deputy(user, payload.deputy_id)
    voters = visible_refs(selectors.voters_visible_to(user).filter(deputy=deputy), payload.voter_ids, "voter_ids")
    c = services.voter_contact_create(actor=user, deputy=deputy, on=payload.on, way=payload.way,
                                      households=payload.households, voters=voters, place=payload.place,
                                      issues=payload.issues)
    return Status(201, c)


def _deputy(user: Any, deputy_id: int | None, field: str = "deputy_id") -> Deputy:
    if deputy_id is None:
        if getattr(user, "deputy_id", None) and user.role in {"deputy", "presidium"}:
            return user.deputy
        raise InvalidInput(_("请选择代表"), fields={field: _("必填")})
    qs = Deputy.objects.filter(is_active=True)
    if user.town_id:
        qs = qs.filter(town_id=user.town_id)
    found = visible_ref(qs, deputy_id, field)
    assert found is not None
    return found


@liaison_router.get("/presidium-contacts", response={200: list[LiaisonPresidiumContactOut], **ERRORS},
                    summary="主席团成员联系代表记录")
@paginate(Pagination)
def list_presidium_contacts(request: HttpRequest, filters: Query[LiaisonDateFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="presidium_contacts")
    return _dated(selectors.presidium_contacts_visible_to(user), filters).order_by("-on", "-id")


@liaison_router.post("/presidium-contacts", response={201: LiaisonPresidiumContactOut, **VERB_ERRORS},
                     summary="记录主席团成员联系代表（须有联系安排）")
def record_presidium_contact(request: HttpRequest, payload: LiaisonPresidiumContactIn) -> Status[PresidiumContact]:
    user = actor(request)
    policy.require(user, "create", kind="presidium_contacts")
    member = _deputy(user, payload.presidium_member_id if user.role != "presidium" else None, "presidium_member_id")
    c = services.presidium_contact_create(actor=user, presidium_member=member,
                                          deputy=_deputy(user, payload.deputy_id), on=payload.on, way=payload.way,
                                          content=payload.content)
    return Status(201, c)


@liaison_router.get("/without-contact", response={200: list[LiaisonDeputyOut], **ERRORS},
                    summary="期间内无主席团成员联系的代表")
def deputies_without_contact(request: HttpRequest, period: Query[LiaisonPeriodIn]) -> list[Deputy]:
    user = actor(request)
    policy.require(user, "list", kind="settings")
    today = timezone.localdate()
    start = period.date_from or targets.quarter_range(*targets.quarter_of(today))[0]
    end = period.date_to or today
    if end < start:
        raise InvalidInput(_("结束日期早于开始日期"), fields={"date_to": _("早于开始日期")})
    if not user.town_id:
        towns = list(Deputy.objects.values_list("town_id", flat=True).distinct())
        return list(selectors.deputies_without_contact_in(towns, start, end))
    return list(selectors.deputies_without_contact(user.town_id, start, end))


@liaison_router.get("/groups", response={200: list[LiaisonGroupOut], **ERRORS}, summary="代表小组")
@paginate(Pagination)
def list_deputy_groups(request: HttpRequest) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="groups")
    return selectors.groups_visible_to(user).order_by("name", "id")


@liaison_router.get("/stations", response={200: list[LiaisonStationOut], **ERRORS}, summary="代表联络站")
@paginate(Pagination)
def list_stations(request: HttpRequest) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="stations")
    return selectors.stations_visible_to(user).order_by("name", "id")


@liaison_router.get("/receptions", response={200: list[LiaisonReceptionOut], **ERRORS}, summary="联络站接待记录")
@paginate(Pagination)
def list_receptions(request: HttpRequest, filters: Query[LiaisonDateFilters], state: State | None = None) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="receptions")
    qs = _dated(selectors.receptions_visible_to(user), filters)
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("-on", "-id")


def _reception(request: HttpRequest, reception_id: int) -> Reception:
    r: Reception = visible(request, selectors.receptions_visible_to(actor(request)), reception_id)
    r.api_allowed_actions = [a.value for a in policy.available_actions(actor(request), r)]  # type: ignore[attr-defined]
    return r


@liaison_router.get("/receptions/{int:reception_id}", response={200: LiaisonReceptionDetailOut, **ERRORS},
                    summary="接待记录详情")
def get_reception(request: HttpRequest, reception_id: int) -> Reception:
    return _reception(request, reception_id)


@liaison_router.post("/receptions", response={201: LiaisonReceptionDetailOut, **VERB_ERRORS}, summary="登记接待")
def register_reception(request: HttpRequest, payload: LiaisonReceptionIn) -> Status[Reception]:
    user = actor(request)
    policy.require(user, "create", kind="receptions")
    station = visible_ref(selectors.stations_visible_to(user), payload.station_id, "station_id")
    assert station is not None
    deputies = visible_refs(Deputy.objects.filter(town_id=station.town_id), payload.deputy_ids, "deputy_ids")
    r = services.reception_register(
        actor=user, station=station, on=payload.on, visitors=payload.visitors, matter=payload.matter,
        visitor=services.VisitorIn(name=payload.visitor_name, phone=payload.visitor_phone), deputies=deputies)
    return Status(201, _reception(request, r.pk))


@liaison_router.post("/receptions/{int:reception_id}/actions", response={200: LiaisonReceptionDetailOut,
                                                                          **VERB_ERRORS},
                     summary="接待记录办理（提出办理意见、转办、督办、反馈、归档、引导依法处理）")
def act_on_reception(request: HttpRequest, reception_id: int, payload: LiaisonReceptionActionIn) -> Reception:
    user = actor(request)
    r = _reception(request, reception_id)
    try:
        action = Action(payload.action)
    except ValueError:
        action = None
    if action is None or action == Action.REGISTER:
        raise InvalidInput(_("不支持的操作：{a}").format(a=payload.action), fields={"action": _("不正确")})
    kw: dict[str, Any] = {"actor": user, "reception_id": r.pk, "on": payload.on,
                          "expected_state": payload.expected_state}
    text = payload.text
    if action == Action.PROPOSE:
        services.reception_propose(proposal=text, **kw)
    elif action == Action.TRANSFER:
        services.reception_transfer(to=text, as_suggestion=payload.as_suggestion, title=payload.title, **kw)
    elif action == Action.CHASE:
        services.reception_chase(note=text, **kw)
    elif action == Action.FEEDBACK:
        services.reception_feedback(feedback=text, **kw)
    elif action == Action.FILE:
        services.reception_file(comment=text, **kw)
    else:
        services.reception_turn_away(route=text, **kw)
    return _reception(request, r.pk)


@liaison_router.post("/receptions/{int:reception_id}/reveal", response={200: LiaisonVisitorOut, **VERB_ERRORS},
                     summary="查看来访人完整信息（需理由，记入审计日志）")
def reveal_visitor(request: HttpRequest, reception_id: int, payload: RevealIn) -> Reception:
    r = _reception(request, reception_id)
    return services.reception_reveal(actor=actor(request), reception_id=r.pk, reason=payload.reason)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/liaison", liaison_router)]
