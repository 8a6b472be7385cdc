"""API for regions (区/镇街/村社区/网格) and grid workers — thin over selectors, policy and services."""

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
    visible_ref,
    visible_refs,
)
from renda.places import policy, selectors, services
from renda.places.models import GridWorker, Kind, Level, Region, WorkerKind
from renda.places.selectors import town_ref

regions_router: Router = Router(tags=["区划"])
grid_workers_router: Router = Router(tags=["网格员"])


# -- regions ----------------------------------------------------------------------------------


class RegionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="区划代码（区县、镇街、村社区12位；网格15位）")
    name: str = Field(description="名称")
    level: str = Field(description="层级：district 区县、town 镇街、village 村社区、grid 网格")
    level_label: str = Field(description="层级（中文）")
    kind: str = Field(description="类型：district 区、town 镇、street 街道、village 村、community 社区、"
                                  "grid 网格")
    kind_label: str = Field(description="类型（中文）")
    parent: RegionRefOut | None = Field(description="上级区划")
    town: RegionRefOut | None = Field(description="所属镇街（镇街为其自身；区县为空）")
    is_active: bool = Field(description="是否启用")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_kind_label(obj: Region) -> str:
        return str(obj.get_kind_display())


class RegionFilters(ListFilters):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配名称、区划代码）")
    level: Level | None = Field(None, description="层级：district、town、village、grid")
    town_id: int | None = Field(None, description="所属镇街 ID")
    parent_id: int | None = Field(None, description="上级区划 ID")


class RegionIn(InSchema):
    code: str = Field(min_length=12, max_length=15,
                      description="区划代码：区县、镇街、村社区12位；网格15位（村社区代码+3位）")
    name: str = Field(min_length=1, max_length=100, description="名称")
    level: Level = Field(description="层级：district 区县、town 镇街、village 村社区、grid 网格")
    kind: Kind | None = Field(None, description="类型；不填时取层级的默认类型（区、镇、村、网格）")
    parent_id: int | None = Field(None, description="上级区划 ID：镇街的上级为区县，村社区的上级为镇街，"
                                                    "网格的上级为村社区")


class RegionPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=100, description="名称（不填则不改）")
    kind: Kind | None = Field(None, description="类型（不填则不改）")
    parent_id: int | None = Field(None, description="上级区划 ID（只有镇街可改所属区县；"
                                                    "村社区和网格的上级由代码决定）")


def _regions(request: HttpRequest) -> QuerySet[Region]:
    return selectors.regions_visible_to(actor(request))


@regions_router.get("", response={200: list[RegionOut], **ERRORS}, summary="区划列表")
@paginate(Pagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> Any:
    require_list(policy.require, actor(request))
    qs = common_filters(_regions(request), filters, ("name", "code"))
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.parent_id is not None:
        qs = qs.filter(parent_id=filters.parent_id)
    return qs


@regions_router.get("/{int:region_id}", response={200: RegionOut, **ERRORS}, summary="区划详情")
def get_region(request: HttpRequest, region_id: int) -> Region:
    region = visible(request, _regions(request), region_id)
    policy.require(actor(request), "view", region)
    return region


@regions_router.post("", response={201: RegionOut, **ERRORS}, summary="新增区划")
def create_region(request: HttpRequest, payload: RegionIn) -> Status[Region]:
    user = actor(request)
    policy.require(user, "create")
    parent = visible_ref(_regions(request), payload.parent_id, "parent_id")
    region = services.region_create(actor=user, code=payload.code, name=payload.name, level=payload.level,
                                    kind=payload.kind or payload.level, parent=parent)
    return Status(201, visible(request, _regions(request), region.pk))


@regions_router.patch("/{int:region_id}", response={200: RegionOut, **ERRORS}, summary="修改区划")
def update_region(request: HttpRequest, region_id: int, payload: RegionPatch) -> Region:
    user = actor(request)
    region = visible(request, _regions(request), region_id)
    data = changes(payload)
    parent = visible_ref(_regions(request), data.get("parent_id"), "parent_id")
    services.region_update(actor=user, region_id=region.pk, name=data.get("name"), kind=data.get("kind"),
                           parent=parent)
    return visible(request, _regions(request), region.pk)


@regions_router.post("/{int:region_id}/deactivate", response={200: RegionOut, **ERRORS}, summary="停用区划")
def deactivate_region(request: HttpRequest, region_id: int, payload: ReasonIn | None = None) -> Region:
    region = visible(request, _regions(request), region_id)
    services.region_deactivate(actor=actor(request), region_id=region.pk,
                               reason=payload.reason if payload else "")
    return visible(request, _regions(request), region.pk)


@regions_router.post("/{int:region_id}/activate", response={200: RegionOut, **ERRORS}, summary="启用区划")
def activate_region(request: HttpRequest, region_id: int) -> Region:
    region = visible(request, _regions(request), region_id)
    services.region_activate(actor=actor(request), region_id=region.pk)
    return visible(request, _regions(request), region.pk)


# -- grid workers -------------------------------------------------------------------------------


class GridWorkerOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="姓名")
    phone: str = Field(description="手机号")
    kind: str = Field(description="类型：full_time 专职、part_time 兼职")
    kind_label: str = Field(description="类型（中文）")
    town: RegionRefOut = Field(description="所属镇街")
    grids: list[RegionRefOut] = Field(description="负责网格")
    is_active: bool = Field(description="是否启用")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")

    @staticmethod
    def resolve_kind_label(obj: GridWorker) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_grids(obj: GridWorker) -> list[Region]:
        return list(obj.grids.all())


class GridWorkerFilters(ListFilters):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配姓名、手机号）")
    town_id: int | None = Field(None, description="所属镇街 ID")
    grid_id: int | None = Field(None, description="负责网格 ID")
    kind: WorkerKind | None = Field(None, description="类型：full_time 专职、part_time 兼职")


class GridWorkerIn(InSchema):
    name: str = Field(min_length=1, max_length=50, description="姓名")
    phone: str = Field(min_length=1, max_length=20, description="手机号（11位）")
    kind: WorkerKind = Field(description="类型：full_time 专职、part_time 兼职")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    grid_ids: list[int] = Field(min_length=1, description="负责网格 ID 列表（至少一个，须属于所属镇街）")


class GridWorkerPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=50, description="姓名（不填则不改）")
    phone: str | None = Field(None, min_length=1, max_length=20, description="手机号（不填则不改）")
    kind: WorkerKind | None = Field(None, description="类型（不填则不改）")
    grid_ids: list[int] | None = Field(None, description="负责网格 ID 列表（给出时整体替换）")


def _workers(request: HttpRequest) -> QuerySet[GridWorker]:
    return selectors.grid_workers_visible_to(actor(request))


@grid_workers_router.get("", response={200: list[GridWorkerOut], **ERRORS}, summary="网格员列表")
@paginate(Pagination)
def list_grid_workers(request: HttpRequest, filters: Query[GridWorkerFilters]) -> Any:
    require_list(policy.require, actor(request))
    qs = common_filters(_workers(request), filters, ("name", "phone"))
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.grid_id is not None:
        qs = qs.filter(grids__id=filters.grid_id)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    return qs


@grid_workers_router.get("/{int:worker_id}", response={200: GridWorkerOut, **ERRORS}, summary="网格员详情")
def get_grid_worker(request: HttpRequest, worker_id: int) -> GridWorker:
    worker = visible(request, _workers(request), worker_id)
    policy.require(actor(request), "view", worker)
    return worker


@grid_workers_router.post("", response={201: GridWorkerOut, **ERRORS}, summary="新增网格员")
def create_grid_worker(request: HttpRequest, payload: GridWorkerIn) -> Status[GridWorker]:
    user = actor(request)
    policy.require(user, "create")
    town = town_ref(user, payload.town_id)
    grids = visible_refs(selectors.grids_visible_to(user), payload.grid_ids, "grid_ids")
    worker = services.grid_worker_create(actor=user, name=payload.name, phone=payload.phone,
                                         kind=payload.kind, town=town, grids=grids)
    return Status(201, visible(request, _workers(request), worker.pk))


@grid_workers_router.patch("/{int:worker_id}", response={200: GridWorkerOut, **ERRORS}, summary="修改网格员")
def update_grid_worker(request: HttpRequest, worker_id: int, payload: GridWorkerPatch) -> GridWorker:
    user = actor(request)
    worker = visible(request, _workers(request), worker_id)
    data = changes(payload)
    grids = (visible_refs(selectors.grids_visible_to(user), data["grid_ids"], "grid_ids")
             if data.get("grid_ids") is not None else None)
    services.grid_worker_update(actor=user, grid_worker_id=worker.pk, name=data.get("name"),
                                phone=data.get("phone"), kind=data.get("kind"), grids=grids)
    return visible(request, _workers(request), worker.pk)


@grid_workers_router.post("/{int:worker_id}/deactivate", response={200: GridWorkerOut, **ERRORS},
                          summary="停用网格员")
def deactivate_grid_worker(request: HttpRequest, worker_id: int,
                           payload: ReasonIn | None = None) -> GridWorker:
    worker = visible(request, _workers(request), worker_id)
    services.grid_worker_deactivate(actor=actor(request), grid_worker_id=worker.pk,
                                    reason=payload.reason if payload else "")
    return visible(request, _workers(request), worker.pk)


@grid_workers_router.post("/{int:worker_id}/activate", response={200: GridWorkerOut, **ERRORS},
                          summary="启用网格员")
def activate_grid_worker(request: HttpRequest, worker_id: int) -> GridWorker:
    worker = visible(request, _workers(request), worker_id)
    services.grid_worker_activate(actor=actor(request), grid_worker_id=worker.pk)
    return visible(request, _workers(request), worker.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/regions", regions_router), ("/grid-workers", grid_workers_router)]
