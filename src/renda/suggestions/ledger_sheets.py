"""Ledger sheet of suggestions: 意见建议 (see docs/ledger.md and ../shared/LEDGER.md).

A row is one item with its registration and the dates of its handling steps. Importing a new
row replays those steps through the suggestions services, each dated by the row (登记 → 交办 →
重点督办 → 签收 → 答复 → 测评 → 办结), so the timeline and the audit trail read as if the work
had been done in renda; a row evaluated 不满意 and closed imports as 测评不满意 → 重新办理 → 不满意办结
(the closure over dissatisfaction). Importing a row whose 编号 exists compares first: what is already there
must agree with the row, and later steps the row adds (交办, 答复, a new answer to a B/C item,
测评, 办结, key supervision) are applied; registered content is never rewritten by an import.

Export writes the latest reply and evaluation of each item and the deadline set at assignment.
Declined, withdrawn and merged items are not in the sheet (it has no column for those ends).
Submitter names and phones are written in clear only when exporting as the system (the
``export_ledger`` command); a web export masks them (张*三, 138****5678), and importing such a
masked cell back onto the same item counts as unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, Protocol, cast

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit import context
from renda.core import crypto
from renda.core.errors import ApplicationError
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_SUGGESTIONS,
    Action,
    BulkPath,
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
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.people.models import Deputy
from renda.places.ledger_sheets import region_by_code
from renda.places.models import Level, Region
from renda.suggestions import policy, services
from renda.suggestions.bulk import Draft
from renda.suggestions.models import Kind, Result, Source, Suggestion, SuggestionCategory
from renda.suggestions.workflow import Action as WAction
from renda.suggestions.workflow import State
from renda.units.models import Unit

SHEET = "意见建议"
KINDS = {"群众意见": Kind.PUBLIC.value, "代表建议": Kind.DEPUTY.value}
SOURCES = {str(label): value for value, label in Source.choices}
REPLY_CLASSES = {c: c for c in "ABCD"}
RESULTS = {str(label): value for value, label in Result.choices}
#: 答复内容 written for a reply whose text the ledger leaves blank (the service needs a text).
NO_REPLY_TEXT = "见书面答复"
#: Items the sheet cannot describe; they are not exported and cannot be changed by an import.
NOT_IN_SHEET = frozenset({State.DECLINED, State.WITHDRAWN, State.MERGED})
#: How far along an item is, by the dates of the sheet.
_STAGE = {State.REGISTERED: 0, State.ASSIGNED: 1, State.ACCEPTED: 1, State.REPLIED: 2, State.EVALUATED: 3,
          State.CLOSED: 4}



def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


# --- lookups --------------------------------------------------------------------------------
# Memoized for the sheet (``ImportContext.lookup``): thousands of rows name the same few towns,
# villages, units, deputies and categories, and this sheet never changes them.


def _region(ctx: ImportContext, code: str, level: str, column: str) -> Region:
    return ctx.lookup(("region", level, code), lambda: region_by_code(code, level, column))


def _deputy(ctx: ImportContext, town: Region, name: str, column: str) -> Deputy:
    def fetch() -> Deputy:
        found = list(Deputy.objects.filter(town=town, name=name)[:2])
        if not found:
            raise RowError(column, _("{town}没有名为「{name}」的代表").format(town=town.name, name=name))
        if len(found) > 1:
            raise RowError(column, _("{town}有多名代表名为「{name}」，无法确定").format(town=town.name, name=name))
        return found[0]

    return ctx.lookup(("deputy", town.pk, name), fetch)


def _unit(ctx: ImportContext, town: Region, name: str, column: str) -> Unit:
    def fetch() -> Unit:
        unit = Unit.objects.filter(town=town, name=name).first()
        if unit is None:
            raise RowError(column, _("{town}没有名为「{name}」的承办单位").format(town=town.name, name=name))
        return unit

    return ctx.lookup(("unit", town.pk, name), fetch)


# --- resolve --------------------------------------------------------------------------------


def _check_dates(row: Row, problems: list[tuple[str, str]]) -> None:
    """登记 ≤ 交办 ≤ 答复 ≤ 测评 ≤ 办结, and no date without the one it depends on."""
    registered, assigned, replied = row["登记日期"], row.get("交办日期"), row.get("答复日期")
    evaluated, closed, deadline = row.get("测评日期"), row.get("办结日期"), row.get("办理期限")

    def order(column: str, value: dt.date | None, earlier: dt.date | None, what: str | Promise) -> None:
        if value is not None and earlier is not None and value < earlier:
            problems.append((column, _("早于{what}").format(what=what)))

    order("交办日期", assigned, registered, gettext_lazy("登记日期"))
    if replied is not None and assigned is None:
        problems.append(("答复日期", _("没有交办日期，不能填写答复日期")))
    order("答复日期", replied, assigned, gettext_lazy("交办日期"))
    if evaluated is not None and replied is None:
        problems.append(("测评日期", _("没有答复日期，不能填写测评日期")))
    order("测评日期", evaluated, replied, gettext_lazy("答复日期"))
    if closed is not None and replied is None:
        problems.append(("办结日期", _("没有答复日期，不能填写办结日期")))
    order("办结日期", closed, evaluated if evaluated is not None else replied,
          gettext_lazy("测评日期") if evaluated is not None else gettext_lazy("答复日期"))
    order("办理期限", deadline, assigned, gettext_lazy("交办日期"))
    if assigned is not None:
        if not row.get("主办单位"):
            problems.append(("主办单位", _("填写了交办日期时必填")))
        if deadline is None:
            problems.append(("办理期限", _("填写了交办日期时必填")))
    elif row.get("主办单位") or row.get("协办单位") or deadline is not None:
        problems.append(("交办日期", _("填写了主办单位、协办单位或办理期限时必填")))
    if replied is not None and not row.get("答复类别"):
        problems.append(("答复类别", _("填写了答复日期时必填")))
    if replied is None and (row.get("答复类别") or row.get("答复内容")):
        problems.append(("答复日期", _("填写了答复类别或答复内容时必填")))
    if row.get("测评结果") and evaluated is None:
        problems.append(("测评日期", _("填写了测评结果时必填")))
    if evaluated is not None and not row.get("测评结果"):
        problems.append(("测评结果", _("填写了测评日期时必填")))


def _check_submitter(row: Row, kind: str, problems: list[tuple[str, str]]) -> None:
    name, phone, deputies = row.get("提出人", ""), row.get("联系电话", ""), row.get("提出代表", [])
    if kind == Kind.DEPUTY:
        if not deputies:
            problems.append(("提出代表", _("代表建议必填")))
        if name:
            problems.append(("提出人", _("代表建议不填提出人，请填写提出代表")))
        if phone:
            problems.append(("联系电话", _("代表建议不填联系电话")))
        return
    if deputies:
        problems.append(("提出代表", _("群众意见不填提出代表")))
    if phone and not name:
        problems.append(("联系电话", _("提出人为空（匿名）时不填联系电话")))
    if phone and "*" not in phone and not is_phone(crypto.normalize_phone(phone)):
        problems.append(("联系电话", _("电话号码格式不正确")))


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    code, kind = row["编号"], row["类型"]
    town: Region | None = collect(problems, lambda: _region(ctx, row["所属镇街代码"], Level.TOWN, "所属镇街代码"))
    _check_dates(row, problems)
    _check_submitter(row, kind, problems)
    if row.get("重点督办") and not row.get("督办领导"):
        problems.append(("督办领导", _("重点督办为「是」时必填")))
    if not row.get("重点督办") and row.get("督办领导"):
        problems.append(("重点督办", _("填写了督办领导时应为「是」")))
    values: dict[str, Any] = {"row": row}
    if town is not None:
        village = grid = None
        if row.get("所属村社区代码"):
            village = collect(problems, lambda: _region(ctx, row["所属村社区代码"], Level.VILLAGE, "所属村社区代码"))
            if village is not None and village.parent_id != town.pk:
                problems.append(("所属村社区代码", _("不属于{town}").format(town=town.name)))
        if row.get("所属网格编码"):
            grid = collect(problems, lambda: _region(ctx, row["所属网格编码"], Level.GRID, "所属网格编码"))
            if grid is not None and not grid.code.startswith(town.code[:9]):
                problems.append(("所属网格编码", _("不属于{town}").format(town=town.name)))
        t: Region = town

        def deputy_named(column: str) -> Callable[[str], Deputy | None]:
            return lambda name: collect(problems, lambda: _deputy(ctx, t, name, column))

        def unit_named(column: str) -> Callable[[str], Unit | None]:
            return lambda name: collect(problems, lambda: _unit(ctx, t, name, column))

        deputies = [deputy_named("提出代表")(n) for n in row.get("提出代表", [])]
        unit = co_units = supervisor = None
        if row.get("主办单位"):
            unit = collect(problems, lambda: _unit(ctx, town, row["主办单位"], "主办单位"))
        co_units = [unit_named("协办单位")(n) for n in row.get("协办单位", [])]
        if row.get("督办领导"):
            supervisor = collect(problems, lambda: _deputy(ctx, town, row["督办领导"], "督办领导"))
            if supervisor is not None and not supervisor.is_presidium:
                problems.append(("督办领导", _("「{name}」不是主席团成员").format(name=supervisor.name)))
        values.update(town=town, village=village, grid=grid, deputies=deputies, unit=unit, co_units=co_units,
                      supervisor=supervisor)
    if problems:
        raise RowError.many(problems)
    assert town is not None
    return Resolved(key=(code,), town_code=town.code, label=f"{code} {row['标题']}", values=values)


# --- apply ----------------------------------------------------------------------------------


def _as(ctx: ImportContext, action: WAction, s: Suggestion) -> Any:
    """The importing user when they may take ``action`` themselves, else the system: a ledger
    records what units and deputies did (签收, 答复, 测评) on their behalf."""
    return ctx.actor if ctx.actor is not None and policy.can(ctx.actor, action, s) else None


def _step(column: str, fn: Callable[[], Any]) -> Any:
    """Run a service; put its refusal (illegal transition, bad date …) on ``column``."""
    try:
        return fn()
    except ApplicationError as exc:
        raise RowError(column, exc.message) from exc


def _category_found(ctx: ImportContext, town: Region, name: str) -> SuggestionCategory | None:
    return ctx.lookup(("category", town.pk, name),
                      lambda: SuggestionCategory.objects.filter(town=town, name=name).first())


def _category(ctx: ImportContext, town: Region, name: str) -> tuple[SuggestionCategory | None, bool]:
    if not name:
        return None, False
    key = ("category", town.pk, name)
    found = _category_found(ctx, town, name)
    if found is not None:
        return found, False
    created = _step("类别", lambda: services.suggestion_category_create(actor=ctx.actor, town=town, name=name))
    ctx.remember(key, created)  # forgotten with the rest if this row fails
    return created, True


def _supervise_on(row: Row) -> dt.date:
    return row.get("交办日期") or row["登记日期"]


class Steps(Protocol):
    """The steps an import takes an item through, named and shaped as the services: ``_Live`` calls
    the services on an item in the database, ``bulk.Draft`` takes the same steps in memory."""

    item: Suggestion

    def assign(self, *, actor: Actor, lead_unit: Unit, co_units: list[Unit], deadline: dt.date | None,
               on: dt.date) -> Suggestion: ...

    def set_key_supervision(self, *, actor: Actor, enabled: bool, supervisor: Deputy | None,
                            on: dt.date) -> Suggestion: ...

    def accept(self, *, actor: Actor, on: dt.date) -> Suggestion: ...

    def reply(self, *, actor: Actor, reply_class: str, text: str, on: dt.date) -> Suggestion: ...

    def evaluate(self, *, actor: Actor, result: str, on: dt.date) -> Suggestion: ...

    def close(self, *, actor: Actor, on: dt.date) -> Suggestion: ...

    def close_dissatisfied(self, *, actor: Actor, reason: str, on: dt.date, from_ledger: bool) -> Suggestion: ...


class _Live:
    """The steps through the services, each locking, saving and auditing the item."""

    def __init__(self, item: Suggestion) -> None:
        self.item = item

    def assign(self, *, actor: Actor, lead_unit: Unit, co_units: list[Unit], deadline: dt.date | None,
               on: dt.date) -> Suggestion:
        self.item = services.suggestion_assign(actor=actor, suggestion_id=self.item.pk, lead_unit=lead_unit,
                                               co_units=co_units, deadline=deadline, on=on)
        return self.item

    def set_key_supervision(self, *, actor: Actor, enabled: bool, supervisor: Deputy | None,
                            on: dt.date) -> Suggestion:
        self.item = services.suggestion_set_key_supervision(actor=actor, suggestion_id=self.item.pk, enabled=enabled,
                                                            supervisor=supervisor, on=on)
        return self.item

    def accept(self, *, actor: Actor, on: dt.date) -> Suggestion:
        self.item = services.suggestion_accept(actor=actor, suggestion_id=self.item.pk, on=on)
        return self.item

    def reply(self, *, actor: Actor, reply_class: str, text: str, on: dt.date) -> Suggestion:
        reply = services.suggestion_reply(actor=actor, suggestion_id=self.item.pk, reply_class=reply_class, text=text,
                                          on=on)
        self.item = reply.suggestion
        return self.item

    def evaluate(self, *, actor: Actor, result: str, on: dt.date) -> Suggestion:
        evaluation = services.suggestion_evaluate(actor=actor, suggestion_id=self.item.pk, result=result, on=on)
        self.item = evaluation.suggestion
        return self.item

    def close(self, *, actor: Actor, on: dt.date) -> Suggestion:
        self.item = services.suggestion_close(actor=actor, suggestion_id=self.item.pk, on=on)
        return self.item

    def close_dissatisfied(self, *, actor: Actor, reason: str, on: dt.date, from_ledger: bool) -> Suggestion:
        self.item = services.suggestion_close_dissatisfied(actor=actor, suggestion_id=self.item.pk, reason=reason,
                                                           on=on, from_ledger=from_ledger)
        return self.item


def _forward(ctx: ImportContext, steps: Steps, v: dict[str, Any], *, new: bool = False) -> bool:
    """Take ``steps.item`` through the steps the row has and the item has not yet had. True if
    any. ``new``: the item was just registered, so it has no reply or evaluation yet. After each
    step ``s`` is the item as the step left it, not read again."""
    row: Row = v["row"]
    s = steps.item
    did = False
    if s.state == State.REGISTERED and row.get("交办日期"):
        s = _step("交办日期", lambda: steps.assign(
            actor=_as(ctx, WAction.ASSIGN, s), lead_unit=v["unit"], co_units=v["co_units"],
            deadline=row["办理期限"], on=row["交办日期"]))
        did = True
    want_key, supervisor = bool(row.get("重点督办")), v["supervisor"]
    if row.has("重点督办") and (want_key != s.key_supervision
                               or (want_key and supervisor is not None and s.supervisor_id != supervisor.pk)):
        s = _step("重点督办", lambda: steps.set_key_supervision(
            actor=_as(ctx, WAction.SUPERVISE, s), enabled=want_key, supervisor=supervisor if want_key else None,
            on=_supervise_on(row)))
        did = True
    replied_on = row.get("答复日期")
    last = None if new else s.replies.order_by("-replied_at", "-id").first()
    if replied_on is not None and (last is None or replied_on > last.replied_at):
        if s.state == State.ASSIGNED:
            s = _step("答复日期", lambda: steps.accept(actor=_as(ctx, WAction.ACCEPT, s), on=row["交办日期"]))
        s = _step("答复日期", lambda: steps.reply(
            actor=_as(ctx, WAction.REPLY, s), reply_class=row["答复类别"], text=row.get("答复内容") or NO_REPLY_TEXT,
            on=replied_on))
        did = True
    evaluated_on = row.get("测评日期")
    last_eval = None if new else s.evaluations.order_by("-evaluated_at", "-id").first()
    if evaluated_on is not None and (last_eval is None or evaluated_on > last_eval.evaluated_at):
        s = _step("测评日期", lambda: steps.evaluate(
            actor=_as(ctx, WAction.EVALUATE, s), result=row["测评结果"], on=evaluated_on))
        did = True
    if row.get("办结日期") is not None and s.state != State.CLOSED:
        if s.state == State.ACCEPTED and row.get("测评结果") == Result.DISSATISFIED:
            # 不满意 sent it back for re-handling; the ledger says it was closed all the same: 不满意办结,
            # as history (the row cannot show the re-handling in between; docs/decisions/0009)
            _step("办结日期", lambda: steps.close_dissatisfied(
                actor=_as(ctx, WAction.CLOSE_DISSATISFIED, s), on=row["办结日期"],
                reason=services.LEDGER_CLOSE_DISSATISFIED_REASON, from_ledger=True))
        else:
            _step("办结日期", lambda: steps.close(actor=_as(ctx, WAction.CLOSE, s), on=row["办结日期"]))
        did = True
    return did


def _remark(s: Suggestion) -> str:
    first = s.transitions.filter(action=WAction.REGISTER).order_by("id").first()
    return first.comment if first else ""


def _village_of(v: dict[str, Any]) -> int | None:
    """The village the item gets: the row's, or (as the service does) the grid's village."""
    village, grid = v["village"], v["grid"]
    if village is None and grid is not None and grid.parent is not None and grid.parent.level == Level.VILLAGE:
        village = grid.parent
    return village.pk if village is not None else None


def _compare(s: Suggestion, v: dict[str, Any]) -> list[tuple[str, str]]:
    """Where the row disagrees with what the item already has (and an import may not change)."""
    row: Row = v["row"]
    problems: list[tuple[str, str]] = []

    def differs(column: str, current: Any) -> None:
        problems.append(difference(column, current))

    if s.state in NOT_IN_SHEET:
        problems.append(("编号", _("系统中该事项{state}，不能通过导入修改").format(state=s.get_state_display())))
        return problems
    if s.kind != row["类型"]:
        differs("类型", _inverse(KINDS)[s.kind])
    if s.town_id != v["town"].pk:
        differs("所属镇街代码", s.town.code)
    if s.registered_at != row["登记日期"]:
        differs("登记日期", s.registered_at)
    checks: list[tuple[str, Any, Any]] = [
        ("来源", s.source, row.get("来源") or ""),
        ("所属村社区代码", s.village_id, _village_of(v)),
        ("所属网格编码", s.grid_id, v["grid"].pk if v["grid"] else None),
        ("类别", s.category.name if s.category else "", row.get("类别", "")),
        ("标题", s.title, row["标题"]),
        ("内容", s.content, row.get("内容", "")),
        ("备注", _remark(s), row.get("备注", "")),
    ]
    for column, current, given in checks:
        if (row.has(column) or (column == "所属村社区代码" and row.has("所属网格编码"))) and current != given:
            differs(column, s.village.code if column == "所属村社区代码" and s.village else
                    s.grid.code if column == "所属网格编码" and s.grid else current)
    if row.has("提出人") and not same_or_masked(s.submitter_name, row["提出人"], crypto.mask_name):
        differs("提出人", crypto.mask_name(s.submitter_name))
    if row.has("联系电话") and not same_or_masked(s.submitter_phone, crypto.normalize_phone(row["联系电话"]),
                                               crypto.mask_phone):
        differs("联系电话", crypto.mask_phone(s.submitter_phone))
    if row.has("提出代表"):
        deputies = v["deputies"]
        lead = deputies[0].pk if deputies else None
        if s.lead_deputy_id != lead or {d.pk for d in s.co_deputies.all()} != {d.pk for d in deputies[1:]}:
            differs("提出代表", _export_deputies(s))
    stage = _STAGE[State(s.state)]
    if stage >= 1:
        if row.get("交办日期") is None:
            problems.append(("交办日期", _("系统中已于 {d} 交办，导入不能撤销").format(d=s.assigned_at)))
        else:
            if s.assigned_at != row["交办日期"]:
                differs("交办日期", s.assigned_at)
            if s.lead_unit_id != v["unit"].pk:
                differs("主办单位", s.lead_unit.name if s.lead_unit else "")
            if row.has("协办单位") and {u.pk for u in s.co_units.all()} != {u.pk for u in v["co_units"]}:
                differs("协办单位", ";".join(sorted(u.name for u in s.co_units.all())))
            if s.original_deadline != row["办理期限"]:
                differs("办理期限", s.original_deadline)
    last = s.replies.order_by("-replied_at", "-id").first()
    if last is not None:
        replied_on = row.get("答复日期")
        if replied_on is None or replied_on < last.replied_at:
            problems.append(("答复日期", _("系统中已于 {d} 答复，导入不能撤销").format(d=last.replied_at)))
        elif replied_on == last.replied_at:
            if last.reply_class != row["答复类别"]:
                differs("答复类别", last.reply_class)
            if row.has("答复内容") and last.text != (row["答复内容"] or NO_REPLY_TEXT):
                differs("答复内容", last.text)
    last_eval = s.evaluations.order_by("-evaluated_at", "-id").first()
    if last_eval is not None:
        evaluated_on = row.get("测评日期")
        if evaluated_on is None or evaluated_on < last_eval.evaluated_at:
            problems.append(("测评日期", _("系统中已于 {d} 测评，导入不能撤销").format(d=last_eval.evaluated_at)))
        elif evaluated_on == last_eval.evaluated_at and last_eval.result != row["测评结果"]:
            differs("测评结果", last_eval.get_result_display())
    if s.closed_at is not None and row.get("办结日期") != s.closed_at:
        if row.get("办结日期") is None:
            problems.append(("办结日期", _("系统中已于 {d} 办结，导入不能撤销").format(d=s.closed_at)))
        else:
            differs("办结日期", s.closed_at)
    return problems


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing = Suggestion.objects.filter(code=r.key[0]).first()
    if existing is not None:
        problems = _compare(existing, v)
        if problems:
            raise RowError.many(problems)
        if _forward(ctx, _Live(existing), v):
            return Outcome(Action.UPDATED, r.label, _("办理进度"))
        return Outcome(Action.UNCHANGED, r.label)
    _steps, outcome = _new(ctx, r, lambda **values: _Live(services.suggestion_register(**values)))
    return outcome


def _new(ctx: ImportContext, r: Resolved, register: Callable[..., Steps]) -> tuple[Steps, Outcome]:
    """A new row: registered (``register``: through the service, or in memory) and taken through
    the steps the row has."""
    v = r.values
    row: Row = v["row"]
    town: Region = v["town"]
    category, new_category = _category(ctx, town, row.get("类别", ""))
    deputies: list[Deputy] = v["deputies"]
    name = row.get("提出人", "")
    if "*" in name or "*" in row.get("联系电话", ""):
        raise RowError("提出人" if "*" in name else "联系电话",
                       _("是脱敏后的内容，请使用命令行（系统）导出的台账导入新事项"))
    steps = register(
        actor=ctx.actor, town=town, kind=row["类型"], title=row["标题"], content=row.get("内容", ""),
        source=row.get("来源") or "", village=v["village"], grid=v["grid"], category=category,
        submitter_name=name, submitter_phone=row.get("联系电话", ""),
        anonymous=row["类型"] == Kind.PUBLIC and not name,
        lead_deputy=deputies[0] if deputies else None, co_deputies=deputies[1:], code=r.key[0],
        on=row["登记日期"], comment=row.get("备注", ""),
    )
    _forward(ctx, steps, v, new=True)
    extra = (_("类别 {name}").format(name=category.name),) if new_category and category else ()
    return steps, Outcome(Action.CREATED, r.label, extra_created=extra)


# --- the bulk path (new rows of a large sheet; suggestions.bulk) ------------------------------


def _existing(keys: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    codes = [k[0] for k in keys]
    return {(c,) for c in Suggestion.objects.filter(code__in=codes).values_list("code", flat=True)}


def _plan(ctx: ImportContext, r: Resolved) -> tuple[Draft, Outcome]:
    """A new row checked by the same rules and taken through the same steps as ``_apply``, in
    memory; only a category the row names for the first time is written (in a savepoint, so the
    row's failure takes it back, as for ``_apply``)."""
    name = r.values["row"].get("类别", "")
    creates = bool(name) and _category_found(ctx, r.values["town"], name) is None
    with transaction.atomic() if creates else contextlib.nullcontext():
        steps, outcome = _new(ctx, r, Draft.register)
        draft = cast(Draft, steps)
        try:
            draft.validate()
        except ApplicationError:
            # Where would the services have refused it? They validate after every step.
            _new(ctx, r, partial(Draft.register, strict=True))
            raise
    return draft, outcome


def _write(ctx: ImportContext, drafts: Sequence[Any], rows: str) -> None:
    services.suggestion_import_batch(actor=ctx.actor, drafts=drafts, rows=rows)


# --- export ---------------------------------------------------------------------------------


def _export_deputies(s: Suggestion) -> str:
    names = [s.lead_deputy.name] if s.lead_deputy else []
    names += sorted(d.name for d in s.co_deputies.all())
    return cells.LIST_JOIN.join(names)


def reveals_submitters() -> bool:
    """Names and phones in clear only for the system (a command) or an audited reveal (web export with a reason)."""
    return context.personal_data_in_clear()


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    clear = reveals_submitters()
    kinds, sources, results = _inverse(KINDS), _inverse(SOURCES), _inverse(RESULTS)
    qs = (
        Suggestion.objects.exclude(state__in=list(NOT_IN_SHEET))
        .select_related("town", "village", "grid", "category", "lead_unit", "lead_deputy", "supervisor")
        .prefetch_related("co_deputies", "co_units", "replies", "evaluations")
        .order_by("code")
    )
    if town is not None:
        qs = qs.filter(town=town)
    for s in qs:
        reply = max(s.replies.all(), key=lambda x: (x.replied_at, x.pk), default=None)
        evaluation = max(s.evaluations.all(), key=lambda x: (x.evaluated_at, x.pk), default=None)
        name, phone = s.submitter_name, s.submitter_phone
        if not clear:
            name, phone = crypto.mask_name(name), crypto.mask_phone(phone)
        yield {
            "编号": s.code,
            "类型": kinds[s.kind],
            "来源": sources.get(s.source, ""),
            "登记日期": s.registered_at,
            "所属镇街代码": s.town.code,
            "提出人": name,
            "联系电话": phone,
            "提出代表": _export_deputies(s),
            "所属村社区代码": s.village.code if s.village else "",
            "所属网格编码": s.grid.code if s.grid else "",
            "类别": s.category.name if s.category else "",
            "标题": s.title,
            "内容": s.content,
            "主办单位": s.lead_unit.name if s.lead_unit else "",
            "协办单位": sorted(u.name for u in s.co_units.all()),
            "交办日期": s.assigned_at,
            "办理期限": s.original_deadline,
            "重点督办": s.key_supervision,
            "督办领导": s.supervisor.name if s.supervisor else "",
            "答复日期": reply.replied_at if reply else None,
            "答复类别": reply.reply_class if reply else "",
            "答复内容": reply.text if reply else "",
            "测评结果": results[evaluation.result] if evaluation else "",
            "测评日期": evaluation.evaluated_at if evaluation else None,
            "办结日期": s.closed_at,
            "备注": _remark(s),
        }


def _columns() -> Sequence[cells.ColumnSpec]:
    return (
        cells.text("编号", required=True, max_length=30, help="唯一，如 YJ2023-001"),
        cells.choice("类型", KINDS, required=True, help="群众意见 或 代表建议"),
        cells.choice("来源", SOURCES, help="、".join(SOURCES)),
        cells.date("登记日期", required=True),
        cells.region_code("所属镇街代码", required=True),
        cells.text("提出人", max_length=50, help="群众意见必填；空白表示匿名"),
        cells.text("联系电话", max_length=20),
        cells.list_of("提出代表", help="代表建议必填；多名代表用 ; 分隔，第一名为领衔代表"),
        cells.region_code("所属村社区代码"),
        cells.grid_code("所属网格编码"),
        cells.text("类别", max_length=50, help="如 城乡建设、交通出行、农业农村"),
        cells.text("标题", required=True, max_length=200),
        cells.text("内容"),
        cells.text("主办单位", max_length=100, help="本镇街的承办单位；填写交办日期时必填"),
        cells.list_of("协办单位", help="多个用 ; 分隔"),
        cells.date("交办日期"),
        cells.date("办理期限", help="填写交办日期时必填"),
        cells.yes_no("重点督办", help="是/否"),
        cells.text("督办领导", max_length=50, help="主席团成员姓名；重点督办为是时必填"),
        cells.date("答复日期"),
        cells.choice("答复类别", REPLY_CLASSES, help="A、B、C 或 D；填写答复日期时必填"),
        cells.text("答复内容"),
        cells.choice("测评结果", RESULTS, help="满意、基本满意 或 不满意"),
        cells.date("测评日期", help="填写测评结果时必填"),
        cells.date("办结日期", help="须先有答复日期"),
        cells.text("备注"),
    )


SUGGESTIONS = register(
    SheetSpec(
        name=SHEET,
        order=ORDER_SUGGESTIONS,
        personal_data=True,
        key=("编号",),
        columns=tuple(_columns()),
        resolve=_resolve,
        apply=_apply,
        bulk=BulkPath(existing=_existing, plan=_plan, write=_write),
        export=_export,
        example={
            "编号": "YJ2023-001",
            "类型": "代表建议",
            "来源": "会议期间",
            "登记日期": "2023-01-05",
            "所属镇街代码": "340302100000",
            "提出代表": "王五",
            "所属村社区代码": "340302100001",
            "所属网格编码": "340302100001001",
            "类别": "农业农村",
            "标题": "加强农田水利等基础设施施工质量监督",
            "内容": "建议对在建农田水利工程开展施工质量监督。",
            "主办单位": "镇经济发展中心",
            "交办日期": "2023-01-10",
            "办理期限": "2023-04-10",
            "重点督办": "否",
            "答复日期": "2023-03-20",
            "答复类别": "A",
            "答复内容": "已组织质量检查并完成整改。",
            "测评结果": "满意",
            "测评日期": "2023-03-28",
            "办结日期": "2023-03-31",
        },
        town_column="所属镇街代码",
        field_columns={
            "code": "编号",
            "kind": "类型",
            "source": "来源",
            "town": "所属镇街代码",
            "village": "所属村社区代码",
            "grid": "所属网格编码",
            "category": "类别",
            "title": "标题",
            "content": "内容",
            "submitter_name": "提出人",
            "submitter_phone": "联系电话",
            "anonymous": "提出人",
            "lead_deputy": "提出代表",
            "co_deputies": "提出代表",
            "lead_unit": "主办单位",
            "co_units": "协办单位",
            "deadline": "办理期限",
            "supervisor": "督办领导",
            "reply_class": "答复类别",
            "text": "答复内容",
            "result": "测评结果",
            "name": "类别",
        },
    )
)
