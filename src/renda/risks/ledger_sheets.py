"""Ledger sheet of risks: 信访隐患 (see docs/ledger.md and ../shared/LEDGER.md).

A row is one risk with its registration, the people involved (涉及人员, with 身份证号 and 联系电话
in the same order, `;`-separated), the deputies and grid workers taking part, the deputies' role
and its state. A new row is replayed through the risks services (登记 → 开始化解 / 上报 /
化解, dated by the row), so the timeline and the audit trail read as if the work had been done
in renda. A row whose 编号 exists must agree with the registered content; what it adds is
applied (new participants, a state further along) and counted as 更新.

People's names, ID numbers and phones are written in clear only when exporting as the system
(``renda export_ledger``); a web export masks them, and a masked cell imported back onto the
same risk counts as unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from renda.audit import context
from renda.core import crypto
from renda.core.errors import ApplicationError
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_RISKS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    collect,
    difference,
    register,
    same_or_masked,
)
from renda.people.models import Deputy
from renda.places.ledger_sheets import region_by_code, town_by_code, village_by_code
from renda.places.models import GridWorker, Level, Region
from renda.risks import services
from renda.risks.models import Level as RiskLevel
from renda.risks.models import Risk, RiskPerson, Source
from renda.risks.workflow import State

SHEET = "信访隐患"
LEVELS = {"高": RiskLevel.HIGH.value, "中": RiskLevel.MEDIUM.value, "低": RiskLevel.LOW.value}
STATES = {"已登记": State.REGISTERED.value, "化解中": State.RESOLVING.value, "已化解": State.RESOLVED.value,
          "已上报": State.ESCALATED.value}
#: Where an imported 已上报 risk was escalated to (the sheet has no column for it).
ESCALATED_TO = "上级部门"


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


def _positional(value: str) -> list[str]:
    """A `;`-list whose positions matter (ID numbers and phones line up with the names)."""
    if not value:
        return []
    return [p.strip() for p in cells.LIST_SEPARATORS.split(value)]


def reveals_people() -> bool:
    """People in clear only for the system (a command) or an audited reveal (web export with a reason)."""
    return context.personal_data_in_clear()


# --- resolve --------------------------------------------------------------------------------


def _named(model: type[Deputy] | type[GridWorker], town: Region, name: str, column: str) -> Any:
    found = list(model.objects.filter(town=town, name=name)[:2])
    what = _("代表") if model is Deputy else _("网格员")
    if not found:
        raise RowError(column, _("{town}没有名为「{name}」的{what}").format(town=town.name, name=name, what=what))
    if len(found) > 1:
        raise RowError(column, _("{town}有多名{what}名为「{name}」，无法确定").format(
            town=town.name, name=name, what=what))
    return found[0]


def _people(row: Row, problems: list[tuple[str, str]]) -> list[services.PersonIn]:
    names = row.get("涉及人员", [])
    ids, phones = _positional(row.get("身份证号", "")), _positional(row.get("联系电话", ""))
    for column, values in (("身份证号", ids), ("联系电话", phones)):
        if len(values) > len(names):
            problems.append((column, _("比涉及人员多（{n} 项对 {m} 人），请按涉及人员的顺序用 ; 分隔").format(
                n=len(values), m=len(names))))
    people = []
    for i, name in enumerate(names):
        id_number = ids[i] if i < len(ids) else ""
        phone = phones[i] if i < len(phones) else ""
        if id_number and "*" not in id_number:
            try:
                cells.id_number("身份证号").parse(id_number)
            except cells.CellError as exc:
                problems.append(("身份证号", f"「{id_number}」{exc.message}"))
        if phone and "*" not in phone:
            try:
                cells.phone("联系电话").parse(phone)
            except cells.CellError as exc:
                problems.append(("联系电话", f"「{phone}」{exc.message}"))
        people.append(services.PersonIn(name=name, id_number=id_number, phone=phone))
    return people


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    code = row["编号"]
    town: Region | None = collect(problems, lambda: town_by_code(row["所属镇街代码"], "所属镇街代码"))
    state, resolved_on = row["状态"], row.get("化解日期")
    if state == State.RESOLVED and resolved_on is None:
        problems.append(("化解日期", _("状态为已化解时必填")))
    if state != State.RESOLVED and resolved_on is not None:
        problems.append(("化解日期", _("只有已化解的隐患填写化解日期")))
    if row.get("代表作用") and state != State.RESOLVED:
        problems.append(("代表作用", _("只有已化解的隐患填写代表作用（各代表的参与情况在系统中填写）")))
    if resolved_on is not None and resolved_on < row["登记日期"]:
        problems.append(("化解日期", _("早于登记日期")))
    people = _people(row, problems)
    values: dict[str, Any] = {"row": row, "people": people}
    if town is not None:
        village = grid = None
        if row.get("所属村社区代码"):
            village = collect(problems, lambda: village_by_code(row["所属村社区代码"], "所属村社区代码"))
            if village is not None and village.parent_id != town.pk:
                problems.append(("所属村社区代码", _("不属于{town}").format(town=town.name)))
        if row.get("所属网格编码"):
            grid = collect(problems, lambda: region_by_code(row["所属网格编码"], Level.GRID, "所属网格编码"))
            if grid is not None and grid.town_id != town.pk:
                problems.append(("所属网格编码", _("不属于{town}").format(town=town.name)))
            elif grid is not None and village is not None and grid.parent_id != village.pk:
                problems.append(("所属网格编码", _("不属于所填村社区")))
        t: Region = town
        def named(model: type[Deputy] | type[GridWorker], column: str) -> Callable[[str], Any]:
            return lambda name: collect(problems, lambda: _named(model, t, name, column))

        deputies = [named(Deputy, "参与代表")(n) for n in row.get("参与代表", [])]
        workers = [named(GridWorker, "参与网格员")(n) for n in row.get("参与网格员", [])]
        values.update(town=town, village=village, grid=grid, deputies=deputies, workers=workers)
    if problems:
        raise RowError.many(problems)
    assert town is not None
    return Resolved(key=(code,), town_code=town.code, label=f"{code} {row['标题']}", values=values)


# --- apply ----------------------------------------------------------------------------------


def _step(column: str, fn: Callable[[], Any]) -> Any:
    """Run a service; put its refusal (illegal transition, bad date …) on ``column``."""
    try:
        return fn()
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _reload(r: Risk) -> Risk:
    return Risk.objects.get(pk=r.pk)


def _forward(ctx: ImportContext, r: Risk, row: Row) -> bool:
    """Move ``r`` to the row's state (only forward; resolved is final). True if it moved."""
    want = row["状态"]
    if r.state == want:
        return False
    on = row["登记日期"]
    if r.state == State.ESCALATED:
        _step("状态", lambda: services.risk_reopen(actor=ctx.actor, risk_id=r.pk, reason=_("台账导入"), on=on))
        r = _reload(r)
    if want == State.RESOLVING and r.state == State.REGISTERED:
        _step("状态", lambda: services.risk_start(actor=ctx.actor, risk_id=r.pk, on=on))
    elif want == State.ESCALATED:
        _step("状态", lambda: services.risk_escalate(actor=ctx.actor, risk_id=r.pk, to=ESCALATED_TO,
                                                    reason=_("台账导入"), on=on))
    elif want == State.RESOLVED:
        _step("化解日期", lambda: services.risk_resolve(
            actor=ctx.actor, risk_id=r.pk, resolved_on=row["化解日期"],
            deputies_role=row.get("代表作用", "") if row.has("代表作用") else None))
    return True


def _add_participants(ctx: ImportContext, r: Risk, v: dict[str, Any]) -> bool:
    did = False
    have_d = set(r.participants.filter(deputy__isnull=False).values_list("deputy_id", flat=True))
    have_w = set(r.participants.filter(grid_worker__isnull=False).values_list("grid_worker_id", flat=True))
    deputies: list[Deputy] = v.get("deputies", [])
    workers: list[GridWorker] = v.get("workers", [])
    for d in deputies:
        if d.pk not in have_d:
            _assign(ctx, r, "参与代表", deputy=d)
            did = True
    for w in workers:
        if w.pk not in have_w:
            _assign(ctx, r, "参与网格员", grid_worker=w)
            did = True
    return did


def _assign(ctx: ImportContext, r: Risk, column: str, *, deputy: Deputy | None = None,
            grid_worker: GridWorker | None = None) -> None:
    try:
        services.risk_assign(actor=ctx.actor, risk_id=r.pk, deputy=deputy, grid_worker=grid_worker,
                             on=r.registered_on)
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _compare(r: Risk, v: dict[str, Any]) -> list[tuple[str, str]]:
    row: Row = v["row"]
    problems: list[tuple[str, str]] = []

    def differs(column: str, current: Any) -> None:
        problems.append(difference(column, current))

    if r.town_id != v["town"].pk:
        differs("所属镇街代码", r.town.code)
    if r.registered_on != row["登记日期"]:
        differs("登记日期", r.registered_on)
    village = v["village"] or (v["grid"].parent if v["grid"] is not None else None)
    checks: list[tuple[str, Any, Any, Any]] = [
        ("所属村社区代码", r.village_id, village.pk if village else None, r.village.code if r.village else ""),
        ("所属网格编码", r.grid_id, v["grid"].pk if v["grid"] else None, r.grid.code if r.grid else ""),
        ("标题", r.title, row["标题"], r.title),
        ("情况", r.description, row.get("情况", ""), r.description),
        ("等级", r.level, row["等级"], _inverse(LEVELS)[r.level]),
        ("备注", r.note, row.get("备注", ""), r.note),
    ]
    for column, current, given, shown in checks:
        if (row.has(column) or column == "所属村社区代码") and current != given:
            differs(column, shown)
    stored: list[RiskPerson] = list(r.people.order_by("position", "id"))
    typed: list[services.PersonIn] = v["people"]
    if row.has("涉及人员"):
        if len(stored) != len(typed) or not all(same_or_masked(s.name, g.name, crypto.mask_name)
                                                for s, g in zip(stored, typed, strict=False)):
            differs("涉及人员", ";".join(s.name_masked for s in stored))
        else:
            for column, attr, mask, norm in (
                    ("身份证号", "id_number", crypto.mask_id_number, crypto.normalize_id_number),
                    ("联系电话", "phone", crypto.mask_phone, crypto.normalize_phone)):
                if row.has(column) and not all(same_or_masked(getattr(s, attr), norm(getattr(g, attr)), mask)
                                               for s, g in zip(stored, typed, strict=True)):
                    differs(column, ";".join(mask(getattr(s, attr)) for s in stored))
    have_d = {x.deputy_id for x in r.participants.all() if x.deputy_id}
    have_w = {x.grid_worker_id for x in r.participants.all() if x.grid_worker_id}
    if row.has("参与代表") and not have_d <= {d.pk for d in v["deputies"]}:
        problems.append(("参与代表", _("系统中已有的参与代表不能通过导入移除（{names}）").format(
            names=";".join(sorted(x.deputy.name for x in r.participants.all() if x.deputy)))))
    if row.has("参与网格员") and not have_w <= {w.pk for w in v["workers"]}:
        problems.append(("参与网格员", _("系统中已有的参与网格员不能通过导入移除（{names}）").format(
            names=";".join(sorted(x.grid_worker.name for x in r.participants.all() if x.grid_worker)))))
    if r.state == State.RESOLVED:
        if row["状态"] != State.RESOLVED:
            problems.append(("状态", _("系统中已于 {d} 化解，导入不能撤销").format(d=r.resolved_on)))
        elif r.resolved_on != row.get("化解日期"):
            differs("化解日期", r.resolved_on)
        elif row.has("代表作用") and r.deputies_role != row.get("代表作用", ""):
            differs("代表作用", r.deputies_role)
    elif row["状态"] == State.REGISTERED and r.state != State.REGISTERED:
        problems.append(("状态", _("系统中为「{s}」，导入不能退回已登记").format(s=r.get_state_display())))
    return problems


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    row: Row = v["row"]
    existing = Risk.objects.filter(code=r.key[0]).first()
    if existing is not None:
        problems = _compare(existing, v)
        if problems:
            raise RowError.many(problems)
        added = _add_participants(ctx, existing, v)
        moved = _forward(ctx, _reload(existing), row)
        if added or moved:
            return Outcome(Action.UPDATED, r.label, _("参与人员、状态"))
        return Outcome(Action.UNCHANGED, r.label)
    people: list[services.PersonIn] = v["people"]
    for p in people:
        for column, value in (("涉及人员", p.name), ("身份证号", p.id_number), ("联系电话", p.phone)):
            if "*" in value:
                raise RowError(column, _("是脱敏后的内容，请使用命令行（系统）导出的台账导入新隐患"))
    participants = [services.ParticipantIn(deputy=d) for d in v["deputies"]]
    participants += [services.ParticipantIn(grid_worker=w) for w in v["workers"]]
    risk = services.risk_register(
        actor=ctx.actor, town=v["town"], title=row["标题"], level=row["等级"], description=row.get("情况", ""),
        village=v["village"], grid=v["grid"], people=people, participants=participants, code=r.key[0],
        source=Source.IMPORT, note=row.get("备注", ""), on=row["登记日期"],
    )
    _forward(ctx, risk, row)
    return Outcome(Action.CREATED, r.label)


# --- export ---------------------------------------------------------------------------------


def _join(values: Sequence[str]) -> str:
    return cells.LIST_JOIN.join(values) if any(values) else ""


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    clear = reveals_people()
    levels, states = _inverse(LEVELS), _inverse(STATES)
    qs = Risk.objects.select_related("town", "village", "grid").prefetch_related(
        "people", "participants__deputy", "participants__grid_worker").order_by("code")
    if town is not None:
        qs = qs.filter(town=town)
    for r in qs:
        people = sorted(r.people.all(), key=lambda p: (p.position, p.pk))
        parts = sorted(r.participants.all(), key=lambda x: x.pk)
        if clear:
            names = [p.name for p in people]
            ids = [p.id_number for p in people]
            phones = [p.phone for p in people]
        else:
            names = [p.name_masked for p in people]
            ids = [p.id_number_masked for p in people]
            phones = [p.phone_masked for p in people]
        yield {
            "编号": r.code,
            "登记日期": r.registered_on,
            "所属镇街代码": r.town.code,
            "所属村社区代码": r.village.code if r.village else "",
            "所属网格编码": r.grid.code if r.grid else "",
            "标题": r.title,
            "情况": r.description,
            "等级": levels[r.level],
            "涉及人员": names,
            "身份证号": _join(ids),
            "联系电话": _join(phones),
            "参与代表": [x.deputy.name for x in parts if x.deputy is not None],
            "参与网格员": [x.grid_worker.name for x in parts if x.grid_worker is not None],
            "代表作用": r.deputies_role,
            "状态": states[r.state],
            "化解日期": r.resolved_on,
            "备注": r.note,
        }


def _columns() -> Sequence[cells.ColumnSpec]:
    return (
        cells.text("编号", required=True, max_length=30, help="唯一，如 YH2023-001"),
        cells.date("登记日期", required=True),
        cells.region_code("所属镇街代码", required=True),
        cells.region_code("所属村社区代码", help="有网格时按网格确定"),
        cells.grid_code("所属网格编码"),
        cells.text("标题", required=True, max_length=200),
        cells.text("情况"),
        cells.choice("等级", LEVELS, required=True, help="高、中 或 低"),
        cells.list_of("涉及人员", help="姓名，多人用 ; 分隔"),
        cells.text("身份证号", help="与涉及人员顺序一致，用 ; 分隔，无则留空"),
        cells.text("联系电话", help="与涉及人员顺序一致，用 ; 分隔，无则留空"),
        cells.list_of("参与代表", help="本镇街代表姓名，用 ; 分隔"),
        cells.list_of("参与网格员", help="本镇街网格员姓名，用 ; 分隔"),
        cells.text("代表作用", help="代表在化解中发挥的作用（随化解记录）"),
        cells.choice("状态", STATES, required=True, help="已登记、化解中、已化解 或 已上报"),
        cells.date("化解日期", help="状态为已化解时必填"),
        cells.text("备注"),
    )


RISKS = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_RISKS,
        personal_data=True,
        key=("编号",),
        columns=tuple(_columns()),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "编号": "YH2023-001",
            "登记日期": "2023-02-08",
            "所属镇街代码": "340302100000",
            "所属村社区代码": "340302100001",
            "所属网格编码": "340302100001001",
            "标题": "驾校学员训练亡人事件引发的赔偿纠纷",
            "情况": "家属对赔偿金额与驾校存在分歧。",
            "等级": "高",
            "涉及人员": "张三;李四",
            "身份证号": "11010519491231002X;",
            "联系电话": "13900000001;13900000002",
            "参与代表": "王五",
            "参与网格员": "张三",
            "代表作用": "全程参与调解，推动达成赔偿协议",
            "状态": "已化解",
            "化解日期": "2023-03-12",
        },
        town_column="所属镇街代码",
        field_columns={
            "code": "编号",
            "town": "所属镇街代码",
            "village": "所属村社区代码",
            "grid": "所属网格编码",
            "title": "标题",
            "description": "情况",
            "level": "等级",
            "registered_on": "登记日期",
            "resolved_on": "化解日期",
            "deputy": "参与代表",
            "grid_worker": "参与网格员",
            "people.0.name": "涉及人员",
            "people.0.id_number": "身份证号",
            "people.0.phone": "联系电话",
        },
    )
)
