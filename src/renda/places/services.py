"""The only writers of regions and grid workers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core.errors import InvalidInput
from renda.core.services import create_audited, lock, set_active, update_audited
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.places import policy
from renda.places.models import GridWorker, Level, Region, region_code_problem


def _town_for(level: str, parent: Region | None) -> Region | None:
    if level in {Level.DISTRICT, Level.TOWN} or parent is None:
        return None
    return parent if parent.level == Level.TOWN else parent.town


@transaction.atomic
def region_create(*, actor: Actor, code: str, name: str, level: str, kind: str, parent: Region | None = None) -> Region:
    region = Region(code=code.strip(), name=name.strip(), level=level, kind=kind, parent=parent)
    region.town = _town_for(level, parent)
    policy.require(actor, "create", region)
    if parent is not None and not parent.is_active:
        raise InvalidInput(_("上级区划「{name}」已停用").format(name=parent.name), fields={"parent": _("上级已停用")})
    problem = region_code_problem(code=region.code, level=level, parent=parent)
    if problem:
        raise InvalidInput(problem, fields={"code": problem})
    if Region.objects.filter(code=region.code).exists():
        raise InvalidInput(_("区划代码 {code} 已存在").format(code=region.code), fields={"code": _("已存在")})
    if level == Level.TOWN:
        # A town is its own town: insert, then point at itself before the event is written.
        from renda.core.services import full_clean

        full_clean(region, exclude=["town"])
        region.save(force_insert=True)
        region.town = region
        region.save(update_fields=["town"])
        record(actor=actor, verb="region.create", target=region, after=snapshot(region))
        return region
    return create_audited(region, actor=actor, verb="region.create")


@transaction.atomic
def region_update(
    *,
    actor: Actor,
    region_id: int,
    name: str | None = None,
    kind: str | None = None,
    parent: Region | None = None,
) -> tuple[Region, bool]:
    region = lock(Region, region_id)
    policy.require(actor, "change", region)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if kind is not None:
        changes["kind"] = kind
    if parent is not None and parent.pk != region.parent_id:
        if region.level in {Level.VILLAGE, Level.GRID}:
            raise InvalidInput(_("村社区和网格的上级由区划代码决定，不能改动"), fields={"parent": _("不能改动")})
        changes["parent"] = parent
    return update_audited(region, actor=actor, verb="region.update", changes=changes)


@transaction.atomic
def region_deactivate(*, actor: Actor, region_id: int, reason: str = "") -> Region:
    region = lock(Region, region_id)
    policy.require(actor, "deactivate", region)
    if region.children.filter(is_active=True).exists():
        raise InvalidInput(_("「{name}」下还有启用的下级区划，请先停用它们").format(name=region.name))
    if region.level == Level.GRID and region.grid_workers.filter(is_active=True).exists():
        raise InvalidInput(_("网格「{name}」还有在岗的网格员，请先调整其负责网格").format(name=region.name))
    return set_active(region, actor=actor, verb="region.deactivate", active=False, comment=reason)


@transaction.atomic
def region_activate(*, actor: Actor, region_id: int) -> Region:
    region = lock(Region, region_id)
    policy.require(actor, "deactivate", region)
    if region.parent is not None and not region.parent.is_active:
        raise InvalidInput(_("上级区划「{name}」已停用，请先启用上级").format(name=region.parent.name))
    return set_active(region, actor=actor, verb="region.activate", active=True)


def _check_phone(phone: str) -> None:
    if not is_phone(phone):
        raise InvalidInput(_("手机号格式不正确"), fields={"phone": _("格式不正确")})


def _check_grids(town: Region, grids: Sequence[Region]) -> None:
    for g in grids:
        if g.level != Level.GRID:
            raise InvalidInput(_("「{name}」不是网格").format(name=g.name), fields={"grids": _("不是网格")})
        if g.town_id != town.pk:
            raise InvalidInput(
                _("网格「{name}」不属于{town}").format(name=g.name, town=town.name), fields={"grids": _("不属于本镇街")}
            )
        if not g.is_active:
            raise InvalidInput(_("网格「{name}」已停用").format(name=g.name), fields={"grids": _("已停用")})


@transaction.atomic
def grid_worker_create(
    *, actor: Actor, name: str, phone: str, kind: str, town: Region, grids: Sequence[Region]
) -> GridWorker:
    worker = GridWorker(name=name.strip(), phone=phone.strip(), kind=kind, town=town)
    policy.require(actor, "create", worker)
    _check_phone(worker.phone)
    if not grids:
        raise InvalidInput(_("请至少选择一个负责网格"), fields={"grids": _("必填")})
    _check_grids(town, grids)
    if GridWorker.objects.filter(phone=worker.phone).exists():
        raise InvalidInput(
            _("手机号 {phone} 已被其他网格员使用").format(phone=worker.phone), fields={"phone": _("已存在")}
        )
    return create_audited(worker, actor=actor, verb="grid_worker.create", m2m={"grids": grids})


@transaction.atomic
def grid_worker_update(
    *,
    actor: Actor,
    grid_worker_id: int,
    name: str | None = None,
    phone: str | None = None,
    kind: str | None = None,
    grids: Sequence[Region] | None = None,
) -> tuple[GridWorker, bool]:
    worker = lock(GridWorker, grid_worker_id)
    policy.require(actor, "change", worker)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if phone is not None:
        phone = phone.strip()
        _check_phone(phone)
        if GridWorker.objects.filter(phone=phone).exclude(pk=worker.pk).exists():
            raise InvalidInput(
                _("手机号 {phone} 已被其他网格员使用").format(phone=phone), fields={"phone": _("已存在")}
            )
        changes["phone"] = phone
    if kind is not None:
        changes["kind"] = kind
    m2m = None
    if grids is not None:
        if not grids:
            raise InvalidInput(_("请至少选择一个负责网格"), fields={"grids": _("必填")})
        _check_grids(worker.town, grids)
        m2m = {"grids": grids}
    return update_audited(worker, actor=actor, verb="grid_worker.update", changes=changes, m2m=m2m)


@transaction.atomic
def grid_worker_deactivate(*, actor: Actor, grid_worker_id: int, reason: str = "") -> GridWorker:
    worker = lock(GridWorker, grid_worker_id)
    policy.require(actor, "deactivate", worker)
    return set_active(worker, actor=actor, verb="grid_worker.deactivate", active=False, comment=reason)


@transaction.atomic
def grid_worker_activate(*, actor: Actor, grid_worker_id: int) -> GridWorker:
    worker = lock(GridWorker, grid_worker_id)
    policy.require(actor, "deactivate", worker)
    return set_active(worker, actor=actor, verb="grid_worker.activate", active=True)


def check_places(town: Region, village: Region | None = None, grid: Region | None = None) -> None:
    """``town`` is a town, ``village`` one of its villages, ``grid`` one of its grids (in ``village``)."""
    if town.level != Level.TOWN:
        raise InvalidInput(_("所属镇街不是镇街"), fields={"town": _("不是镇街")})
    if village is not None and (village.level != Level.VILLAGE or village.town_id != town.pk):
        raise InvalidInput(_("村社区不属于{town}").format(town=town.name), fields={"village": _("不属于该镇街")})
    if grid is not None:
        if grid.level != Level.GRID or grid.town_id != town.pk:
            raise InvalidInput(_("网格不属于{town}").format(town=town.name), fields={"grid": _("不属于该镇街")})
        if village is not None and grid.parent_id != village.pk:
            raise InvalidInput(_("网格不属于所选村社区"), fields={"grid": _("不属于该村社区")})
