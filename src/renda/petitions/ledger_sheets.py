"""Ledger sheet of petitions: 信访件 (see docs/ledger.md and ../shared/LEDGER.md).

A row is one petition with its petitioners and the dates of its legal steps. Importing a new
row replays the steps through the petitions services, each dated by the row (登记 → 受理 or
不予受理 → 延期 → 处理意见 → 复查申请 → 复查答复 → 复核申请 → 复核答复, and 送阅/阅批), so the
timeline, the deadlines and the audit trail read as if the work had been done in renda. A row
whose key (所属镇街代码, 编号) exists is compared first: what the petition already has must agree
with the row, and later steps the row adds are applied; registered content is never rewritten.

Petitioners' names, ID numbers, phones and addresses are written in clear only when exporting
as the system (``renda export_ledger``; the export is recorded as a reveal); a web export masks
them, and importing such a masked cell back onto the same petition counts as unchanged.
The 信访值班 sheet is imported before this one (``ORDER_DUTY_SHIFTS`` < ``ORDER_PETITIONS``), so
a row's 值班日期 may name a shift of the same workbook.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from renda.audit import context
from renda.core import crypto
from renda.core.errors import ApplicationError
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_PETITIONS,
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
from renda.core.privacy import record_reveal
from renda.core.validators import is_id_number, is_phone
from renda.people.models import Deputy
from renda.petitions import rules, services
from renda.petitions.models import Channel, Petition
from renda.petitions.services import PetitionerData
from renda.petitions.workflow import State
from renda.places.ledger_sheets import region_by_code, town_by_code, village_by_code
from renda.places.models import Level, Region
from renda.shifts import selectors as shifts

if TYPE_CHECKING:
    from renda.shifts.models import DutyShift

SHEET = "信访件"
CHANNELS = {str(label): value for value, label in Channel.choices}
#: The dated steps in their legal order: (date column, petition field, what it follows).
STEPS: tuple[tuple[str, str], ...] = (
    ("受理日期", "accepted_on"), ("不予受理日期", "declined_on"), ("延期日期", "extended_on"),
    ("处理意见日期", "opinion_on"), ("复查申请日期", "review_requested_on"),
    ("复查答复日期", "review_answered_on"), ("复核申请日期", "rereview_requested_on"),
    ("复核答复日期", "rereview_answered_on"),
)
#: Which earlier date each step needs.
NEEDS = {"延期日期": "受理日期", "处理意见日期": "受理日期", "复查申请日期": "处理意见日期",
         "复查答复日期": "复查申请日期", "复核申请日期": "复查答复日期", "复核答复日期": "复核申请日期"}
#: Text a step's service needs, with the text written when the ledger leaves it blank.
TEXTS = {"不予受理日期": ("不予受理理由", None), "延期日期": ("延期理由", None),
         "处理意见日期": ("处理意见", "见书面处理意见书"), "复查答复日期": ("复查意见", "见书面复查意见书"),
         "复核答复日期": ("复核意见", "见书面复核意见书")}


def _split(value: Any) -> list[str]:
    """A ``;``-separated cell with its empty places kept (petitioner i ↔ ID number i)."""
    text = cells.as_text(value) if not cells.is_blank(value) else ""
    return [p.strip() for p in text.replace("；", ";").split(";")] if text else []


def _count(value: Any) -> int:
    text = cells.as_text(value)
    if not text.isdigit() or int(text) < 1:
        raise cells.CellError(_("应为正整数"))
    return int(text)


# --- resolve --------------------------------------------------------------------------------


def _petitioners(row: Row, problems: list[tuple[str, str]]) -> list[PetitionerData]:
    names = _split(row.get("信访人"))
    columns = {h: _split(row.get(h)) for h in ("身份证号", "联系电话", "地址")}
    if not [n for n in names if n]:
        problems.append(("信访人", _("必填")))
        return []
    for header, values in columns.items():
        if len(values) > len(names):
            problems.append((header, _("比信访人多出 {n} 项").format(n=len(values) - len(names))))
    people = []
    for i, name in enumerate(names):
        idn, phone, address = (columns[h][i] if i < len(columns[h]) else "" for h in ("身份证号", "联系电话", "地址"))
        if idn and "*" not in idn and not is_id_number(idn):
            problems.append(("身份证号", _("「{v}」不正确（18位，校验位不符）").format(v=crypto.mask_id_number(idn))))
        if phone and "*" not in phone and not is_phone(crypto.normalize_phone(phone)):
            problems.append(("联系电话", _("「{v}」格式不正确").format(v=phone)))
        people.append(PetitionerData(name=name, id_number=idn, phone=phone, address=address))
    return people


def _check_dates(row: Row, problems: list[tuple[str, str]]) -> None:
    registered = row["登记日期"]
    if row.get("受理日期") and row.get("不予受理日期"):
        problems.append(("不予受理日期", _("已填写受理日期，不能同时不予受理")))
    for column, _field in STEPS:
        value = row.get(column)
        if value is None:
            continue
        if value < registered:
            problems.append((column, _("早于登记日期")))
        need = NEEDS.get(column)
        if need and row.get(need) is None:
            problems.append((column, _("没有{need}，不能填写{column}").format(need=need, column=column)))
        elif need and value < row[need]:
            problems.append((column, _("早于{need}").format(need=need)))
    for column, (text_column, default) in TEXTS.items():
        if row.get(column) is not None and default is None and not row.get(text_column):
            problems.append((text_column, _("填写了{column}时必填").format(column=column)))
    if row.get("延期日期") is not None and not row.get("延期天数"):
        problems.append(("延期天数", _("填写了延期日期时必填")))
    if (row.get("延期天数") or 0) > rules.DEFAULT.max_extension_days:
        problems.append(("延期天数", _("不能超过{n}日").format(n=rules.DEFAULT.max_extension_days)))
    leader, on, text = row.get("阅批领导"), row.get("阅批日期"), row.get("阅批意见")
    if (on is not None or text) and not leader:
        problems.append(("阅批领导", _("填写了阅批日期或阅批意见时必填")))
    if on is not None and not text:
        problems.append(("阅批意见", _("填写了阅批日期时必填")))
    if text and on is None:
        problems.append(("阅批日期", _("填写了阅批意见时必填")))
    if on is not None and on < registered:
        problems.append(("阅批日期", _("早于登记日期")))
    if row.get("值班日期") is not None and row["值班日期"] != registered:
        problems.append(("值班日期", _("应与登记日期相同（当日值班接访）")))


def _shift(town: Region, on: dt.date) -> DutyShift:
    shift = shifts.first_shift_on(town.pk, on)
    if shift is None:
        raise RowError("值班日期", _("{town}在 {d} 没有值班记录（请先导入「信访值班」）").format(
            town=town.name, d=on.isoformat()))
    return shift


def _leader(town: Region, name: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name, is_presidium=True)[:2])
    if not found:
        raise RowError("阅批领导", _("{town}没有名为「{name}」的主席团成员").format(town=town.name, name=name))
    if len(found) > 1:
        raise RowError("阅批领导", _("{town}有多名主席团成员名为「{name}」").format(town=town.name, name=name))
    return found[0]


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    code = row["编号"]
    town: Region | None = collect(problems, lambda: town_by_code(row["所属镇街代码"], "所属镇街代码"))
    _check_dates(row, problems)
    people = _petitioners(row, problems)
    if row.get("人数") is not None and people and row["人数"] < len(people):
        problems.append(("人数", _("不能少于信访人数（{n}）").format(n=len(people))))
    values: dict[str, Any] = {"row": row, "people": people}
    if town is not None:
        village = grid = shift = leader = None
        if row.get("所属村社区代码"):
            village = collect(problems, lambda: village_by_code(row["所属村社区代码"], "所属村社区代码"))
            if village is not None and village.parent_id != town.pk:
                problems.append(("所属村社区代码", _("不属于{town}").format(town=town.name)))
        if row.get("所属网格编码"):
            grid = collect(problems, lambda: region_by_code(row["所属网格编码"], Level.GRID, "所属网格编码"))
            if grid is not None and grid.town_id != town.pk:
                problems.append(("所属网格编码", _("不属于{town}").format(town=town.name)))
        if row.get("值班日期") is not None:
            shift = collect(problems, lambda: _shift(town, row["值班日期"]))
        if row.get("阅批领导"):
            leader = collect(problems, lambda: _leader(town, row["阅批领导"]))
        values.update(town=town, village=village, grid=grid, shift=shift, leader=leader)
    if problems:
        raise RowError.many(problems)
    assert town is not None
    return Resolved(key=(town.code, code), town_code=town.code, label=f"{code} {row['标题']}", values=values)


# --- apply ----------------------------------------------------------------------------------


def _step(column: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _reload(p: Petition) -> Petition:
    return Petition.objects.get(pk=p.pk)


def _text(row: Row, column: str) -> str:
    text_column, default = TEXTS[column]
    return row.get(text_column) or default or ""


def _forward(ctx: ImportContext, p: Petition, v: dict[str, Any]) -> bool:
    """Take ``p`` through the steps the row has and the petition has not yet had."""
    row: Row = v["row"]
    actor, did = ctx.actor, False
    calls: dict[str, Callable[[dt.date], Any]] = {
        "受理日期": lambda on: services.petition_accept(actor=actor, petition_id=p.pk, on=on),
        "不予受理日期": lambda on: services.petition_decline(actor=actor, petition_id=p.pk, on=on,
                                                        reason=_text(row, "不予受理日期")),
        "延期日期": lambda on: services.petition_extend(actor=actor, petition_id=p.pk, on=on,
                                                    days=int(row["延期天数"]), reason=_text(row, "延期日期")),
        "处理意见日期": lambda on: services.petition_issue_opinion(actor=actor, petition_id=p.pk, on=on,
                                                             opinion=_text(row, "处理意见日期")),
        "复查申请日期": lambda on: services.petition_request_review(actor=actor, petition_id=p.pk, on=on),
        "复查答复日期": lambda on: services.petition_answer_review(actor=actor, petition_id=p.pk, on=on,
                                                             answer=_text(row, "复查答复日期")),
        "复核申请日期": lambda on: services.petition_request_rereview(actor=actor, petition_id=p.pk, on=on),
        "复核答复日期": lambda on: services.petition_answer_rereview(actor=actor, petition_id=p.pk, on=on,
                                                               answer=_text(row, "复核答复日期")),
    }
    for column, field in STEPS:
        on = row.get(column)
        if on is not None and getattr(p, field) is None:
            _step(column, functools.partial(calls[column], on))
            p, did = _reload(p), True
    leader: Deputy | None = v.get("leader")
    if leader is not None:
        ri = p.instructions.filter(presidium_member=leader).order_by("requested_on", "id").first()
        if ri is None:
            requested = min(x for x in (row["登记日期"], row.get("阅批日期")) if x is not None)
            ri = _step("阅批领导", lambda: services.petition_route(actor=None, petition_id=p.pk,
                                                               presidium_member=leader, on=requested))
            did = True
        if row.get("阅批日期") is not None and ri.instructed_on is None:
            # The instruction was written by the presidium member; the import records it for them.
            _step("阅批日期", lambda: services.petition_instruct(actor=None, instruction_id=ri.pk,
                                                             text=row["阅批意见"], on=row["阅批日期"]))
            did = True
    return did


def _compare(p: Petition, v: dict[str, Any]) -> list[tuple[str, str]]:
    row: Row = v["row"]
    problems: list[tuple[str, str]] = []

    def differs(column: str, current: Any) -> None:
        problems.append(difference(column, current))

    checks: list[tuple[str, Any, Any]] = [
        ("渠道", p.channel, row["渠道"]),
        ("登记日期", p.registered_on, row["登记日期"]),
        ("标题", p.subject, row["标题"]),
        ("内容", p.content, row.get("内容", "")),
        ("类别", p.category, row.get("类别", "")),
        ("被反映人/单位", p.respondent, row.get("被反映人/单位", "")),
    ]
    labels = {v_: k for k, v_ in CHANNELS.items()}
    for column, current, value in checks:
        if row.has(column) and current != value:
            differs(column, labels.get(current, current) if column == "渠道" else current)
    stored = list(p.petitioners.order_by("position", "id"))
    given: list[PetitionerData] = v["people"]
    if len(stored) != len(given) or not all(
            same_or_masked(s.name, g.name, crypto.mask_name) for s, g in zip(stored, given, strict=False)):
        differs("信访人", ";".join(s.name_masked for s in stored))
    else:
        for header, attr, mask in (("身份证号", "id_number", crypto.mask_id_number),
                                   ("联系电话", "phone", crypto.mask_phone),
                                   ("地址", "address", crypto.mask_address)):
            if row.has(header) and not all(same_or_masked(getattr(s, attr), getattr(g, attr), mask)
                                           for s, g in zip(stored, given, strict=True)):
                differs(header, ";".join(mask(getattr(s, attr)) for s in stored))
    for column, field in STEPS:
        current = getattr(p, field)
        if current is not None and row.get(column) != current:
            if row.get(column) is None:
                problems.append((column, _("系统中已于 {d} 办理，导入不能撤销").format(d=current.isoformat())))
            else:
                differs(column, current)
    return problems


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    row: Row = v["row"]
    town: Region = v["town"]
    existing = Petition.objects.filter(town=town, code=row["编号"]).first()
    if existing is not None:
        problems = _compare(existing, v)
        if problems:
            raise RowError.many(problems)
        if _forward(ctx, existing, v):
            return Outcome(Action.UPDATED, r.label, _("办理进度"))
        return Outcome(Action.UNCHANGED, r.label)
    people: list[PetitionerData] = v["people"]
    for x in people:
        for header, value in (("信访人", x.name), ("身份证号", x.id_number), ("联系电话", x.phone),
                              ("地址", x.address)):
            if "*" in value:
                raise RowError(header, _("是脱敏后的内容，请使用命令行（系统）导出的台账导入新信访件"))
    p = _step("编号", lambda: services.petition_register(
        actor=ctx.actor, town=town, channel=row["渠道"], subject=row["标题"], content=row.get("内容", ""),
        petitioners=people, head_count=row.get("人数"), village=v["village"], grid=v["grid"],
        category=row.get("类别", ""), respondent=row.get("被反映人/单位", ""), duty_shift=v["shift"],
        code=row["编号"], on=row["登记日期"]))
    if p.state == State.DECLINED and row.get("不予受理日期") is None:
        raise RowError("编号", _("同一事实和理由已复核终结，系统自动不予受理；请填写不予受理日期和理由"))
    if p.state != State.DECLINED:
        _forward(ctx, p, v)
    return Outcome(Action.CREATED, r.label)


# --- export ---------------------------------------------------------------------------------


def reveals_petitioners() -> bool:
    """Petitioners in clear only for the system (a command) or an audited reveal (web export with a
    reason, recorded once for the whole workbook by the ledger view)."""
    return context.personal_data_in_clear()


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    clear = reveals_petitioners()
    labels = {v: k for k, v in CHANNELS.items()}
    qs = (Petition.objects.select_related("town", "village", "grid", "duty_shift")
          .prefetch_related("petitioners", "instructions__presidium_member").order_by("town__code", "code"))
    if town is not None:
        qs = qs.filter(town=town)
    for p in qs.iterator(chunk_size=500):
        people = sorted(p.petitioners.all(), key=lambda x: (x.position, x.pk))
        if clear:
            if context.current().source == "command":  # the web reveal is recorded by ledger.views.export
                record_reveal(actor=None, target=p, fields=[f"petitioner.{f}" for f in services.REVEALED_FIELDS],
                              reason=_("导出台账（系统）"))
            names, ids = [x.name for x in people], [x.id_number for x in people]
            phones, addresses = [x.phone for x in people], [x.address for x in people]
        else:
            names, ids = [x.name_masked for x in people], [x.id_number_masked for x in people]
            phones, addresses = [x.phone_masked for x in people], [x.address_masked for x in people]
        instructions = sorted(p.instructions.all(), key=lambda x: (x.requested_on, x.pk))
        ri = next((x for x in instructions if x.instructed_on), instructions[0] if instructions else None)

        def joined(values: Sequence[str]) -> str:
            return ";".join(values) if any(values) else ""

        yield {
            "编号": p.code, "渠道": labels[p.channel], "登记日期": p.registered_on, "所属镇街代码": p.town.code,
            "信访人": joined(names), "身份证号": joined(ids), "联系电话": joined(phones), "地址": joined(addresses),
            "人数": p.head_count, "所属村社区代码": p.village.code if p.village else "",
            "所属网格编码": p.grid.code if p.grid else "", "类别": p.category, "标题": p.subject,
            "内容": p.content, "被反映人/单位": p.respondent,
            "值班日期": p.duty_shift.date if p.duty_shift else None,
            "受理日期": p.accepted_on, "不予受理日期": p.declined_on, "不予受理理由": p.decline_reason,
            "延期日期": p.extended_on, "延期天数": p.extension_days, "延期理由": p.extension_reason,
            "处理意见日期": p.opinion_on, "处理意见": p.opinion,
            "复查申请日期": p.review_requested_on, "复查答复日期": p.review_answered_on, "复查意见": p.review_answer,
            "复核申请日期": p.rereview_requested_on, "复核答复日期": p.rereview_answered_on,
            "复核意见": p.rereview_answer,
            "阅批领导": ri.presidium_member.name if ri else "", "阅批日期": ri.instructed_on if ri else None,
            "阅批意见": ri.text if ri else "",
        }


def _columns() -> Sequence[cells.ColumnSpec]:
    return (
        cells.text("编号", required=True, max_length=30, help="同一镇街内唯一，如 XF2023-001"),
        cells.choice("渠道", CHANNELS, required=True, help="、".join(CHANNELS)),
        cells.date("登记日期", required=True),
        cells.region_code("所属镇街代码", required=True),
        cells.text("信访人", required=True, help="姓名；集体访多人用 ; 分隔"),
        cells.text("身份证号", help="与信访人一一对应，用 ; 分隔；校验位须正确"),
        cells.text("联系电话", help="与信访人一一对应，用 ; 分隔"),
        cells.text("地址", help="与信访人一一对应，用 ; 分隔"),
        cells.ColumnSpec("人数", False, _count, None, "集体访总人数；空白为信访人数"),
        cells.region_code("所属村社区代码"),
        cells.grid_code("所属网格编码"),
        cells.text("类别", max_length=50, help="如 土地征收、劳动社保、邻里纠纷"),
        cells.text("标题", required=True, max_length=200),
        cells.text("内容"),
        cells.text("被反映人/单位", max_length=200),
        cells.date("值班日期", help="来访当日的值班（须先有「信访值班」记录），应与登记日期相同"),
        cells.date("受理日期", help="登记后15日内"),
        cells.date("不予受理日期"),
        cells.text("不予受理理由", help="填写不予受理日期时必填"),
        cells.date("延期日期", help="只能延期一次"),
        cells.ColumnSpec("延期天数", False, _count, None, "不超过30日"),
        cells.text("延期理由", help="填写延期日期时必填"),
        cells.date("处理意见日期", help="受理后60日内（含延期）"),
        cells.text("处理意见"),
        cells.date("复查申请日期", help="处理意见后30日内"),
        cells.date("复查答复日期"),
        cells.text("复查意见"),
        cells.date("复核申请日期", help="复查答复后30日内"),
        cells.date("复核答复日期"),
        cells.text("复核意见"),
        cells.text("阅批领导", max_length=50, help="主席团成员姓名"),
        cells.date("阅批日期"),
        cells.text("阅批意见"),
    )


PETITIONS = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_PETITIONS,
        personal_data=True,
        key=("所属镇街代码", "编号"),
        columns=tuple(_columns()),
        resolve=_resolve,
        apply=_apply,
        export=_export,
        example={
            "编号": "XF2023-001", "渠道": "来信", "登记日期": "2023-02-06", "所属镇街代码": "340302100000",
            "信访人": "张三", "身份证号": "340302199001011237", "联系电话": "13812345678",
            "地址": "XX镇XX村3组12号", "人数": 1, "所属村社区代码": "340302100001",
            "所属网格编码": "340302100001001", "类别": "土地征收", "标题": "反映征地补偿款未足额发放",
            "内容": "2022年征地补偿款至今未足额发放。", "被反映人/单位": "XX村村民委员会",
            "受理日期": "2023-02-08", "处理意见日期": "2023-03-20", "处理意见": "经核实，补偿款已于3月足额发放。",
        },
        town_column="所属镇街代码",
        field_columns={
            "code": "编号", "channel": "渠道", "town": "所属镇街代码", "village": "所属村社区代码",
            "grid": "所属网格编码", "subject": "标题", "content": "内容", "head_count": "人数",
            "petitioners": "信访人", "id_number": "身份证号", "phone": "联系电话", "address": "地址",
            "duty_shift": "值班日期", "reason": "不予受理理由", "days": "延期天数", "opinion": "处理意见",
            "presidium_member": "阅批领导", "text": "阅批意见", "on": "登记日期",
        },
    )
)
