"""Ledger sheet of duty shifts: 信访值班 (see docs/ledger.md).

One row per person on a shift (值班安排), keyed by (所属镇街代码, 值班日期, 时段, 值班人员). A new
row is written through the shifts services: the shift is created if the town has none of that
date and period (counted as 新增 on its own), the person is added — as the replacement of the
row named in 替换人员, which must already be 已调换 on the same shift — and the state is then
recorded (到岗/缺勤 dated by the shift, or 调出). An existing row may move on (已排班 → 已到岗 …,
a corrected 到岗/缺勤) and change its 备注; 替换人员 and an 已调换 state cannot be undone by an
import. Rows of one shift must agree on 地点; a changed 地点 updates the shift.

The sheet is imported after the organization sheets (deputies are named within their town) and
before 信访件, whose rows may name the shift a visit was received on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_DUTY_SHIFTS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    register,
)
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region
from renda.shifts import selectors, services
from renda.shifts.models import AssignmentState, DutyAssignment, DutyShift, Period

SHEET = "信访值班"

PERIODS = {str(label): value for value, label in Period.choices}
STATES = {str(label): value for value, label in AssignmentState.choices}
_PERIOD_TEXT = {v: k for k, v in PERIODS.items()}
_STATE_TEXT = {v: k for k, v in STATES.items()}


def _deputy(town: Region, name: str, column: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name)[:2])
    if not found:
        raise RowError(column, _("{town}没有名为「{name}」的代表").format(town=town.name, name=name))
    if len(found) > 1:
        raise RowError(column, _("{town}有多名代表名为「{name}」，无法区分").format(town=town.name, name=name))
    return found[0]


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    date: dt.date = row["值班日期"]
    period: str = row["时段"]
    name: str = row["值班人员"]
    deputy = replaced = None
    try:
        deputy = _deputy(town, name, "值班人员")
    except RowError as exc:
        problems += exc.problems
    replaced_name = row.get("替换人员") or ""
    if replaced_name:
        if replaced_name == name:
            problems.append(("替换人员", _("替换人员不能是值班人员本人")))
        else:
            try:
                replaced = _deputy(town, replaced_name, "替换人员")
            except RowError as exc:
                problems += exc.problems
    location = row.get("地点") or ""
    if location:
        shift_key = ("shift_location", town.code, date, period)
        first = ctx.cache.setdefault(shift_key, (location, row.number))
        if first[0] != location:
            problems.append(("地点", _("与同一班次第{row}行的地点「{loc}」不一致").format(row=first[1], loc=first[0])))
    if problems:
        raise RowError.many(problems)
    label = f"{date.isoformat()} {_PERIOD_TEXT[period]} {name}"
    return Resolved(key=(town.code, date, period, name), town_code=town.code, label=label, values={
        "town": town, "date": date, "period": period, "deputy": deputy, "replaced": replaced,
        "state": row["状态"], "location": location, "has_note": row.has("备注"), "note": row.get("备注") or "",
    })


def _move(ctx: ImportContext, a: DutyAssignment, state: str, date: dt.date) -> None:
    """Bring ``a`` to ``state`` through the services (dated by the shift)."""
    if a.state == state:
        return
    if a.state == AssignmentState.SWAPPED:
        raise RowError("状态", _("系统中已调班（已调换），导入不能撤销"))
    if state == AssignmentState.SWAPPED:
        services.assignment_swap(actor=ctx.actor, assignment_id=a.pk, replacement=None, on=date)
    else:
        on = min(date, timezone.localdate())
        services.assignment_record(actor=ctx.actor, assignment_id=a.pk, state=state, on=on)


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    town: Region = v["town"]
    deputy: Deputy = v["deputy"]
    replaced: Deputy | None = v["replaced"]
    extra: tuple[str, ...] = ()
    shift = DutyShift.objects.filter(town=town, date=v["date"], period=v["period"]).first()
    changed_shift = False
    if shift is None:
        shift = services.shift_create(actor=ctx.actor, town=town, date=v["date"], period=v["period"],
                                      location=v["location"])
        extra = (str(shift),)
    elif v["location"] and v["location"] != shift.location:
        shift, changed_shift = services.shift_update(actor=ctx.actor, shift_id=shift.pk, location=v["location"])
    existing = DutyAssignment.objects.filter(shift=shift, deputy=deputy).select_related("replaces__deputy").first()
    if existing is None:
        replaces_id = None
        if replaced is not None:
            old = DutyAssignment.objects.filter(shift=shift, deputy=replaced).first()
            if old is None:
                raise RowError("替换人员", _("「{name}」不在该班次中（被替换的人员须在前面的行或系统中）").format(
                    name=replaced.name))
            if old.state != AssignmentState.SWAPPED:
                raise RowError("替换人员", _("「{name}」在该班次的状态不是已调换").format(name=replaced.name))
            replaces_id = old.pk
        a = services.assignment_add(actor=ctx.actor, shift_id=shift.pk, deputy=deputy, note=v["note"],
                                    replaces_id=replaces_id)
        _move(ctx, a, v["state"], v["date"])
        return Outcome(Action.CREATED, r.label, extra_created=extra)
    current = existing.replaces.deputy.pk if existing.replaces else None
    if current != (replaced.pk if replaced else None):
        raise RowError("替换人员", _("与系统中已有的记录不一致（替换人员为「{name}」），导入不能修改").format(
            name=existing.replaces.deputy.name if existing.replaces else _("（空）")))
    changed: list[str] = []
    if existing.state != v["state"]:
        _move(ctx, existing, v["state"], v["date"])
        changed.append(_("状态"))
    if v["has_note"] and existing.note != v["note"]:
        services.assignment_set_note(actor=ctx.actor, assignment_id=existing.pk, note=v["note"])
        changed.append(_("备注"))
    if changed_shift:
        changed.append(_("地点"))
    if not changed:
        return Outcome(Action.UNCHANGED, r.label, extra_created=extra)
    return Outcome(Action.UPDATED, r.label, "、".join(changed), extra_created=extra)


def _depth(a: DutyAssignment, by_id: dict[int, DutyAssignment]) -> int:
    depth, seen = 0, set()
    while a.replaces_id is not None and a.replaces_id in by_id and a.pk not in seen:
        seen.add(a.pk)
        a = by_id[a.replaces_id]
        depth += 1
    return depth


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    """Every row, by town code, date, period (全天, 上午, 下午), then the people replaced before
    those replacing them, then by name — independent of database ids."""
    qs = selectors.with_people(DutyShift.objects.select_related("town"))
    if town is not None:
        qs = qs.filter(town=town)
    shifts = sorted(qs, key=lambda s: (s.town.code, s.date, selectors.PERIOD_ORDER.get(Period(s.period), 9)))
    for s in shifts:
        people = list(s.assignments.all())
        by_id = {a.pk: a for a in people}
        for a in sorted(people, key=lambda a: (_depth(a, by_id), a.deputy.name, a.deputy.phone)):
            yield {
                "值班日期": s.date,
                "时段": _PERIOD_TEXT[s.period],
                "所属镇街代码": s.town.code,
                "值班人员": a.deputy.name,
                "状态": _STATE_TEXT[a.state],
                "替换人员": a.replaces.deputy.name if a.replaces else "",
                "地点": s.location,
                "备注": a.note,
            }


DUTY_SHIFTS = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_DUTY_SHIFTS,  # after 意见建议, before 信访件 (a visit names its duty shift)
        key=("所属镇街代码", "值班日期", "时段", "值班人员"),
        columns=(
            cells.date("值班日期", required=True),
            cells.choice("时段", PERIODS, required=True, help="全天、上午 或 下午"),
            cells.region_code("所属镇街代码", required=True),
            cells.text("值班人员", required=True, max_length=50, help="本镇街代表（主席团成员等）的姓名"),
            cells.choice("状态", STATES, required=True, help="已排班、已到岗、缺勤 或 已调换"),
            cells.text("替换人员", max_length=50, help="调班时被替换的人员姓名（其行状态为已调换，须在前）"),
            cells.text("地点", max_length=100, help="默认 信访接待室；同一班次须一致"),
            cells.text("备注", max_length=200),
        ),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "值班日期": "2023-01-03",
            "时段": "全天",
            "所属镇街代码": "340302100000",
            "值班人员": "王五",
            "状态": "已到岗",
            "替换人员": "",
            "地点": "信访接待室",
            "备注": "",
        },
        town_column="所属镇街代码",
        field_columns={
            "deputy": "值班人员",
            "deputies": "值班人员",
            "replacement": "值班人员",
            "replaces": "替换人员",
            "state": "状态",
            "location": "地点",
            "note": "备注",
            "date": "值班日期",
            "period": "时段",
            "town": "所属镇街代码",
        },
    )
)
