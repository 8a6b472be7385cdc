"""API of congress sessions and vote rounds — thin over the same selectors, policy and services as
the pages. Reads: sessions (with quorum, attendance and agenda) and rounds (issued/returned while
open; the tally after the close, as ``selectors.round_result``). Write: a deputy's ballot on an
open phone round. No endpoint names who voted how: there is nothing that links the two."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.congress import policy, selectors, services
from renda.congress.models import RoundKind, RoundState, Session, VoteRound
from renda.core.api import ERRORS, InSchema, Pagination, RegionRefOut, actor, require_list, search, visible
from renda.core.errors import InvalidInput

sessions_router: Router = Router(tags=["人代会"])
rounds_router: Router = Router(tags=["人代会投票"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


# -- schemas -----------------------------------------------------------------------------------------


class CongressQuorumOut(Schema):
    all: int = Field(description="全体代表数（本镇在任镇人大代表）")
    present: int = Field(description="出席代表数")
    needed: int = Field(description="法定人数（至少出席人数）")
    reached: bool = Field(description="是否达到法定人数")


class CongressAttendanceOut(Schema):
    deputy_id: int = Field(description="代表 ID")
    deputy: str = Field(description="代表姓名")
    status: str = Field(description="出席情况：due 应到（未登记）、present 出席、leave 请假、absent 缺席")

    @staticmethod
    def resolve_deputy(obj: Any) -> str:
        return str(obj.deputy.name)


class CongressAgendaItemOut(Schema):
    id: int = Field(description="ID")
    order: int = Field(description="序号")
    title: str = Field(description="议程")
    needs_vote: bool = Field(description="需表决")


class CongressSessionOut(Schema):
    id: int = Field(description="ID")
    town: RegionRefOut = Field(description="所属镇街")
    term: int = Field(description="届次（第X届）")
    number: int = Field(description="会次（第X次会议）")
    title: str = Field(description="会议名称")
    starts_on: dt.date = Field(description="开幕日期")
    ends_on: dt.date = Field(description="闭幕日期")
    venue: str = Field(description="会议地点")
    quorum_numerator: int = Field(description="法定人数比例（分子）")
    quorum_denominator: int = Field(description="法定人数比例（分母）")


class CongressSessionDetailOut(CongressSessionOut):
    notes: str = Field(description="备注")
    quorum: CongressQuorumOut = Field(description="法定人数")
    attendance: list[CongressAttendanceOut] = Field(description="出席情况")
    agenda: list[CongressAgendaItemOut] = Field(description="会议议程")

    @staticmethod
    def resolve_quorum(obj: Session) -> Any:
        return selectors.session_quorum(obj)

    @staticmethod
    def resolve_attendance(obj: Session) -> list[Any]:
        return list(obj.attendance.select_related("deputy").order_by("deputy__name", "id"))

    @staticmethod
    def resolve_agenda(obj: Session) -> list[Any]:
        return list(obj.agenda.all())


class CongressOptionResultOut(Schema):
    option_id: int = Field(description="投票事项 ID")
    ref_kind: str = Field(description="对象类型，如 project_candidate 民生实事候选项目、project 民生实事项目")
    ref_id: int = Field(description="对象 ID")
    label: str = Field(description="名称")
    for_: int | None = Field(None, description="赞成票（结束投票后）")
    against: int | None = Field(None, description="反对票（结束投票后）")
    abstain: int | None = Field(None, description="弃权票（结束投票后）")
    satisfied: int | None = Field(None, description="满意票（测评，结束投票后）")
    basically_satisfied: int | None = Field(None, description="基本满意票（测评，结束投票后）")
    dissatisfied: int | None = Field(None, description="不满意票（测评，结束投票后）")
    elected: bool = Field(description="当选（票决）")
    grade: str | None = Field(
        None, description="测评结果：satisfied 满意、basically_satisfied 基本满意、dissatisfied 不满意")


class CongressRoundOut(Schema):
    id: int = Field(description="ID")
    session_id: int = Field(description="人代会 ID")
    title: str = Field(description="名称")
    kind: str = Field(description="类型：select 票决、evaluate 满意度测评")
    mode: str = Field(description="投票方式：paper 纸质选票、phone 手机投票")
    basis: str = Field(description="过半数基数：all 全体代表、present 出席代表")
    state: str = Field(description="状态：open 投票中、closed 已计票、void 无效")
    seats: int | None = Field(description="应选数（票决）")
    parent_id: int | None = Field(description="上一轮（另行投票时）")
    chief_scrutineer: str = Field(description="总监票人")
    scrutineers: str = Field(description="监票人")
    all_count: int = Field(description="全体代表数")
    present_count: int = Field(description="出席代表数")
    issued: int = Field(description="发出选票")
    returned: int = Field(description="收回选票")
    opened_at: dt.datetime | None = Field(description="开始投票时间")
    closed_at: dt.datetime | None = Field(description="计票时间")


class CongressRoundDetailOut(CongressRoundOut):
    valid: int | None = Field(description="有效票（结束投票后）")
    invalid: int | None = Field(description="无效票（结束投票后）")
    threshold: int | None = Field(description="当选所需最少赞成票（票决，结束投票后）")
    options: list[CongressOptionResultOut] = Field(description="投票事项及其结果（结束投票后才有票数）")
    tied: list[int] = Field(description="票数并列、须另行投票的事项 ID")
    needs_further_round: bool = Field(description="是否须就并列事项另行投票")
    seats_left: int = Field(description="另行投票的名额")
    voted: bool = Field(description="当前用户（代表）是否已在本轮投票")


class CongressSessionFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（会议名称、地点）")
    term: int | None = Field(None, ge=1, le=99, description="届次")
    year: int | None = Field(None, ge=2000, le=2100, description="年度（按开幕日期）")


class CongressRoundFilters(Schema):
    session_id: int | None = Field(None, ge=1, le=2_147_483_647, description="人代会 ID")
    kind: RoundKind | None = Field(None, description="类型")
    state: RoundState | None = Field(None, description="状态")
    open_for_me: bool | None = Field(None, description="true：只列出当前代表可以投票的手机投票")


class CongressChoiceIn(InSchema):
    option_id: int = Field(ge=1, le=9_223_372_036_854_775_807, description="投票事项 ID")
    choice: Literal["for", "against", "abstain", "satisfied", "basically_satisfied", "dissatisfied"] = Field(
        description="票决 for 赞成、against 反对、abstain 弃权；测评 satisfied 满意、basically_satisfied 基本满意、"
                    "dissatisfied 不满意、abstain 弃权")


class CongressBallotIn(InSchema):
    choices: list[CongressChoiceIn] = Field(max_length=500, description=(
        "每个事项的选择；未列出的事项视为弃权；票决赞成不能超过应选数；同一事项只能出现一次"))


class CongressBallotOut(Schema):
    voted: bool = Field(description="已投票")
    returned: int = Field(description="本轮已收回选票数")


# -- helpers -----------------------------------------------------------------------------------------


def _round_detail(user: Any, r: VoteRound) -> dict[str, Any]:
    res = selectors.round_result(r)
    base = CongressRoundOut.from_orm(r).model_dump()
    return base | {
        "valid": res.valid, "invalid": res.invalid, "threshold": res.threshold,
        "options": [o.__dict__ for o in res.options], "tied": [o.option_id for o in res.tied],
        "needs_further_round": res.needs_further_round, "seats_left": res.seats_left,
        "voted": selectors.has_voted(r.pk, selectors.deputy_of(user)),
    }


# -- endpoints ---------------------------------------------------------------------------------------


@sessions_router.get("", response={200: list[CongressSessionOut], **ERRORS}, summary="人代会列表")
@paginate(Pagination)
def list_congress_sessions(request: HttpRequest, filters: Query[CongressSessionFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = selectors.sessions_visible_to(user)
    if filters.term:
        qs = qs.filter(term=filters.term)
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    return search(qs, filters.q, ("title", "venue")).order_by("-starts_on", "-id")


@sessions_router.get("/{int:session_id}", response={200: CongressSessionDetailOut, **ERRORS}, summary="人代会详情")
def get_congress_session(request: HttpRequest, session_id: int) -> Session:
    return visible(request, selectors.sessions_visible_to(actor(request)), session_id)


@rounds_router.get("", response={200: list[CongressRoundOut], **ERRORS}, summary="人代会投票列表")
@paginate(Pagination)
def list_congress_rounds(request: HttpRequest, filters: Query[CongressRoundFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = selectors.rounds_open_for_deputy(user) if filters.open_for_me else selectors.rounds_visible_to(user)
    if filters.session_id:
        qs = qs.filter(session_id=filters.session_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-id")


@rounds_router.get("/{int:round_id}", response={200: CongressRoundDetailOut, **ERRORS},
                   summary="投票详情（投票中只有发出、收回选票数；结束后为计票结果）")
def get_congress_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    user = actor(request)
    return _round_detail(user, visible(request, selectors.rounds_visible_to(user), round_id))


@rounds_router.post("/{int:round_id}/ballot", response={201: CongressBallotOut, **VERB_ERRORS},
                    summary="代表投票（手机投票；每人一次，选票不记录投票人）")
def cast_congress_ballot(request: HttpRequest, round_id: int, payload: CongressBallotIn) -> Status[dict[str, Any]]:
    user = actor(request)
    r = visible(request, selectors.rounds_visible_to(user), round_id)
    choices: dict[int, str] = {}
    for i, c in enumerate(payload.choices):
        if c.option_id in choices:
            raise InvalidInput(_("投票事项重复"), fields={f"choices.{i}.option_id": _("重复")})
        choices[c.option_id] = c.choice
    services.ballot_cast(actor=user, round_id=r.pk, choices=choices)
    r.refresh_from_db()
    return Status(201, {"voted": True, "returned": r.returned})


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/congress/sessions", sessions_router), ("/congress/rounds", rounds_router)]
