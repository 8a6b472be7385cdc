"""API for livelihood projects (民生实事) — thin over the same selectors, policy and services as
the pages. Money is given and returned as decimal strings in yuan ("2860000.00"), never as a
JSON number (a float)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.core.api import ERRORS, InSchema, Pagination, RefOut, RegionRefOut, TimelineOut, actor, require_list, visible
from renda.projects import policy, rules, selectors, services
from renda.projects.models import Candidate, ProgressReport, Project, ProjectStage
from renda.projects.workflow import CandidateState, State

projects_router: Router = Router(tags=["民生实事"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}
MONEY = r"^\d{1,12}(\.\d{1,2})?$"


def _yuan(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class ProjectStageOut(Schema):
    stage: str = Field(description="阶段：initiation 立项、design 规划设计、budget 预算编制、tender 招标、"
                                   "construction 施工、acceptance 竣工验收、final_audit 决算审计")
    stage_label: str = Field(description="阶段（中文）")
    planned_start: dt.date | None = Field(description="计划开始")
    planned_end: dt.date | None = Field(description="计划完成")
    actual_start: dt.date | None = Field(description="实际开始")
    actual_end: dt.date | None = Field(description="实际完成")

    @staticmethod
    def resolve_stage_label(obj: ProjectStage) -> str:
        return str(obj.get_stage_display())


class ProjectTransitionOut(TimelineOut):
    pass


class ProjectWarningOut(Schema):
    kind: str = Field(description="stage_overdue 阶段逾期、bid_over_ceiling 中标价高于招标控制价、"
                                  "paid_over_contract 支付超合同、rectify_overdue 整改逾期")
    text: str = Field(description="预警内容")


class ProjectOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 MS2023-001")
    title: str = Field(description="项目名称")
    year: int = Field(description="项目年度")
    state: State = Field(description="状态")
    state_label: str = Field(description="状态（中文）")
    town: RegionRefOut = Field(description="所属镇街")
    lead_unit: RefOut | None = Field(description="牵头单位")
    stage: str = Field(description="当前阶段（done 为全部完成）")
    progress: int = Field(description="进度（%）")
    budget: str | None = Field(description="预算总造价（元）")
    bid_price: str | None = Field(description="中标价（元）")
    paid: str | None = Field(description="已支付（元）")
    deadline: dt.date | None = Field(description="完成时限")
    grade: str = Field(description="测评结果：satisfied 满意、basically_satisfied 基本满意、dissatisfied 不满意")

    @staticmethod
    def resolve_state_label(obj: Project) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_stage(obj: Project) -> str:
        return selectors.stage_of(obj)

    @staticmethod
    def resolve_progress(obj: Project) -> int:
        return selectors.progress_of(obj)

    @staticmethod
    def resolve_budget(obj: Project) -> str | None:
        return _yuan(obj.budget)

    @staticmethod
    def resolve_bid_price(obj: Project) -> str | None:
        return _yuan(obj.bid_price)

    @staticmethod
    def resolve_paid(obj: Project) -> str | None:
        return _yuan(obj.paid)


class ProjectDetailOut(ProjectOut):
    targets: str = Field(description="建设目标")
    funding_source: str = Field(description="资金来源")
    funding_amount: str | None = Field(description="计划投资（元）")
    tender_ceiling: str | None = Field(description="招标控制价（元）")
    contract_price: str | None = Field(description="合同价（元）")
    final_account: str | None = Field(description="结算/审计决算（元）")
    procurement: str = Field(description="采购方式：public_tender 公开招标、invited 邀请招标、direct 小额工程直接发包")
    platform: str = Field(description="交易平台")
    contractor: str = Field(description="施工单位")
    supervisor: RefOut | None = Field(description="督办主席团成员")
    stages: list[ProjectStageOut] = Field(description="实施阶段")
    warnings: list[ProjectWarningOut] = Field(description="预警")
    timeline: list[ProjectTransitionOut] = Field(description="办理记录")
    allowed_actions: list[str] = Field(description="当前用户现在可执行的操作")

    @staticmethod
    def resolve_funding_amount(obj: Project) -> str | None:
        return _yuan(obj.funding_amount)

    @staticmethod
    def resolve_tender_ceiling(obj: Project) -> str | None:
        return _yuan(obj.tender_ceiling)

    @staticmethod
    def resolve_contract_price(obj: Project) -> str | None:
        return _yuan(obj.contract_price)

    @staticmethod
    def resolve_final_account(obj: Project) -> str | None:
        return _yuan(obj.final_account)

    @staticmethod
    def resolve_stages(obj: Project) -> list[Any]:
        return selectors.stages_of(obj)

    @staticmethod
    def resolve_warnings(obj: Project) -> list[Any]:
        return selectors.warnings_of(obj)

    @staticmethod
    def resolve_timeline(obj: Project) -> list[Any]:
        return list(obj.transitions.order_by("on", "at", "id"))

    @staticmethod
    def resolve_allowed_actions(obj: Project) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


class ProjectFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（编号、项目名称）")
    year: int | None = Field(None, ge=2000, le=2100, description="项目年度")
    state: State | None = Field(None, description="状态")


class ProjectProgressIn(InSchema):
    text: str = Field(min_length=1, max_length=5000, description="进展情况")
    on: dt.date | None = Field(None, description="日期（默认今天；不早于票决日期，不晚于今天）")


class ProjectProgressOut(Schema):
    id: int = Field(description="ID")
    on: dt.date = Field(description="日期")
    text: str = Field(description="进展情况")
    actor: str = Field(description="报告人")

    @staticmethod
    def resolve_actor(obj: ProgressReport) -> str:
        return obj.actor_label


class ProjectMoneyIn(InSchema):
    budget: str | None = Field(None, pattern=MONEY, description="预算总造价（元），如 2860000.00")
    tender_ceiling: str | None = Field(None, pattern=MONEY, description="招标控制价（元）")
    bid_price: str | None = Field(None, pattern=MONEY, description="中标价（元）")
    contract_price: str | None = Field(None, pattern=MONEY, description="合同价（元）")
    paid: str | None = Field(None, pattern=MONEY, description="已支付（元）")
    final_account: str | None = Field(None, pattern=MONEY, description="结算/审计决算（元）")


class ProjectCandidateOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 HX2023-001")
    title: str = Field(description="项目名称")
    year: int = Field(description="项目年度")
    state: CandidateState = Field(description="状态")
    source: str = Field(description="来源：public 群众、deputy 代表、department 部门、suggestion 意见建议转化")
    kind: str = Field(description="项目类别")
    estimate: str | None = Field(description="估算投资（元）")
    proposed_unit: RefOut | None = Field(description="拟牵头单位")
    suggestion_id: int | None = Field(description="来源意见建议 ID")

    @staticmethod
    def resolve_estimate(obj: Candidate) -> str | None:
        return _yuan(obj.estimate)


class ProjectCandidateFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="项目年度")
    state: CandidateState | None = Field(None, description="状态")
    suggestion_id: int | None = Field(None, ge=1, description="来源意见建议 ID（意见建议转化的候选项目）")


# -- endpoints ---------------------------------------------------------------------------------------


def _get(request: HttpRequest, project_id: int) -> Project:
    p: Project = visible(request, selectors.projects_visible_to(actor(request)), project_id)
    p.api_allowed_actions = [a.value for a in policy.available_actions(actor(request), p)]  # type: ignore[attr-defined]
    return p


@projects_router.get("", response={200: list[ProjectOut], **ERRORS}, summary="民生实事项目列表")
@paginate(Pagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = selectors.projects_visible_to(user)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    q = "".join(ch for ch in filters.q or "" if ch >= " ").strip()
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs.order_by("-year", "code")


@projects_router.get("/{int:project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="民生实事项目详情")
def get_project(request: HttpRequest, project_id: int) -> Project:
    return _get(request, project_id)


@projects_router.post("/{int:project_id}/progress", response={201: ProjectProgressOut, **VERB_ERRORS},
                      summary="报告项目进度（照片请在页面上传）")
def report_project_progress(request: HttpRequest, project_id: int, payload: ProjectProgressIn) -> Status[Any]:
    p = _get(request, project_id)
    r = services.project_report_progress(actor=actor(request), project_id=p.pk, text=payload.text, on=payload.on)
    return Status(201, r)


@projects_router.post("/{int:project_id}/money", response={200: ProjectDetailOut, **VERB_ERRORS},
                      summary="更新项目资金情况（金额为元，字符串）")
def set_project_money(request: HttpRequest, project_id: int, payload: ProjectMoneyIn) -> Project:
    p = _get(request, project_id)
    amounts: dict[str, Any] = {k: rules.money(v, k) for k, v in payload.dict(exclude_unset=True).items()
                               if k in services.MONEY_FIELDS}
    services.project_money_set(actor=actor(request), project_id=p.pk, **amounts)
    return _get(request, project_id)


@projects_router.get("/candidates", response={200: list[ProjectCandidateOut], **ERRORS}, summary="候选项目列表")
@paginate(Pagination)
def list_project_candidates(request: HttpRequest, filters: Query[ProjectCandidateFilters]) -> Any:
    user = actor(request)
    policy.require(user, "candidates")
    qs = selectors.candidates_visible_to(user)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.suggestion_id:
        qs = qs.filter(suggestion_id=filters.suggestion_id)
    return qs.order_by("-year", "position", "id")


@projects_router.get("/candidates/{int:candidate_id}", response={200: ProjectCandidateOut, **ERRORS},
                     summary="候选项目详情")
def get_project_candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    c: Candidate = visible(request, selectors.candidates_visible_to(actor(request)), candidate_id)
    return c


routers = [("/projects", projects_router)]


