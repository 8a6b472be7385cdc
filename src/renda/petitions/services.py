"""The only writers of petitions: one keyword-only, typed function per verb.

Each runs in one transaction and: locks the petition (``SELECT … FOR UPDATE``); checks the
policy (404/403); refuses a stale form (``expected_version``) with ``Conflict``; asks the
workflow table for the next state (``IllegalTransition``); applies the legal time limits of
``rules.py``; writes the change, a ``Transition`` row (the timeline) and an audit event whose
snapshots never hold a petitioner's personal data.

``on`` is the business date of the step (登记/受理/处理意见… 日期); it defaults to today and may
be earlier (imports, the demo), never later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.calendar_days.workdays import calendar
from renda.core import attachments, crypto, sequences, similarity, uploads
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.privacy import PersonalData, record_reveal
from renda.core.services import (
    actor_user,
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
from renda.petitions import notify, policy, rules, selectors, workflow
from renda.petitions.models import (
    Attachment,
    Channel,
    LinkKind,
    Petition,
    Petitioner,
    RepeatKind,
    ReviewInstruction,
    Transition,
)
from renda.petitions.workflow import Action, State
from renda.places.models import Level, Region
from renda.places.services import check_places
from renda.suggestions import services as suggestion_services

STALE = _("该信访件已被他人处理，请刷新后重试")
_HIDDEN = {"tracking_code"}
#: The channels of a suggestion's source that a petition keeps when converted (and back).
SOURCE_TO_CHANNEL = {"letter": Channel.LETTER, "visit": Channel.VISIT, "phone": Channel.PHONE,
                     "online": Channel.ONLINE}
CHANNEL_TO_SOURCE = {Channel.LETTER: "letter", Channel.VISIT: "visit", Channel.PHONE: "phone",
                     Channel.ONLINE: "online"}


@dataclass(frozen=True)
class PetitionerData(PersonalData):
    """One petitioner as entered (plain text; encrypted when saved)."""


# --- helpers ------------------------------------------------------------------------------


def _petitioners_masked(p: Petition) -> list[dict[str, str]]:
    return [x.masked() for x in p.petitioners.order_by("position", "id")]


def _snap(p: Petition, *, with_petitioners: bool = False) -> dict[str, Any]:
    """The audit snapshot: the petition's fields, secrets left out, petitioners only masked."""
    data = snapshot(p)
    for name in _HIDDEN:
        data.pop(name, None)
    if with_petitioners:
        data["petitioners"] = _petitioners_masked(p)
    return data


def _open(*, actor: Actor, petition_id: int, action: Action | str, expected_version: int | None = None) -> Petition:
    """The petition, locked; the actor allowed; the caller's view of it still current."""
    p = lock(Petition, petition_id)
    policy.require(actor, action, p)
    check_version(p, expected_version, message=STALE)
    return p


def _history(p: Petition, *, action: Action, actor: Actor, on: dt.date, from_state: str,
             comment: str = "") -> Transition:
    return record_transition(Transition, petition=p, action=action, from_state=from_state, to_state=p.state,
                             actor=actor, on=on, comment=comment)


def _commit(p: Petition, *, action: Action, actor: Actor, on: dt.date, from_state: str, before: dict[str, Any],
            comment: str = "") -> Petition:
    """Validate and save ``p``, then write its timeline row and audit event."""
    p.version += 1
    p.deadline = rules.running_deadline(p.state, rules.deadlines(p, rules.rules_for(p.town)))
    return commit_transition(p, history=_history, snap=_snap, verb=f"petition.{action.value}", action=action,
                             actor=actor, on=on, from_state=from_state, before=before, comment=comment)


CODE_PREFIX = "XF"


def code_series(town: Region, year: int) -> sequences.CodeSeries:
    """编号 per town and year (the ledger's key is (镇街, 编号))."""
    return sequences.CodeSeries(f"petition:{town.pk}:{year}", f"{CODE_PREFIX}{year}-",
                                Petition.objects.filter(town=town))


def next_code(town: Region, year: int) -> str:
    """The next free 编号 of ``town`` and ``year``: XF2023-001, XF2023-002 …"""
    return code_series(town, year).next()


#: The most people one petition may count (a collective visit of a whole village is far fewer).
MAX_HEAD_COUNT = 10000


def clean_petitioners(petitioners: Sequence[PetitionerData]) -> list[PetitionerData]:
    """Strip and check each petitioner: a name; an ID number with a valid GB 11643 check digit;
    a mobile or landline phone. Every problem is reported at once (one ``InvalidInput``)."""
    out: list[PetitionerData] = []
    messages: list[str] = []
    fields: dict[str, list[str]] = {}

    def problem(message: str, field: str, short: str) -> None:
        messages.append(message)
        fields.setdefault(field, []).append(short)

    for i, x in enumerate(petitioners):
        name = clean_text(x.name, "petitioners")
        id_number = crypto.normalize_id_number(x.id_number)
        phone = crypto.normalize_phone(x.phone)
        address = clean_text(x.address, "address")
        if not name and not (id_number or phone or address):
            continue
        where = _("第{n}位信访人").format(n=i + 1)
        if not name or len(name) > 50:
            problem(_("{who}的姓名必填且不超过50字").format(who=where), "petitioners", _("姓名必填"))
        if id_number and not is_id_number(id_number):
            problem(_("{who}的身份证号码不正确（18位，校验位不符）").format(who=where), "id_number",
                    _("身份证号码不正确"))
        if phone and not is_phone(phone):
            problem(_("{who}的联系电话格式不正确").format(who=where), "phone", _("格式不正确"))
        if len(address) > 200:
            problem(_("{who}的地址过长").format(who=where), "address", _("过长"))
        out.append(PetitionerData(name=name, id_number=id_number, phone=phone, address=address))
    if messages:
        raise InvalidInput("；".join(messages), fields=fields)
    if not out:
        raise InvalidInput(_("请至少填写一位信访人"), fields={"petitioners": _("必填")})
    return out


# --- repeats --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatMatch:
    petition: Petition
    kind: str
    score: float


def _text(p: Petition) -> tuple[str, str]:
    return p.subject, p.content or ""


def find_repeats(*, town: Region, on: dt.date, subject: str, content: str, id_hashes: Sequence[str],
                 phone_hashes: Sequence[str], exclude_id: int | None = None) -> list[RepeatMatch]:
    """Earlier petitions of ``town`` that this one repeats, best first:

    - ``final``: the same petitioner (keyed ID or phone hash) with similar facts, already
      re-reviewed (复核终结) — at any time: those facts are not accepted again;
    - ``same_petitioner``: the same petitioner within 12 months;
    - ``similar_content``: bigram similarity ≥ the threshold within 12 months.
    """
    r = rules.rules_for(town)
    since = on - dt.timedelta(days=r.repeat_window_days)
    ids = [h for h in id_hashes if h]
    phones = [h for h in phone_hashes if h]
    same: set[int] = set()
    if ids or phones:
        from django.db.models import Q

        cond = Q(id_hash__in=ids) if ids else Q()
        if phones:
            cond |= Q(phone_hash__in=phones)
        same = set(Petitioner.objects.filter(cond, petition__town=town).values_list("petition_id", flat=True))
    candidates = Petition.objects.filter(town=town, registered_on__lte=on).only(
        "pk", "code", "subject", "content", "state", "registered_on", "rereview_answered_on")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    matches: list[RepeatMatch] = []
    for other in candidates.filter(registered_on__gte=since) | candidates.filter(pk__in=same, state=State.FINAL):
        score = similarity.score(subject, content, *_text(other))
        if other.pk in same and other.state == State.FINAL and score >= r.similarity_threshold:
            matches.append(RepeatMatch(other, RepeatKind.FINAL, score))
        elif other.registered_on >= since and other.pk in same:
            matches.append(RepeatMatch(other, RepeatKind.SAME_PETITIONER, score))
        elif other.registered_on >= since and score >= r.similarity_threshold:
            matches.append(RepeatMatch(other, RepeatKind.SIMILAR_CONTENT, score))
    order = {RepeatKind.FINAL: 0, RepeatKind.SAME_PETITIONER: 1, RepeatKind.SIMILAR_CONTENT: 2}
    matches.sort(key=lambda m: (order[RepeatKind(m.kind)], -m.score, -m.petition.registered_on.toordinal(),
                                -m.petition.pk))
    return matches


# --- register -------------------------------------------------------------------------------


@transaction.atomic
def petition_register(
    *,
    actor: Actor,
    town: Region,
    channel: str,
    subject: str,
    petitioners: Sequence[PetitionerData],
    content: str = "",
    head_count: int | None = None,
    village: Region | None = None,
    grid: Region | None = None,
    category: str = "",
    respondent: str = "",
    duty_shift: Any = None,
    code: str | None = None,
    on: dt.date | None = None,
    comment: str = "",
    suggestion: Any = None,
    files: Sequence[Any] = (),
) -> Petition:
    """登记: a new petition in state ``registered`` with its 15-day acceptance limit; with
    ``files``, its attachments in the same transaction (``petition_attach``: a refused file leaves
    nothing registered).

    A petition of the same petitioner or with very similar content within 12 months is
    flagged ``is_repeat`` and linked to the earlier one. One on the same facts and reasons as a
    petition of the same petitioner already re-reviewed (复核) is registered (it was received)
    and declined at once, citing the 信访工作条例, with a 不予受理告知书 to send.
    """
    on = business_date(on, not_after_today=True)
    if channel not in Channel.values:
        raise InvalidInput(_("渠道不正确"), fields={"channel": _("不正确")})
    if village is None and grid is not None and grid.parent is not None and grid.parent.level == Level.VILLAGE:
        village = grid.parent
    people = clean_petitioners(petitioners)
    count = head_count if head_count is not None else len(people)
    if count > MAX_HEAD_COUNT:
        raise InvalidInput(_("人数应在1至{n}之间").format(n=MAX_HEAD_COUNT), fields={"head_count": _("过多")})
    if count < len(people):
        raise InvalidInput(_("人数不能少于登记的信访人数（{n}）").format(n=len(people)),
                           fields={"head_count": _("过少")})
    p = Petition(
        code=(code or "").strip(), channel=channel, town=town, village=village, grid=grid,
        category=(category or "").strip()[:50], subject=required_text(subject, "subject", _("请填写标题")),
        content=(content or "").strip(), head_count=count, respondent=(respondent or "").strip()[:200],
        duty_shift=duty_shift, state=State.REGISTERED, registered_on=on, created_by=actor_user(actor),
    )
    check_edges(p)
    policy.require(actor, Action.REGISTER, p)
    check_places(town, village, grid)
    if duty_shift is not None and (duty_shift.town_id != town.pk or duty_shift.date != on):
        raise InvalidInput(_("值班记录应为{town}登记当日的值班").format(town=town.name),
                           fields={"duty_shift": _("不是当日本镇街的值班")})
    if suggestion is not None:
        p.suggestion, p.link_kind = suggestion, LinkKind.FROM_SUGGESTION
    id_hashes = [crypto.id_lookup_hash(x.id_number) for x in people]
    phone_hashes = [crypto.phone_lookup_hash(x.phone) for x in people]
    repeats = find_repeats(town=town, on=on, subject=p.subject, content=p.content, id_hashes=id_hashes,
                           phone_hashes=phone_hashes)
    if repeats:
        p.is_repeat, p.repeat_of, p.repeat_kind = True, repeats[0].petition, repeats[0].kind
    p.deadline = rules.acceptance_due(on, rules.rules_for(town))
    if code and Petition.objects.filter(town=town, code=p.code).exists():
        raise InvalidInput(_("编号「{code}」已被使用").format(code=p.code), fields={"code": _("已被使用")})
    if code:
        code_series(town, on.year).note(code)
    insert_coded(p, code=code, next_code=lambda: next_code(town, on.year))
    for i, x in enumerate(people):
        Petitioner.objects.create(petition=p, position=i, name=x.name, id_number=x.id_number, phone=x.phone,
                                  address=x.address, id_hash=id_hashes[i], phone_hash=phone_hashes[i])
    text = comment.strip()
    if p.is_repeat and p.repeat_of is not None:
        text = (text + "；" if text else "") + _("重复信访（{kind}），关联 {code}").format(
            kind=RepeatKind(p.repeat_kind).label, code=p.repeat_of.code)
    _history(p, action=Action.REGISTER, actor=actor, on=on, from_state="", comment=text)
    record(actor=actor, verb="petition.register", target=p, before=None, after=_snap(p, with_petitioners=True),
           comment=text)
    if p.repeat_kind == RepeatKind.FINAL and p.repeat_of is not None:
        final = p.repeat_of
        reason = str(workflow.FINAL_REFUSAL).format(
            code=final.code, on=final.rereview_answered_on.isoformat() if final.rereview_answered_on else "")
        p = petition_decline(actor=None, petition_id=p.pk, reason=reason, on=on)
    transaction.on_commit(partial(notify.registered, p.pk))
    if files:
        petition_attach(actor=actor, petition_id=p.pk, files=files)
    return p


# --- the legal flow -------------------------------------------------------------------------


@transaction.atomic
def petition_accept(*, actor: Actor, petition_id: int, on: dt.date | None = None, comment: str = "",
                    expected_version: int | None = None) -> Petition:
    """受理: within 15 days of registration; handling must end within 60 days."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.ACCEPT, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.ACCEPT)
    if p.repeat_kind == RepeatKind.FINAL and p.repeat_of is not None:
        workflow.check_not_final(final_code=p.repeat_of.code, final_on=p.repeat_of.rereview_answered_on)
    workflow.check_not_before(on=on, earlier=p.registered_on, what=_("登记"))
    p.accepted_on = on
    p.handling_due = rules.handling_due(on, None, rules.rules_for(p.town))
    return _commit(p, action=Action.ACCEPT, actor=actor, on=on, from_state=from_state, before=before,
                   comment=comment.strip() or _("办理期限 {d}").format(d=p.handling_due.isoformat()))


@transaction.atomic
def petition_decline(*, actor: Actor, petition_id: int, reason: str, on: dt.date | None = None,
                     expected_version: int | None = None) -> Petition:
    """不予受理, with a reason (不属于受理范围, 已复核终结 …)."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.DECLINE, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.DECLINE)
    reason = required_text(reason, "reason", _("请填写不予受理的理由"))
    workflow.check_not_before(on=on, earlier=p.registered_on, what=_("登记"))
    p.declined_on, p.decline_reason = on, reason
    return _commit(p, action=Action.DECLINE, actor=actor, on=on, from_state=from_state, before=before, comment=reason)


@transaction.atomic
def petition_extend(*, actor: Actor, petition_id: int, days: int, reason: str, on: dt.date | None = None,
                    expected_version: int | None = None) -> Petition:
    """延期: once, at most 30 days, with a reason; decided before the handling limit ends."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.EXTEND, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.EXTEND)
    r = rules.rules_for(p.town)
    workflow.check_extension(already_extended=p.extended_on is not None, days=days, max_days=r.max_extension_days)
    reason = required_text(reason, "reason", _("请填写延期理由"))
    workflow.check_not_before(on=on, earlier=p.accepted_on, what=_("受理"))
    assert p.accepted_on is not None and p.handling_due is not None
    if on > p.handling_due:
        raise InvalidInput(_("办理期限 {d} 已过，不能再延期").format(d=p.handling_due.isoformat()),
                           fields={"on": _("晚于办理期限")})
    p.extended_on, p.extension_days, p.extension_reason = on, days, reason
    p.handling_due = rules.handling_due(p.accepted_on, days, r)
    return _commit(p, action=Action.EXTEND, actor=actor, on=on, from_state=from_state, before=before,
                   comment=_("延期 {n} 天至 {d}：{reason}").format(n=days, d=p.handling_due.isoformat(), reason=reason))


@transaction.atomic
def petition_issue_opinion(*, actor: Actor, petition_id: int, opinion: str, on: dt.date | None = None,
                           expected_version: int | None = None) -> Petition:
    """出具处理意见 (办结): the petitioner may ask for review within 30 days."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.ISSUE_OPINION, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.ISSUE_OPINION)
    p.opinion = required_text(opinion, "opinion", _("请填写处理意见"))
    workflow.check_not_before(on=on, earlier=p.extended_on or p.accepted_on,
                              what=_("延期") if p.extended_on else _("受理"))
    p.opinion_on = on
    last = rules.review_request_by(on, rules.rules_for(p.town))
    return _commit(p, action=Action.ISSUE_OPINION, actor=actor, on=on, from_state=from_state, before=before,
                   comment=_("可于 {d} 前申请复查").format(d=last.isoformat()))


@transaction.atomic
def petition_request_review(*, actor: Actor, petition_id: int, on: dt.date | None = None, comment: str = "",
                            expected_version: int | None = None) -> Petition:
    """复查申请: within 30 days of the handling opinion, answered within 30 days."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.REQUEST_REVIEW, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.REQUEST_REVIEW)
    assert p.opinion_on is not None
    workflow.check_not_before(on=on, earlier=p.opinion_on, what=_("处理意见"))
    workflow.check_request_in_time(on=on, last_day=rules.review_request_by(p.opinion_on, rules.rules_for(p.town)),
                                   what=_("复查"))
    p.review_requested_on = on
    return _commit(p, action=Action.REQUEST_REVIEW, actor=actor, on=on, from_state=from_state, before=before,
                   comment=comment.strip())


@transaction.atomic
def petition_answer_review(*, actor: Actor, petition_id: int, answer: str, on: dt.date | None = None,
                           expected_version: int | None = None) -> Petition:
    """复查意见: the petitioner may ask for re-review within 30 days."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.ANSWER_REVIEW, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.ANSWER_REVIEW)
    p.review_answer = required_text(answer, "answer", _("请填写复查意见"))
    workflow.check_not_before(on=on, earlier=p.review_requested_on, what=_("复查申请"))
    p.review_answered_on = on
    last = rules.review_request_by(on, rules.rules_for(p.town))
    return _commit(p, action=Action.ANSWER_REVIEW, actor=actor, on=on, from_state=from_state, before=before,
                   comment=_("可于 {d} 前申请复核").format(d=last.isoformat()))


@transaction.atomic
def petition_request_rereview(*, actor: Actor, petition_id: int, on: dt.date | None = None, comment: str = "",
                              expected_version: int | None = None) -> Petition:
    """复核申请: within 30 days of the review answer, answered within 30 days."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.REQUEST_REREVIEW,
              expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.REQUEST_REREVIEW)
    assert p.review_answered_on is not None
    workflow.check_not_before(on=on, earlier=p.review_answered_on, what=_("复查答复"))
    workflow.check_request_in_time(
        on=on, last_day=rules.review_request_by(p.review_answered_on, rules.rules_for(p.town)), what=_("复核"))
    p.rereview_requested_on = on
    return _commit(p, action=Action.REQUEST_REREVIEW, actor=actor, on=on, from_state=from_state, before=before,
                   comment=comment.strip())


@transaction.atomic
def petition_answer_rereview(*, actor: Actor, petition_id: int, answer: str, on: dt.date | None = None,
                             expected_version: int | None = None) -> Petition:
    """复核意见: final; the same facts and reasons are not accepted again."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.ANSWER_REREVIEW,
              expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.ANSWER_REREVIEW)
    p.rereview_answer = required_text(answer, "answer", _("请填写复核意见"))
    workflow.check_not_before(on=on, earlier=p.rereview_requested_on, what=_("复核申请"))
    p.rereview_answered_on = on
    return _commit(p, action=Action.ANSWER_REREVIEW, actor=actor, on=on, from_state=from_state, before=before,
                   comment=_("复核终结：同一事实和理由不再受理"))


# --- review instructions (阅批) ---------------------------------------------------------------


@transaction.atomic
def petition_route(*, actor: Actor, petition_id: int, presidium_member: Deputy, on: dt.date | None = None,
                   comment: str = "", expected_version: int | None = None) -> ReviewInstruction:
    """送阅批: route a letter to a presidium member, who instructs from their own queue."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.ROUTE, expected_version=expected_version)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.ROUTE)
    if not selectors.presidium_members(p.town_id).filter(pk=presidium_member.pk).exists():
        raise InvalidInput(_("阅批领导应为本镇街在任的主席团成员"),
                           fields={"presidium_member": _("不是主席团成员")})
    if ReviewInstruction.objects.filter(petition=p, presidium_member=presidium_member,
                                        instructed_on__isnull=True).exists():
        raise Conflict(_("已送{name}阅批，尚未批示").format(name=presidium_member.name))
    workflow.check_not_before(on=on, earlier=p.registered_on, what=_("登记"))
    ri = ReviewInstruction(petition=p, presidium_member=presidium_member, requested_on=on,
                           requested_by=actor_user(actor))
    full_clean(ri)
    ri.save()
    _commit(p, action=Action.ROUTE, actor=actor, on=on, from_state=from_state, before=before,
            comment=_("送{name}阅批").format(name=presidium_member.name) + (f"：{comment.strip()}" if comment.strip()
                                                                           else ""))
    transaction.on_commit(partial(notify.routed, ri.pk))
    return ri


@transaction.atomic
def petition_instruct(*, actor: Actor, instruction_id: int, text: str, on: dt.date | None = None,
                      expected_version: int | None = None) -> ReviewInstruction:
    """阅批: the presidium member's written instruction on a letter routed to them."""
    on = business_date(on, not_after_today=True)
    petition_id = ReviewInstruction.objects.filter(pk=instruction_id).values_list("petition_id", flat=True).first()
    if petition_id is None:
        raise NotFound()
    p = lock(Petition, petition_id)
    ri = lock(ReviewInstruction, instruction_id)
    if actor is not None:
        policy.require(actor, "view", p)
        if getattr(actor, "deputy_id", None) != ri.presidium_member_id:
            from renda.core.errors import Forbidden

            raise Forbidden(_("只有被送阅的主席团成员可以阅批"))
    policy.require(actor, Action.INSTRUCT, p)
    check_version(p, expected_version, message=STALE)
    if ri.instructed_on is not None:
        raise Conflict(_("已经阅批"))
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.INSTRUCT)
    ri.text = required_text(text, "text", _("请填写阅批意见"))
    workflow.check_not_before(on=on, earlier=ri.requested_on, what=_("送阅"))
    ri.instructed_on = on
    full_clean(ri)
    ri.save()
    _commit(p, action=Action.INSTRUCT, actor=actor, on=on, from_state=from_state, before=before,
            comment=_("{name}阅批：{text}").format(name=ri.presidium_member.name, text=ri.text))
    transaction.on_commit(partial(notify.instructed, ri.pk))
    return ri


# --- links with suggestions -------------------------------------------------------------------


@transaction.atomic
def petition_to_suggestion(*, actor: Actor, petition_id: int, on: dt.date | None = None,
                           expected_version: int | None = None) -> Any:
    """转为意见建议: a public suggestion with the petition's text, place and first petitioner,
    registered through the suggestions services; the two are linked both ways."""
    on = business_date(on, not_after_today=True)
    p = _open(actor=actor, petition_id=petition_id, action=Action.TO_SUGGESTION, expected_version=expected_version)
    if p.suggestion_id is not None:
        raise Conflict(_("该信访件已关联意见建议"))
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.TO_SUGGESTION)
    first = p.petitioners.order_by("position", "id").first()
    s = suggestion_services.suggestion_register(
        actor=actor, town=p.town, kind="public", title=p.subject, content=p.content,
        source=CHANNEL_TO_SOURCE.get(Channel(p.channel), ""), village=p.village, grid=p.grid,
        submitter_name=first.name if first else "", submitter_phone=first.phone if first else "",
        anonymous=first is None, on=max(on, p.registered_on),
        comment=_("由信访件 {code} 转来").format(code=p.code))
    p.suggestion, p.link_kind = s, LinkKind.TO_SUGGESTION
    _commit(p, action=Action.TO_SUGGESTION, actor=actor, on=on, from_state=from_state, before=before,
            comment=_("转为意见建议 {code}").format(code=s.code))
    return s


@transaction.atomic
def petition_from_suggestion(*, actor: Actor, suggestion_id: int, channel: str | None = None,
                             on: dt.date | None = None) -> Petition:
    """转为信访件: a petition from a public suggestion (its submitter becomes the petitioner),
    linked to it both ways."""
    policy.require(actor, "from_suggestion")
    # the suggestions workflow says in which states (and for which items) 转为信访件 is allowed
    s = suggestion_services.suggestion_lock_for_link(actor=actor, suggestion_id=suggestion_id, to_petition=True)
    if Petition.objects.filter(suggestion=s).exists():
        raise Conflict(_("该意见建议已关联信访件"))
    p = petition_register(
        actor=actor, town=s.town, channel=channel or SOURCE_TO_CHANNEL.get(s.source, Channel.VISIT),
        subject=s.title, content=s.content, village=s.village, grid=s.grid,
        category=s.category.name if s.category else "",
        petitioners=[PetitionerData(name=s.submitter_name, phone=s.submitter_phone)],
        on=on, suggestion=s, comment=_("由意见建议 {code} 转来").format(code=s.code))
    record(actor=actor, verb="suggestion.to_petition", target=s, before=None,
           after={"petition": p.code}, comment=_("转为信访件 {code}").format(code=p.code))
    return p


# --- attachments, reveal ------------------------------------------------------------------------


@transaction.atomic
def petition_attach(*, actor: Actor, petition_id: int, files: Sequence[Any]) -> list[Attachment]:
    """附件: a scanned letter or photos (PNG/JPEG/PDF, checked by content, ``core.uploads``)."""
    p = lock(Petition, petition_id)
    policy.require(actor, "attach", p)
    if p.state in workflow.TERMINAL:
        raise InvalidInput(_("信访件已{state}，不能再上传附件").format(state=workflow.label(State(p.state))))
    if not files:
        raise InvalidInput(_("请选择要上传的文件"), fields={uploads.FIELD: _("必填")})
    checked = uploads.check_files(list(files), existing=p.attachments.count())
    saved = attachments.store(checked, lambda c: Attachment(
        petition=p, original_name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256,
        uploaded_by=actor_user(actor)))
    record(actor=actor, verb="petition.attach", target=p, before=None,
           after={"attachments": attachments.listing(saved)}, comment=_("上传附件 {n} 个").format(n=len(saved)))
    return saved


REVEALED_FIELDS = ("name", "id_number", "phone", "address")


@dataclass(frozen=True)
class Revealed:
    name: str
    id_number: str
    phone: str
    address: str


@transaction.atomic
def petition_reveal(*, actor: Actor, petition_id: int, reason: str) -> list[Revealed]:
    """查看个人信息: the petitioners' plain data, for a role allowed to reveal, with a reason;
    one audit event per reveal."""
    p = Petition.objects.filter(pk=petition_id).first()
    if p is None:
        raise NotFound()
    policy.require(actor, "reveal", p)
    record_reveal(actor=actor, target=p, fields=[f"petitioner.{f}" for f in REVEALED_FIELDS], reason=reason)
    return [Revealed(name=x.name, id_number=x.id_number, phone=x.phone, address=x.address)
            for x in p.petitioners.order_by("position", "id")]


NOTICE_REASON = "生成告知书"
ATTACHMENT_REASON = "查看信访附件"


def petition_attachment_open(*, actor: Actor, petition_id: int, attachment_id: int) -> Attachment:
    """Open an attachment of a petition. A letter or a scanned form carries the petitioner's name,
    phone and address in clear, so this is a reveal: for the roles that may reveal (and the person
    who uploaded it), recorded in the audit trail."""
    p = Petition.objects.select_related("town").filter(pk=petition_id).first()
    if p is None:
        raise NotFound()
    att = Attachment.objects.filter(pk=attachment_id, petition_id=p.pk).first()
    if att is None:
        raise NotFound()
    if not (att.uploaded_by_id is not None and att.uploaded_by_id == getattr(actor, "pk", None)):
        policy.require(actor, "attachment", p)
    record_reveal(actor=actor, target=p, fields=[f"attachment.{att.pk}"], reason=ATTACHMENT_REASON)
    return att


@transaction.atomic
def petition_notice(*, actor: Actor, petition_id: int, kind: str) -> tuple[str, bytes]:
    """A Word notice (告知书) addressed to the petitioner: its file name and content. The
    petitioner's name is in it, so generating one is an audited reveal."""
    from renda.petitions import notices

    p = Petition.objects.select_related("town").filter(pk=petition_id).first()
    if p is None:
        raise NotFound()
    policy.require(actor, "notice", p)
    spec = notices.available(p).get(kind)
    if spec is None:
        raise InvalidInput(_("该信访件目前没有这种告知书"), fields={"kind": _("不可用")})
    record_reveal(actor=actor, target=p, fields=["petitioner.name", f"notice.{kind}"], reason=NOTICE_REASON)
    return notices.filename(p, kind), notices.render(p, kind, cal=calendar())
