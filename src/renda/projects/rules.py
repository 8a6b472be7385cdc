"""The arithmetic of livelihood projects, pure (no database): money as Decimal yuan, progress from
the stages, the warnings of a project at a date, the satisfaction grade from the votes, the 差额
rule of a candidate list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput

CENT = Decimal("0.01")
MONEY_MAX = Decimal("999999999999.99")  # 14 digits, 2 places
#: Days given to the lead unit for the rectification report of a dissatisfied project.
RECTIFY_DAYS = 90


def money(value: Any, field: str, label: str = "") -> Decimal | None:
    """A sum in yuan as Decimal with two places, or None when blank. A float is refused: it
    cannot hold 0.1 exactly, so money never passes through one."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    if isinstance(value, bool):
        raise InvalidInput(_("金额不正确"), fields={field: _("不正确")})
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        msg = _("{label}不是有效的金额").format(label=label or _("金额"))
        raise InvalidInput(msg, fields={field: msg}) from None
    if not d.is_finite():
        msg = _("{label}不是有效的金额").format(label=label or _("金额"))
        raise InvalidInput(msg, fields={field: msg})
    if d < 0:
        msg = _("{label}不能为负数").format(label=label or _("金额"))
        raise InvalidInput(msg, fields={field: msg})
    d = d.quantize(CENT, rounding=ROUND_HALF_UP)
    if d > MONEY_MAX:
        msg = _("{label}过大").format(label=label or _("金额"))
        raise InvalidInput(msg, fields={field: msg})
    return d


def total(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of sums in yuan, with two places (blanks count as nothing)."""
    return sum((v for v in values if v is not None), Decimal("0.00")).quantize(CENT)


def yuan(value: Decimal | None) -> str:
    """A sum as the pages show it: 1,234,567.89 元 (blank when unknown)."""
    if value is None:
        return ""
    return f"{value:,.2f}"


# --- progress ---------------------------------------------------------------------------------


class StageLike(Protocol):
    stage: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None


def stage_progress(stages: Iterable[StageLike], weights: Mapping[str, int]) -> int:
    """Percent done: each finished stage counts its whole weight, a started one half of it."""
    done = Decimal(0)
    for s in stages:
        w = Decimal(weights.get(s.stage, 0))
        if s.actual_end is not None:
            done += w
        elif s.actual_start is not None:
            done += w / 2
    return int(min(done, Decimal(100)).to_integral_value(rounding=ROUND_HALF_UP))


def current_stage(stages: Iterable[StageLike], order: list[str]) -> str:
    """The stage the works are in: the first one (in order) not finished; ``done`` when all are."""
    by = {s.stage: s for s in stages}
    started = [code for code in order if code in by and by[code].actual_start is not None]
    for code in order:
        s = by.get(code)
        if s is None or s.actual_end is None:
            # A later stage already started wins over an earlier one never recorded.
            later = [c for c in started if order.index(c) > order.index(code) and by[c].actual_end is None]
            return later[0] if later and (s is None or s.actual_start is None) else code
    return "done"


# --- warnings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    kind: str  # "stage_overdue" | "bid_over_ceiling" | "paid_over_contract" | "rectify_overdue"
    text: str


def warnings_for(*, stages: Iterable[StageLike], stage_labels: Mapping[str, str], tender_ceiling: Decimal | None,
                 bid_price: Decimal | None, contract_price: Decimal | None, paid: Decimal | None, today: dt.date,
                 rectify_deadline: dt.date | None = None, rectifying: bool = False) -> list[Warning]:
    """A project's warnings at ``today``: a stage past its planned end and not done (the day after
    it, not on it), a bid above the tender ceiling, more paid than the contract price, a
    rectification report past its deadline."""
    out = []
    for s in stages:
        if s.planned_end is not None and s.actual_end is None and s.planned_end < today:
            days = (today - s.planned_end).days
            out.append(Warning("stage_overdue", _("「{stage}」计划于 {d} 完成，已逾期 {n} 天").format(
                stage=stage_labels.get(s.stage, s.stage), d=s.planned_end.isoformat(), n=days)))
    if tender_ceiling is not None and bid_price is not None and bid_price > tender_ceiling:
        out.append(Warning("bid_over_ceiling", _("中标价 {bid} 元高于招标控制价 {ceiling} 元").format(
            bid=yuan(bid_price), ceiling=yuan(tender_ceiling))))
    if contract_price is not None and paid is not None and paid > contract_price:
        out.append(Warning("paid_over_contract", _("已支付 {paid} 元超过合同价 {contract} 元").format(
            paid=yuan(paid), contract=yuan(contract_price))))
    if rectifying and rectify_deadline is not None and rectify_deadline < today:
        out.append(Warning("rectify_overdue",
                           _("整改报告应于 {d} 前提交，已逾期").format(d=rectify_deadline.isoformat())))
    return out


# --- the vote's rules ----------------------------------------------------------------------------


def check_surplus(*, n: int, seats: int, min_surplus: int) -> None:
    """差额: the list holds at least ``seats + min_surplus`` candidates, else it is refused."""
    need = seats + min_surplus
    if n < need:
        raise InvalidInput(
            _("候选项目须多于票决项目数（差额票决）：拟票决 {seats} 个项目、差额不少于 {surplus} 个，"
              "名单应不少于 {need} 个候选项目，现有 {n} 个").format(seats=seats, surplus=min_surplus, need=need, n=n),
            fields={"candidates": _("候选项目不足")})


def grade_for(*, satisfied: int, basically_satisfied: int, valid: int) -> str:
    """满意 when 满意 votes are more than half of the valid ballots; 基本满意 when 满意 + 基本满意 are;
    otherwise 不满意."""
    if satisfied * 2 > valid:
        return "satisfied"
    if (satisfied + basically_satisfied) * 2 > valid:
        return "basically_satisfied"
    return "dissatisfied"
