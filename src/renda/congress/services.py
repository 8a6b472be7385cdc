"""The only writers of congress sessions (人代会) and vote rounds (票决 / 测评): one keyword-only,
typed function per verb, each in one transaction, audited.

Secrecy of the ballot (docs/decisions/0012-secret-ballot.md):

- ``round_open`` creates ``issued`` blank ``Ballot`` rows with random UUIDs, in random order;
- ``ballot_cast`` (a deputy on a phone) inserts ``Voted(round, deputy)`` — refused by the
  database's unique constraint the second time — and, in the same transaction, fills a randomly
  chosen blank ballot with the choices and the date (no time); ``ballot_enter`` (staff, from a
  paper ballot) fills one the same way, with no ``Voted`` row;
- the audit event of a cast names the round only (actor: the user; no choices, no ballot id);
  the open and close events carry the round's totals;
- ``round_close`` stores the tally and rewrites the ballots and the ``Voted`` rows in a new
  random order with new ids, in the close's transaction, so the order in which rows were written
  (the database's physical order, PostgreSQL's ``xmin``) no longer pairs a ``Voted`` row with a
  ballot once the old row versions are vacuumed;
- after the close every write is refused.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record
from renda.congress import hooks, policy, selectors, workflow
from renda.congress.models import (
    AgendaItem,
    AttendanceStatus,
    Ballot,
    OptionSpec,
    RoundBasis,
    RoundKind,
    RoundMode,
    RoundState,
    Session,
    SessionAttendance,
    Voted,
    VoteOption,
    VoteRound,
)
from renda.congress.workflow import Action
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.services import clean_text, create_audited, full_clean, lock, update_audited
from renda.core.types import Actor
from renda.places.models import Region

__all__ = [
    "OptionSpec",
    "agenda_add",
    "agenda_remove",
    "agenda_update",
    "attendance_fill",
    "attendance_set",
    "ballot_cast",
    "ballot_enter",
    "round_close",
    "round_open",
    "round_open_further",
    "session_create",
    "session_update",
]

_rng = random.SystemRandom()


# --- sessions ----------------------------------------------------------------------------------


def _check_session(s: Session) -> None:
    if s.town_id is not None and getattr(s, "town", None) is not None and s.town.level != "town":
        raise InvalidInput(_("请选择镇街"), fields={"town": _("须为镇街")})
    if s.starts_on and s.ends_on and s.ends_on < s.starts_on:
        raise InvalidInput(_("闭幕日期不能早于开幕日期"), fields={"ends_on": _("不能早于开幕日期")})
    if s.quorum_numerator < 1 or s.quorum_denominator < s.quorum_numerator:
        raise InvalidInput(_("法定人数比例不正确（分子至少为1，且不大于分母）"),
                           fields={"quorum_numerator": _("比例不正确")})
    if Session.objects.filter(town_id=s.town_id, term=s.term, number=s.number).exclude(pk=s.pk).exists():
        raise Conflict(_("本镇第{term}届第{number}次会议已登记").format(term=s.term, number=s.number),
                       fields={"number": _("已登记")})


@transaction.atomic
def session_create(*, actor: Actor, town: Region, term: int, number: int, starts_on: dt.date, ends_on: dt.date,
                   title: str = "", venue: str = "", quorum_numerator: int = 2, quorum_denominator: int = 3,
                   notes: str = "", fill_attendance: bool = True) -> Session:
    """登记人代会; the town's serving town-level deputies are entered as due (应到)."""
    s = Session(town=town, term=term, number=number, starts_on=starts_on, ends_on=ends_on,
                title=(title or "").strip(), venue=(venue or "").strip(), quorum_numerator=quorum_numerator,
                quorum_denominator=quorum_denominator, notes=notes or "")
    policy.require(actor, "create", s)
    _check_session(s)
    if not s.title:
        s.title = s.default_title()
    create_audited(s, actor=actor, verb="congress.session_create")
    if fill_attendance:
        _fill(s)
    return s


def _fill(s: Session) -> int:
    have = set(s.attendance.values_list("deputy_id", flat=True))
    rows = [SessionAttendance(session=s, deputy=d) for d in selectors.town_deputies(s.town_id, s.starts_on)
            if d.pk not in have]
    SessionAttendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def attendance_fill(*, actor: Actor, session_id: int) -> int:
    """Add the serving deputies not yet listed as due (after a change of deputies)."""
    s = lock(Session, session_id)
    policy.require(actor, "attendance", s)
    added = _fill(s)
    if added:
        record(actor=actor, verb="congress.attendance_fill", target=s, after={"补充应到代表": added})
    return added


@transaction.atomic
def session_update(*, actor: Actor, session_id: int, **changes: Any) -> Session:
    """修改人代会: term, number, title, dates, venue, quorum, notes."""
    s = lock(Session, session_id)
    policy.require(actor, "edit", s)
    allowed = {"term", "number", "title", "starts_on", "ends_on", "venue", "quorum_numerator",
               "quorum_denominator", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("不能修改：{fields}").format(fields="、".join(sorted(unknown))))
    if s.rounds.exclude(state=RoundState.DRAFT).exists() and any(
            k in changes and changes[k] != getattr(s, k)
            for k in ("starts_on", "quorum_numerator", "quorum_denominator")):
        raise Conflict(_("本次会议已进行投票，不能再修改开幕日期或法定人数比例"))
    probe = Session(pk=s.pk, town=s.town, **{k: getattr(s, k) for k in allowed} | changes)
    _check_session(probe)
    if "title" in changes and not (changes["title"] or "").strip():
        changes["title"] = probe.default_title()
    s, _changed = update_audited(s, actor=actor, verb="congress.session_update", changes=changes)
    return s


@transaction.atomic
def attendance_set(*, actor: Actor, session_id: int, deputy_id: int, status: str) -> SessionAttendance:
    """出席情况: due / present / leave / absent of one of the session's deputies. Not while a
    round of the session is open (the ballots issued rest on the deputies present)."""
    s = lock(Session, session_id)
    policy.require(actor, "attendance", s)
    if status not in AttendanceStatus.values:
        raise InvalidInput(_("出席情况不正确"), fields={"status": _("不正确")})
    if s.rounds.filter(state=RoundState.OPEN).exists():
        raise Conflict(_("投票进行中，不能修改出席情况"))
    row = SessionAttendance.objects.filter(session=s, deputy_id=deputy_id).select_related("deputy").first()
    if row is None:
        deputy = selectors.town_deputies(s.town_id, s.starts_on).filter(pk=deputy_id).first()
        if deputy is None:
            raise InvalidInput(_("该代表不是本次会议的应到代表"), fields={"deputy": _("不是应到代表")})
        row = SessionAttendance(session=s, deputy=deputy, status=status)
        full_clean(row)
        row.save()
        record(actor=actor, verb="congress.attendance", target=s, after=_attendance_snap(row))
        return row
    if row.status != status:
        before = _attendance_snap(row)
        row.status = status
        row.save(update_fields=["status"])
        record(actor=actor, verb="congress.attendance", target=s, before=before, after=_attendance_snap(row))
    return row


@transaction.atomic
def agenda_add(*, actor: Actor, session_id: int, title: str, needs_vote: bool = False,
               order: int | None = None) -> AgendaItem:
    s = lock(Session, session_id)
    policy.require(actor, "agenda", s)
    if not (title or "").strip():
        raise InvalidInput(_("请填写议程"), fields={"title": _("必填")})
    if order is None:
        order = (s.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem(session=s, title=title.strip(), needs_vote=needs_vote, order=order)
    full_clean(item)
    item.save()
    record(actor=actor, verb="congress.agenda_add", target=s, after=_agenda_snap(item))
    return item


@transaction.atomic
def agenda_update(*, actor: Actor, item_id: int, title: str, needs_vote: bool, order: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("session").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    s = lock(Session, item.session_id)
    policy.require(actor, "agenda", s)
    before = _agenda_snap(item)
    item.title, item.needs_vote, item.order = (title or "").strip(), needs_vote, order
    if not item.title:
        raise InvalidInput(_("请填写议程"), fields={"title": _("必填")})
    full_clean(item)
    item.save()
    after = _agenda_snap(item)
    if after != before:
        record(actor=actor, verb="congress.agenda_update", target=s, before=before, after=after)
    return item


@transaction.atomic
def agenda_remove(*, actor: Actor, item_id: int) -> Session:
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    s = lock(Session, item.session_id)
    policy.require(actor, "agenda", s)
    if item.rounds.exists():
        raise Conflict(_("该议程已有投票，不能删除"))
    before = _agenda_snap(item)
    item.delete()
    record(actor=actor, verb="congress.agenda_remove", target=s, before=before)
    return s


# --- rounds ------------------------------------------------------------------------------------


def _attendance_snap(row: SessionAttendance) -> dict[str, Any]:
    """An attendance change as the session's history shows it (keys are the labels)."""
    return {"代表": str(row.deputy), "出席情况": str(AttendanceStatus(row.status).label)}


def _agenda_snap(item: AgendaItem) -> dict[str, Any]:
    return {"议程": f"{item.order}. {item.title}", "需表决": item.needs_vote}


def _totals(r: VoteRound) -> dict[str, Any]:
    return {"title": r.title, "kind": r.kind, "state": r.state, "issued": r.issued, "returned": r.returned,
            "all_count": r.all_count, "present_count": r.present_count}


def _clean_options(options: Sequence[OptionSpec]) -> list[OptionSpec]:
    out: list[OptionSpec] = []
    seen: set[tuple[str, int]] = set()
    for i, o in enumerate(options):
        label = clean_text(o.label, f"options.{i}", label=_("投票事项"), max_length=200)
        if not label or not (o.ref_kind or "").strip():
            raise InvalidInput(_("投票事项须有名称"), fields={"options": _("须有名称")})
        key = (o.ref_kind, int(o.ref_id))
        if key in seen:
            raise InvalidInput(_("投票事项「{label}」重复").format(label=label), fields={"options": _("重复")})
        seen.add(key)
        out.append(OptionSpec(o.ref_kind.strip()[:40], int(o.ref_id), label))
    if not out:
        raise InvalidInput(_("请至少列出一个投票事项"), fields={"options": _("必填")})
    return out


def _notify_voters(round_id: int, deputy_ids: Sequence[int], text: str) -> None:
    from renda.notifications.services import notify

    users = get_user_model().objects.filter(is_active=True, deputy_id__in=list(deputy_ids)).order_by("pk")
    notify(users=users, verb="congress.round_open", text=text, url=reverse("congress:vote", args=[round_id]))


@transaction.atomic
def round_open(*, actor: Actor, session_id: int, kind: str, title: str, options: Sequence[OptionSpec],
               seats: int | None = None, basis: str = "all", mode: str = "paper", chief_scrutineer: str = "",
               scrutineers: str = "", issued: int | None = None, parent_id: int | None = None,
               agenda_item_id: int | None = None) -> VoteRound:
    """开始投票: a selection (票决, ``seats`` = N) or evaluation (测评) round at a session with
    quorum; ``issued`` blank ballots for the deputies present (paper: as many as staff give out,
    at most the number present; phone: one per deputy present)."""
    s = lock(Session, session_id)
    policy.require(actor, "open", s)
    if kind not in RoundKind.values:
        raise InvalidInput(_("投票类型不正确"), fields={"kind": _("不正确")})
    if basis not in RoundBasis.values:
        raise InvalidInput(_("过半数基数不正确"), fields={"basis": _("不正确")})
    if mode not in RoundMode.values:
        raise InvalidInput(_("投票方式不正确"), fields={"mode": _("不正确")})
    if not (title or "").strip():
        raise InvalidInput(_("请填写投票名称"), fields={"title": _("必填")})
    opts = _clean_options(options)
    if kind == RoundKind.SELECT:
        if seats is None or seats < 1:
            raise InvalidInput(_("请填写应选数（至少为1）"), fields={"seats": _("至少为1")})
        if seats > len(opts):
            raise InvalidInput(_("应选数 {seats} 不能多于投票事项数 {n}").format(n=len(opts), seats=seats),
                               fields={"seats": _("多于投票事项数")})
    else:
        seats = None
    quorum = selectors.session_quorum(s)
    if not quorum.reached:
        raise Conflict(_("出席代表 {present} 人，未达到法定人数（全体代表 {all} 人的 {num}/{den}，至少 {needed} 人），"
                         "不能开始投票").format(present=quorum.present, all=quorum.all, num=s.quorum_numerator,
                                               den=s.quorum_denominator, needed=quorum.needed),
                       code="no_quorum")
    present = quorum.present
    if mode == RoundMode.PHONE or issued is None:
        issued = present
    elif issued < 1 or issued > present:
        raise InvalidInput(_("发出选票数须在 1 至出席代表数 {present} 之间").format(present=present),
                           fields={"issued": _("不正确")})
    agenda_item = None
    if agenda_item_id is not None:
        agenda_item = AgendaItem.objects.filter(pk=agenda_item_id, session=s).first()
        if agenda_item is None:
            raise InvalidInput(_("议程不属于本次会议"), fields={"agenda_item": _("不属于本次会议")})
    parent = None
    if parent_id is not None:
        parent = VoteRound.objects.filter(pk=parent_id, session=s).first()
        if parent is None:
            raise InvalidInput(_("上一轮投票不属于本次会议"), fields={"parent": _("不属于本次会议")})
    if s.rounds.filter(state=RoundState.OPEN).exists():
        raise Conflict(_("本次会议另有投票正在进行，请先结束该投票"))
    r = VoteRound(session=s, agenda_item=agenda_item, kind=kind, title=title.strip(), seats=seats, basis=basis,
                  mode=mode, parent=parent, chief_scrutineer=(chief_scrutineer or "").strip(),
                  scrutineers=(scrutineers or "").strip(), all_count=quorum.all, present_count=present,
                  issued=issued, returned=0)
    workflow.next_state(r.state, Action.OPEN)
    r.state = RoundState.OPEN
    r.opened_at = timezone.now()
    full_clean(r)
    r.save(force_insert=True)
    VoteOption.objects.bulk_create(
        [VoteOption(round=r, ref_kind=o.ref_kind, ref_id=o.ref_id, label=o.label[:200], order=i + 1)
         for i, o in enumerate(opts)])
    ballots = [Ballot(id=uuid.uuid4(), round=r) for _i in range(issued)]
    _rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots)
    record(actor=actor, verb="congress.round_open", target=r, after=_totals(r) | {
        "投票事项": [o.label for o in opts], "seats": seats, "basis": basis, "mode": mode})
    if mode == RoundMode.PHONE:
        voters = sorted(selectors.present_deputy_ids(s))
        transaction.on_commit(partial(_notify_voters, r.pk, voters,
                                      _("请投票：{title}").format(title=r.title)))
    return r


def _open_round(round_id: int, action: Action, actor: Actor, perm: str) -> VoteRound:
    r = VoteRound.objects.select_for_update().filter(pk=round_id).first()
    if r is None:
        raise NotFound()
    r.session = Session.objects.get(pk=r.session_id)
    policy.require(actor, perm, r)
    if r.state != RoundState.OPEN:
        raise Conflict(_("投票已结束，不能再投票或修改") if r.is_over else _("投票尚未开始"), code="round_not_open")
    workflow.next_state(r.state, action)
    return r


def _clean_choices(r: VoteRound, choices: Mapping[int, str]) -> tuple[dict[str, str], bool]:
    """The choices keyed by option id (as text: JSON keys), each a known choice of the round's
    kind, every key one of its options; and whether the ballot is valid."""
    option_ids = set(r.options.values_list("pk", flat=True))
    allowed = workflow.choices_for(r.kind)
    out: dict[str, str] = {}
    for k, v in (choices or {}).items():
        try:
            key = int(k)
        except (TypeError, ValueError):
            raise InvalidInput(_("投票事项不正确"), fields={"choices": _("不正确")}) from None
        if key not in option_ids:
            raise InvalidInput(_("投票事项不属于本次投票"), fields={"choices": _("不属于本次投票")})
        if v in (None, ""):
            continue
        if v not in allowed:
            raise InvalidInput(_("选择「{v}」不正确").format(v=str(v)[:20]), fields={"choices": _("不正确")})
        out[str(key)] = v
    valid = workflow.ballot_is_valid(r.kind, {int(k): v for k, v in out.items()}, r.seats)
    return out, valid


def _fill_ballot(r: VoteRound, choices: dict[str, str], valid: bool) -> None:
    blank = list(Ballot.objects.select_for_update().filter(round_id=r.pk, filled=False).values_list("pk", flat=True))
    if not blank:
        raise Conflict(_("选票已全部收回（发出 {issued} 张）").format(issued=r.issued), code="no_ballot_left")
    pk = secrets.choice(blank)
    Ballot.objects.filter(pk=pk, filled=False).update(choices=choices, valid=valid, filled=True,
                                                      cast_on=timezone.localdate())
    r.returned = Ballot.objects.filter(round_id=r.pk, filled=True).count()
    r.save(update_fields=["returned", "updated_at"])


@transaction.atomic
def ballot_cast(*, actor: Actor, round_id: int, choices: Mapping[int, str]) -> None:
    """投票 (a deputy on a phone): once per round, only when present at the session; the ballot
    is filled with no link to the deputy; a selection ballot with more than N "for" is refused
    here (the phone shows the limit), one with no mark is refused too — the deputy is asked to
    mark or to abstain explicitly."""
    r = _open_round(round_id, Action.CAST, actor, "vote")
    if r.mode != RoundMode.PHONE:
        raise Conflict(_("本次投票使用纸质选票，请在会场填写选票"), code="paper_round")
    deputy_id = selectors.deputy_of(actor)
    if deputy_id is None:
        raise Conflict(_("只有人大代表才能投票"), code="not_deputy")
    if deputy_id not in selectors.present_deputy_ids(r.session):
        raise Conflict(_("您未登记出席本次会议，不能投票"), code="not_present")
    clean, valid = _clean_choices(r, choices)
    if not clean:
        raise InvalidInput(_("请至少对一个事项作出选择"), fields={"choices": _("未作选择")})
    if r.kind == RoundKind.SELECT and not valid:
        raise InvalidInput(_("赞成票不能超过应选数 {seats} 个").format(seats=r.seats),
                           fields={"choices": _("超过应选数")})
    # No look-up first: the database's unique constraint is the one guard (also against two
    # concurrent casts of the same deputy: one insert wins, the other fails here).
    try:
        with transaction.atomic():
            Voted.objects.create(round_id=r.pk, deputy_id=deputy_id)
    except IntegrityError:
        raise Conflict(_("您已投过票，每位代表只能投一次"), code="already_voted") from None
    _fill_ballot(r, clean, valid)
    record(actor=actor, verb="congress.ballot_cast", target=r)


@transaction.atomic
def ballot_enter(*, actor: Actor, round_id: int, choices: Mapping[int, str]) -> None:
    """录入选票 (staff, one paper ballot at a time, as marked: an invalid ballot — more than N
    "for", or no mark — is entered and counted as invalid)."""
    r = _open_round(round_id, Action.ENTER, actor, "enter")
    if r.mode != RoundMode.PAPER:
        raise Conflict(_("本次为手机投票，不需录入选票"), code="phone_round")
    clean, valid = _clean_choices(r, choices)
    _fill_ballot(r, clean, valid)
    record(actor=actor, verb="congress.ballot_enter", target=r)


def _reshuffle(r: VoteRound) -> None:
    """New ids and a new random order for the round's ballots and ``Voted`` rows (see the module)."""
    ballots = list(Ballot.objects.filter(round_id=r.pk).values("choices", "cast_on", "valid", "filled"))
    voted = list(Voted.objects.filter(round_id=r.pk).values_list("deputy_id", flat=True))
    Ballot.objects.filter(round_id=r.pk).delete()
    Voted.objects.filter(round_id=r.pk).delete()
    _rng.shuffle(ballots)
    _rng.shuffle(voted)
    Ballot.objects.bulk_create([Ballot(id=uuid.uuid4(), round_id=r.pk, **b) for b in ballots])
    Voted.objects.bulk_create([Voted(round_id=r.pk, deputy_id=d) for d in voted])


@transaction.atomic
def round_close(*, actor: Actor, round_id: int, returned: int | None = None) -> VoteRound:
    """结束投票并计票. Paper: ``returned`` (收回选票) may be given; it must equal the ballots
    entered unless it exceeds the ballots issued, which voids the round (no one elected).
    Stores the tally, tells the registered hooks (``hooks.on_round_closed``)."""
    r = _open_round(round_id, Action.CLOSE, actor, "close")
    entered = Ballot.objects.filter(round_id=r.pk, filled=True).count()
    if returned is None:
        returned = entered
    if returned < 0:
        raise InvalidInput(_("收回选票数不正确"), fields={"returned": _("不正确")})
    if returned <= r.issued and returned != entered:
        raise InvalidInput(_("收回选票 {returned} 张，已录入 {entered} 张：请录入全部收回的选票后再计票").format(
            returned=returned, entered=entered), fields={"returned": _("与已录入数不符")})
    r.returned = returned
    void = returned > r.issued
    r.state = workflow.next_state(r.state, Action.VOID if void else Action.CLOSE).value
    r.closed_at = timezone.now()
    result = selectors.compute_result(r)
    r.result = result.as_json()
    r.save(update_fields=["returned", "state", "closed_at", "result", "updated_at"])
    _reshuffle(r)
    totals = _totals(r) | {"有效票": result.valid, "无效票": result.invalid,
                           "当选": [o.label for o in result.elected] if r.kind == RoundKind.SELECT else None,
                           "另行投票": [o.label for o in result.tied]}
    record(actor=actor, verb="congress.round_void" if void else "congress.round_close", target=r, after=totals)
    kinds = set(r.options.values_list("ref_kind", flat=True))
    for handler in hooks.handlers_for(kinds):
        handler(r, result)
    return r


@transaction.atomic
def round_open_further(*, actor: Actor, round_id: int, issued: int | None = None) -> VoteRound:
    """另行投票: a further round among the options tied at the cut-off, for the seats left."""
    parent = VoteRound.objects.select_related("session").filter(pk=round_id).first()
    if parent is None:
        raise NotFound()
    policy.require(actor, "further", parent)
    if parent.state != RoundState.CLOSED:
        raise Conflict(_("只有已计票的投票才能另行投票"))
    result = selectors.round_result(parent)
    if not result.needs_further_round:
        raise Conflict(_("本轮投票没有并列票数，不需要另行投票"))
    if parent.further_rounds.exists():
        raise Conflict(_("已就本轮的并列事项另行投票"))
    options = [OptionSpec(o.ref_kind, o.ref_id, o.label) for o in result.tied]
    return round_open(actor=actor, session_id=parent.session_id, kind=parent.kind,
                      title=_("{title}（另行投票）").format(title=parent.title), options=options,
                      seats=result.seats_left, basis=parent.basis, mode=parent.mode,
                      chief_scrutineer=parent.chief_scrutineer, scrutineers=parent.scrutineers, issued=issued,
                      parent_id=parent.pk, agenda_item_id=parent.agenda_item_id)
