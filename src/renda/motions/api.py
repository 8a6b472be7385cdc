"""API of motions (议案) — thin over the same selectors, policy and services as the pages."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.congress.selectors import sessions_visible_to
from renda.core.api import (
    ERRORS,
    InSchema,
    Pagination,
    RefOut,
    TimelineOut,
    actor,
    search,
    visible,
    visible_ref,
    visible_refs,
)
from renda.core.errors import InvalidInput
from renda.motions import policy, selectors, services
from renda.motions.models import Motion, SubmittedBy
from renda.motions.workflow import Action, State
from renda.people.models import Deputy
from renda.units.selectors import units_visible_to

motions_router: Router = Router(tags=["议案"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


class MotionTransitionOut(TimelineOut):
    pass


class MotionSignatureOut(Schema):
    deputy: RefOut = Field(description="代表")
    signed_at: dt.datetime = Field(description="联名时间")


class MotionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 YA2023-001")
    session: RefOut = Field(description="人代会")
    title: str = Field(description="案由")
    submitted_by: str = Field(description="提出方式：presidium 主席团、deputies 代表联名")
    lead_deputy: RefOut | None = Field(description="领衔代表")
    signers: int = Field(description="联名人数（含领衔代表）")
    state: str = Field(description="状态：draft 草稿、submitted 已提交、on_agenda 已列入会议议程、"
                                   "off_agenda 不列入会议议程、suggestion 作为代表建议处理、"
                                   "adopted 已通过（落实中）、not_adopted 未通过、"
                                   "finished 已落实、withdrawn 已撤回")
    state_label: str = Field(description="状态（中文）")
    submitted_at: dt.datetime | None = Field(description="提交时间")
    decision: str = Field(description="主席团决定：on_agenda、not_on_agenda、as_suggestion，未决定为空")
    decided_on: dt.date | None = Field(description="决定日期")
    suggestion_id: int | None = Field(description="转为的代表建议 ID")
    finished_on: dt.date | None = Field(description="落实完毕日期")

    @staticmethod
    def resolve_session(obj: Motion) -> dict[str, Any]:
        return {"id": obj.session_id, "name": str(obj.session)}

    @staticmethod
    def resolve_lead_deputy(obj: Motion) -> Any:
        return obj.lead_deputy

    @staticmethod
    def resolve_signers(obj: Motion) -> int:
        return int(getattr(obj, "signers", None) or obj.signatures.count())

    @staticmethod
    def resolve_state_label(obj: Motion) -> str:
        return str(obj.get_state_display())


class MotionDetailOut(MotionOut):
    reasons: str = Field(description="理由和依据")
    proposal: str = Field(description="办法和措施")
    decision_reason: str = Field(description="决定理由")
    resolution: str = Field(description="决议")
    resolution_on: dt.date | None = Field(description="决议日期")
    follow_units: list[RefOut] = Field(description="落实单位")
    follow_up: str = Field(description="落实情况")
    signatures: list[MotionSignatureOut] = Field(description="联名代表")
    timeline: list[MotionTransitionOut] = Field(description="办理记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_follow_units(obj: Motion) -> list[Any]:
        return list(obj.follow_units.order_by("name"))

    @staticmethod
    def resolve_signatures(obj: Motion) -> list[Any]:
        return list(obj.signatures.select_related("deputy").order_by("signed_at", "id"))

    @staticmethod
    def resolve_timeline(obj: Motion) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Motion) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class MotionIn(InSchema):
    session_id: int = Field(description="人代会 ID")
    title: str = Field(min_length=1, max_length=200, description="案由")
    reasons: str = Field("", max_length=10000, description="理由和依据")
    proposal: str = Field("", max_length=10000, description="办法和措施")
    submitted_by: SubmittedBy = Field(SubmittedBy.DEPUTIES, description="提出方式")
    lead_deputy_id: int | None = Field(None, description="领衔代表 ID（代表联名时必填；代表本人起草时为本人）")


class MotionActionIn(InSchema):
    action: str = Field(description="sign 附议联名、unsign 撤销联名、submit 提交、withdraw 撤回、"
                                    "put_on_agenda 列入会议议程、reject 不列入会议议程、"
                                    "to_suggestion 作为代表建议处理、adopt 登记决议、"
                                    "not_adopt 登记未通过、progress 登记落实进展、finish 落实完毕")
    on: dt.date | None = Field(None, description="日期（默认今天，不早于上一步，不晚于今天）")
    text: str = Field("", max_length=10000, description="理由 / 说明 / 决议 / 落实进展 / 落实情况")
    deputy_id: int | None = Field(None, description="联名代表 ID（人大办补录纸质联名时；代表本人联名不填）")
    unit_ids: list[int] = Field(default_factory=list, max_length=50, description="落实单位 ID（adopt 时）")
    expected_state: str | None = Field(None, description="客户端看到的状态；不一致时返回 409")


def _motion(request: HttpRequest, motion_id: int) -> Motion:
    user = actor(request)
    m: Motion = visible(request, selectors.motions_visible_to(user), motion_id)
    m.api_allowed_actions = [a.value for a in policy.available_actions(user, m)]  # type: ignore[attr-defined]
    return m


@motions_router.get("", response={200: list[MotionOut], **ERRORS}, summary="议案")
@paginate(Pagination)
def list_motions(request: HttpRequest, state: State | None = None, session_id: int | None = None,
                 q: str | None = Query(None, max_length=100, description="关键词（编号、案由、领衔代表）")) -> Any:
    user = actor(request)
    policy.require(user, "list")
    qs = selectors.motions_visible_to(user)
    if state is not None:
        qs = qs.filter(state=state)
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    return search(qs, q, ("code", "title", "lead_deputy__name")).order_by("-id")


@motions_router.get("/{int:motion_id}", response={200: MotionDetailOut, **ERRORS}, summary="议案详情")
def get_motion(request: HttpRequest, motion_id: int) -> Motion:
    return _motion(request, motion_id)


@motions_router.post("", response={201: MotionDetailOut, **VERB_ERRORS}, summary="起草议案")
def create_motion(request: HttpRequest, payload: MotionIn) -> Status[Motion]:
    user = actor(request)
    policy.require(user, "create")
    session = visible_ref(sessions_visible_to(user), payload.session_id, "session_id")
    assert session is not None
    own = policy.deputy_of(user)
    lead_id = own if user.role == "deputy" else payload.lead_deputy_id
    lead = visible_ref(Deputy.objects.filter(town_id=session.town_id), lead_id, "lead_deputy_id")
    m = services.motion_create(actor=user, session=session, title=payload.title, reasons=payload.reasons,
                               proposal=payload.proposal, submitted_by=payload.submitted_by, lead_deputy=lead)
    return Status(201, _motion(request, m.pk))


@motions_router.post("/{int:motion_id}/actions", response={200: MotionDetailOut, **VERB_ERRORS},
                     summary="议案办理（联名、提交、主席团决定、决议、落实）")
def act_on_motion(request: HttpRequest, motion_id: int, payload: MotionActionIn) -> Motion:
    user = actor(request)
    m = _motion(request, motion_id)
    try:
        action = Action(payload.action)
    except ValueError:
        action = None
    if action is None or action in {Action.CREATE, Action.EDIT}:
        raise InvalidInput(_("不支持的操作：{a}").format(a=payload.action), fields={"action": _("不正确")})
    kw: dict[str, Any] = {"actor": user, "motion_id": m.pk, "expected_state": payload.expected_state}
    dated = {**kw, "on": payload.on}
    text = payload.text
    if action in {Action.SIGN, Action.UNSIGN}:
        deputy = visible_ref(Deputy.objects.filter(town_id=m.town_id), payload.deputy_id, "deputy_id")
        if action == Action.SIGN:
            services.motion_sign(deputy=deputy, **kw)
        else:
            services.motion_unsign(deputy=deputy, **kw)
    elif action == Action.SUBMIT:
        services.motion_submit(**kw)
    elif action == Action.WITHDRAW:
        services.motion_withdraw(reason=text, **dated)
    elif action == Action.PUT_ON_AGENDA:
        services.motion_put_on_agenda(reason=text, **dated)
    elif action == Action.REJECT:
        services.motion_reject(reason=text, **dated)
    elif action == Action.TO_SUGGESTION:
        services.motion_to_suggestion(reason=text, **dated)
    elif action == Action.ADOPT:
        units = visible_refs(units_visible_to(user).filter(town_id=m.town_id), payload.unit_ids, "unit_ids")
        services.motion_adopt(resolution=text, units=units, **dated)
    elif action == Action.NOT_ADOPT:
        services.motion_not_adopt(reason=text, **dated)
    elif action == Action.PROGRESS:
        services.motion_progress(note=text, **dated)
    else:
        services.motion_finish(summary=text, **dated)
    return _motion(request, m.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/motions", motions_router)]
