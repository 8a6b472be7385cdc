"""API for risks (信访隐患) — thin over the same selectors, policy and services as the pages.

Reads come from ``selectors.risks_visible_to`` (a risk the user may not see is a 404); every
write is one service call. People involved are always masked; ``POST /{id}/reveal`` with a
reason returns them in clear to the town's office and presidium only, and is audited.
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
    MaskedPersonOut,
    Pagination,
    RefOut,
    RegionRefOut,
    RevealIn,
    TimelineOut,
    actor,
    require_list,
    visible,
    visible_ref,
)
from renda.core.errors import InvalidInput, NotFound
from renda.people.models import Deputy
from renda.places.models import GridWorker, Level, Region
from renda.risks import policy, selectors, services
from renda.risks.models import Level as RiskLevel
from renda.risks.models import Risk, RiskParticipant, RiskPerson, RiskStep
from renda.risks.workflow import Action, State

risks_router: Router = Router(tags=["信访隐患"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


# -- schemas -----------------------------------------------------------------------------------------


class PersonOut(MaskedPersonOut):
    address: str = Field(description="住址（脱敏）")
    role: str = Field(description="纠纷中的身份")


class PersonClearOut(Schema):
    name: str = Field(description="姓名")
    id_number: str = Field(description="身份证号")
    phone: str = Field(description="联系电话")
    address: str = Field(description="住址")
    role: str = Field(description="纠纷中的身份")


class ParticipantOut(Schema):
    id: int = Field(description="ID")
    deputy: RefOut | None = Field(description="代表")
    grid_worker: RefOut | None = Field(description="网格员")
    part: str = Field(description="参与情况（代表作用）")
    added_on: dt.date = Field(description="参与日期")


class StepOut(Schema):
    id: int = Field(description="ID")
    on: dt.date = Field(description="日期")
    actor: str = Field(description="记录人")
    text: str = Field(description="化解过程")

    @staticmethod
    def resolve_actor(obj: RiskStep) -> str:
        return obj.actor_label


class RiskTransitionOut(TimelineOut):
    pass  # no docstring: it would become the OpenAPI description


class RiskOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 YH2023-001")
    title: str = Field(description="标题")
    level: str = Field(description="等级：high 高、medium 中、low 低")
    level_label: str = Field(description="等级（中文）")
    state: str = Field(description="状态：registered 已登记、resolving 化解中、resolved 已化解、escalated 已上报")
    state_label: str = Field(description="状态（中文）")
    town: RegionRefOut = Field(description="所属镇街")
    village: RegionRefOut | None = Field(description="所属村社区")
    grid: RegionRefOut | None = Field(description="所属网格")
    registered_on: dt.date = Field(description="登记日期")
    resolved_on: dt.date | None = Field(description="化解日期")
    escalated_to: str = Field(description="上报至")
    people: list[PersonOut] = Field(description="涉及人员（脱敏）")
    participants: list[ParticipantOut] = Field(description="参与化解的代表和网格员")

    @staticmethod
    def resolve_level_label(obj: Risk) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_state_label(obj: Risk) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_people(obj: Risk) -> list[Any]:
        return list(obj.people.all())

    @staticmethod
    def resolve_participants(obj: Risk) -> list[Any]:
        return list(obj.participants.all())


class RiskDetailOut(RiskOut):
    description: str = Field(description="情况")
    deputies_role: str = Field(description="代表作用")
    note: str = Field(description="备注")
    source: str = Field(description="来源：grid_worker 网格员排查、deputy 代表反映、office 人大办登记、import 台账导入")
    steps: list[StepOut] = Field(description="化解过程")
    timeline: list[RiskTransitionOut] = Field(description="处理记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_steps(obj: Risk) -> list[Any]:
        return list(obj.steps.order_by("on", "id"))

    @staticmethod
    def resolve_timeline(obj: Risk) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Risk) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class RiskFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（编号、标题、情况）")
    state: State | None = Field(None, description="状态")
    open: bool | None = Field(None, description="true 只看未化解（含已上报），false 只看已化解")
    level: RiskLevel | None = Field(None, description="等级")
    town_id: int | None = Field(None, description="所属镇街 ID")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="所属网格 ID")
    registered_from: dt.date | None = Field(None, description="登记日期起")
    registered_to: dt.date | None = Field(None, description="登记日期止")
    resolved_from: dt.date | None = Field(None, description="化解日期起")
    resolved_to: dt.date | None = Field(None, description="化解日期止")
    with_deputies: bool | None = Field(None, description="是否有代表参与")


class PersonIn(InSchema):
    name: str = Field(min_length=1, max_length=50, description="姓名")
    id_number: str = Field("", max_length=18, description="身份证号（校验位）")
    phone: str = Field("", max_length=20, description="联系电话")
    address: str = Field("", max_length=200, description="住址")
    role: str = Field("", max_length=50, description="纠纷中的身份，如 申请人、被申请人")


class ParticipantIn(InSchema):
    deputy_id: int | None = Field(None, description="代表 ID（与 grid_worker_id 二选一）")
    grid_worker_id: int | None = Field(None, description="网格员 ID（与 deputy_id 二选一）")
    part: str = Field("", max_length=2000, description="参与情况")


class RiskRegisterIn(InSchema):
    title: str = Field(min_length=1, max_length=200, description="标题")
    level: RiskLevel = Field(RiskLevel.MEDIUM, description="等级")
    description: str = Field("", max_length=10000, description="情况")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    village_id: int | None = Field(None, description="所属村社区 ID（有网格时按网格确定）")
    grid_id: int | None = Field(None, description="所属网格 ID（网格员必填，且须为本人网格）")
    people: list[PersonIn] = Field(default_factory=list, description="涉及人员")
    participants: list[ParticipantIn] = Field(default_factory=list, description="参与化解人员")
    note: str = Field("", max_length=2000, description="备注")


class ActionIn(InSchema):
    action: str = Field(description="start 开始化解、resolve 化解、escalate 上报、reopen 重新化解")
    resolved_on: dt.date | None = Field(None, description="化解日期（resolve 必填；不早于登记日期，不晚于今天）")
    to: str = Field("", max_length=100, description="上报至（escalate 必填，如 镇党委、区信访局）")
    reason: str = Field("", max_length=2000, description="理由（escalate、reopen 必填）")
    comment: str = Field("", max_length=2000, description="说明")
    deputies_role: str | None = Field(None, max_length=2000, description="代表作用（resolve 时可填）")
    expected_state: str | None = Field(None, description="客户端看到的状态；不一致时返回 409")


class StepIn(InSchema):
    text: str = Field(min_length=1, max_length=5000, description="化解过程")
    on: dt.date | None = Field(None, description="日期（默认今天；不早于登记日期，不晚于今天）")


class PartIn(InSchema):
    part: str = Field(max_length=2000, description="参与情况")


# -- helpers -----------------------------------------------------------------------------------------


def _items(request: HttpRequest) -> Any:
    return selectors.risks_visible_to(actor(request))


def _get(request: HttpRequest, risk_id: int) -> Risk:
    risk: Risk = visible(request, _items(request), risk_id)
    return risk


def _detail(user: User, risk: Risk) -> Risk:
    risk.api_allowed_actions = [a.value for a in policy.available_actions(user, risk)]  # type: ignore[attr-defined]
    return risk


def _fresh(request: HttpRequest, risk_id: int) -> Risk:
    return _detail(actor(request), _get(request, risk_id))


def _town(user: User, town_id: int | None) -> Region:
    wanted = town_id if town_id is not None else user.town_id
    if wanted is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    town = Region.objects.filter(pk=wanted, level=Level.TOWN).first()
    if town is None or not base_policy.in_town(user, town.pk):
        raise NotFound(fields={"town_id": _("不存在或无权查看：{id}").format(id=wanted)})
    return town


def _participant_in(town_id: int, p: ParticipantIn, field: str) -> services.ParticipantIn:
    deputy = visible_ref(Deputy.objects.filter(town_id=town_id), p.deputy_id, f"{field}.deputy_id")
    worker = visible_ref(GridWorker.objects.filter(town_id=town_id), p.grid_worker_id, f"{field}.grid_worker_id")
    return services.ParticipantIn(deputy=deputy, grid_worker=worker, part=p.part)


# -- endpoints ---------------------------------------------------------------------------------------


@risks_router.get("", response={200: list[RiskOut], **ERRORS}, summary="信访隐患列表")
@paginate(Pagination)
def list_risks(request: HttpRequest, filters: Query[RiskFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    f = selectors.RiskFilters(
        state=filters.state, level=filters.level, town_id=filters.town_id, village_id=filters.village_id,
        grid_id=filters.grid_id, registered_from=filters.registered_from, registered_to=filters.registered_to,
        resolved_from=filters.resolved_from, resolved_to=filters.resolved_to, with_deputies=filters.with_deputies,
        open=filters.open, q=filters.q or "")
    return selectors.apply_filters(_items(request), f, user).order_by("-registered_on", "-id")


@risks_router.get("/{int:risk_id}", response={200: RiskDetailOut, **ERRORS}, summary="信访隐患详情")
def get_risk(request: HttpRequest, risk_id: int) -> Risk:
    return _fresh(request, risk_id)


@risks_router.post("", response={201: RiskDetailOut, **VERB_ERRORS}, summary="登记信访隐患")
def register_risk(request: HttpRequest, payload: RiskRegisterIn) -> Status[Risk]:
    user = actor(request)
    policy.require(user, Action.REGISTER)
    town = _town(user, payload.town_id)
    regions = Region.objects.select_related("parent").filter(town_id=town.pk)
    risk = services.risk_register(
        actor=user, town=town, title=payload.title, level=payload.level, description=payload.description,
        village=visible_ref(regions.filter(level=Level.VILLAGE), payload.village_id, "village_id"),
        grid=visible_ref(regions.filter(level=Level.GRID), payload.grid_id, "grid_id"),
        people=[services.PersonIn(name=p.name, id_number=p.id_number, phone=p.phone, address=p.address,
                                  role=p.role) for p in payload.people],
        participants=[_participant_in(town.pk, p, f"participants.{i}") for i, p in enumerate(payload.participants)],
        note=payload.note,
    )
    return Status(201, _fresh(request, risk.pk))


@risks_router.post("/{int:risk_id}/actions", response={200: RiskDetailOut, **VERB_ERRORS},
                   summary="信访隐患状态操作（开始化解、化解、上报、重新化解）")
def act_on_risk(request: HttpRequest, risk_id: int, payload: ActionIn) -> Risk:
    user = actor(request)
    risk = _get(request, risk_id)
    try:
        action = Action(payload.action)
    except ValueError:
        action = None
    if action not in {Action.START, Action.RESOLVE, Action.ESCALATE, Action.REOPEN}:
        raise InvalidInput(_("不支持的操作：{a}").format(a=payload.action), fields={"action": _("不正确")})
    expected = payload.expected_state
    if action == Action.START:
        services.risk_start(actor=user, risk_id=risk.pk, comment=payload.comment, expected_state=expected)
    elif action == Action.RESOLVE:
        services.risk_resolve(actor=user, risk_id=risk.pk, resolved_on=payload.resolved_on, comment=payload.comment,
                              deputies_role=payload.deputies_role, expected_state=expected)
    elif action == Action.ESCALATE:
        services.risk_escalate(actor=user, risk_id=risk.pk, to=payload.to, reason=payload.reason,
                               expected_state=expected)
    else:
        services.risk_reopen(actor=user, risk_id=risk.pk, reason=payload.reason, expected_state=expected)
    return _fresh(request, risk.pk)


@risks_router.get("/{int:risk_id}/steps", response={200: list[StepOut], **ERRORS}, summary="化解过程")
def list_steps(request: HttpRequest, risk_id: int) -> list[RiskStep]:
    return list(_get(request, risk_id).steps.order_by("on", "id"))


@risks_router.post("/{int:risk_id}/steps", response={201: StepOut, **VERB_ERRORS}, summary="记录化解过程")
def log_step(request: HttpRequest, risk_id: int, payload: StepIn) -> Status[RiskStep]:
    risk = _get(request, risk_id)
    return Status(201, services.risk_log_step(actor=actor(request), risk_id=risk.pk, text=payload.text,
                                              on=payload.on))


@risks_router.get("/{int:risk_id}/participants", response={200: list[ParticipantOut], **ERRORS},
                  summary="参与化解人员")
def list_participants(request: HttpRequest, risk_id: int) -> list[RiskParticipant]:
    return list(_get(request, risk_id).participants.select_related("deputy", "grid_worker").order_by("id"))


@risks_router.post("/{int:risk_id}/participants", response={201: ParticipantOut, **VERB_ERRORS},
                   summary="安排参与化解人员")
def add_participant(request: HttpRequest, risk_id: int, payload: ParticipantIn) -> Status[RiskParticipant]:
    risk = _get(request, risk_id)
    policy.require(actor(request), Action.ASSIGN, risk)
    p = _participant_in(risk.town_id, payload, "participant")
    return Status(201, services.risk_assign(actor=actor(request), risk_id=risk.pk, deputy=p.deputy,
                                            grid_worker=p.grid_worker, part=p.part))


def _participant(request: HttpRequest, risk_id: int, participant_id: int) -> RiskParticipant:
    risk = _get(request, risk_id)
    x = RiskParticipant.objects.select_related("deputy", "grid_worker").filter(pk=participant_id, risk=risk).first()
    if x is None:
        raise NotFound()
    x.risk = risk
    return x


@risks_router.patch("/{int:risk_id}/participants/{int:participant_id}", response={200: ParticipantOut,
                                                                                   **VERB_ERRORS},
                    summary="填写参与情况")
def set_part(request: HttpRequest, risk_id: int, participant_id: int, payload: PartIn) -> RiskParticipant:
    x = _participant(request, risk_id, participant_id)
    updated, _changed = services.risk_set_part(actor=actor(request), participant_id=x.pk, part=payload.part)
    return updated


@risks_router.delete("/{int:risk_id}/participants/{int:participant_id}", response={204: None, **VERB_ERRORS},
                     summary="移除参与化解人员")
def remove_participant(request: HttpRequest, risk_id: int, participant_id: int) -> Status[None]:
    x = _participant(request, risk_id, participant_id)
    services.risk_unassign(actor=actor(request), participant_id=x.pk)
    return Status(204, None)


@risks_router.post("/{int:risk_id}/reveal", response={200: list[PersonClearOut], **VERB_ERRORS},
                   summary="查看涉及人员完整个人信息（需理由，记入审计日志）")
def reveal_people(request: HttpRequest, risk_id: int, payload: RevealIn) -> list[RiskPerson]:
    risk = _get(request, risk_id)
    return services.risk_reveal(actor=actor(request), risk_id=risk.pk, reason=payload.reason)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/risks", risks_router)]
