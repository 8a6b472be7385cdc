"""Ledger sheet of handling units: 承办单位 (see docs/ledger.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_UNITS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    SheetSpec,
    changed_values,
    describe_changes,
    register,
)
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region
from renda.units.models import Unit, UnitKind
from renda.units.services import unit_create, unit_update

UNIT_KINDS = {
    "镇直部门": UnitKind.TOWN_DEPARTMENT.value,
    "区直单位": UnitKind.DISTRICT_UNIT.value,
    "其他": UnitKind.OTHER.value,
}
_OPTIONAL = (("联系人", "contact_person"), ("联系电话", "contact_phone"))


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    name = row["名称"]
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    values: dict[str, Any] = {"town": town, "kind": row["类型"]}
    for header, field in _OPTIONAL:
        if row.has(header):
            values[field] = row[header]
    return Resolved(key=(name, town.code), town_code=town.code, label=f"{town.name} {name}", values=values)


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = dict(r.values)
    town: Region = v.pop("town")
    name = r.key[0]
    existing = Unit.objects.filter(town=town, name=name).first()
    if existing is None:
        unit_create(actor=ctx.actor, town=town, name=name, **v)
        return Outcome(Action.CREATED, r.label)
    changes = changed_values(existing, v)
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    detail = describe_changes(existing, changes)
    _obj, changed = unit_update(actor=ctx.actor, unit_id=existing.pk, **changes)
    return Outcome(Action.UPDATED if changed else Action.UNCHANGED, r.label, detail)


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    kinds = {v: k for k, v in UNIT_KINDS.items()}
    qs = Unit.objects.select_related("town").order_by("town__code", "name")
    if town is not None:
        qs = qs.filter(town=town)
    for u in qs:
        yield {
            "名称": u.name,
            "类型": kinds.get(u.kind, ""),
            "所属镇街代码": u.town.code,
            "联系人": u.contact_person,
            "联系电话": u.contact_phone,
        }


UNITS = register(
    SheetSpec(
        name="承办单位",
        order=ORDER_UNITS,
        key=("名称", "所属镇街代码"),
        columns=(
            cells.text("名称", required=True, max_length=100, help="如 镇经济发展中心、村镇规划建设办公室、市场所"),
            cells.choice("类型", UNIT_KINDS, required=True, help="镇直部门、区直单位 或 其他"),
            cells.region_code("所属镇街代码", required=True, help="交办给它的镇街"),
            cells.text("联系人", max_length=50),
            cells.phone("联系电话"),
        ),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "名称": "镇经济发展中心",
            "类型": "镇直部门",
            "所属镇街代码": "340302100000",
            "联系人": "李四",
            "联系电话": "0552-1234567",
        },
        town_column="所属镇街代码",
        field_columns={
            "name": "名称",
            "kind": "类型",
            "town": "所属镇街代码",
            "contact_person": "联系人",
            "contact_phone": "联系电话",
        },
    )
)
