"""Ledger sheets of the region tree and grid workers: 镇街, 村社区, 网格, 网格员 (see docs/ledger.md).

Also the lookups other apps' sheets use to resolve codes (``town_by_code`` …).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_GRID_WORKERS,
    ORDER_GRIDS,
    ORDER_TOWNS,
    ORDER_VILLAGES,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    changed_values,
    describe_changes,
    register,
)
from renda.core.types import Actor
from renda.places.models import GridWorker, Kind, Level, Region, WorkerKind
from renda.places.services import grid_worker_create, grid_worker_update, region_create, region_update

VILLAGE_KINDS = {"村": Kind.VILLAGE.value, "社区": Kind.COMMUNITY.value}
WORKER_KINDS = {"专职": WorkerKind.FULL_TIME.value, "兼职": WorkerKind.PART_TIME.value}
_LEVEL_NAMES = {Level.DISTRICT: "区县", Level.TOWN: "镇街", Level.VILLAGE: "村社区", Level.GRID: "网格"}


def _inverse(mapping: Mapping[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


# -- lookups shared with other apps' sheets ----------------------------------------------------


def region_by_code(code: str, level: str, column: str) -> Region:
    """The region of ``level`` with ``code``, or a RowError on ``column``."""
    region = Region.objects.select_related("town", "parent").filter(code=code).first()
    if region is None or region.level != level:
        raise RowError(column, _("{level}代码 {code} 不存在").format(level=_LEVEL_NAMES[Level(level)], code=code))
    return region


def town_by_code(code: str, column: str) -> Region:
    return region_by_code(code, Level.TOWN, column)


def village_by_code(code: str, column: str) -> Region:
    return region_by_code(code, Level.VILLAGE, column)


def grids_by_codes(codes: Sequence[str], column: str) -> list[Region]:
    """The grids with ``codes``, in that order; one RowError naming every unknown code."""
    found = {g.code: g for g in Region.objects.select_related("town").filter(level=Level.GRID, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise RowError(column, _("网格编码 {codes} 不存在").format(codes="、".join(missing)))
    return [found[c] for c in codes]


def _existing_region(code: str, level: str, column: str) -> Region | None:
    region = Region.objects.select_related("parent", "town").filter(code=code).first()
    if region is not None and region.level != level:
        raise RowError(
            column,
            _("代码 {code} 已被{level}「{name}」使用").format(
                code=code, level=_LEVEL_NAMES[Level(region.level)], name=region.name
            ),
        )
    return region


def _region_outcome(
    region: Region, changes: dict[str, Any], label: str, actor: Actor, extra: tuple[str, ...] = ()
) -> Outcome:
    """Update ``region`` through the service when ``changes`` is not empty."""
    if not changes:
        return Outcome(Action.UNCHANGED, label, extra_created=extra)
    detail = describe_changes(region, changes)
    _obj, changed = region_update(actor=actor, region_id=region.pk, **changes)
    return Outcome(Action.UPDATED if changed else Action.UNCHANGED, label, detail, extra_created=extra)


# -- 镇街 ----------------------------------------------------------------------------------


def _town_kind(name: str) -> str:
    return Kind.STREET if name.endswith("街道") else Kind.TOWN


def _resolve_town(ctx: ImportContext, row: Row) -> Resolved:
    code, name = row["区划代码"], row["名称"]
    existing = _existing_region(code, Level.TOWN, "区划代码")
    district_code = f"{code[:6]}000000"
    district = Region.objects.filter(code=district_code).first()
    district_name = row.get("所属区县", "")
    if district is not None and district.level != Level.DISTRICT:
        district = None
    if district_name and district is not None and district.name != district_name:
        raise RowError(
            "所属区县",
            _("区县代码 {code} 的名称为「{name}」，与「{given}」不符").format(
                code=district_code, name=district.name, given=district_name
            ),
        )
    return Resolved(
        key=(code,),
        town_code=code,
        label=f"{code} {name}",
        values={
            "existing": existing,
            "name": name,
            "district": district,
            "district_code": district_code,
            "district_name": district_name,
        },
    )


def _apply_town(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing: Region | None = v["existing"]
    district: Region | None = v["district"]
    extra: tuple[str, ...] = ()
    if district is None and v["district_name"]:
        try:
            district = region_create(
                actor=ctx.actor,
                code=v["district_code"],
                name=v["district_name"],
                level=Level.DISTRICT,
                kind=Kind.DISTRICT,
            )
        except InvalidInput as exc:
            raise RowError("所属区县", exc.message) from exc
        extra = (f"{district.code} {district.name}",)
    if existing is None:
        region_create(
            actor=ctx.actor,
            code=r.key[0],
            name=v["name"],
            level=Level.TOWN,
            kind=_town_kind(v["name"]),
            parent=district,
        )
        return Outcome(Action.CREATED, r.label, extra_created=extra)
    wanted: dict[str, Any] = {"name": v["name"]}
    if v["name"] != existing.name and _town_kind(v["name"]) != existing.kind:
        wanted["kind"] = _town_kind(v["name"])
    if v["district_name"]:
        wanted["parent"] = district
    return _region_outcome(existing, changed_values(existing, wanted), r.label, ctx.actor, extra)


def _export_towns(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = Region.objects.filter(level=Level.TOWN).select_related("parent").order_by("code")
    if town is not None:
        qs = qs.filter(pk=town.pk)
    for t in qs:
        yield {"区划代码": t.code, "名称": t.name, "所属区县": t.parent.name if t.parent else ""}


TOWNS = register(
    SheetSpec(
        name="镇街",
        order=ORDER_TOWNS,
        key=("区划代码",),
        columns=(
            cells.region_code("区划代码", required=True, help="12位数字"),
            cells.text("名称", required=True, max_length=100, help="如 XX镇、XX街道"),
            cells.text("所属区县", max_length=100, help="区县名称"),
        ),
        resolve=_resolve_town,
        apply=_apply_town,
        export=_export_towns,
        example={"区划代码": "340302100000", "名称": "示例镇", "所属区县": "示例区"},
        town_column="区划代码",
        field_columns={"code": "区划代码", "name": "名称", "parent": "所属区县", "kind": "名称"},
    )
)


# -- 村社区 --------------------------------------------------------------------------------


def _resolve_village(ctx: ImportContext, row: Row) -> Resolved:
    code, name = row["区划代码"], row["名称"]
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    existing = _existing_region(code, Level.VILLAGE, "区划代码")
    return Resolved(
        key=(code,),
        town_code=town.code,
        label=f"{code} {name}",
        values={
            "existing": existing,
            "town": town,
            "name": name,
            "kind": row["类型"],
        },
    )


def _apply_village(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing: Region | None = v["existing"]
    if existing is None:
        region_create(
            actor=ctx.actor,
            code=r.key[0],
            name=v["name"],
            level=Level.VILLAGE,
            kind=v["kind"],
            parent=v["town"],
        )
        return Outcome(Action.CREATED, r.label)
    changes = changed_values(existing, {"name": v["name"], "kind": v["kind"], "parent": v["town"]})
    return _region_outcome(existing, changes, r.label, ctx.actor)


def _export_villages(town: Region | None) -> Iterator[dict[str, Any]]:
    kinds = _inverse(VILLAGE_KINDS)
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent").order_by("code")
    if town is not None:
        qs = qs.filter(town=town)
    for r in qs:
        yield {
            "区划代码": r.code,
            "名称": r.name,
            "类型": kinds.get(r.kind, ""),
            "所属镇街代码": r.parent.code if r.parent else "",
        }


VILLAGES = register(
    SheetSpec(
        name="村社区",
        order=ORDER_VILLAGES,
        key=("区划代码",),
        columns=(
            cells.region_code("区划代码", required=True, help="12位数字"),
            cells.text("名称", required=True, max_length=100),
            cells.choice("类型", VILLAGE_KINDS, required=True, help="村 或 社区"),
            cells.region_code("所属镇街代码", required=True, help="镇街的区划代码"),
        ),
        resolve=_resolve_village,
        apply=_apply_village,
        export=_export_villages,
        example={"区划代码": "340302100001", "名称": "示例村", "类型": "村", "所属镇街代码": "340302100000"},
        town_column="所属镇街代码",
        field_columns={"code": "区划代码", "name": "名称", "kind": "类型", "parent": "所属镇街代码"},
    )
)


# -- 网格 ----------------------------------------------------------------------------------


def _resolve_grid(ctx: ImportContext, row: Row) -> Resolved:
    code, name = row["网格编码"], row["名称"]
    village = village_by_code(row["所属村社区代码"], "所属村社区代码")
    existing = _existing_region(code, Level.GRID, "网格编码")
    return Resolved(
        key=(code,),
        town_code=village.town.code if village.town else None,
        label=f"{code} {name}",
        values={"existing": existing, "village": village, "name": name},
    )


def _apply_grid(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing: Region | None = v["existing"]
    if existing is None:
        region_create(
            actor=ctx.actor,
            code=r.key[0],
            name=v["name"],
            level=Level.GRID,
            kind=Kind.GRID,
            parent=v["village"],
        )
        return Outcome(Action.CREATED, r.label)
    changes = changed_values(existing, {"name": v["name"], "parent": v["village"]})
    return _region_outcome(existing, changes, r.label, ctx.actor)


def _export_grids(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = Region.objects.filter(level=Level.GRID).select_related("parent").order_by("code")
    if town is not None:
        qs = qs.filter(town=town)
    for r in qs:
        yield {"网格编码": r.code, "名称": r.name, "所属村社区代码": r.parent.code if r.parent else ""}


GRIDS = register(
    SheetSpec(
        name="网格",
        order=ORDER_GRIDS,
        key=("网格编码",),
        columns=(
            cells.grid_code("网格编码", required=True, help="15位数字：村社区代码+3位"),
            cells.text("名称", required=True, max_length=100),
            cells.region_code("所属村社区代码", required=True),
        ),
        resolve=_resolve_grid,
        apply=_apply_grid,
        export=_export_grids,
        example={"网格编码": "340302100001001", "名称": "示例村第一网格", "所属村社区代码": "340302100001"},
        town_column="所属村社区代码",
        field_columns={"code": "网格编码", "name": "名称", "parent": "所属村社区代码"},
    )
)


# -- 网格员 --------------------------------------------------------------------------------


def _resolve_grid_worker(ctx: ImportContext, row: Row) -> Resolved:
    name, phone = row["姓名"], row["手机号"]
    codes: list[str] = row["负责网格"]
    if not codes:
        raise RowError("负责网格", _("不能为空"))
    grids = grids_by_codes(codes, "负责网格")
    towns = {g.town_id for g in grids}
    if len(towns) > 1:
        raise RowError("负责网格", _("负责网格应属于同一个镇街"))
    town = grids[0].town
    assert town is not None
    return Resolved(
        key=(phone,),
        town_code=town.code,
        label=f"{name} {phone}",
        values={
            "name": name,
            "kind": row["类型"],
            "town": town,
            "grids": grids,
        },
    )


def _apply_grid_worker(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    phone = r.key[0]
    existing = GridWorker.objects.filter(phone=phone).first()
    if existing is None:
        grid_worker_create(
            actor=ctx.actor, name=v["name"], phone=phone, kind=v["kind"], town=v["town"], grids=v["grids"]
        )
        return Outcome(Action.CREATED, r.label)
    if existing.town_id != v["town"].pk:
        raise RowError("手机号", _("手机号 {phone} 已被其他镇街的网格员使用").format(phone=phone))
    changes = changed_values(existing, {"name": v["name"], "kind": v["kind"], "grids": v["grids"]})
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    detail = describe_changes(existing, changes)
    _obj, changed = grid_worker_update(actor=ctx.actor, grid_worker_id=existing.pk, **changes)
    return Outcome(Action.UPDATED if changed else Action.UNCHANGED, r.label, detail)


def _export_grid_workers(town: Region | None) -> Iterator[dict[str, Any]]:
    kinds = _inverse(WORKER_KINDS)
    qs = GridWorker.objects.prefetch_related("grids").order_by("phone")
    if town is not None:
        qs = qs.filter(town=town)
    for w in qs:
        yield {
            "姓名": w.name,
            "手机号": w.phone,
            "类型": kinds.get(w.kind, ""),
            "负责网格": sorted(g.code for g in w.grids.all()),
        }


GRID_WORKERS = register(
    SheetSpec(
        name="网格员",
        order=ORDER_GRID_WORKERS,
        key=("手机号",),
        columns=(
            cells.text("姓名", required=True, max_length=50),
            cells.phone("手机号", required=True),
            cells.choice("类型", WORKER_KINDS, required=True, help="专职 或 兼职"),
            cells.list_of("负责网格", cells.grid_code_item, required=True, help="网格编码，多个用 ; 分隔"),
        ),
        resolve=_resolve_grid_worker,
        apply=_apply_grid_worker,
        export=_export_grid_workers,
        example={"姓名": "张三", "手机号": "13800000001", "类型": "专职", "负责网格": "340302100001001"},
        town_column="负责网格",
        field_columns={"name": "姓名", "phone": "手机号", "kind": "类型", "grids": "负责网格"},
    )
)
