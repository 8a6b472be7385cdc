"""The ledger sheet 议案 (see docs/ledger.md), keyed by 编号.

A row names its session by the town and the 届次/会次 (one not registered yet is registered on
its 开幕日期, as a one-day session), the motion's text, how it was submitted
(主席团 / 代表联名, the lead deputy and the signers by name), its state and the facts of each step
(提交时间, the presidium's decision with its date and reason, the resolution, the follow-up units,
the follow-up and the date it was finished). A new row is created and walked through the workflow
by the same services as the pages (signers counted against the town's N, the session's time
limit, the decision's reason…); an existing one is left alone when nothing differs, moved forward
when the row's state is further along, and its text updated while it is a draft. Imported after
the suggestions sheet (a motion treated as a suggestion registers one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.congress import services as congress_services
from renda.congress.models import Session
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_MOTIONS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    register,
)
from renda.motions import services
from renda.motions.models import Decision, Motion, SubmittedBy
from renda.motions.workflow import STATE_LABELS, State
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region
from renda.units.models import Unit

SHEET = "议案"
TIME_FORMAT = "%Y-%m-%d %H:%M"

BY = {str(label): value for value, label in SubmittedBy.choices}
_BY_TEXT = {v: k for k, v in BY.items()}
STATES = {str(STATE_LABELS[s]): s.value for s in State}
_STATE_TEXT = {v: k for k, v in STATES.items()}
DECISIONS = {str(label): value for value, label in Decision.choices}
_DECISION_TEXT = {v: k for k, v in DECISIONS.items()}

#: How far along the workflow each state is (a row moves a motion forward only).
_PATH = {
    State.DRAFT: 0, State.SUBMITTED: 1, State.ON_AGENDA: 2, State.NOT_ON_AGENDA: 2, State.AS_SUGGESTION: 2,
    State.ADOPTED: 3, State.NOT_ADOPTED: 3, State.FINISHED: 4, State.WITHDRAWN: 9,
}


def _int(value: Any, column: str) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        raise RowError(column, _("应为正整数")) from None
    if n < 1 or n > 100:
        raise RowError(column, _("应为 1 至 100 的整数"))
    return n


def _time(value: Any, column: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    try:
        return timezone.make_aware(dt.datetime.strptime(str(value).strip(), TIME_FORMAT))
    except ValueError:
        raise RowError(column, _("时间格式应为 YYYY-MM-DD HH:MM")) from None


def _deputy(town: Region, name: str, column: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name)[:2])
    if len(found) != 1:
        raise RowError(column, _("{town}没有（或有多名）名为「{name}」的代表").format(town=town.name, name=name))
    return found[0]


def _unit(town: Region, name: str) -> Unit:
    found = Unit.objects.filter(town=town, name=name).first()
    if found is None:
        raise RowError("落实单位", _("{town}没有单位「{name}」").format(town=town.name, name=name))
    return found


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    term, number = _int(row["届次"], "届次"), _int(row["会次"], "会次")
    session = Session.objects.filter(town=town, term=term, number=number).first()
    opens_on = row.get("开幕日期")
    if session is None and not opens_on:
        raise RowError("会次", _("{town}没有第{term}届第{number}次人代会（填写开幕日期可一并登记）").format(
            town=town.name, term=term, number=number))
    if session is not None and opens_on and opens_on != session.starts_on:
        raise RowError("开幕日期", _("第{term}届第{number}次人代会的开幕日期是 {d}").format(
            term=term, number=number, d=session.starts_on.isoformat()))
    lead = _deputy(town, row["领衔代表"], "领衔代表") if row.get("领衔代表") else None
    signers = [_deputy(town, n, "联名代表") for n in row.get("联名代表") or []]
    state = State(row.get("状态") or State.DRAFT)
    decision = row.get("主席团决定") or ""
    if state not in {State.DRAFT, State.SUBMITTED, State.WITHDRAWN} and not decision:
        raise RowError("主席团决定", _("状态为「{s}」的议案须填写主席团决定").format(s=STATE_LABELS[state]))
    code: str = row["编号"]
    return Resolved(key=(code,), town_code=town.code, label=code, values={
        "code": code, "session": session, "new_session": (town, term, number, opens_on), "title": row["案由"],
        "reasons": row.get("理由和依据") or "",
        "proposal": row.get("办法和措施") or "", "by": row.get("提出方式") or SubmittedBy.DEPUTIES, "lead": lead,
        "signers": signers, "state": state, "submitted_at": _time(row.get("提交时间"), "提交时间"),
        "decision": decision, "decided_on": row.get("决定日期"), "reason": row.get("决定理由") or "",
        "resolution": row.get("决议") or "", "resolution_on": row.get("决议日期"),
        "units": [_unit(town, n) for n in row.get("落实单位") or []], "follow_up": row.get("落实情况") or "",
        "finished_on": row.get("落实完毕日期")})


def _advance(ctx: ImportContext, m: Motion, v: dict[str, Any]) -> None:
    """Walk ``m`` forward to the row's state through the services, step by step."""
    actor, target = ctx.actor, State(v["state"])
    if target == State.WITHDRAWN:
        services.motion_withdraw(actor=actor, motion_id=m.pk, on=v["decided_on"])
        return
    if m.state == State.DRAFT and _PATH[target] >= 1:
        m = services.motion_submit(actor=actor, motion_id=m.pk, at=v["submitted_at"])
    if m.state == State.SUBMITTED and _PATH[target] >= 2:
        kw = {"actor": actor, "motion_id": m.pk, "on": v["decided_on"], "reason": v["reason"]}
        if v["decision"] == Decision.NOT_ON_AGENDA:
            m = services.motion_reject(**kw)
        elif v["decision"] == Decision.AS_SUGGESTION:
            m = services.motion_to_suggestion(**kw)
        else:
            m = services.motion_put_on_agenda(**kw)
    if m.state == State.ON_AGENDA and _PATH[target] >= 3:
        if target == State.NOT_ADOPTED:
            m = services.motion_not_adopt(actor=actor, motion_id=m.pk, on=v["resolution_on"])
        else:
            m = services.motion_adopt(actor=actor, motion_id=m.pk, resolution=v["resolution"], on=v["resolution_on"],
                                      units=v["units"])
    if m.state == State.ADOPTED and target == State.FINISHED:
        services.motion_finish(actor=actor, motion_id=m.pk, summary=v["follow_up"], on=v["finished_on"])


def _session(ctx: ImportContext, v: dict[str, Any]) -> Session:
    """The row's session; one not registered yet is registered (a one-day session on 开幕日期)."""
    if v["session"] is not None:
        return v["session"]
    town, term, number, opens_on = v["new_session"]
    found = Session.objects.filter(town=town, term=term, number=number).first()
    return found or congress_services.session_create(actor=ctx.actor, town=town, term=term, number=number,
                                                     starts_on=opens_on, ends_on=opens_on)


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    v["session"] = _session(ctx, v)
    m = Motion.objects.filter(code=v["code"]).first()
    if m is None:
        first = v["submitted_at"] or timezone.now()
        m = services.motion_create(actor=ctx.actor, session=v["session"], title=v["title"], reasons=v["reasons"],
                                   proposal=v["proposal"], submitted_by=v["by"], lead_deputy=v["lead"], code=v["code"],
                                   at=first)
        for d in v["signers"]:
            if d.pk != m.lead_deputy_id:
                services.motion_sign(actor=ctx.actor, motion_id=m.pk, deputy=d, at=first)
        _advance(ctx, m, v)
        return Outcome(Action.CREATED, r.label)
    if m.session_id != v["session"].pk or m.town_id != v["session"].town_id:
        raise RowError("编号", _("编号「{code}」已用于另一次会议的议案").format(code=m.code))
    text = {"title": v["title"], "reasons": v["reasons"], "proposal": v["proposal"]}
    text_changed = any(getattr(m, k) != val for k, val in text.items())
    target = State(v["state"])
    if _PATH[target] < _PATH[State(m.state)] or (target != m.state and _PATH[target] == _PATH[State(m.state)]):
        raise RowError("状态", _("议案「{code}」已是「{s}」，台账不能改回或改为「{t}」").format(
            code=m.code, s=m.get_state_display(), t=STATE_LABELS[target]))
    if text_changed:
        if m.state != State.DRAFT:
            raise RowError("案由", _("议案「{code}」已提交，不能再修改案由、理由和办法").format(code=m.code))
        services.motion_update(actor=ctx.actor, motion_id=m.pk, **text)
    if target == m.state:
        if text_changed:
            return Outcome(Action.UPDATED, r.label, _("案由、理由和办法"))
        return Outcome(Action.UNCHANGED, r.label)
    _advance(ctx, m, v)
    return Outcome(Action.UPDATED, r.label, _("状态"))


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = Motion.objects.select_related("town", "session", "lead_deputy", "suggestion").prefetch_related(
        "follow_units", "signatures__deputy")
    if town is not None:
        qs = qs.filter(town=town)
    for m in sorted(qs, key=lambda m: (m.town.code, m.code)):
        yield {
            "编号": m.code, "所属镇街代码": m.town.code, "届次": str(m.session.term), "会次": str(m.session.number),
            "开幕日期": m.session.starts_on,
            "案由": m.title, "理由和依据": m.reasons, "办法和措施": m.proposal,
            "提出方式": _BY_TEXT[m.submitted_by], "领衔代表": m.lead_deputy.name if m.lead_deputy else "",
            "联名代表": [s.deputy.name for s in sorted(m.signatures.all(), key=lambda s: (s.signed_at, s.pk))],
            "状态": _STATE_TEXT[m.state],
            "提交时间": timezone.localtime(m.submitted_at).strftime(TIME_FORMAT) if m.submitted_at else "",
            "主席团决定": _DECISION_TEXT.get(m.decision, ""), "决定日期": m.decided_on, "决定理由": m.decision_reason,
            "决议": m.resolution, "决议日期": m.resolution_on,
            "落实单位": sorted(u.name for u in m.follow_units.all()), "落实情况": m.follow_up,
            "落实完毕日期": m.finished_on, "转为代表建议编号": m.suggestion.code if m.suggestion else "",
        }


MOTIONS = register(SheetSpec(
    name=SHEET, order=ORDER_MOTIONS, key=("编号",),
    columns=(
        cells.text("编号", required=True, max_length=30, help="如 YA2023-001"),
        cells.region_code("所属镇街代码", required=True),
        cells.text("届次", required=True, max_length=3, help="人代会的届次，如 18"),
        cells.text("会次", required=True, max_length=3, help="人代会的会次，如 3（第三次会议）"),
        cells.date("开幕日期", help="人代会的开幕日期；该次会议尚未登记时必填（一并登记）"),
        cells.text("案由", required=True, max_length=200),
        cells.text("理由和依据", max_length=10000),
        cells.text("办法和措施", max_length=10000),
        cells.choice("提出方式", BY, required=True, help="主席团 或 代表联名"),
        cells.text("领衔代表", max_length=50, help="代表联名时必填，本镇街代表的姓名"),
        cells.list_of("联名代表", help="联名代表（含领衔代表）的姓名，用 ; 分隔；人数不少于本镇街规定"),
        cells.choice("状态", STATES, required=True, help="、".join(STATES)),
        cells.text("提交时间", max_length=16, help="YYYY-MM-DD HH:MM，不晚于本次会议的议案截止时间"),
        cells.choice("主席团决定", DECISIONS, help="、".join(DECISIONS)),
        cells.date("决定日期"),
        cells.text("决定理由", max_length=10000, help="不列入会议议程时必填"),
        cells.text("决议", max_length=10000, help="已通过的议案必填"),
        cells.date("决议日期"),
        cells.list_of("落实单位", help="本镇街承办单位的名称，用 ; 分隔"),
        cells.text("落实情况", max_length=10000, help="已落实的议案必填"),
        cells.date("落实完毕日期"),
        cells.text("转为代表建议编号", max_length=30, help="导出时填写；导入时忽略（作为代表建议处理时自动登记）"),
    ),
    resolve=_resolve, apply=_apply, export=_export,
    example={"编号": "YA2023-001", "所属镇街代码": "340302100000", "届次": "18", "会次": "3",
             "开幕日期": "2023-01-12", "案由": "关于加快农村饮水安全巩固提升的议案",
             "理由和依据": "部分村组供水管网老化、水压不足", "办法和措施": "改造管网，新建加压泵站",
             "提出方式": "主席团", "领衔代表": "", "联名代表": "", "状态": "已落实", "提交时间": "2023-01-12 14:20",
             "主席团决定": "列入会议议程", "决定日期": "2023-01-12", "决定理由": "",
             "决议": "大会通过关于农村饮水安全巩固提升的决议", "决议日期": "2023-01-13",
             "落实单位": "镇经济发展中心", "落实情况": "新建加压泵站2座，改造管网12.6公里",
             "落实完毕日期": "2023-06-20", "转为代表建议编号": ""},
    town_column="所属镇街代码",
    field_columns={"title": "案由", "reasons": "理由和依据", "proposal": "办法和措施", "lead_deputy": "领衔代表",
                   "deputy": "联名代表", "signers": "联名代表", "at": "提交时间", "reason": "决定理由",
                   "resolution": "决议", "units": "落实单位", "summary": "落实情况", "code": "编号",
                   "submitted_by": "提出方式"},
))
