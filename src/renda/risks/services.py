"""The only writers of risks (信访隐患): one keyword-only, typed function per verb.

Each runs in one transaction and: locks the risk (``SELECT … FOR UPDATE``); checks the policy
(404/403); asks the workflow table for the next state (``IllegalTransition``); writes the
change, a ``RiskTransition`` row (the timeline) and an audit event with before/after snapshots
in which personal data is masked; notifies on commit.

``on`` is the business date of the step; it defaults to today and may be earlier (imports, demo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core import crypto, sequences
from renda.core.errors import InvalidInput, NotFound
from renda.core.privacy import PersonalData, record_reveal
from renda.core.services import (
    actor_label,
    actor_user,
    business_at,
    business_date,
    check_edges,
    check_version,
    clean_text,
    commit_transition,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
)
from renda.core.types import Actor
from renda.core.validators import is_id_number, is_phone
from renda.people.models import Deputy
from renda.places.models import GridWorker, Level, Region
from renda.places.services import check_places
from renda.risks import policy, workflow
from renda.risks.models import Level as RiskLevel
from renda.risks.models import Risk, RiskParticipant, RiskPerson, RiskStep, RiskTransition, Source
from renda.risks.workflow import Action, State

CODE_PREFIX = "YH"
#: Fields of a person that hold personal data, and their masks (audit snapshots never hold plain data).
PERSON_FIELDS = ("name", "id_number", "phone", "address")


@dataclass(frozen=True)
class PersonIn(PersonalData):
    """A person involved in the dispute, as typed (plain; stored encrypted)."""

    role: str = ""


# --- helpers ------------------------------------------------------------------------------


def _person_snap(p: RiskPerson) -> dict[str, str]:
    return p.masked() | {"role": p.role}


def _snap(risk: Risk) -> dict[str, Any]:
    """The audit snapshot of a risk, with its people masked and its participants named."""
    data = snapshot(risk)
    if risk.pk is not None:
        data["people"] = [_person_snap(p) for p in risk.people.order_by("position", "id")]
        data["participants"] = [
            {"person": x.person_label, "part": x.part}
            for x in risk.participants.select_related("deputy", "grid_worker").order_by("id")
        ]
    return data


def _open(*, actor: Actor, risk_id: int, action: Action, expected_state: str | None = None) -> Risk:
    """The risk, locked; the actor allowed; the caller's view of it still current."""
    risk = lock(Risk, risk_id)
    policy.require(actor, action, risk)
    check_version(risk, expected_state, message=_("该隐患已被他人处理，请刷新后重试"), of=attrgetter("state"))
    return risk


def _history(risk: Risk, *, action: Action, actor: Actor, on: dt.date, from_state: str, comment: str = ""
             ) -> RiskTransition:
    return record_transition(RiskTransition, risk=risk, action=action, from_state=from_state, to_state=risk.state,
                             actor=actor, on=on, comment=comment)


def _commit(risk: Risk, *, action: Action, actor: Actor, on: dt.date, from_state: str, before: dict[str, Any],
            comment: str = "") -> Risk:
    return commit_transition(risk, history=_history, snap=_snap, verb=f"risk.{action.value}", action=action,
                             actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def code_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"risk:{year}", f"{CODE_PREFIX}{year}-", Risk.objects.all())


def next_code(year: int) -> str:
    """The next free 编号 of ``year``: YH2023-001, YH2023-002 … (unique in the instance)."""
    return code_series(year).next()


def clean_person(p: PersonIn, index: int = 0) -> PersonIn:
    """A person's data checked: a name; a valid ID number (GB 11643) and phone when given."""
    field = f"people.{index}"
    name = clean_text(p.name, f"{field}.name")
    if not name:
        raise InvalidInput(_("请填写涉及人员姓名"), fields={f"{field}.name": _("必填")})
    if len(name) > 50:
        raise InvalidInput(_("姓名过长"), fields={f"{field}.name": _("过长")})
    id_number = crypto.normalize_id_number(p.id_number)
    if id_number and not is_id_number(id_number):
        raise InvalidInput(_("「{name}」的身份证号码不正确").format(name=crypto.mask_name(name)),
                           fields={f"{field}.id_number": _("身份证号码不正确")})
    phone = crypto.normalize_phone(p.phone)
    if phone and not is_phone(phone):
        raise InvalidInput(_("「{name}」的联系电话格式不正确").format(name=crypto.mask_name(name)),
                           fields={f"{field}.phone": _("格式不正确")})
    return PersonIn(name=name, id_number=id_number, phone=phone,
                    address=clean_text(p.address, f"{field}.address")[:200],
                    role=clean_text(p.role, f"{field}.role")[:50])


def _add_people(risk: Risk, people: Sequence[PersonIn], start: int = 0) -> list[RiskPerson]:
    rows = []
    for i, raw in enumerate(people):
        p = clean_person(raw, i)
        rows.append(RiskPerson(
            risk=risk, name=p.name, id_number=p.id_number, phone=p.phone, address=p.address, role=p.role,
            id_hash=crypto.id_lookup_hash(p.id_number), phone_hash=crypto.phone_lookup_hash(p.phone),
            position=start + i,
        ))
    return RiskPerson.objects.bulk_create(rows)


def _check_participant(risk: Risk, deputy: Deputy | None, grid_worker: GridWorker | None) -> None:
    if (deputy is None) == (grid_worker is None):
        raise InvalidInput(_("请选择一名代表或一名网格员"), fields={"deputy": _("代表与网格员须且只能选一项")})
    if deputy is not None and (not deputy.is_active or not _deputy_may_serve(deputy, risk)):
        raise InvalidInput(_("代表「{name}」不能参与本镇街的隐患化解").format(name=deputy.name),
                           fields={"deputy": _("不可用")})
    if grid_worker is not None and (not grid_worker.is_active or grid_worker.town_id != risk.town_id):
        raise InvalidInput(_("网格员「{name}」不属于本镇街或已停用").format(name=grid_worker.name),
                           fields={"grid_worker": _("不可用")})


def _deputy_may_serve(deputy: Deputy, risk: Risk) -> bool:
    """A town deputy of the risk's town, or a district deputy elected in that town."""
    return deputy.town_id == risk.town_id


def _notify_participants(risk_id: int, participant_ids: Sequence[int], text: str) -> None:
    from renda.accounts.models import User
    from renda.notifications.services import notify

    links = RiskParticipant.objects.filter(pk__in=participant_ids)
    deputy_ids = [x.deputy_id for x in links if x.deputy_id]
    worker_ids = [x.grid_worker_id for x in links if x.grid_worker_id]
    users = User.objects.filter(is_active=True).filter(
        models_q(deputy_ids, worker_ids)).order_by("pk")
    notify(users=users, verb="risk.assign", text=text, url=reverse("risks:detail", args=[risk_id]))


def models_q(deputy_ids: Sequence[int], worker_ids: Sequence[int]) -> Any:
    from django.db.models import Q

    return Q(deputy_id__in=list(deputy_ids) or [0]) | Q(grid_worker_id__in=list(worker_ids) or [0])


# --- register -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantIn:
    deputy: Deputy | None = None
    grid_worker: GridWorker | None = None
    part: str = ""


def _source_for(actor: Actor) -> str:
    role = getattr(actor, "role", None)
    if role == "grid_worker":
        return Source.GRID_WORKER
    if role == "deputy":
        return Source.DEPUTY
    return Source.OFFICE


@transaction.atomic
def risk_register(
    *,
    actor: Actor,
    town: Region,
    title: str,
    level: str = RiskLevel.MEDIUM,
    description: str = "",
    village: Region | None = None,
    grid: Region | None = None,
    people: Sequence[PersonIn] = (),
    participants: Sequence[ParticipantIn] = (),
    code: str | None = None,
    source: str | None = None,
    note: str = "",
    on: dt.date | None = None,
    comment: str = "",
) -> Risk:
    """登记: a new risk in state ``registered``; 编号 is generated when not given; the village
    follows from the grid."""
    on = business_date(on)
    if on > timezone.localdate():
        raise InvalidInput(_("登记日期不能晚于今天"), fields={"registered_on": _("不能晚于今天")})
    if level not in RiskLevel.values:
        raise InvalidInput(_("等级不正确"), fields={"level": _("应为高、中或低")})
    source = source or _source_for(actor)
    if source not in Source.values:
        raise InvalidInput(_("来源不正确"), fields={"source": _("不正确")})
    if village is None and grid is not None and grid.parent is not None and grid.parent.level == Level.VILLAGE:
        village = grid.parent
    risk = Risk(
        code=(code or "").strip(), town=town, village=village, grid=grid,
        title=required_text(title, "title", _("请填写标题")), description=(description or "").strip(), level=level,
        state=State.REGISTERED, registered_on=on, source=source, note=(note or "").strip(),
        reported_by=actor_user(actor),
    )
    check_edges(risk)
    policy.require(actor, Action.REGISTER, risk)
    check_places(town, village, grid)
    cleaned = [clean_person(p, i) for i, p in enumerate(people)]
    if code:
        code_series(on.year).note(code)
    insert_coded(risk, code=code, next_code=lambda: next_code(on.year))
    _add_people(risk, cleaned)
    added = []
    for x in participants:
        _check_participant(risk, x.deputy, x.grid_worker)
        added.append(RiskParticipant.objects.create(risk=risk, deputy=x.deputy, grid_worker=x.grid_worker,
                                                    part=(x.part or "").strip(), added_on=on))
    _history(risk, action=Action.REGISTER, actor=actor, on=on, from_state="", comment=comment)
    record(actor=actor, verb="risk.register", target=risk, before=None, after=_snap(risk), comment=comment)
    others = [x.pk for x in added if not _is_self(actor, x)]
    if others:
        text = _("请参与化解信访隐患「{title}」").format(title=risk.title)
        transaction.on_commit(partial(_notify_participants, risk.pk, others, text))
    return risk


def _is_self(actor: Actor, x: RiskParticipant) -> bool:
    return bool((x.deputy_id and getattr(actor, "deputy_id", None) == x.deputy_id)
                or (x.grid_worker_id and getattr(actor, "grid_worker_id", None) == x.grid_worker_id))


# --- state moves --------------------------------------------------------------------------


@transaction.atomic
def risk_start(*, actor: Actor, risk_id: int, on: dt.date | None = None, comment: str = "",
               expected_state: str | None = None) -> Risk:
    """开始化解: registered → resolving."""
    on = business_date(on)
    risk = _open(actor=actor, risk_id=risk_id, action=Action.START, expected_state=expected_state)
    before, from_state = _snap(risk), risk.state
    risk.state = workflow.next_state(risk.state, Action.START)
    workflow.check_step_date(on=on, registered_on=risk.registered_on, today=timezone.localdate())
    return _commit(risk, action=Action.START, actor=actor, on=on, from_state=from_state, before=before,
                   comment=(comment or "").strip())


@transaction.atomic
def risk_resolve(*, actor: Actor, risk_id: int, resolved_on: dt.date | None, comment: str = "",
                 deputies_role: str | None = None, expected_state: str | None = None) -> Risk:
    """化解: registered or resolving → resolved, on a date not before registration nor in the future."""
    risk = _open(actor=actor, risk_id=risk_id, action=Action.RESOLVE, expected_state=expected_state)
    before, from_state = _snap(risk), risk.state
    risk.state = workflow.next_state(risk.state, Action.RESOLVE)
    on = workflow.check_resolved_on(on=resolved_on, registered_on=risk.registered_on, today=timezone.localdate())
    risk.resolved_on = on
    if deputies_role is not None:
        risk.deputies_role = deputies_role.strip()
    return _commit(risk, action=Action.RESOLVE, actor=actor, on=on, from_state=from_state, before=before,
                   comment=(comment or "").strip())


@transaction.atomic
def risk_escalate(*, actor: Actor, risk_id: int, to: str, reason: str, on: dt.date | None = None,
                  expected_state: str | None = None) -> Risk:
    """上报 (e.g. 镇党委, 区信访局) with a reason: the risk stays open."""
    on = business_date(on)
    risk = _open(actor=actor, risk_id=risk_id, action=Action.ESCALATE, expected_state=expected_state)
    before, from_state = _snap(risk), risk.state
    risk.state = workflow.next_state(risk.state, Action.ESCALATE)
    to = workflow.check_reason(to, field="to")
    reason = workflow.check_reason(reason)
    workflow.check_step_date(on=on, registered_on=risk.registered_on, today=timezone.localdate())
    risk.escalated_to = to[:100]
    comment = _("上报{to}：{reason}").format(to=risk.escalated_to, reason=reason)
    return _commit(risk, action=Action.ESCALATE, actor=actor, on=on, from_state=from_state, before=before,
                   comment=comment)


@transaction.atomic
def risk_reopen(*, actor: Actor, risk_id: int, reason: str, on: dt.date | None = None,
                expected_state: str | None = None) -> Risk:
    """重新化解: escalated → resolving (handed back to the town)."""
    on = business_date(on)
    risk = _open(actor=actor, risk_id=risk_id, action=Action.REOPEN, expected_state=expected_state)
    before, from_state = _snap(risk), risk.state
    risk.state = workflow.next_state(risk.state, Action.REOPEN)
    reason = workflow.check_reason(reason)
    workflow.check_step_date(on=on, registered_on=risk.registered_on, today=timezone.localdate())
    return _commit(risk, action=Action.REOPEN, actor=actor, on=on, from_state=from_state, before=before,
                   comment=reason)


# --- steps and participants ---------------------------------------------------------------


@transaction.atomic
def risk_log_step(*, actor: Actor, risk_id: int, text: str, on: dt.date | None = None) -> RiskStep:
    """记录化解过程: a dated step (走访, 调解, 协调 …) by the office or a participant."""
    on = business_date(on)
    risk = _open(actor=actor, risk_id=risk_id, action=Action.LOG_STEP)
    workflow.next_state(risk.state, Action.LOG_STEP)
    text = required_text(text, "text", _("请填写化解过程"))
    workflow.check_step_date(on=on, registered_on=risk.registered_on, today=timezone.localdate())
    step = RiskStep(risk=risk, on=on, actor=actor_user(actor),
                    actor_label=actor_label(actor), text=text, at=business_at(on))
    full_clean(step)
    step.save()
    record(actor=actor, verb="risk.log_step", target=risk, after={"on": on.isoformat(), "text": text})
    return step


@transaction.atomic
def risk_assign(*, actor: Actor, risk_id: int, deputy: Deputy | None = None, grid_worker: GridWorker | None = None,
                part: str = "", on: dt.date | None = None) -> RiskParticipant:
    """安排参与人员: a deputy or grid worker joins the work on the risk (with their part, if known)."""
    on = business_date(on)
    risk = _open(actor=actor, risk_id=risk_id, action=Action.ASSIGN)
    workflow.next_state(risk.state, Action.ASSIGN)
    _check_participant(risk, deputy, grid_worker)
    existing = RiskParticipant.objects.filter(risk=risk, deputy=deputy) if deputy is not None else \
        RiskParticipant.objects.filter(risk=risk, grid_worker=grid_worker)
    if existing.exists():
        who = deputy.name if deputy is not None else grid_worker.name if grid_worker is not None else ""
        raise InvalidInput(_("「{name}」已在参与人员中").format(name=who), fields={"deputy": _("已参与")})
    before = _snap(risk)
    x = RiskParticipant(risk=risk, deputy=deputy, grid_worker=grid_worker, part=(part or "").strip(), added_on=on)
    full_clean(x)
    x.save()
    _history(risk, action=Action.ASSIGN, actor=actor, on=on, from_state=risk.state, comment=x.person_label)
    record(actor=actor, verb="risk.assign", target=risk, before=before, after=_snap(risk), comment=x.person_label)
    if not _is_self(actor, x):
        text = _("请参与化解信访隐患「{title}」").format(title=risk.title)
        transaction.on_commit(partial(_notify_participants, risk.pk, [x.pk], text))
    return x


@transaction.atomic
def risk_unassign(*, actor: Actor, participant_id: int) -> Risk:
    """移除参与人员."""
    x = RiskParticipant.objects.select_related("deputy", "grid_worker").filter(pk=participant_id).first()
    if x is None:
        raise NotFound()
    risk = _open(actor=actor, risk_id=x.risk_id, action=Action.UNASSIGN)
    workflow.next_state(risk.state, Action.UNASSIGN)
    before = _snap(risk)
    label = x.person_label
    x.delete()
    on = timezone.localdate()
    _history(risk, action=Action.UNASSIGN, actor=actor, on=on, from_state=risk.state, comment=label)
    record(actor=actor, verb="risk.unassign", target=risk, before=before, after=_snap(risk), comment=label)
    return risk


@transaction.atomic
def risk_set_part(*, actor: Actor, participant_id: int, part: str) -> tuple[RiskParticipant, bool]:
    """参与情况: what a deputy (or grid worker) did — written by the office or by themselves;
    also after the risk is resolved (the record of each deputy's part)."""
    x = RiskParticipant.objects.select_related("risk", "deputy", "grid_worker").filter(pk=participant_id).first()
    if x is None:
        raise NotFound()
    risk = lock(Risk, x.risk_id)
    x.risk = risk
    if not policy.can_view(actor, risk):
        raise NotFound()
    policy.require(actor, "edit_part", x)
    part = (part or "").strip()
    if part == x.part:
        return x, False
    before = {"person": x.person_label, "part": x.part}
    x.part = part
    full_clean(x)
    x.save()
    record(actor=actor, verb="risk.part", target=risk, before=before, after={"person": x.person_label, "part": part})
    return x, True


# --- personal data ----------------------------------------------------------------------------


@transaction.atomic
def risk_reveal(*, actor: Actor, risk_id: int, reason: str) -> list[RiskPerson]:
    """查看个人信息: the people in clear, for the office and presidium of the risk's town, with a
    reason; one audit event (``personal_data.reveal``) names the fields shown."""
    risk = Risk.objects.filter(pk=risk_id).first()
    if risk is None:
        raise NotFound()
    policy.require(actor, Action.REVEAL, risk)
    workflow.next_state(risk.state, Action.REVEAL)
    people = list(risk.people.order_by("position", "id"))
    record_reveal(actor=actor, target=risk, fields=[f"people.{f}" for f in PERSON_FIELDS], reason=reason)
    return people
