"""API for deputies (人大代表) and presidium–deputy contact assignments (联系代表) — thin over
selectors, policy and services."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.core.api import (
    ERRORS,
    InSchema,
    ListFilters,
    Pagination,
    ReasonIn,
    RefOut,
    RegionRefOut,
    actor,
    changes,
    common_filters,
    require_list,
    visible,
    visible_ref,
    visible_refs,
)
from renda.people import policy, selectors, services
from renda.people.models import ContactAssignment, Deputy, DeputyLevel
from renda.places.selectors import grids_visible_to, town_ref, villages_visible_to

deputies_router: Router = Router(tags=["人大代表"])
contacts_router: Router = Router(tags=["联系代表"])


# -- deputies ----------------------------------------------------------------------------------


class DeputyOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="姓名")
    phone: str = Field(description="手机号")
    level: str = Field(description="层级：district 区人大代表、town 镇人大代表")
    level_label: str = Field(description="层级（中文）")
    term: str = Field(description="届次，如 第十八届")
    constituency: str = Field(description="选区")
    town: RegionRefOut = Field(description="所属镇街")
    village: RegionRefOut | None = Field(description="所属村社区")
    is_presidium: bool = Field(description="是否主席团成员")
    serving_from: dt.date | None = Field(description="任职起")
    serving_to: dt.date | None = Field(description="任职止")
    grids: list[RegionRefOut] = Field(description="联系网格")
    is_active: bool = Field(description="是否启用")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")

    @staticmethod
    def resolve_level_label(obj: Deputy) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_grids(obj: Deputy) -> list[Any]:
        return list(obj.grids.all())


class DeputyFilters(ListFilters):
    q: str | None = Field(None, max_length=100,
                          description="关键词（模糊匹配姓名、手机号、选区、村社区名称）")
    level: DeputyLevel | None = Field(None, description="层级：district 区人大代表、town 镇人大代表")
    is_presidium: bool | None = Field(None, description="是否主席团成员")
    town_id: int | None = Field(None, description="所属镇街 ID")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="联系网格 ID")


class DeputyIn(InSchema):
    name: str = Field(min_length=1, max_length=50, description="姓名")
    phone: str = Field(min_length=1, max_length=20, description="手机号（姓名+手机号不能与已有代表重复）")
    level: DeputyLevel = Field(description="层级：district 区人大代表、town 镇人大代表")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    term: str = Field("", max_length=20, description="届次，如 第十八届")
    constituency: str = Field("", max_length=100, description="选区")
    village_id: int | None = Field(None, description="所属村社区 ID（须属于所属镇街）")
    is_presidium: bool = Field(False, description="是否主席团成员")
    serving_from: dt.date | None = Field(None, description="任职起（YYYY-MM-DD）")
    serving_to: dt.date | None = Field(None, description="任职止（YYYY-MM-DD）")
    grid_ids: list[int] = Field(default_factory=list, description="联系网格 ID 列表（须属于所属镇街）")


class DeputyPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=50, description="姓名（不填则不改）")
    phone: str | None = Field(None, min_length=1, max_length=20, description="手机号（不填则不改）")
    level: DeputyLevel | None = Field(None, description="层级（不填则不改）")
    term: str | None = Field(None, max_length=20, description="届次（不填则不改）")
    constituency: str | None = Field(None, max_length=100, description="选区（不填则不改）")
    village_id: int | None = Field(None, description="所属村社区 ID（不填则不改；null 为清除）")
    is_presidium: bool | None = Field(None, description="是否主席团成员（不填则不改）")
    serving_from: dt.date | None = Field(None, description="任职起（不填则不改；null 为清除）")
    serving_to: dt.date | None = Field(None, description="任职止（不填则不改；null 为清除）")
    grid_ids: list[int] | None = Field(None, description="联系网格 ID 列表（给出时整体替换）")


class DeputyDeactivateIn(ReasonIn):
    serving_to: dt.date | None = Field(None, description="任职止（可选，YYYY-MM-DD）")


def _deputies(request: HttpRequest) -> QuerySet[Deputy]:
    return selectors.deputies_visible_to(actor(request))


@deputies_router.get("", response={200: list[DeputyOut], **ERRORS}, summary="代表列表")
@paginate(Pagination)
def list_deputies(request: HttpRequest, filters: Query[DeputyFilters]) -> Any:
    require_list(policy.require, actor(request))
    qs = common_filters(_deputies(request), filters, ("name", "phone", "constituency", "village__name"))
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.is_presidium is not None:
        qs = qs.filter(is_presidium=filters.is_presidium)
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.village_id is not None:
        qs = qs.filter(village_id=filters.village_id)
    if filters.grid_id is not None:
        qs = qs.filter(grids__id=filters.grid_id)
    return qs


@deputies_router.get("/{int:deputy_id}", response={200: DeputyOut, **ERRORS}, summary="代表详情")
def get_deputy(request: HttpRequest, deputy_id: int) -> Deputy:
    deputy = visible(request, _deputies(request), deputy_id)
    policy.require(actor(request), "view", deputy)
    return deputy


@deputies_router.post("", response={201: DeputyOut, **ERRORS}, summary="新增代表")
def create_deputy(request: HttpRequest, payload: DeputyIn) -> Status[Deputy]:
    user = actor(request)
    policy.require(user, "create")
    deputy = services.deputy_create(
        actor=user, name=payload.name, phone=payload.phone, level=payload.level,
        town=town_ref(user, payload.town_id), term=payload.term, constituency=payload.constituency,
        village=visible_ref(villages_visible_to(user), payload.village_id, "village_id"),
        is_presidium=payload.is_presidium, serving_from=payload.serving_from, serving_to=payload.serving_to,
        grids=visible_refs(grids_visible_to(user), payload.grid_ids, "grid_ids"),
    )
    return Status(201, visible(request, _deputies(request), deputy.pk))


@deputies_router.patch("/{int:deputy_id}", response={200: DeputyOut, **ERRORS}, summary="修改代表")
def update_deputy(request: HttpRequest, deputy_id: int, payload: DeputyPatch) -> Deputy:
    user = actor(request)
    deputy = visible(request, _deputies(request), deputy_id)
    data = changes(payload)
    kwargs: dict[str, Any] = {k: data[k] for k in ("name", "phone", "level", "term", "constituency",
                                                   "is_presidium") if data.get(k) is not None}
    for k in ("serving_from", "serving_to"):
        if k in data:
            kwargs[k] = data[k]
    if "village_id" in data:
        kwargs["village"] = visible_ref(villages_visible_to(user), data["village_id"], "village_id")
    if data.get("grid_ids") is not None:
        kwargs["grids"] = visible_refs(grids_visible_to(user), data["grid_ids"], "grid_ids")
    services.deputy_update(actor=user, deputy_id=deputy.pk, **kwargs)
    return visible(request, _deputies(request), deputy.pk)


@deputies_router.post("/{int:deputy_id}/deactivate", response={200: DeputyOut, **ERRORS}, summary="停用代表")
def deactivate_deputy(request: HttpRequest, deputy_id: int,
                      payload: DeputyDeactivateIn | None = None) -> Deputy:
    deputy = visible(request, _deputies(request), deputy_id)
    services.deputy_deactivate(actor=actor(request), deputy_id=deputy.pk,
                               serving_to=payload.serving_to if payload else None,
                               reason=payload.reason if payload else "")
    return visible(request, _deputies(request), deputy.pk)


@deputies_router.post("/{int:deputy_id}/activate", response={200: DeputyOut, **ERRORS}, summary="启用代表")
def activate_deputy(request: HttpRequest, deputy_id: int) -> Deputy:
    deputy = visible(request, _deputies(request), deputy_id)
    services.deputy_activate(actor=actor(request), deputy_id=deputy.pk)
    return visible(request, _deputies(request), deputy.pk)


# -- contact assignments -------------------------------------------------------------------------


class ContactAssignmentOut(Schema):
    id: int = Field(description="ID")
    presidium_member: RefOut = Field(description="主席团成员（代表）")
    deputy: RefOut = Field(description="联系的代表")
    town: RegionRefOut = Field(description="所属镇街")
    is_active: bool = Field(description="是否启用")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")


class ContactAssignmentFilters(ListFilters):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配主席团成员或代表姓名）")
    town_id: int | None = Field(None, description="所属镇街 ID")
    presidium_member_id: int | None = Field(None, description="主席团成员（代表）ID")
    deputy_id: int | None = Field(None, description="联系的代表 ID")


class ContactAssignmentIn(InSchema):
    presidium_member_id: int = Field(description="主席团成员（代表）ID")
    deputy_id: int = Field(description="联系的代表 ID（同一镇街、不能是本人）")


def _contacts(request: HttpRequest) -> QuerySet[ContactAssignment]:
    return selectors.contact_assignments_visible_to(actor(request))


@contacts_router.get("", response={200: list[ContactAssignmentOut], **ERRORS}, summary="联系代表安排列表")
@paginate(Pagination)
def list_contact_assignments(request: HttpRequest, filters: Query[ContactAssignmentFilters]) -> Any:
    require_list(policy.require, actor(request))
    qs = common_filters(_contacts(request), filters, ("presidium_member__name", "deputy__name"))
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.presidium_member_id is not None:
        qs = qs.filter(presidium_member_id=filters.presidium_member_id)
    if filters.deputy_id is not None:
        qs = qs.filter(deputy_id=filters.deputy_id)
    return qs


@contacts_router.get("/{int:assignment_id}", response={200: ContactAssignmentOut, **ERRORS},
                     summary="联系代表安排详情")
def get_contact_assignment(request: HttpRequest, assignment_id: int) -> ContactAssignment:
    assignment = visible(request, _contacts(request), assignment_id)
    policy.require(actor(request), "view", assignment)
    return assignment


@contacts_router.post("", response={201: ContactAssignmentOut, **ERRORS}, summary="新增联系代表安排")
def create_contact_assignment(request: HttpRequest,
                              payload: ContactAssignmentIn) -> Status[ContactAssignment]:
    user = actor(request)
    policy.require(user, "create")
    deputies = _deputies(request)
    presidium_member = visible_ref(deputies, payload.presidium_member_id, "presidium_member_id")
    deputy = visible_ref(deputies, payload.deputy_id, "deputy_id")
    assert presidium_member is not None and deputy is not None
    assignment = services.contact_assignment_create(actor=user, presidium_member=presidium_member,
                                                    deputy=deputy)
    return Status(201, visible(request, _contacts(request), assignment.pk))


@contacts_router.post("/{int:assignment_id}/deactivate", response={200: ContactAssignmentOut, **ERRORS},
                      summary="停用联系代表安排")
def deactivate_contact_assignment(request: HttpRequest, assignment_id: int,
                                  payload: ReasonIn | None = None) -> ContactAssignment:
    assignment = visible(request, _contacts(request), assignment_id)
    services.contact_assignment_deactivate(actor=actor(request), assignment_id=assignment.pk,
                                           reason=payload.reason if payload else "")
    return visible(request, _contacts(request), assignment.pk)


@contacts_router.post("/{int:assignment_id}/activate", response={200: ContactAssignmentOut, **ERRORS},
                      summary="重新启用联系代表安排")
def activate_contact_assignment(request: HttpRequest, assignment_id: int) -> ContactAssignment:
    # Re-creating the same pair is how the service re-activates an assignment (one rule, one place).
    assignment = visible(request, _contacts(request), assignment_id)
    services.contact_assignment_create(actor=actor(request), presidium_member=assignment.presidium_member,
                                       deputy=assignment.deputy)
    return visible(request, _contacts(request), assignment.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/deputies", deputies_router), ("/contact-assignments", contacts_router)]
