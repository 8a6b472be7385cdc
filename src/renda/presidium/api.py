"""API of the presidium's records (主席团工作) — thin over the same selectors, policy and services
as the pages: the plans and their tasks (with a task's half-year review), the division of
duties, the information items."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.core.api import ERRORS, InSchema, Pagination, RefOut, actor, search, visible
from renda.core.errors import InvalidInput
from renda.presidium import halves, policy, selectors, services
from renda.presidium.models import InfoItem, PlanTask, Recipient, ReviewStatus

presidium_router: Router = Router(tags=["主席团工作"])

VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[400]}


class PresidiumPlanOut(Schema):
    id: int = Field(description="ID")
    town: RefOut = Field(description="所属镇街")
    year: int = Field(description="年度")
    title: str = Field(description="标题")
    goals: str = Field(description="工作目标")


class PresidiumReviewOut(Schema):
    half: str = Field(description="评估半年度，如 2023H1")
    status: ReviewStatus = Field(description="进展情况：done 已完成、under_way 推进中、not_started 未开展")
    note: str = Field(description="进展说明")
    on: dt.date = Field(description="评估日期")


class PresidiumLinkOut(Schema):
    kind: str = Field(description="类别：suggestion 重点督办建议、activity 履职活动、project 民生实事项目、"
                                  "contact_target 联系目标")
    target_id: int = Field(description="关联记录 ID")
    label: str = Field(description="关联记录")

    @staticmethod
    def resolve_target_id(obj: Any) -> int:
        return int(obj.target.pk)

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.target)


class PresidiumTaskOut(Schema):
    id: int = Field(description="ID")
    plan_id: int = Field(description="年度工作要点 ID")
    ordinal: int = Field(description="序号")
    area: str = Field(description="工作板块")
    text: str = Field(description="任务内容")
    lead: RefOut = Field(description="牵头主席团成员")
    due_half: str = Field(description="完成时限（半年度）")
    due_on: dt.date | None = Field(description="完成日期")
    reviews: list[PresidiumReviewOut] = Field(description="半年进展评估")
    links: list[PresidiumLinkOut] = Field(description="进展记录")

    @staticmethod
    def resolve_reviews(obj: PlanTask) -> list[Any]:
        return sorted(obj.reviews.all(), key=lambda r: halves.key(r.half))

    @staticmethod
    def resolve_links(obj: PlanTask) -> list[Any]:
        return list(obj.links.all())


class PresidiumReviewIn(InSchema):
    half: str = Field(pattern=r"^\d{4}H[12]$", description="评估半年度，如 2023H1（不早于任务的完成时限，已开始）")
    status: ReviewStatus = Field(description="进展情况")
    note: str = Field("", max_length=10000, description="进展说明（未完成的必填）")


class PresidiumDivisionOut(Schema):
    id: int = Field(description="ID")
    year: int = Field(description="年度")
    member: RefOut = Field(description="主席团成员")
    areas: str = Field(description="分管工作")
    responsibilities: str = Field(description="工作职责")
    regions: list[RefOut] = Field(description="联系村社区/网格")
    groups: list[RefOut] = Field(description="联系代表小组")


class PresidiumInfoOut(Schema):
    id: int = Field(description="ID")
    title: str = Field(description="信息标题")
    submitted_on: dt.date = Field(description="报送日期")
    recipient: Recipient = Field(description="报送对象：district 区人大常委会、city 市人大常委会、other 其他")
    recipient_other: str = Field(description="其他报送对象")
    adopted: bool = Field(description="是否采用")
    adopted_on: dt.date | None = Field(description="采用日期")
    published_in: str = Field(description="刊发载体")
    note: str = Field(description="链接或备注")


class PresidiumInfoIn(InSchema):
    title: str = Field(min_length=1, max_length=200, description="信息标题")
    submitted_on: dt.date = Field(description="报送日期（不晚于今天）")
    recipient: Recipient = Field(description="报送对象")
    recipient_other: str = Field("", max_length=100, description="其他报送对象（报送对象为 other 时必填）")
    adopted: bool = Field(False, description="是否采用")
    adopted_on: dt.date | None = Field(None, description="采用日期（已采用时必填，不早于报送日期）")
    published_in: str = Field("", max_length=200, description="刊发载体")
    note: str = Field("", max_length=10000, description="链接或备注")


class PresidiumYearFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


class PresidiumTaskFilters(Schema):
    plan_id: int | None = Field(None, ge=1, le=2_147_483_647, description="年度工作要点 ID")
    due_half: str | None = Field(None, pattern=r"^\d{4}H[12]$", description="完成时限，如 2023H2")


class PresidiumInfoFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词")
    date_from: dt.date | None = Field(None, description="报送日期起")
    date_to: dt.date | None = Field(None, description="报送日期止")


@presidium_router.get("/plans", response={200: list[PresidiumPlanOut], **ERRORS}, summary="年度工作要点")
@paginate(Pagination)
def list_presidium_plans(request: HttpRequest, filters: Query[PresidiumYearFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="plans")
    qs = selectors.plans_visible_to(user)
    return (qs.filter(year=filters.year) if filters.year else qs).order_by("-year", "id")


@presidium_router.get("/plans/{int:plan_id}", response={200: PresidiumPlanOut, **ERRORS}, summary="年度工作要点详情")
def get_presidium_plan(request: HttpRequest, plan_id: int) -> Any:
    return visible(request, selectors.plans_visible_to(actor(request)), plan_id)


@presidium_router.get("/tasks", response={200: list[PresidiumTaskOut], **ERRORS}, summary="工作任务")
@paginate(Pagination)
def list_presidium_tasks(request: HttpRequest, filters: Query[PresidiumTaskFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="tasks")
    qs = selectors.tasks_visible_to(user)
    if filters.plan_id:
        qs = qs.filter(plan_id=filters.plan_id)
    if filters.due_half:
        qs = qs.filter(due_half=filters.due_half)
    return qs.order_by("plan_id", "ordinal", "id")


@presidium_router.get("/tasks/{int:task_id}", response={200: PresidiumTaskOut, **ERRORS}, summary="工作任务详情")
def get_presidium_task(request: HttpRequest, task_id: int) -> Any:
    return visible(request, selectors.tasks_visible_to(actor(request)), task_id)


@presidium_router.post("/tasks/{int:task_id}/review", response={200: PresidiumTaskOut, **VERB_ERRORS},
                       summary="半年进展评估（同一半年度再次评估即更正）")
def review_presidium_task(request: HttpRequest, task_id: int, payload: PresidiumReviewIn) -> Any:
    user = actor(request)
    task = visible(request, selectors.tasks_visible_to(user), task_id)
    services.task_review(actor=user, task=task, half=payload.half, status=payload.status, note=payload.note)
    return selectors.tasks_visible_to(user).get(pk=task.pk)


@presidium_router.get("/divisions", response={200: list[PresidiumDivisionOut], **ERRORS}, summary="主席团成员职责分工")
@paginate(Pagination)
def list_presidium_divisions(request: HttpRequest, filters: Query[PresidiumYearFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="divisions")
    qs = selectors.divisions_visible_to(user)
    return (qs.filter(year=filters.year) if filters.year else qs).order_by("-year", "member__name", "id")


@presidium_router.get("/information", response={200: list[PresidiumInfoOut], **ERRORS}, summary="信息报送")
@paginate(Pagination)
def list_presidium_information(request: HttpRequest, filters: Query[PresidiumInfoFilters]) -> Any:
    user = actor(request)
    policy.require(user, "list", kind="info")
    qs = search(selectors.info_visible_to(user), filters.q, ("title", "published_in"))
    if filters.date_from:
        qs = qs.filter(submitted_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(submitted_on__lte=filters.date_to)
    return qs.order_by("-submitted_on", "-id")


@presidium_router.get("/information/{int:item_id}", response={200: PresidiumInfoOut, **ERRORS}, summary="信息报送详情")
def get_presidium_information(request: HttpRequest, item_id: int) -> Any:
    return visible(request, selectors.info_visible_to(actor(request)), item_id)


@presidium_router.post("/information", response={201: PresidiumInfoOut, **VERB_ERRORS}, summary="登记信息报送")
def create_presidium_information(request: HttpRequest, payload: PresidiumInfoIn) -> Status[InfoItem]:
    user = actor(request)
    policy.require(user, "create", kind="info")
    town = user.town
    if town is None:
        raise InvalidInput(_("区级用户请在页面上选择镇街后登记"), fields={"town": _("必填")})
    item = services.info_create(actor=user, town=town, **payload.model_dump())
    return Status(201, item)


routers: list[tuple[str, Router]] = [("/presidium", presidium_router)]
