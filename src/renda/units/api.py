"""API for handling units (承办单位) — thin over selectors, policy and services."""

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
    RegionRefOut,
    actor,
    changes,
    common_filters,
    require_list,
    visible,
)
from renda.places.selectors import town_ref
from renda.units import policy, selectors, services
from renda.units.models import Unit, UnitKind

units_router: Router = Router(tags=["承办单位"])


class UnitOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="单位名称")
    kind: str = Field(description="类型：town_department 镇直部门、district_unit 区直单位、other 其他")
    kind_label: str = Field(description="类型（中文）")
    town: RegionRefOut = Field(description="所属镇街")
    contact_person: str = Field(description="联系人")
    contact_phone: str = Field(description="联系电话")
    is_active: bool = Field(description="是否启用")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitFilters(ListFilters):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配名称、联系人、联系电话）")
    town_id: int | None = Field(None, description="所属镇街 ID")
    kind: UnitKind | None = Field(None, description="类型：town_department、district_unit、other")


class UnitIn(InSchema):
    name: str = Field(min_length=1, max_length=100, description="单位名称（同一镇街内不重复）")
    kind: UnitKind = Field(description="类型：town_department 镇直部门、district_unit 区直单位、other 其他")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    contact_person: str = Field("", max_length=50, description="联系人")
    contact_phone: str = Field("", max_length=20, description="联系电话（手机号或固定电话，如 0552-1234567）")


class UnitPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=100, description="单位名称（不填则不改）")
    kind: UnitKind | None = Field(None, description="类型（不填则不改）")
    contact_person: str | None = Field(None, max_length=50, description="联系人（不填则不改）")
    contact_phone: str | None = Field(None, max_length=20, description="联系电话（不填则不改）")


def _units(request: HttpRequest) -> QuerySet[Unit]:
    return selectors.units_visible_to(actor(request))


@units_router.get("", response={200: list[UnitOut], **ERRORS}, summary="承办单位列表")
@paginate(Pagination)
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    require_list(policy.require, actor(request))
    qs = common_filters(_units(request), filters, ("name", "contact_person", "contact_phone"))
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    return qs


@units_router.get("/{int:unit_id}", response={200: UnitOut, **ERRORS}, summary="承办单位详情")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = visible(request, _units(request), unit_id)
    policy.require(actor(request), "view", unit)
    return unit


@units_router.post("", response={201: UnitOut, **ERRORS}, summary="新增承办单位")
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    user = actor(request)
    policy.require(user, "create")
    unit = services.unit_create(actor=user, town=town_ref(user, payload.town_id), name=payload.name,
                                kind=payload.kind, contact_person=payload.contact_person,
                                contact_phone=payload.contact_phone)
    return Status(201, visible(request, _units(request), unit.pk))


@units_router.patch("/{int:unit_id}", response={200: UnitOut, **ERRORS}, summary="修改承办单位")
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    unit = visible(request, _units(request), unit_id)
    data = changes(payload)
    services.unit_update(actor=actor(request), unit_id=unit.pk, name=data.get("name"), kind=data.get("kind"),
                         contact_person=data.get("contact_person"), contact_phone=data.get("contact_phone"))
    return visible(request, _units(request), unit.pk)


@units_router.post("/{int:unit_id}/deactivate", response={200: UnitOut, **ERRORS}, summary="停用承办单位")
def deactivate_unit(request: HttpRequest, unit_id: int, payload: ReasonIn | None = None) -> Unit:
    unit = visible(request, _units(request), unit_id)
    services.unit_deactivate(actor=actor(request), unit_id=unit.pk, reason=payload.reason if payload else "")
    return visible(request, _units(request), unit.pk)


@units_router.post("/{int:unit_id}/activate", response={200: UnitOut, **ERRORS}, summary="启用承办单位")
def activate_unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = visible(request, _units(request), unit_id)
    services.unit_activate(actor=actor(request), unit_id=unit.pk)
    return visible(request, _units(request), unit.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/units", units_router)]
