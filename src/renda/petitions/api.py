"""API for petitions (信访件) — thin over the same selectors, policy and services as the pages.

Reads come from ``selectors.petitions_visible_to`` (a petition the user may not see is a 404);
each workflow verb is one POST endpoint calling one service, with the client's last seen
``version`` (a stale client gets a 409). Petitioners are always masked, except in the answer
to ``POST /{id}/reveal`` by a role allowed to reveal (audited); notices are Word downloads,
each an audited reveal.
"""


import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from renda.accounts.models import User
from renda.core import policy as base_policy
from renda.core.api import (
    ERRORS,
    ErrorOut,
    InSchema,
    MaskedPersonOut,
    Pagination,
    RefOut,
    RegionRefOut,
    RevealIn,
    TimelineOut,
    actor,
    require_list,
    search,
    visible,
    visible_ref,
)
from renda.core.documents import docx_response
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.people.models import Deputy
from renda.petitions import notices, policy, rules, selectors, services
from renda.petitions.models import Channel, Petition
from renda.petitions.services import PetitionerData
from renda.petitions.workflow import Action, State
from renda.places.models import Level, Region
from renda.shifts import selectors as shifts

petitions_router: Router = Router(tags=["信访件"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}
_ACTION_HELP = ("accept 受理、decline 不予受理、extend 延期、issue_opinion 出具处理意见、request_review 申请复查、"
                "answer_review 复查答复、request_rereview 申请复核、answer_rereview 复核答复、route 送阅批、"
                "instruct 阅批、to_suggestion 转为意见建议")


# -- output ------------------------------------------------------------------------------------


class PetitionerOut(MaskedPersonOut):
    pass  # a petitioner, masked (no docstring: it would become the OpenAPI description)


class RevealedOut(Schema):
    name: str = Field(description="姓名（明文）")
    id_number: str = Field(description="身份证号（明文）")
    phone: str = Field(description="联系电话（明文）")
    address: str = Field(description="地址（明文）")


class PetitionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 XF2023-001（同一镇街内唯一）")
    channel: str = Field(description="渠道：letter 来信、visit 来访、online 网上、phone 电话、referred 上级转交")
    channel_label: str = Field(description="渠道（中文）")
    state: str = Field(description="状态：registered 待受理、handling 办理中、closed 已出具处理意见、review 复查中、"
                                   "reviewed 已复查、rereview 复核中、final 已复核终结、declined 不予受理")
    state_label: str = Field(description="状态（中文）")
    version: int = Field(description="版本号；办理操作须带上，过期则返回 409")
    subject: str = Field(description="标题")
    town: RegionRefOut = Field(description="所属镇街")
    village: RegionRefOut | None = Field(description="所属村社区")
    grid: RegionRefOut | None = Field(description="所属网格")
    category: str = Field(description="类别")
    head_count: int = Field(description="人数")
    petitioners: list[PetitionerOut] = Field(description="信访人（脱敏）")
    registered_on: dt.date = Field(description="登记日期")
    deadline: dt.date | None = Field(description="当前法定期限（受理、办理、复查或复核答复）")
    overdue: bool = Field(description="是否超期")
    is_repeat: bool = Field(description="是否重复信访")

    @staticmethod
    def resolve_channel_label(obj: Petition) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_state_label(obj: Petition) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_petitioners(obj: Petition) -> list[Any]:
        return list(obj.petitioners.all())

    @staticmethod
    def resolve_overdue(obj: Petition) -> bool:
        return obj.is_open and obj.deadline is not None and obj.deadline < timezone.localdate()


class PetitionTransitionOut(TimelineOut):
    on: dt.date = Field(description="业务日期")


class InstructionOut(Schema):
    id: int = Field(description="ID（阅批时使用）")
    presidium_member: RefOut = Field(description="阅批领导")
    requested_on: dt.date = Field(description="送阅日期")
    instructed_on: dt.date | None = Field(description="阅批日期")
    text: str = Field(description="阅批意见")


class DeadlinesOut(Schema):
    acceptance: dt.date = Field(description="受理决定期限（登记后15日）")
    handling: dt.date | None = Field(description="办理期限（受理后60日，含延期）")
    review_request: dt.date | None = Field(description="申请复查的最后一日")
    review_answer: dt.date | None = Field(description="复查答复期限")
    rereview_request: dt.date | None = Field(description="申请复核的最后一日")
    rereview_answer: dt.date | None = Field(description="复核答复期限")


class PetitionCodeRefOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号")


class PetitionDetailOut(PetitionOut):
    content: str = Field(description="内容")
    respondent: str = Field(description="被反映人/单位")
    duty_shift_id: int | None = Field(description="接访值班 ID")
    accepted_on: dt.date | None = Field(description="受理日期")
    declined_on: dt.date | None = Field(description="不予受理日期")
    decline_reason: str = Field(description="不予受理理由")
    handling_due: dt.date | None = Field(description="办理期限")
    extended_on: dt.date | None = Field(description="延期日期")
    extension_days: int | None = Field(description="延期天数")
    extension_reason: str = Field(description="延期理由")
    opinion_on: dt.date | None = Field(description="处理意见日期")
    opinion: str = Field(description="处理意见")
    review_requested_on: dt.date | None = Field(description="复查申请日期")
    review_answered_on: dt.date | None = Field(description="复查答复日期")
    review_answer: str = Field(description="复查意见")
    rereview_requested_on: dt.date | None = Field(description="复核申请日期")
    rereview_answered_on: dt.date | None = Field(description="复核答复日期")
    rereview_answer: str = Field(description="复核意见")
    repeat_of: PetitionCodeRefOut | None = Field(description="重复于（原信访件，仅当可见）")
    repeat_kind: str = Field(description="重复依据：same_petitioner、similar_content、final")
    suggestion_id: int | None = Field(description="关联意见建议 ID")
    link_kind: str = Field(description="关联方式：to_suggestion、from_suggestion")
    deadlines: DeadlinesOut = Field(description="各项法定期限")
    instructions: list[InstructionOut] = Field(description="阅批")
    notices: list[str] = Field(description="可下载的告知书：accept、decline、extend、opinion（仅可查看个人信息的角色）")
    timeline: list[PetitionTransitionOut] = Field(description="办理记录")
    allowed_actions: list[str] = Field(description=f"当前用户此刻可执行的操作：{_ACTION_HELP}")

    @staticmethod
    def resolve_repeat_of(obj: Petition) -> Any:
        return getattr(obj, "api_repeat_of", None)

    @staticmethod
    def resolve_deadlines(obj: Petition) -> Any:
        return rules.deadlines(obj)

    @staticmethod
    def resolve_instructions(obj: Petition) -> list[Any]:
        return list(obj.instructions.select_related("presidium_member").order_by("requested_on", "id"))

    @staticmethod
    def resolve_notices(obj: Petition) -> list[str]:
        return list(getattr(obj, "api_notices", []))

    @staticmethod
    def resolve_timeline(obj: Petition) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Petition) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


# -- input -------------------------------------------------------------------------------------


def _not_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise ValueError(_("日期不能晚于今天"))
    return value


class PetitionFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（编号、标题、内容、被反映人/单位）")
    state: State | None = Field(None, description="状态")
    channel: Channel | None = Field(None, description="渠道")
    town_id: int | None = Field(None, description="所属镇街 ID（区级用户）")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="所属网格 ID")
    category: str | None = Field(None, max_length=50, description="类别")
    is_repeat: bool | None = Field(None, description="是否重复信访")
    overdue: bool | None = Field(None, description="是否超期")
    registered_from: dt.date | None = Field(None, description="登记日期起（含）")
    registered_to: dt.date | None = Field(None, description="登记日期止（含）")


class DatedIn(InSchema):
    on: dt.date | None = Field(None, description="业务日期（YYYY-MM-DD，默认今天，不能晚于今天）")

    @field_validator("on")
    @classmethod
    def _on_not_future(cls, value: dt.date | None) -> dt.date | None:
        return _not_future(value)


class PetitionVerbIn(DatedIn):
    version: int = Field(ge=0, description="客户端最后看到的版本号")


class PetitionerIn(InSchema):
    name: str = Field(min_length=1, max_length=50, description="姓名（加密保存）")
    id_number: str = Field("", max_length=18, description="身份证号（GB 11643 校验，加密保存）")
    phone: str = Field("", max_length=20, description="联系电话（加密保存）")
    address: str = Field("", max_length=200, description="地址（加密保存）")


class PetitionRegisterIn(DatedIn):
    channel: Channel = Field(description="渠道：letter、visit、online、phone、referred")
    subject: str = Field(min_length=1, max_length=200, description="标题")
    content: str = Field("", max_length=10000, description="内容")
    petitioners: list[PetitionerIn] = Field(min_length=1, max_length=50, description="信访人（至少一人）")
    head_count: int | None = Field(None, ge=1, description="人数（集体访）；不填为信访人数")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="所属网格 ID")
    category: str = Field("", max_length=50, description="类别")
    respondent: str = Field("", max_length=200, description="被反映人/单位")
    duty_shift_id: int | None = Field(None, description="接访值班 ID（本镇街登记当日的值班）")
    code: str | None = Field(None, max_length=30, description="编号（不填自动生成，如 XF2026-001）")


class PetitionCommentIn(PetitionVerbIn):
    comment: str = Field("", max_length=500, description="说明（可选）")


class PetitionReasonIn(PetitionVerbIn):
    reason: str = Field(min_length=1, max_length=2000, description="理由")


class ExtendIn(PetitionVerbIn):
    days: int = Field(ge=1, le=30, description="延期天数（只能延期一次，不超过30日）")
    reason: str = Field(min_length=1, max_length=2000, description="延期理由")


class OpinionIn(PetitionVerbIn):
    opinion: str = Field(min_length=1, max_length=10000, description="处理意见")


class AnswerIn(PetitionVerbIn):
    answer: str = Field(min_length=1, max_length=10000, description="答复意见")


class RouteIn(PetitionVerbIn):
    presidium_member_id: int = Field(description="阅批领导（本镇街在任的主席团成员）ID")
    comment: str = Field("", max_length=500, description="说明（可选）")


class InstructIn(PetitionVerbIn):
    text: str = Field(min_length=1, max_length=5000, description="阅批意见")


class RevealOut(Schema):
    petitioners: list[RevealedOut] = Field(description="信访人明文信息")


# -- helpers -----------------------------------------------------------------------------------


def _items(request: HttpRequest) -> QuerySet[Petition]:
    return selectors.petitions_visible_to(actor(request))


def _open(request: HttpRequest, petition_id: int, action: str) -> Petition:
    p = visible(request, _items(request), petition_id)
    policy.require(actor(request), action, p)
    return p


def _detail(request: HttpRequest, p: Petition) -> Petition:
    user = actor(request)
    p.api_allowed_actions = [a.value for a in policy.available_actions(user, p)]  # type: ignore[attr-defined]
    p.api_notices = list(notices.available(p)) if policy.can(user, "notice", p) else []  # type: ignore[attr-defined]
    p.api_repeat_of = _items(request).filter(pk=p.repeat_of_id).first() if p.repeat_of_id else None  # type: ignore[attr-defined]
    return p


def _after(request: HttpRequest, petition_id: int) -> Petition:
    p = _items(request).filter(pk=petition_id).first()
    if p is None:
        p = selectors.petitions_visible_to(None).get(pk=petition_id)
    return _detail(request, p)


@contextmanager
def _verb() -> Iterator[None]:
    try:
        yield
    except Conflict as exc:
        if exc.code == "stale":
            raise Conflict(exc.message, code="conflict",
                           fields={"version": [_("已过期，请重新获取后再操作")]}) from exc
        raise


def _register_town(user: User, town_id: int | None) -> Region:
    wanted = town_id if town_id is not None else user.town_id
    if wanted is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    town = Region.objects.filter(pk=wanted, level=Level.TOWN).first()
    if town is None or not base_policy.in_town(user, town.pk):
        raise NotFound(fields={"town_id": _("不存在或无权查看：{id}").format(id=wanted)})
    return town


# -- reads -------------------------------------------------------------------------------------


@petitions_router.get("", response={200: list[PetitionOut], **ERRORS}, summary="信访件列表")
@paginate(Pagination)
def list_petitions(request: HttpRequest, filters: Query[PetitionFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = search(_items(request), filters.q, ("code", "subject", "content", "respondent"))
    exact = {"state": filters.state, "channel": filters.channel, "town_id": filters.town_id,
             "village_id": filters.village_id, "grid_id": filters.grid_id, "category": filters.category,
             "is_repeat": filters.is_repeat, "registered_on__gte": filters.registered_from,
             "registered_on__lte": filters.registered_to}
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    if filters.overdue is not None:
        overdue_ids = qs.overdue(timezone.localdate()).values("pk")  # type: ignore[attr-defined]
        qs = qs.filter(pk__in=overdue_ids) if filters.overdue else qs.exclude(pk__in=overdue_ids)
    return qs.order_by("-registered_on", "-id")


@petitions_router.get("/{int:petition_id}", response={200: PetitionDetailOut, **ERRORS}, summary="信访件详情")
def get_petition(request: HttpRequest, petition_id: int) -> Petition:
    return _detail(request, _open(request, petition_id, "view"))


@petitions_router.post("/{int:petition_id}/reveal", response={200: RevealOut, **ERRORS},
                       summary="查看信访人完整信息（须说明理由，记入审计日志）")
def reveal(request: HttpRequest, petition_id: int, payload: RevealIn) -> dict[str, Any]:
    p = _open(request, petition_id, "reveal")
    people = services.petition_reveal(actor=actor(request), petition_id=p.pk, reason=payload.reason)
    return {"petitioners": [x.__dict__ for x in people]}


@petitions_router.get("/{int:petition_id}/notices/{kind}", response={200: None, **ERRORS},
                      summary="下载告知书（Word；accept、decline、extend、opinion；记入审计日志）")
def notice(request: HttpRequest, petition_id: int, kind: str) -> HttpResponse:
    p = _open(request, petition_id, "notice")
    if kind not in notices.SPECS:
        raise NotFound()
    name, content = services.petition_notice(actor=actor(request), petition_id=p.pk, kind=kind)
    return docx_response(name, content)


# -- register and verbs ------------------------------------------------------------------------


@petitions_router.post("", response={201: PetitionDetailOut, **VERB_ERRORS}, summary="登记信访件")
def register_petition(request: HttpRequest, payload: PetitionRegisterIn) -> Status[Petition]:
    user = actor(request)
    policy.require(user, Action.REGISTER)
    town = _register_town(user, payload.town_id)
    regions = Region.objects.select_related("parent").filter(town_id=town.pk)
    shift = visible_ref(shifts.town_shifts(town.pk), payload.duty_shift_id, "duty_shift_id")
    p = services.petition_register(
        actor=user, town=town, channel=payload.channel, subject=payload.subject, content=payload.content,
        petitioners=[PetitionerData(**x.model_dump()) for x in payload.petitioners],
        head_count=payload.head_count,
        village=visible_ref(regions.filter(level=Level.VILLAGE), payload.village_id, "village_id"),
        grid=visible_ref(regions.filter(level=Level.GRID), payload.grid_id, "grid_id"),
        category=payload.category, respondent=payload.respondent, duty_shift=shift, code=payload.code,
        on=payload.on)
    return Status(201, _after(request, p.pk))


def _verb_endpoint(path: str, summary: str) -> Any:
    return petitions_router.post(f"/{{int:petition_id}}/{path}", response={200: PetitionDetailOut, **VERB_ERRORS},
                                 summary=summary)


@_verb_endpoint("accept", "受理")
def accept(request: HttpRequest, petition_id: int, payload: PetitionCommentIn) -> Petition:
    _open(request, petition_id, Action.ACCEPT)
    with _verb():
        services.petition_accept(actor=actor(request), petition_id=petition_id, comment=payload.comment,
                                 on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("decline", "不予受理")
def decline(request: HttpRequest, petition_id: int, payload: PetitionReasonIn) -> Petition:
    _open(request, petition_id, Action.DECLINE)
    with _verb():
        services.petition_decline(actor=actor(request), petition_id=petition_id, reason=payload.reason,
                                  on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("extend", "延期（一次，不超过30日）")
def extend(request: HttpRequest, petition_id: int, payload: ExtendIn) -> Petition:
    _open(request, petition_id, Action.EXTEND)
    with _verb():
        services.petition_extend(actor=actor(request), petition_id=petition_id, days=payload.days,
                                 reason=payload.reason, on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("issue_opinion", "出具处理意见（办结）")
def issue_opinion(request: HttpRequest, petition_id: int, payload: OpinionIn) -> Petition:
    _open(request, petition_id, Action.ISSUE_OPINION)
    with _verb():
        services.petition_issue_opinion(actor=actor(request), petition_id=petition_id, opinion=payload.opinion,
                                        on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("request_review", "登记复查申请")
def request_review(request: HttpRequest, petition_id: int, payload: PetitionCommentIn) -> Petition:
    _open(request, petition_id, Action.REQUEST_REVIEW)
    with _verb():
        services.petition_request_review(actor=actor(request), petition_id=petition_id, comment=payload.comment,
                                         on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("answer_review", "复查答复")
def answer_review(request: HttpRequest, petition_id: int, payload: AnswerIn) -> Petition:
    _open(request, petition_id, Action.ANSWER_REVIEW)
    with _verb():
        services.petition_answer_review(actor=actor(request), petition_id=petition_id, answer=payload.answer,
                                        on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("request_rereview", "登记复核申请")
def request_rereview(request: HttpRequest, petition_id: int, payload: PetitionCommentIn) -> Petition:
    _open(request, petition_id, Action.REQUEST_REREVIEW)
    with _verb():
        services.petition_request_rereview(actor=actor(request), petition_id=petition_id, comment=payload.comment,
                                           on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("answer_rereview", "复核答复（终结）")
def answer_rereview(request: HttpRequest, petition_id: int, payload: AnswerIn) -> Petition:
    _open(request, petition_id, Action.ANSWER_REREVIEW)
    with _verb():
        services.petition_answer_rereview(actor=actor(request), petition_id=petition_id, answer=payload.answer,
                                          on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("route", "送主席团成员阅批")
def route(request: HttpRequest, petition_id: int, payload: RouteIn) -> Petition:
    p = _open(request, petition_id, Action.ROUTE)
    member = visible_ref(selectors.presidium_members(p.town_id), payload.presidium_member_id,
                         "presidium_member_id")
    assert isinstance(member, Deputy)
    with _verb():
        services.petition_route(actor=actor(request), petition_id=petition_id, presidium_member=member,
                                comment=payload.comment, on=payload.on, expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("instruct", "阅批（被送阅的主席团成员）")
def instruct(request: HttpRequest, petition_id: int, payload: InstructIn) -> Petition:
    p = _open(request, petition_id, Action.INSTRUCT)
    user = actor(request)
    ri = selectors.pending_instruction(p, user.deputy_id)
    if ri is None:
        raise NotFound(_("没有送您阅批的来信"))
    with _verb():
        services.petition_instruct(actor=user, instruction_id=ri.pk, text=payload.text, on=payload.on,
                                   expected_version=payload.version)
    return _after(request, petition_id)


@_verb_endpoint("to_suggestion", "转为意见建议")
def to_suggestion(request: HttpRequest, petition_id: int, payload: PetitionVerbIn) -> Petition:
    _open(request, petition_id, Action.TO_SUGGESTION)
    with _verb():
        services.petition_to_suggestion(actor=actor(request), petition_id=petition_id, on=payload.on,
                                        expected_version=payload.version)
    return _after(request, petition_id)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/petitions", petitions_router)]
