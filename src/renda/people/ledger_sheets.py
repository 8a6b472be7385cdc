"""Ledger sheet of deputies: 代表 (see docs/ledger.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_DEPUTIES,
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
from renda.people.models import Deputy, DeputyLevel
from renda.people.services import deputy_create, deputy_update
from renda.places.ledger_sheets import grids_by_codes, town_by_code, village_by_code
from renda.places.models import Region

DEPUTY_LEVELS = {"区人大代表": DeputyLevel.DISTRICT.value, "镇人大代表": DeputyLevel.TOWN.value}


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    name, phone = row["姓名"], row["手机号"]
    problems: list[tuple[str, str]] = []
    town: Region | None = None
    try:
        town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    except RowError as exc:
        problems += exc.problems
    values: dict[str, Any] = {"level": row["层级"]}
    for header, field in (("届次", "term"), ("选区", "constituency"), ("主席团成员", "is_presidium")):
        if row.has(header):
            values[field] = row[header]
    if row.has("所属村社区代码"):
        values["village"] = None
        if row["所属村社区代码"]:
            try:
                values["village"] = village_by_code(row["所属村社区代码"], "所属村社区代码")
            except RowError as exc:
                problems += exc.problems
    if row.has("联系网格"):
        try:
            values["grids"] = grids_by_codes(row["联系网格"], "联系网格")
        except RowError as exc:
            problems += exc.problems
    if problems:
        raise RowError.many(problems)
    assert town is not None
    values["town"] = town
    return Resolved(key=(name, phone), town_code=town.code, label=f"{name} {phone}", values=values)


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = dict(r.values)
    town: Region = v.pop("town")
    name, phone = r.key
    existing = Deputy.objects.filter(name=name, phone=phone).first()
    if existing is None:
        deputy_create(actor=ctx.actor, name=name, phone=phone, town=town, **v)
        return Outcome(Action.CREATED, r.label)
    if existing.town_id != town.pk:
        raise RowError("所属镇街代码", _("代表「{name}」属于其他镇街，所属镇街不能通过导入修改").format(name=name))
    changes = changed_values(existing, v)
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    detail = describe_changes(existing, changes)
    _obj, changed = deputy_update(actor=ctx.actor, deputy_id=existing.pk, **changes)
    return Outcome(Action.UPDATED if changed else Action.UNCHANGED, r.label, detail)


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    levels = {v: k for k, v in DEPUTY_LEVELS.items()}
    qs = (
        Deputy.objects.select_related("town", "village")
        .prefetch_related("grids")
        .order_by("town__code", "name", "phone")
    )
    if town is not None:
        qs = qs.filter(town=town)
    for d in qs:
        yield {
            "姓名": d.name,
            "手机号": d.phone,
            "层级": levels.get(d.level, ""),
            "届次": d.term,
            "选区": d.constituency,
            "所属镇街代码": d.town.code,
            "所属村社区代码": d.village.code if d.village else "",
            "主席团成员": d.is_presidium,
            "联系网格": sorted(g.code for g in d.grids.all()),
        }


DEPUTIES = register(
    SheetSpec(
        name="代表",
        order=ORDER_DEPUTIES,
        key=("姓名", "手机号"),
        columns=(
            cells.text("姓名", required=True, max_length=50),
            cells.phone("手机号", required=True),
            cells.choice("层级", DEPUTY_LEVELS, required=True, help="区人大代表 或 镇人大代表"),
            cells.text("届次", max_length=20, help="如 第十八届"),
            cells.text("选区", max_length=100),
            cells.region_code("所属镇街代码", required=True),
            cells.region_code("所属村社区代码"),
            cells.yes_no("主席团成员", help="是/否"),
            cells.list_of("联系网格", cells.grid_code_item, help="网格编码，多个用 ; 分隔"),
        ),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "姓名": "王五",
            "手机号": "13900000001",
            "层级": "镇人大代表",
            "届次": "第十八届",
            "选区": "第一选区",
            "所属镇街代码": "340302100000",
            "所属村社区代码": "340302100001",
            "主席团成员": "是",
            "联系网格": "340302100001001",
        },
        town_column="所属镇街代码",
        field_columns={
            "name": "姓名",
            "phone": "手机号",
            "level": "层级",
            "term": "届次",
            "constituency": "选区",
            "town": "所属镇街代码",
            "village": "所属村社区代码",
            "is_presidium": "主席团成员",
            "grids": "联系网格",
        },
    )
)
