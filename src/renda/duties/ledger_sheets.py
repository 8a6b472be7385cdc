"""Ledger sheet of duties: 履职活动 (see docs/ledger.md and ../shared/LEDGER.md).

A row is one duty activity: its 编号, town, type, name, date and times, place, organizer, the
deputies who attended, were on leave or absent, its content and outcome, and its state. A new
row is replayed through the duties services (安排 → 登记出席情况 → 确认已开展 → 归档, or 取消),
so the timeline and the audit trail read as if the work had been done in renda. A row whose
编号 exists must agree on town, type, name and date; what it adds (attendance, a state further
along, the outcome) is applied and counted as 更新; the same row again is 未变更.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.errors import ApplicationError
from renda.core.ledger import cells
from renda.core.ledger.registry import (
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
)
from renda.duties import services
from renda.duties.models import Activity, ActivityType, Attendance, OrganizerKind, SignInVia
from renda.duties.workflow import State
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region

SHEET = "履职活动"
#: After 信访隐患 (130): deputies (60) must exist first.
ORDER_DUTY_ACTIVITIES = 140
TYPES = {str(t.label): t.value for t in ActivityType}
KINDS = {str(k.label): k.value for k in OrganizerKind}
STATES = {"计划中": State.PLANNED.value, "已开展": State.HELD.value, "已归档": State.ARCHIVED.value,
          "已取消": State.CANCELLED.value}
ATTENDANCE_COLUMNS = (("出席代表", Attendance.ATTENDED), ("请假代表", Attendance.LEAVE),
                      ("缺席代表", Attendance.ABSENT), ("待签到代表", Attendance.EXPECTED))
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
#: The order states come in (a row may move an activity forward, never back).
RANK = {State.PLANNED: 0, State.HELD: 1, State.ARCHIVED: 2, State.CANCELLED: 1}


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


def _time(row: Row, column: str, problems: list[tuple[str, str]]) -> dt.time | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    m = TIME_RE.match(raw)
    if m is None:
        problems.append((column, _("应为 时:分，如 09:00")))
        return None
    return dt.time(int(m.group(1)), int(m.group(2)))


def _deputy(town: Region, name: str, column: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name)[:2])
    if not found:
        raise RowError(column, _("{town}没有名为「{name}」的代表").format(town=town.name, name=name))
    if len(found) > 1:
        raise RowError(column, _("{town}有多名代表名为「{name}」，无法确定").format(town=town.name, name=name))
    return found[0]


# --- resolve --------------------------------------------------------------------------------


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    code = row["编号"]
    town: Region | None = collect(problems, lambda: town_by_code(row["所属镇街代码"], "所属镇街代码"))
    starts, ends = _time(row, "开始时间", problems), _time(row, "结束时间", problems)
    if starts and ends and ends < starts:
        problems.append(("结束时间", _("早于开始时间")))
    state = row["状态"]
    if state in (State.HELD, State.ARCHIVED) and row["活动日期"] > timezone.localdate():
        problems.append(("状态", _("活动日期未到，不能为已开展或已归档")))
    attendance: list[tuple[Deputy, str]] = []
    seen: dict[int, str] = {}
    if town is not None:
        t: Region = town
        for column, value in ATTENDANCE_COLUMNS:
            for name in row.get(column, []):
                d = collect(problems, lambda n=name, c=column: _deputy(t, n, c))  # type: ignore[misc]
                if d is None:
                    continue
                if d.pk in seen:
                    problems.append((column, _("「{name}」已列在{other}中").format(name=d.name, other=seen[d.pk])))
                    continue
                seen[d.pk] = column
                attendance.append((d, value))
    if problems:
        raise RowError.many(problems)
    assert town is not None
    values = {"row": row, "town": town, "starts": starts, "ends": ends, "attendance": attendance}
    return Resolved(key=(code,), town_code=town.code, label=f"{code} {row['活动名称']}", values=values)


# --- apply ----------------------------------------------------------------------------------


def _step(column: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _attend(ctx: ImportContext, a: Activity, attendance: Sequence[tuple[Deputy, str]]) -> bool:
    current = {p.deputy_id: p.attendance for p in a.participations.all()}
    did = False
    for d, value in attendance:
        if current.get(d.pk) == value or (value == Attendance.EXPECTED and d.pk in current):
            continue
        column = next(c for c, v in ATTENDANCE_COLUMNS if v == value)
        _step(column, lambda d=d, value=value: services.activity_set_attendance(  # type: ignore[misc]
            actor=ctx.actor, activity_id=a.pk, deputy=d, attendance=value, via=SignInVia.IMPORT))
        did = True
    return did


def _forward(ctx: ImportContext, a: Activity, row: Row) -> bool:
    want = row["状态"]
    if a.state == want:
        return False
    if RANK[State(want)] < RANK[State(a.state)] or a.state == State.CANCELLED or (
            want == State.CANCELLED and a.state != State.PLANNED):
        raise RowError("状态", _("系统中为「{s}」，导入不能改为「{w}」").format(
            s=a.get_state_display(), w=_inverse(STATES)[want]))
    if want == State.CANCELLED:
        _step("状态", lambda: services.activity_cancel(actor=ctx.actor, activity_id=a.pk, reason=_("台账导入")))
        return True
    if a.state == State.PLANNED:
        _step("状态", lambda: services.activity_hold(actor=ctx.actor, activity_id=a.pk,
                                                    outcome=row.get("活动成果", "") or None, on=a.on))
    if want == State.ARCHIVED:
        _step("状态", lambda: services.activity_archive(actor=ctx.actor, activity_id=a.pk, on=a.on))
    return True


def _compare(a: Activity, v: dict[str, Any]) -> list[tuple[str, str]]:
    row: Row = v["row"]
    problems: list[tuple[str, str]] = []
    if a.town_id != v["town"].pk:
        problems.append(difference("所属镇街代码", a.town.code))
    if a.type != row["活动类型"]:
        problems.append(difference("活动类型", a.get_type_display()))
    if a.title != row["活动名称"]:
        problems.append(difference("活动名称", a.title))
    if a.on != row["活动日期"]:
        problems.append(difference("活动日期", a.on))
    have = {p.deputy_id for p in a.participations.all()}
    given = {d.pk for d, _v in v["attendance"]}
    listed = any(row.has(c) for c, _v in ATTENDANCE_COLUMNS)
    if listed and not have <= given:
        problems.append(("出席代表", _("系统中已有的参加代表不能通过导入移除（{names}）").format(
            names=";".join(sorted(p.deputy.name for p in a.participations.select_related("deputy")
                                  if p.deputy_id not in given)))))
    return problems


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    row: Row = v["row"]
    existing = Activity.objects.filter(code=r.key[0]).first()
    if existing is not None:
        problems = _compare(existing, v)
        if problems:
            raise RowError.many(problems)
        changed = False
        if existing.state in (State.PLANNED, State.HELD):
            changed = _attend(ctx, existing, v["attendance"])
        elif any(existing.participations.filter(deputy=d).exclude(attendance=value).exists()
                 for d, value in v["attendance"]):
            raise RowError("出席代表", _("活动{s}，出席情况不能再修改").format(s=existing.get_state_display()))
        moved = _forward(ctx, Activity.objects.get(pk=existing.pk), row)
        if changed or moved:
            return Outcome(Action.UPDATED, r.label, _("出席情况、状态"))
        return Outcome(Action.UNCHANGED, r.label)
    a = services.activity_plan(
        actor=ctx.actor, town=v["town"], type=row["活动类型"], title=row["活动名称"], on=row["活动日期"],
        starts_at=v["starts"], ends_at=v["ends"], place=row.get("活动地点", ""), organizer=row.get("组织单位", ""),
        organizer_kind=row.get("组织方类别") or OrganizerKind.PRESIDIUM, group_name=row.get("代表小组", ""),
        content=row.get("活动内容", ""), deputies=[d for d, _v in v["attendance"]], code=r.key[0])
    if row["状态"] != State.CANCELLED:
        _attend(ctx, a, v["attendance"])
    _forward(ctx, a, row)
    return Outcome(Action.CREATED, r.label)


# --- export ---------------------------------------------------------------------------------


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    types, kinds, states = _inverse(TYPES), _inverse(KINDS), _inverse(STATES)
    qs = Activity.objects.select_related("town").prefetch_related("participations__deputy").order_by("code")
    if town is not None:
        qs = qs.filter(town=town)
    for a in qs:
        parts = sorted(a.participations.all(), key=lambda p: p.pk)

        def names(value: str, parts: list[Any] = parts) -> list[str]:
            return [p.deputy.name for p in parts if p.attendance == value]

        yield {
            "编号": a.code,
            "所属镇街代码": a.town.code,
            "活动类型": types[a.type],
            "活动名称": a.title,
            "活动日期": a.on,
            "开始时间": a.starts_at.strftime("%H:%M") if a.starts_at else "",
            "结束时间": a.ends_at.strftime("%H:%M") if a.ends_at else "",
            "活动地点": a.place,
            "组织单位": a.organizer,
            "组织方类别": kinds[a.organizer_kind],
            "代表小组": a.group_name,
            "出席代表": names(Attendance.ATTENDED),
            "请假代表": names(Attendance.LEAVE),
            "缺席代表": names(Attendance.ABSENT),
            "待签到代表": names(Attendance.EXPECTED),
            "活动内容": a.content,
            "活动成果": a.outcome,
            "状态": states[a.state],
        }


def _columns() -> Sequence[cells.ColumnSpec]:
    return (
        cells.text("编号", required=True, max_length=30, help="唯一，如 HD2023-001"),
        cells.region_code("所属镇街代码", required=True),
        cells.choice("活动类型", TYPES, required=True, help="、".join(TYPES)),
        cells.text("活动名称", required=True, max_length=200),
        cells.date("活动日期", required=True),
        cells.text("开始时间", max_length=5, help="时:分，如 09:00"),
        cells.text("结束时间", max_length=5, help="时:分，如 11:30"),
        cells.text("活动地点", max_length=200),
        cells.text("组织单位", max_length=100, help="如：区人民检察院；不填为本镇人大主席团"),
        cells.choice("组织方类别", KINDS, help="、".join(KINDS)),
        cells.text("代表小组", max_length=100),
        cells.list_of("出席代表", help="本镇街代表姓名，用 ; 分隔"),
        cells.list_of("请假代表", help="本镇街代表姓名，用 ; 分隔"),
        cells.list_of("缺席代表", help="本镇街代表姓名，用 ; 分隔"),
        cells.list_of("待签到代表", help="计划中活动已安排、尚未签到的代表，用 ; 分隔"),
        cells.text("活动内容"),
        cells.text("活动成果"),
        cells.choice("状态", STATES, required=True, help="计划中、已开展、已归档 或 已取消"),
    )


DUTY_ACTIVITIES = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_DUTY_ACTIVITIES,
        key=("编号",),
        columns=tuple(_columns()),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "编号": "HD2023-003",
            "所属镇街代码": "340302100000",
            "活动类型": "司法见证",
            "活动名称": "区检察院案件公开听证",
            "活动日期": "2023-02-23",
            "开始时间": "09:00",
            "结束时间": "11:00",
            "活动地点": "区人民检察院听证室",
            "组织单位": "区人民检察院",
            "组织方类别": "检察院",
            "出席代表": "王五",
            "请假代表": "",
            "活动成果": "代表发表听证意见",
            "状态": "已归档",
        },
        town_column="所属镇街代码",
        field_columns={
            "code": "编号",
            "town": "所属镇街代码",
            "type": "活动类型",
            "title": "活动名称",
            "on": "活动日期",
            "starts_at": "开始时间",
            "ends_at": "结束时间",
            "place": "活动地点",
            "organizer": "组织单位",
            "organizer_kind": "组织方类别",
            "group_name": "代表小组",
            "deputies": "出席代表",
            "deputy": "出席代表",
            "attendance": "出席代表",
            "content": "活动内容",
            "outcome": "活动成果",
        },
        description="代表履职活动：调研、视察、执法检查、听取报告、司法见证、座谈、培训、接待选民、评议、学习、立法意见征集、代表小组活动等，及代表出席情况",
    )
)
