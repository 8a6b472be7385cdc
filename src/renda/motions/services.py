"""The only writers of motions (议案): one keyword-only, typed function per verb.

Each runs in one transaction: locks the motion, checks the policy (404/403) and the workflow
table, applies the rules below, validates (``full_clean``: the edge rule on every text), writes the
change, the timeline row and the audit event.

The rules (issue #20; docs/motions.md):

- a joint motion (代表联名) is signed by at least the town's N deputies (``MotionSettings``,
  default 5, the lead deputy included) — a deputy signs once (the database's unique constraint;
  the service says so in words first) and must be a town deputy serving on the day they sign;
- a motion is submitted no later than the session's time limit (``SessionLimit``; without one,
  the end of the session's first day), and not after the session ended;
- the presidium's decision: put on the agenda (an agenda item of the session, through
  ``congress.services.agenda_add``), not (a reason is required), or treat it as a deputy
  suggestion (registered through ``suggestions.services.suggestion_register``: lead deputy = the
  motion's lead, co-deputies = the other signers, source 会议期间; linked both ways);
- an adopted motion records the resolution (text and date) and its follow-up (units, progress
  notes, the date it was finished). Dates run forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.congress import selectors as congress_selectors
from renda.congress import services as congress_services
from renda.congress.models import Session
from renda.core import sequences
from renda.core.errors import Conflict, InvalidInput
from renda.core.roles import Role as UserRole
from renda.core.services import (
    actor_user,
    business_date,
    check_version,
    clean_text,
    commit_transition,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
    update_audited,
)
from renda.core.types import Actor
from renda.core.workflow import check_not_before
from renda.motions import policy, selectors, workflow
from renda.motions.models import (
    Decision,
    Motion,
    MotionSettings,
    MotionSignature,
    MotionTransition,
    SessionLimit,
    SubmittedBy,
)
from renda.motions.workflow import Action, State
from renda.people.models import Deputy
from renda.places.models import Region
from renda.suggestions import services as suggestion_services
from renda.units.models import Unit

CODE_PREFIX = "YA"


def code_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"motion:{year}", f"{CODE_PREFIX}{year}-", Motion.objects.all())


def _snap(m: Motion) -> dict[str, Any]:
    data = snapshot(m)
    data["signers"] = [str(s.deputy) for s in m.signatures.select_related("deputy")] if m.pk else []
    return data


def _history(m: Motion, *, action: Action, actor: Actor, on: dt.date, from_state: str, comment: str = ""
             ) -> MotionTransition:
    return record_transition(MotionTransition, motion=m, action=action, from_state=from_state, to_state=m.state,
                             actor=actor, on=on, comment=comment)


def _open(*, actor: Actor, motion_id: int, action: Action, expected_state: str | None) -> Motion:
    m = lock(Motion, motion_id)
    policy.require(actor, action, m)
    check_version(m, expected_state, message=_("该议案已被他人处理，请刷新后重试"), of=attrgetter("state"))
    workflow.next_state(m.state, action)  # IllegalTransition in words before any other rule
    return m


def _last_on(m: Motion) -> dt.date | None:
    return m.transitions.order_by("-on", "-id").values_list("on", flat=True).first()


def _step(m: Motion, *, actor: Actor, action: Action, on: dt.date, comment: str = "",
          changes: dict[str, Any] | None = None) -> Motion:
    check_not_before(on=on, earlier=_last_on(m), what=_("上一步"))
    before, from_state = _snap(m), m.state
    m.state = workflow.next_state(m.state, action)
    for k, v in (changes or {}).items():
        setattr(m, k, v)
    return commit_transition(m, history=_history, snap=_snap, verb=f"motion.{action.value}", action=action,
                             actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def _date(on: dt.date | None) -> dt.date:
    return business_date(on, not_after_today=True)


def _moment(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now:
        raise InvalidInput(_("时间不能晚于现在"), fields={"at": _("不能晚于现在")})
    return at


# --- the town's rule and the sessions' time limits ----------------------------------------------


@transaction.atomic
def settings_set(*, actor: Actor, town: Region, min_signers: int) -> MotionSettings:
    """代表联名最少人数 of the town (the lead deputy included)."""
    current = MotionSettings.objects.select_for_update().filter(town=town).first()
    obj = current or MotionSettings(town=town)
    policy.require(actor, "settings", obj)
    if min_signers is None or not 2 <= min_signers <= 100:
        raise InvalidInput(_("代表联名最少人数应在 2 至 100 之间"), fields={"min_signers": _("应在 2 至 100 之间")})
    if current is None:
        obj.min_signers = min_signers
        full_clean(obj)
        obj.save()
        record(actor=actor, verb="motion.settings", target=obj, before=None, after=snapshot(obj))
        return obj
    obj, _changed = update_audited(obj, actor=actor, verb="motion.settings", changes={"min_signers": min_signers})
    return obj


@transaction.atomic
def limit_set(*, actor: Actor, session: Session, deadline: dt.datetime) -> SessionLimit:
    """议案截止时间 of a session: from the session's first day, at the latest at its close."""
    current = SessionLimit.objects.select_for_update().filter(session=session).first()
    obj = current or SessionLimit(session=session)
    policy.require(actor, "settings", obj)
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    day = timezone.localtime(deadline).date()
    if not session.starts_on <= day <= session.ends_on:
        raise InvalidInput(
            _("截止时间应在会议期间（{a} 至 {b}）").format(a=session.starts_on.isoformat(),
                                                     b=session.ends_on.isoformat()),
            fields={"deadline": _("不在会议期间")})
    if current is None:
        obj.deadline = deadline
        full_clean(obj)
        obj.save()
        record(actor=actor, verb="motion.limit", target=obj, before=None, after=snapshot(obj))
        return obj
    obj, _changed = update_audited(obj, actor=actor, verb="motion.limit", changes={"deadline": deadline})
    return obj


# --- drafting and signing -----------------------------------------------------------------------


def _serving(town_id: int, deputy: Deputy, on: dt.date) -> bool:
    return congress_selectors.town_deputies(town_id, on).filter(pk=deputy.pk).exists()


def _check_serving(m: Motion, deputy: Deputy, on: dt.date, field: str = "deputy") -> None:
    if deputy.town_id != m.town_id or not _serving(m.town_id, deputy, on):
        raise InvalidInput(_("「{name}」不是{town}在 {on} 任职的镇人大代表").format(
            name=deputy.name, town=m.town.name, on=on.isoformat()), fields={field: _("不是任职的代表")})


def _add_signature(m: Motion, deputy: Deputy, at: dt.datetime) -> MotionSignature:
    if m.signatures.filter(deputy=deputy).exists():
        raise Conflict(_("「{name}」已在该议案上联名，同一代表只能联名一次").format(name=deputy.name),
                       fields={"deputy": _("已联名")})
    try:
        with transaction.atomic():
            return MotionSignature.objects.create(motion=m, deputy=deputy, signed_at=at)
    except IntegrityError:  # a concurrent signature by the same deputy
        raise Conflict(_("「{name}」已在该议案上联名，同一代表只能联名一次").format(name=deputy.name),
                       fields={"deputy": _("已联名")}) from None


@transaction.atomic
def motion_create(
    *, actor: Actor, session: Session, title: str, reasons: str = "", proposal: str = "",
    submitted_by: str = SubmittedBy.DEPUTIES, lead_deputy: Deputy | None = None, code: str | None = None,
    at: dt.datetime | None = None,
) -> Motion:
    """起草: a draft motion for ``session``; a joint one is signed by its lead deputy at once."""
    at = _moment(at)
    if submitted_by not in SubmittedBy.values:
        raise InvalidInput(_("提出方式不正确"), fields={"submitted_by": _("不正确")})
    if submitted_by == SubmittedBy.DEPUTIES and lead_deputy is None:
        raise InvalidInput(_("代表联名提出的议案须有领衔代表"), fields={"lead_deputy": _("必填")})
    m = Motion(
        code=(code or "").strip(), town_id=session.town_id, session=session, submitted_by=submitted_by,
        title=required_text(title, "title", _("请填写案由"), max_length=200),
        reasons=clean_text(reasons, "reasons"), proposal=clean_text(proposal, "proposal"),
        lead_deputy=lead_deputy, state=State.DRAFT, created_by=actor_user(actor))
    policy.require(actor, Action.CREATE, m)
    if lead_deputy is not None:
        _check_serving(m, lead_deputy, timezone.localtime(at).date(), "lead_deputy")
    full_clean(m, exclude=["code"])
    if code:
        code_series(session.starts_on.year).note(m.code)
    insert_coded(m, code=code, next_code=lambda: code_series(session.starts_on.year).next(),
                 taken=lambda taken: Conflict(_("编号「{code}」已被使用").format(code=taken),
                                              fields={"code": _("已被使用")}))
    if lead_deputy is not None and submitted_by == SubmittedBy.DEPUTIES:
        _add_signature(m, lead_deputy, at)
    on = timezone.localtime(at).date()
    _history(m, action=Action.CREATE, actor=actor, on=on, from_state="")
    record(actor=actor, verb="motion.create", target=m, before=None, after=_snap(m))
    return m


@transaction.atomic
def motion_update(*, actor: Actor, motion_id: int, title: str, reasons: str = "", proposal: str = "",
                  expected_state: str | None = None) -> tuple[Motion, bool]:
    """修改 a draft: its 案由, reasons and proposed solution."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.EDIT, expected_state=expected_state)
    return update_audited(m, actor=actor, verb="motion.edit", changes={
        "title": required_text(title, "title", _("请填写案由"), max_length=200),
        "reasons": clean_text(reasons, "reasons"), "proposal": clean_text(proposal, "proposal")})


def _signer(actor: Actor, deputy: Deputy | None) -> Deputy:
    """A deputy signs as themselves; the office (and the presidium) records a paper signature."""
    own = policy.deputy_of(actor)
    if actor is not None and actor.role == UserRole.DEPUTY:
        if own is None or (deputy is not None and deputy.pk != own):
            raise InvalidInput(_("代表只能本人联名"), fields={"deputy": _("只能本人联名")})
        deputy = Deputy.objects.get(pk=own)
    if deputy is None:
        if own:
            return Deputy.objects.get(pk=own)
        raise InvalidInput(_("请选择联名代表"), fields={"deputy": _("必填")})
    return deputy


@transaction.atomic
def motion_sign(*, actor: Actor, motion_id: int, deputy: Deputy | None = None, at: dt.datetime | None = None,
                expected_state: str | None = None) -> MotionSignature:
    """附议联名: a deputy of the town, serving, once per motion (joint motions only)."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.SIGN, expected_state=expected_state)
    if m.submitted_by != SubmittedBy.DEPUTIES:
        raise InvalidInput(_("主席团提出的议案无需代表联名"))
    at = _moment(at)
    deputy = _signer(actor, deputy)
    _check_serving(m, deputy, timezone.localtime(at).date())
    sig = _add_signature(m, deputy, at)
    on = timezone.localtime(at).date()
    _history(m, action=Action.SIGN, actor=actor, on=max(on, _last_on(m) or on), from_state=m.state,
             comment=deputy.name)
    record(actor=actor, verb="motion.sign", target=m, before=None, after={"signer": deputy.name})
    return sig


@transaction.atomic
def motion_unsign(*, actor: Actor, motion_id: int, deputy: Deputy | None = None,
                  expected_state: str | None = None) -> Motion:
    """撤销联名 before submission; the lead deputy's signature stays (change the lead instead)."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.UNSIGN, expected_state=expected_state)
    deputy = _signer(actor, deputy)
    if deputy.pk == m.lead_deputy_id:
        raise InvalidInput(_("领衔代表不能撤销联名"), fields={"deputy": _("领衔代表")})
    deleted, _rows = m.signatures.filter(deputy=deputy).delete()
    if not deleted:
        raise InvalidInput(_("「{name}」未在该议案上联名").format(name=deputy.name), fields={"deputy": _("未联名")})
    on = timezone.localdate()
    _history(m, action=Action.UNSIGN, actor=actor, on=max(on, _last_on(m) or on), from_state=m.state,
             comment=deputy.name)
    record(actor=actor, verb="motion.unsign", target=m, before={"signer": deputy.name}, after=None)
    return m


def check_submission(m: Motion, at: dt.datetime) -> None:
    """The rules of a submission at ``at``: the session's time limit, and the signers of a joint
    motion (at least the town's N, the lead still serving)."""
    deadline = selectors.deadline_of(m.session)
    if at > deadline:
        raise InvalidInput(_("已超过本次会议提出议案的截止时间（{t}），不能提交").format(
            t=timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")), fields={"at": _("已过截止时间")})
    day = timezone.localtime(at).date()
    if m.submitted_by == SubmittedBy.DEPUTIES:
        assert m.lead_deputy is not None
        _check_serving(m, m.lead_deputy, day, "lead_deputy")
        n, need = m.signatures.count(), selectors.min_signers(m.town_id)
        if n < need:
            raise InvalidInput(_("代表联名提出议案须有 {need} 名以上代表联名，目前只有 {n} 名").format(need=need, n=n),
                               fields={"signers": _("联名人数不足")})


@transaction.atomic
def motion_submit(*, actor: Actor, motion_id: int, at: dt.datetime | None = None,
                  expected_state: str | None = None) -> Motion:
    """提交 to the session, within its time limit; a joint motion with enough signers.

    ``at`` (a paper motion entered afterwards, an import) only from the office; otherwise now."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.SUBMIT, expected_state=expected_state)
    if at is not None and actor is not None and actor.role not in {UserRole.STAFF, UserRole.ADMIN}:
        at = None
    at = _moment(at)
    check_submission(m, at)
    return _step(m, actor=actor, action=Action.SUBMIT, on=timezone.localtime(at).date(), changes={"submitted_at": at})


@transaction.atomic
def motion_withdraw(*, actor: Actor, motion_id: int, reason: str = "", on: dt.date | None = None,
                    expected_state: str | None = None) -> Motion:
    """撤回 a draft or a motion not yet decided."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.WITHDRAW, expected_state=expected_state)
    return _step(m, actor=actor, action=Action.WITHDRAW, on=_date(on), comment=clean_text(reason, "reason"))


# --- the presidium's decision -------------------------------------------------------------------


def _decide(m: Motion, *, actor: Actor, action: Action, decision: Decision, on: dt.date, reason: str,
            changes: dict[str, Any] | None = None) -> Motion:
    assert m.submitted_at is not None
    check_not_before(on=on, earlier=timezone.localtime(m.submitted_at).date(), what=_("提交"))
    return _step(m, actor=actor, action=action, on=on, comment=reason,
                 changes={"decision": decision.value, "decided_on": on, "decision_reason": reason, **(changes or {})})


@transaction.atomic
def motion_put_on_agenda(*, actor: Actor, motion_id: int, reason: str = "", on: dt.date | None = None,
                         expected_state: str | None = None) -> Motion:
    """列入会议议程: an agenda item of the session (to be voted), linked from the motion.

    The agenda item is added by the system on the presidium's behalf (``congress`` lets only the
    office edit an agenda); the motion's event names who decided."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.PUT_ON_AGENDA, expected_state=expected_state)
    on = _date(on)
    title = _("审议{title}").format(title=m.title)[:200]
    item = congress_services.agenda_add(actor=None, session_id=m.session_id, title=title, needs_vote=True)
    return _decide(m, actor=actor, action=Action.PUT_ON_AGENDA, decision=Decision.ON_AGENDA, on=on,
                   reason=clean_text(reason, "reason"), changes={"agenda_item": item})


@transaction.atomic
def motion_reject(*, actor: Actor, motion_id: int, reason: str, on: dt.date | None = None,
                  expected_state: str | None = None) -> Motion:
    """不列入会议议程, with the presidium's reason."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.REJECT, expected_state=expected_state)
    reason = clean_text(reason, "reason")
    if not reason:
        raise InvalidInput(_("不列入会议议程须说明理由"), fields={"reason": _("必填")})
    return _decide(m, actor=actor, action=Action.REJECT, decision=Decision.NOT_ON_AGENDA, on=_date(on), reason=reason)


@transaction.atomic
def motion_to_suggestion(*, actor: Actor, motion_id: int, reason: str = "", on: dt.date | None = None,
                         expected_state: str | None = None) -> Motion:
    """作为代表建议处理: registered as a deputy suggestion (lead deputy = the motion's lead,
    co-deputies = the other signers, source 会议期间), linked both ways."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.TO_SUGGESTION, expected_state=expected_state)
    on = _date(on)
    lead = m.lead_deputy
    signers = [s.deputy for s in m.signatures.select_related("deputy").order_by("signed_at", "id")]
    if lead is None:  # a presidium motion: its first signer, else it cannot become a deputy suggestion
        if not signers:
            raise InvalidInput(_("主席团提出的议案没有领衔代表，不能作为代表建议处理"))
        lead = signers[0]
    content = "\n\n".join(x for x in (m.reasons, m.proposal) if x) or m.title
    s = suggestion_services.suggestion_register(
        actor=actor, town=m.town, kind="deputy", source="session", title=m.title, content=content,
        lead_deputy=lead, co_deputies=[d for d in signers if d.pk != lead.pk], on=on,
        comment=_("由议案 {code} 转为代表建议").format(code=m.code))
    return _decide(m, actor=actor, action=Action.TO_SUGGESTION, decision=Decision.AS_SUGGESTION, on=on,
                   reason=clean_text(reason, "reason"), changes={"suggestion": s})


# --- the resolution and its follow-up -----------------------------------------------------------


def _units(m: Motion, units: Sequence[Unit]) -> list[Unit]:
    for u in units:
        if u.town_id != m.town_id:
            raise InvalidInput(_("单位「{name}」不属于{town}").format(name=u.name, town=m.town.name),
                               fields={"units": _("不属于该镇街")})
    return list(dict.fromkeys(units))


@transaction.atomic
def motion_adopt(*, actor: Actor, motion_id: int, resolution: str, on: dt.date | None = None,
                 units: Sequence[Unit] = (), expected_state: str | None = None) -> Motion:
    """登记通过的决议: the resolution (text, date) and the units responsible for its follow-up."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.ADOPT, expected_state=expected_state)
    on = _date(on)
    resolution = clean_text(resolution, "resolution")
    if not resolution:
        raise InvalidInput(_("请填写决议内容"), fields={"resolution": _("必填")})
    check_not_before(on=on, earlier=m.decided_on, what=_("列入议程"))
    chosen = _units(m, units)
    m = _step(m, actor=actor, action=Action.ADOPT, on=on, comment=resolution,
              changes={"resolution": resolution, "resolution_on": on})
    m.follow_units.set(chosen)
    return m


@transaction.atomic
def motion_not_adopt(*, actor: Actor, motion_id: int, reason: str = "", on: dt.date | None = None,
                     expected_state: str | None = None) -> Motion:
    """登记未通过 (the vote on the agenda item failed)."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.NOT_ADOPT, expected_state=expected_state)
    on = _date(on)
    check_not_before(on=on, earlier=m.decided_on, what=_("列入议程"))
    return _step(m, actor=actor, action=Action.NOT_ADOPT, on=on, comment=clean_text(reason, "reason"))


@transaction.atomic
def motion_progress(*, actor: Actor, motion_id: int, note: str, on: dt.date | None = None,
                    expected_state: str | None = None) -> Motion:
    """登记落实进展 (the office or a unit responsible): a progress note on the timeline."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.PROGRESS, expected_state=expected_state)
    note = clean_text(note, "note")
    if not note:
        raise InvalidInput(_("请填写落实进展"), fields={"note": _("必填")})
    return _step(m, actor=actor, action=Action.PROGRESS, on=_date(on), comment=note, changes={"follow_up": note})


@transaction.atomic
def motion_finish(*, actor: Actor, motion_id: int, summary: str, on: dt.date | None = None,
                  expected_state: str | None = None) -> Motion:
    """落实完毕: the follow-up's outcome and the date it was finished."""
    m = _open(actor=actor, motion_id=motion_id, action=Action.FINISH, expected_state=expected_state)
    on = _date(on)
    summary = clean_text(summary, "summary")
    if not summary:
        raise InvalidInput(_("请填写落实情况"), fields={"summary": _("必填")})
    check_not_before(on=on, earlier=m.resolution_on, what=_("决议"))
    return _step(m, actor=actor, action=Action.FINISH, on=on, comment=summary,
                 changes={"follow_up": summary, "finished_on": on})
