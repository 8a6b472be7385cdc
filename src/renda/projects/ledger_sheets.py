"""Ledger sheet of livelihood projects: 民生实事 (see docs/ledger.md and ../shared/LEDGER.md).

A row is one project: its year, town, title, the date the session adopted it, the
implementation plan (lead unit, targets, deadline, funding, the supervising presidium member and
the deputies' group), the money in yuan (Decimal, two places), procurement, the planned and
actual end of each of the seven stages, its state and its grade. A new row is replayed through
the services (确定项目 → 实施方案 → 阶段 → 资金 → 开始实施), so the timeline and the audit trail
read as if the work had been done in renda. A row whose 编号 exists updates what differs (plan,
money, stages; a state further along 已票决 → 实施中) and is counted as 更新; the same row again
is 未变. Completion, grades and rectification come from the government's report and the
session's secret-ballot evaluation, never from a sheet: a row may only repeat them. Ballots are
never exported (no deputy's vote is anywhere in the ledger).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

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
    register,
)
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region
from renda.projects import rules, services
from renda.projects.models import STAGE_ORDER, Grade, Procurement, Project, ProjectStage, Stage
from renda.projects.workflow import STATE_LABELS, State
from renda.units.models import Unit

SHEET = "民生实事"
ORDER_PROJECTS = ORDER_RISKS + 10
STATES = {str(STATE_LABELS[s]): s.value for s in State}
GRADES = {str(label): value for value, label in Grade.choices}
PROCUREMENTS = {str(label): value for value, label in Procurement.choices}
MONEY = {"预算总造价（元）": "budget", "招标控制价（元）": "tender_ceiling", "中标价（元）": "bid_price",
         "合同价（元）": "contract_price", "已支付（元）": "paid", "结算/审计决算（元）": "final_account"}
STAGE_LABELS = {s.value: str(s.label) for s in Stage}


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


def parse_money(value: Any) -> Decimal:
    """A sum in yuan from a cell: text or a number, at most two decimal places, not negative.
    A number read from the workbook goes through its shortest text (never float arithmetic)."""
    text = cells.as_text(value).replace(",", "").replace("，", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise cells.CellError(_("不是有效的金额")) from None
    if not d.is_finite() or d < 0:
        raise cells.CellError(_("不是有效的金额"))
    if d != d.quantize(rules.CENT):
        raise cells.CellError(_("金额最多两位小数"))
    if d > rules.MONEY_MAX:
        raise cells.CellError(_("金额过大"))
    return d.quantize(rules.CENT)


def money(header: str, *, help: str = "") -> cells.ColumnSpec:
    return cells.ColumnSpec(header, False, parse_money, None, help or _("元，最多两位小数"))


def _stage_headers(code: str) -> tuple[str, str]:
    label = STAGE_LABELS[code]
    return f"{label}计划完成", f"{label}实际完成"


def _named(model: type[Deputy] | type[Unit], town: Region, name: str, column: str) -> Any:
    found = list(model.objects.filter(town=town, name=name, is_active=True)[:2])
    if not found:
        raise RowError(column, _("{town}没有名为「{name}」的{what}").format(
            town=town.name, name=name, what=_("代表") if model is Deputy else _("单位")))
    if len(found) > 1:
        raise RowError(column, _("{town}有多个名为「{name}」的记录，无法确定").format(town=town.name, name=name))
    return found[0]


# --- resolve ------------------------------------------------------------------------------------


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    code = row["编号"]
    town: Region | None = collect(problems, lambda: town_by_code(row["所属镇街代码"], "所属镇街代码"))
    year = row["项目年度"]
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        problems.append(("项目年度", _("应为四位年份")))
    values: dict[str, Any] = {"row": row}
    if row.get("测评结果") and row.get("状态") not in (State.EVALUATED, State.RECTIFYING, State.RECTIFIED):
        problems.append(("测评结果", _("只有已测评、整改中或已整改的项目有测评结果")))
    stages: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    for s in STAGE_ORDER:
        planned, actual = _stage_headers(s)
        stages[s] = (row.get(planned) or None, row.get(actual) or None)
    values["stages"] = stages
    if town is not None:
        t: Region = town

        def named(model: type[Deputy] | type[Unit], name: str, column: str) -> Any:
            return collect(problems, lambda: _named(model, t, name, column))

        values["town"] = town
        values["lead_unit"] = named(Unit, row["牵头单位"], "牵头单位") if row.get("牵头单位") else None
        supervisor = named(Deputy, row["督办主席团成员"], "督办主席团成员") if row.get("督办主席团成员") else None
        if supervisor is not None and not supervisor.is_presidium:
            problems.append(("督办主席团成员", _("「{name}」不是主席团成员").format(name=supervisor.name)))
        values["supervisor"] = supervisor
        values["deputies"] = [named(Deputy, n, "督办代表") for n in row.get("督办代表", [])]
    if problems:
        raise RowError.many(problems)
    assert town is not None
    return Resolved(key=(code,), town_code=town.code, label=f"{code} {row['项目名称']}", values=values)


# --- apply --------------------------------------------------------------------------------------


def _step(column: str, fn: Any) -> Any:
    try:
        return fn()
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _plan_differs(p: Project, v: dict[str, Any]) -> bool:
    row: Row = v["row"]
    funding = row.get("计划投资（元）")
    return (p.lead_unit_id != (v["lead_unit"].pk if v["lead_unit"] else None)
            or p.targets != row.get("建设目标", "") or p.deadline != row.get("完成时限")
            or p.funding_source != row.get("资金来源", "") or p.funding_amount != funding
            or p.supervisor_id != (v["supervisor"].pk if v["supervisor"] else None)
            or {d.pk for d in p.deputies.all()} != {d.pk for d in v["deputies"]})


def _plan(ctx: ImportContext, p: Project, v: dict[str, Any]) -> None:
    row: Row = v["row"]
    _step("完成时限", lambda: services.project_plan(
        actor=ctx.actor, project_id=p.pk, lead_unit=v["lead_unit"], targets=row.get("建设目标", ""),
        deadline=row.get("完成时限"), funding_source=row.get("资金来源", ""), funding_amount=row.get("计划投资（元）"),
        supervisor=v["supervisor"], deputies=v["deputies"],
        end_year=p.end_year, year_targets=[services.YearTargetIn(t.year, t.target, t.amount)
                                           for t in p.year_targets.all()]))


def _money_changes(p: Project, row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for header, field in MONEY.items():
        if row.has(header) and getattr(p, field) != row.get(header):
            out[field] = row.get(header)
    for header, field in (("采购方式", "procurement"), ("交易平台", "platform"), ("施工单位", "contractor")):
        if row.has(header) and getattr(p, field) != (row.get(header) or ""):
            out[field] = row.get(header) or ""
    return out


def _stages(ctx: ImportContext, p: Project, v: dict[str, Any]) -> bool:
    did = False
    rows = {s.stage: s for s in ProjectStage.objects.filter(project=p)}
    for code, (planned_end, actual_end) in v["stages"].items():
        current = rows.get(code)
        have = (current.planned_end, current.actual_end) if current else (None, None)
        if have == (planned_end, actual_end):
            continue
        start = current.planned_start if current else None
        actual_start = (current.actual_start if current and current.actual_start else actual_end)
        if actual_end is None and current is not None and current.actual_start is not None:
            actual_start = current.actual_start
        header = _stage_headers(code)[1]
        _step(header, lambda c=code, s=start, pe=planned_end, a=actual_start, ae=actual_end: services.project_stage_set(
            actor=ctx.actor, project_id=p.pk, stage=c, planned_start=s if s is None or pe is None or s <= pe else None,
            planned_end=pe, actual_start=a, actual_end=ae))
        did = True
    return did


def _forward(ctx: ImportContext, p: Project, row: Row) -> bool:
    want = row["状态"]
    if p.state == want:
        if row.get("测评结果", "") != p.grade and (row.get("测评结果") or p.grade):
            raise RowError("测评结果", _("系统中为「{g}」；测评结果由人代会满意度测评产生，不能导入").format(
                g=p.get_grade_display() or _("未测评")))
        return False
    if p.state == State.ADOPTED and want == State.IMPLEMENTING:
        _step("状态", lambda: services.project_start(actor=ctx.actor, project_id=p.pk, on=p.adopted_on))
        return True
    raise RowError("状态", _("系统中为「{s}」；导入只能把已票决的项目改为实施中，其余状态请在系统中办理").format(
        s=p.get_state_display()))


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    row: Row = v["row"]
    existing = Project.objects.filter(code=r.key[0]).first()
    if existing is not None:
        p = existing
        if p.town_id != v["town"].pk:
            raise RowError("所属镇街代码", _("系统中为 {code}").format(code=p.town.code))
        if p.title != row["项目名称"]:
            raise RowError("项目名称", _("系统中为「{t}」").format(t=p.title))
        if str(p.year) != row["项目年度"]:
            raise RowError("项目年度", _("系统中为 {y}").format(y=p.year))
        created = False
    else:
        if row["状态"] not in (State.ADOPTED, State.IMPLEMENTING):
            raise RowError("状态", _("新项目只能导入为已票决或实施中；完成、测评、整改请在系统中办理"))
        if row.get("测评结果"):
            raise RowError("测评结果", _("测评结果由人代会满意度测评产生，不能导入"))
        p = _step("项目名称", lambda: services.project_adopt(
            actor=ctx.actor, town=v["town"], year=int(row["项目年度"]), title=row["项目名称"],
            adopted_on=row["票决日期"], code=r.key[0]))
        created = True
    changed = False
    if p.state in (State.ADOPTED, State.IMPLEMENTING) and _plan_differs(p, v):
        _plan(ctx, p, v)
        changed = True
    changes = _money_changes(Project.objects.get(pk=p.pk), row)
    if changes:
        amounts = {k: changes.pop(k) for k in list(changes) if k in services.MONEY_FIELDS}
        _step("已支付（元）", lambda: services.project_money_set(actor=ctx.actor, project_id=p.pk, **changes,
                                                              **amounts))
        changed = True
    if p.state in (State.ADOPTED, State.IMPLEMENTING, State.RECTIFYING):
        changed = _stages(ctx, p, v) or changed
    changed = _forward(ctx, Project.objects.get(pk=p.pk), row) or changed
    if created:
        return Outcome(Action.CREATED, r.label)
    return Outcome(Action.UPDATED, r.label, _("实施方案、资金、阶段或状态")) if changed else Outcome(
        Action.UNCHANGED, r.label)


# --- export -------------------------------------------------------------------------------------


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    states, grades, procurements = _inverse(STATES), _inverse(GRADES), _inverse(PROCUREMENTS)
    qs = Project.objects.select_related("town", "lead_unit", "supervisor").prefetch_related(
        "deputies", "stages").order_by("code")
    if town is not None:
        qs = qs.filter(town=town)
    for p in qs:
        out: dict[str, Any] = {
            "编号": p.code, "项目年度": str(p.year), "所属镇街代码": p.town.code, "项目名称": p.title,
            "票决日期": p.adopted_on, "牵头单位": p.lead_unit.name if p.lead_unit else "", "建设目标": p.targets,
            "完成时限": p.deadline, "资金来源": p.funding_source, "计划投资（元）": p.funding_amount,
            "督办主席团成员": p.supervisor.name if p.supervisor else "",
            "督办代表": sorted(d.name for d in p.deputies.all()),
            "采购方式": procurements.get(p.procurement, ""), "交易平台": p.platform, "施工单位": p.contractor,
            "状态": states[p.state], "测评结果": grades.get(p.grade, ""),
        }
        for header, field in MONEY.items():
            out[header] = getattr(p, field)
        by = {s.stage: s for s in p.stages.all()}
        for code in STAGE_ORDER:
            planned, actual = _stage_headers(code)
            s = by.get(code)
            out[planned], out[actual] = (s.planned_end, s.actual_end) if s else (None, None)
        yield out


def _columns() -> Sequence[cells.ColumnSpec]:
    stage_columns = []
    for code in STAGE_ORDER:
        planned, actual = _stage_headers(code)
        stage_columns += [cells.date(planned), cells.date(actual, help=_("已完成的阶段填写"))]
    return (
        cells.text("编号", required=True, max_length=30, help="唯一，如 MS2023-001"),
        cells.text("项目年度", required=True, max_length=4, help="如 2023"),
        cells.region_code("所属镇街代码", required=True),
        cells.text("项目名称", required=True, max_length=200),
        cells.date("票决日期", required=True),
        cells.text("牵头单位", max_length=100, help="本镇街承办单位名称"),
        cells.text("建设目标"),
        cells.date("完成时限", help="在项目年度内"),
        cells.text("资金来源", max_length=200),
        money("计划投资（元）"),
        cells.text("督办主席团成员", max_length=50),
        cells.list_of("督办代表", help="本镇街代表姓名，用 ; 分隔"),
        money("预算总造价（元）"),
        money("招标控制价（元）"),
        money("中标价（元）"),
        money("合同价（元）"),
        money("已支付（元）"),
        money("结算/审计决算（元）"),
        cells.choice("采购方式", PROCUREMENTS, help="公开招标、邀请招标 或 小额工程直接发包"),
        cells.text("交易平台", max_length=100, help="如 蚌埠市公共资源交易中心"),
        cells.text("施工单位", max_length=200),
        *stage_columns,
        cells.choice("状态", STATES, required=True, help="已票决、实施中、已完成、已测评、整改中 或 已整改"),
        cells.choice("测评结果", GRADES, help="由人代会满意度测评产生，导入时只能与系统一致"),
    )


PROJECTS = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_PROJECTS,
        key=("编号",),
        columns=tuple(_columns()),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "编号": "MS2023-001", "项目年度": "2023", "所属镇街代码": "340302100000",
            "项目名称": "XX镇XXX路、XX路绿化亮化工程", "票决日期": "2023-01-13", "牵头单位": "镇经济发展中心",
            "建设目标": "新建路灯126盏", "完成时限": "2023-11-30", "资金来源": "镇财政资金",
            "计划投资（元）": "3150000.00", "预算总造价（元）": "3126500.00", "招标控制价（元）": "3050000.00",
            "中标价（元）": "2876412.35", "采购方式": "公开招标", "交易平台": "蚌埠市公共资源交易中心",
            "招标实际完成": "2023-05-12", "状态": "实施中",
        },
        town_column="所属镇街代码",
        field_columns={"title": "项目名称", "lead_unit": "牵头单位", "deadline": "完成时限",
                       "funding_amount": "计划投资（元）", "supervisor": "督办主席团成员", "deputies": "督办代表",
                       "budget": "预算总造价（元）", "tender_ceiling": "招标控制价（元）", "bid_price": "中标价（元）",
                       "contract_price": "合同价（元）", "paid": "已支付（元）", "final_account": "结算/审计决算（元）",
                       "procurement": "采购方式", "platform": "交易平台", "contractor": "施工单位"},
    )
)
