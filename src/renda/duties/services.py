"""The only writers of duties (代表履职): one keyword-only, typed function per verb.

Each runs in one transaction, checks the policy (404/403), asks the workflow table for the next
state (``IllegalTransition``), writes the change, a timeline row and an audit event.

QR sign-in (扫码签到): each activity's link carries ``{"a": activity id, "e": expiry}`` signed
with ``django.core.signing`` under the salt ``SIGNIN_SALT``. It is accepted from 2 hours before
the activity starts (its start time, or 00:00 without one) until the end of the activity's day
(24:00, Asia/Shanghai) — ``signin_window`` — and refuses a forged link, an expired link, a user
who is not a participant and a second sign-in, each with its own message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.audit.services import record, snapshot
from renda.core import attachments, sequences, uploads
from renda.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from renda.core.services import (
    actor_user,
    business_date,
    check_edges,
    commit_transition,
    create_audited,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
    update_audited,
)
from renda.core.types import Actor
from renda.duties import policy, selectors, workflow
from renda.duties.models import (
    Activity,
    ActivityAttachment,
    ActivitySuggestion,
    ActivityTransition,
    ActivityType,
    Attendance,
    Award,
    AwardRecipient,
    Cadence,
    DutySettings,
    OrganizerKind,
    Participation,
    SignInVia,
    VoterReport,
    VoterReportTransition,
)
from renda.duties.workflow import Action, ReportAction, ReportState, State
from renda.notifications.services import notify
from renda.people.models import Deputy
from renda.places.models import Region
from renda.suggestions import services as suggestion_services

CODE_PREFIX = "HD"
SIGNIN_SALT = "renda.duties.signin"
#: The sign-in opens this long before the activity starts and closes at the end of its day.
SIGNIN_EARLY = dt.timedelta(hours=2)


# --- helpers ------------------------------------------------------------------------------------


def _snap(a: Activity) -> dict[str, Any]:
    data = {k: v.isoformat(timespec="minutes") if isinstance(v, dt.time) else v for k, v in snapshot(a).items()}
    if a.pk is not None:
        data["participants"] = [f"{p.deputy.name}:{p.attendance}"
                                for p in a.participations.select_related("deputy").order_by("id")]
    return data


def _history(a: Activity, *, action: Action, actor: Actor, on: dt.date, from_state: str, comment: str = ""
             ) -> ActivityTransition:
    return record_transition(ActivityTransition, activity=a, action=action, from_state=from_state,
                             to_state=a.state, actor=actor, on=on, comment=comment)


def _open(*, actor: Actor, activity_id: int, action: Action | str, expected_state: str | None = None) -> Activity:
    a = lock(Activity, activity_id)
    policy.require(actor, action, a)
    if expected_state is not None and a.state != expected_state:
        raise Conflict(_("该活动已被他人处理，请刷新后重试"), code="stale")
    return a


def code_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"duty_activity:{year}", f"{CODE_PREFIX}{year}-", Activity.objects.all())


def _check_deputies(town: Region, deputies: Sequence[Deputy]) -> list[Deputy]:
    out: list[Deputy] = []
    for d in deputies:
        if d.town_id != town.pk or not d.is_active:
            raise InvalidInput(_("代表「{name}」不属于{town}或已停用").format(name=d.name, town=town.name),
                               fields={"deputies": _("不可用")})
        if d not in out:
            out.append(d)
    return out


def _check_fields(type_: str, organizer_kind: str) -> None:
    if type_ not in ActivityType.values:
        raise InvalidInput(_("活动类型不正确"), fields={"type": _("不正确")})
    if organizer_kind not in OrganizerKind.values:
        raise InvalidInput(_("组织方类别不正确"), fields={"organizer_kind": _("不正确")})


# --- activities ---------------------------------------------------------------------------------


@transaction.atomic
def activity_plan(
    *, actor: Actor, town: Region, type: str, title: str, on: dt.date, starts_at: dt.time | None = None,
    ends_at: dt.time | None = None, place: str = "", organizer: str = "",
    organizer_kind: str = OrganizerKind.PRESIDIUM, group_name: str = "", content: str = "",
    deputies: Sequence[Deputy] = (), code: str | None = None,
) -> Activity:
    """安排活动: a new activity (state ``planned``) with its invited deputies."""
    _check_fields(type, organizer_kind)
    if starts_at and ends_at and ends_at < starts_at:
        raise InvalidInput(_("结束时间不能早于开始时间"), fields={"ends_at": _("早于开始时间")})
    a = Activity(code=(code or "").strip(), town=town, type=type, title=required_text(title, "title",
                 _("请填写活动名称")), on=on, starts_at=starts_at, ends_at=ends_at, place=(place or "").strip(),
                 organizer=(organizer or "").strip() or (town.name + str(OrganizerKind.PRESIDIUM.label)
                                                        if organizer_kind == OrganizerKind.PRESIDIUM else ""),
                 organizer_kind=organizer_kind, group_name=(group_name or "").strip(),
                 content=(content or "").strip(), state=State.PLANNED, created_by=actor_user(actor))
    check_edges(a)
    policy.require(actor, Action.PLAN, a)
    chosen = _check_deputies(town, deputies)
    if code:
        code_series(on.year).note(code)
    insert_coded(a, code=code, next_code=lambda: code_series(on.year).next())
    Participation.objects.bulk_create([Participation(activity=a, deputy=d) for d in chosen])
    # A past activity (an import, the demo) is recorded as planned by its own date.
    _history(a, action=Action.PLAN, actor=actor, on=min(timezone.localdate(), on), from_state="")
    record(actor=actor, verb="duty_activity.plan", target=a, before=None, after=_snap(a))
    return a


@transaction.atomic
def activity_update(*, actor: Actor, activity_id: int, changes: dict[str, Any],
                    deputies: Sequence[Deputy] | None = None) -> tuple[Activity, bool]:
    """修改活动: its fields (not its town nor state) and the invited deputies (a deputy who already
    signed in stays)."""
    a = _open(actor=actor, activity_id=activity_id, action="change")
    if a.state not in (State.PLANNED, State.HELD):
        raise InvalidInput(_("「{state}」的活动不能修改").format(state=workflow.label(State(a.state))))
    allowed = {"type", "title", "on", "starts_at", "ends_at", "place", "organizer", "organizer_kind",
               "group_name", "content", "outcome", "findings"}
    bad = set(changes) - allowed
    if bad:
        raise InvalidInput(_("不能修改：{f}").format(f="、".join(sorted(bad))))
    _check_fields(changes.get("type", a.type), changes.get("organizer_kind", a.organizer_kind))
    if "title" in changes:
        changes["title"] = required_text(changes["title"], "title", _("请填写活动名称"))
    if a.state == State.HELD and changes.get("on", a.on) > timezone.localdate():
        raise InvalidInput(_("已开展的活动日期不能晚于今天"), fields={"on": _("不能晚于今天")})
    starts, ends = changes.get("starts_at", a.starts_at), changes.get("ends_at", a.ends_at)
    if starts and ends and ends < starts:
        raise InvalidInput(_("结束时间不能早于开始时间"), fields={"ends_at": _("早于开始时间")})
    before = _snap(a)
    changed = False
    if deputies is not None:
        chosen = _check_deputies(a.town, deputies)
        ids = {d.pk for d in chosen}
        existing = {p.deputy_id: p for p in a.participations.all()}
        for deputy_id, p in existing.items():
            if deputy_id not in ids:
                if p.attendance == Attendance.ATTENDED:
                    raise InvalidInput(_("代表「{name}」已签到，不能移出").format(name=p.deputy.name),
                                       fields={"deputies": _("已签到")})
                p.delete()
                changed = True
        new = [Participation(activity=a, deputy=d) for d in chosen if d.pk not in existing]
        if new:
            Participation.objects.bulk_create(new)
            changed = True
    for name, value in changes.items():
        setattr(a, name, value.strip() if isinstance(value, str) else value)
    full_clean(a)
    after = _snap(a)
    if after == before and not changed:
        return a, False
    a.save()
    record(actor=actor, verb="duty_activity.update", target=a, before=before, after=_snap(a))
    return a, True


def _move(*, actor: Actor, activity_id: int, action: Action, on: dt.date | None, comment: str = "",
          expected_state: str | None = None, **fields: Any) -> Activity:
    a = _open(actor=actor, activity_id=activity_id, action=action, expected_state=expected_state)
    before, from_state = _snap(a), a.state
    a.state = workflow.next_state(a.state, action)
    for k, v in fields.items():
        setattr(a, k, v)
    return commit_transition(a, history=_history, snap=_snap, verb=f"duty_activity.{action.value}", action=action,
                             actor=actor, on=business_date(on), from_state=from_state, before=before,
                             comment=comment)


@transaction.atomic
def activity_hold(*, actor: Actor, activity_id: int, outcome: str | None = None, on: dt.date | None = None,
                  expected_state: str | None = None) -> Activity:
    """确认已开展: planned → held (not before the activity's date); the invited deputies who did
    not sign in are marked absent unless recorded otherwise."""
    a = Activity.objects.filter(pk=activity_id).first()
    if a is None:
        raise NotFound()
    if a.on > timezone.localdate():
        raise InvalidInput(_("活动日期 {on} 还未到，不能确认已开展").format(on=a.on.isoformat()))
    extra = {} if outcome is None else {"outcome": outcome.strip()}
    a = _move(actor=actor, activity_id=activity_id, action=Action.HOLD, on=on or a.on,
              expected_state=expected_state, **extra)
    a.participations.filter(attendance=Attendance.EXPECTED).update(attendance=Attendance.ABSENT,
                                                                  updated_at=timezone.now())
    return a


@transaction.atomic
def activity_archive(*, actor: Actor, activity_id: int, on: dt.date | None = None,
                     expected_state: str | None = None) -> Activity:
    """归档: held → archived (nothing changes after)."""
    return _move(actor=actor, activity_id=activity_id, action=Action.ARCHIVE, on=on, expected_state=expected_state)


@transaction.atomic
def activity_cancel(*, actor: Actor, activity_id: int, reason: str, expected_state: str | None = None) -> Activity:
    """取消活动 with a reason: planned → cancelled."""
    reason = required_text(reason, "reason", _("请填写取消理由"))
    return _move(actor=actor, activity_id=activity_id, action=Action.CANCEL, on=None, comment=reason,
                 expected_state=expected_state)


@transaction.atomic
def activity_set_attendance(*, actor: Actor, activity_id: int, deputy: Deputy, attendance: str, note: str = "",
                            via: str = SignInVia.OFFICE) -> tuple[Participation, bool]:
    """登记出席情况 (the office, or an import): a deputy's attendance — added to the participants
    when not invited yet."""
    a = _open(actor=actor, activity_id=activity_id, action=Action.ATTENDANCE)
    workflow.next_state(a.state, Action.ATTENDANCE)
    if attendance not in Attendance.values:
        raise InvalidInput(_("出席情况不正确"), fields={"attendance": _("不正确")})
    _check_deputies(a.town, [deputy])
    p = Participation.objects.filter(activity=a, deputy=deputy).first()
    if p is None:
        p = Participation(activity=a, deputy=deputy)
    before = {"deputy": deputy.name, "attendance": p.attendance if p.pk else "", "note": p.note}
    new_note = (note or "").strip()
    if p.pk and p.attendance == attendance and p.note == new_note:
        return p, False
    p.attendance, p.note = attendance, new_note
    p.via = via if attendance == Attendance.ATTENDED else ""
    if attendance == Attendance.ATTENDED and p.signed_in_at is None and via != SignInVia.IMPORT:
        p.signed_in_at = timezone.now() if a.on == timezone.localdate() else None
    if attendance != Attendance.ATTENDED:
        p.signed_in_at = None
    full_clean(p)
    p.save()
    record(actor=actor, verb="duty_activity.attendance", target=a, before=before,
           after={"deputy": deputy.name, "attendance": attendance, "note": p.note})
    return p, True


# --- QR sign-in ---------------------------------------------------------------------------------


def signin_window(a: Activity) -> tuple[dt.datetime, dt.datetime]:
    """[opens, closes): from 2 hours before the start (00:00 without a start time) to the end of
    the activity's day, local time."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(a.on, a.starts_at or dt.time(0), tzinfo=tz) - SIGNIN_EARLY
    end = dt.datetime.combine(a.on + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


def signin_token(a: Activity) -> str:
    """The signed part of the activity's sign-in link: the activity and the link's expiry."""
    _start, end = signin_window(a)
    return signing.dumps({"a": a.pk, "e": int(end.timestamp())}, salt=SIGNIN_SALT, compress=True)


FORGED = _("签到链接无效：二维码不完整或已被篡改，请扫描活动现场张贴的二维码")


def read_token(token: str) -> tuple[int, dt.datetime]:
    """The activity id and expiry a sign-in link carries; a forged or damaged one is refused."""
    try:
        data = signing.loads(token or "", salt=SIGNIN_SALT)
        activity_id, expires = int(data["a"]), dt.datetime.fromtimestamp(int(data["e"]), tz=dt.UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise InvalidInput(str(FORGED), code="forged") from None
    return activity_id, expires


def _hhmm(t: dt.datetime) -> str:
    return timezone.localtime(t).strftime("%Y-%m-%d %H:%M")


def signin_check(*, actor: Actor, token: str, now: dt.datetime | None = None) -> tuple[Activity, Participation]:
    """What a sign-in would do, or why not (the page shows the refusal before the button)."""
    now = now or timezone.now()
    activity_id, expires = read_token(token)
    a = Activity.objects.select_related("town").filter(pk=activity_id).first()
    if a is None:
        raise InvalidInput(str(FORGED), code="forged")
    deputy_id = policy.deputy_of(actor) if actor is not None else None
    if not deputy_id:
        raise Forbidden(_("只有参加本次活动的代表可以签到，请使用代表本人的账号登录"))
    p = Participation.objects.select_related("deputy").filter(activity=a, deputy_id=deputy_id).first()
    if p is None:
        raise InvalidInput(_("您不在「{title}」的参加代表名单中，不能签到；如需参加请联系人大办").format(title=a.title),
                           code="not_participant")
    opens, closes = signin_window(a)
    if now < opens:
        raise InvalidInput(_("签到尚未开始：签到时间为 {opens} 至 {closes}").format(
            opens=_hhmm(opens), closes=_hhmm(closes - dt.timedelta(minutes=1))), code="not_yet")
    if now >= closes or now >= expires:
        raise InvalidInput(_("签到链接已过期：签到时间为 {opens} 至 {closes}，请联系人大办登记").format(
            opens=_hhmm(opens), closes=_hhmm(closes - dt.timedelta(minutes=1))), code="expired")
    if a.state not in (State.PLANNED, State.HELD):
        raise InvalidInput(_("活动{state}，不能签到").format(state=workflow.label(State(a.state))), code="closed")
    if p.attendance == Attendance.ATTENDED:
        raise _twice(p)
    return a, p


def _twice(p: Participation) -> Conflict:
    if p.signed_in_at is None:  # recorded as attended by the office
        return Conflict(_("您已登记出席，无需重复签到"), code="twice")
    return Conflict(_("您已于 {when} 签到，无需重复签到").format(when=_hhmm(p.signed_in_at)), code="twice")


@transaction.atomic
def activity_sign_in(*, actor: Actor, token: str, now: dt.datetime | None = None) -> Participation:
    """扫码签到: the deputy signs in through the activity's QR link; attendance ``attended`` with the time."""
    now = now or timezone.now()
    a, p = signin_check(actor=actor, token=token, now=now)
    a = lock(Activity, a.pk)
    p = Participation.objects.select_for_update().select_related("deputy").get(pk=p.pk)
    if p.attendance == Attendance.ATTENDED:  # a double tap: the second waits for the first
        raise _twice(p)
    workflow.next_state(a.state, Action.SIGN_IN)
    before = {"deputy": p.deputy.name, "attendance": p.attendance}
    p.attendance, p.signed_in_at, p.via = Attendance.ATTENDED, now, SignInVia.QR
    full_clean(p)
    p.save()
    record(actor=actor, verb="duty_activity.sign_in", target=a, before=before,
           after={"deputy": p.deputy.name, "attendance": p.attendance, "at": now.isoformat()})
    return p


# --- files and findings -------------------------------------------------------------------------


@transaction.atomic
def activity_attach(*, actor: Actor, activity_id: int, files: Sequence[Any],
                    kind: str = ActivityAttachment.Kind.REPORT) -> list[ActivityAttachment]:
    """上传材料或照片: report files (PDF) and photos (PNG/JPEG), checked by their content."""
    a = _open(actor=actor, activity_id=activity_id, action=Action.ATTACH)
    workflow.next_state(a.state, Action.ATTACH)
    if kind not in ActivityAttachment.Kind.values:
        raise InvalidInput(_("材料类别不正确"), fields={"kind": _("不正确")})
    if not files:
        raise InvalidInput(_("请选择要上传的文件"), fields={uploads.FIELD: _("必填")})
    checked = uploads.check_files(list(files), existing=a.attachments.count())
    saved = attachments.store(checked, lambda c: ActivityAttachment(
        activity=a, kind=kind, original_name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256,
        uploaded_by=actor_user(actor)))
    record(actor=actor, verb="duty_activity.attach", target=a, before=None,
           after={"attachments": attachments.listing(saved)}, comment=_("上传材料 {n} 个").format(n=len(saved)))
    return saved


@transaction.atomic
def activity_finding(*, actor: Actor, activity_id: int, title: str, content: str = "",
                     lead_deputy: Deputy | None = None) -> ActivitySuggestion:
    """发现问题转为意见建议: a finding of the activity registered as a deputy's suggestion
    (代表建议) through the suggestion services, linked to the activity and added to its findings."""
    a = _open(actor=actor, activity_id=activity_id, action=Action.FINDING)
    workflow.next_state(a.state, Action.FINDING)
    title = required_text(title, "title", _("请填写问题标题"))
    own = policy.deputy_of(actor) if actor is not None else None
    if lead_deputy is None and own:
        lead_deputy = Deputy.objects.filter(pk=own).first()
    if lead_deputy is None:
        raise InvalidInput(_("请选择领衔代表"), fields={"lead_deputy": _("必填")})
    if not a.participations.filter(deputy=lead_deputy).exists():
        raise InvalidInput(_("代表「{name}」不是本次活动的参加代表").format(name=lead_deputy.name),
                           fields={"lead_deputy": _("不是参加代表")})
    s = suggestion_services.suggestion_register(
        actor=actor, town=a.town, kind="deputy", title=title,
        content=(content or "").strip() or _("{activity}中发现的问题").format(activity=a.title),
        source="recess", lead_deputy=lead_deputy, on=min(timezone.localdate(), max(a.on, timezone.localdate())),
        comment=_("由履职活动「{code}」转来").format(code=a.code))
    link = ActivitySuggestion.objects.create(activity=a, suggestion=s)
    before = _snap(a)
    a.findings = (a.findings + "\n" if a.findings else "") + f"{title}（{s.code}）"
    full_clean(a)
    a.save()
    record(actor=actor, verb="duty_activity.finding", target=a, before=before, after=_snap(a), comment=s.code)
    return link


# --- awards and settings ------------------------------------------------------------------------


def _award_fields(*, recipient: str, deputy: Deputy | None, town: Region | None, title: str, body: str,
                  on: dt.date) -> dict[str, Any]:
    if on > timezone.localdate():
        raise InvalidInput(_("授予日期不能晚于今天"), fields={"on": _("不能晚于今天")})
    if recipient not in AwardRecipient.values:
        raise InvalidInput(_("请选择获奖对象"), fields={"recipient": _("不正确")})
    if recipient == AwardRecipient.DEPUTY:
        if deputy is None:
            raise InvalidInput(_("代表荣誉请选择代表"), fields={"deputy": _("必填")})
        if town is not None and deputy.town_id != town.pk:
            raise InvalidInput(_("代表「{name}」不属于{town}").format(name=deputy.name, town=town.name),
                               fields={"deputy": _("不属于该镇街")})
        town_id = deputy.town_id
    else:
        if town is None:
            raise InvalidInput(_("请选择所属镇街"), fields={"town": _("必填")})
        deputy, town_id = None, town.pk
    return {"recipient": recipient, "deputy": deputy, "town_id": town_id,
            "title": required_text(title, "title", _("请填写荣誉名称"), max_length=200),
            "body": required_text(body, "body", _("请填写授予单位"), max_length=100), "on": on}


@transaction.atomic
def award_create(*, actor: Actor, title: str, body: str, on: dt.date, deputy: Deputy | None = None,
                 recipient: str = AwardRecipient.DEPUTY, town: Region | None = None) -> Award:
    """登记荣誉 (not in the future): a deputy's (``deputy``), or the presidium's or the office's
    (``recipient``, ``town``)."""
    award = Award(**_award_fields(recipient=recipient, deputy=deputy, town=town, title=title, body=body, on=on))
    policy.require(actor, "create", award)
    return create_audited(award, actor=actor, verb="duty_award.create")


@transaction.atomic
def award_update(*, actor: Actor, award_id: int, title: str, body: str, on: dt.date, deputy: Deputy | None = None,
                 recipient: str = AwardRecipient.DEPUTY) -> tuple[Award, bool]:
    """修改荣誉 (within its town)."""
    award = lock(Award, award_id)
    policy.require(actor, "change", award)
    fields = _award_fields(recipient=recipient, deputy=deputy, town=award.town, title=title, body=body, on=on)
    fields.pop("town_id")
    return update_audited(award, actor=actor, verb="duty_award.update", changes=fields)


@transaction.atomic
def settings_update(*, actor: Actor, town: Region, weights: dict[str, int] | None = None,
                    per_suggestion: int | None = None, per_report: int | None = None,
                    report_cadence: str | None = None, min_present: int | None = None) -> tuple[DutySettings, bool]:
    """履职积分设置: the town's weights (0–100 each), cadence and minimum present (1–10000)."""
    current = DutySettings.objects.select_for_update().filter(town=town).first()
    obj = current or DutySettings(town=town)
    policy.require(actor, "change", obj)
    changes: dict[str, Any] = {}
    if weights is not None:
        clean: dict[str, int] = {}
        for key, value in weights.items():
            if key not in ActivityType.values:
                raise InvalidInput(_("活动类型不正确：{t}").format(t=key), fields={"weights": _("不正确")})
            if not isinstance(value, int) or not 0 <= value <= 100:
                raise InvalidInput(_("「{t}」的积分应为 0 至 100 的整数").format(t=ActivityType(key).label),
                                   fields={f"weight_{key}": _("应为 0–100")})
            clean[key] = value
        changes["weights"] = clean
    for name, points in (("per_suggestion", per_suggestion), ("per_report", per_report)):
        if points is not None:
            if not 0 <= points <= 100:
                raise InvalidInput(_("积分应为 0 至 100 的整数"), fields={name: _("应为 0–100")})
            changes[name] = points
    if report_cadence is not None:
        if report_cadence not in Cadence.values:
            raise InvalidInput(_("述职周期不正确"), fields={"report_cadence": _("不正确")})
        changes["report_cadence"] = report_cadence
    if min_present is not None:
        if not 1 <= min_present <= 10000:
            raise InvalidInput(_("最少到会人数应为 1 至 10000"), fields={"min_present": _("应为 1–10000")})
        changes["min_present"] = min_present
    if current is None:
        for k, v in changes.items():
            setattr(obj, k, v)
        return create_audited(obj, actor=actor, verb="duty_settings.update"), True
    return update_audited(obj, actor=actor, verb="duty_settings.update", changes=changes)


# --- reports to voters (述职评议) ------------------------------------------------------------------


def _report_snap(r: VoterReport) -> dict[str, Any]:
    return snapshot(r)


def _report_history(r: VoterReport, *, action: ReportAction, actor: Actor, on: dt.date, from_state: str,
                    comment: str = "") -> VoterReportTransition:
    return record_transition(VoterReportTransition, report=r, action=action, from_state=from_state,
                             to_state=r.state, actor=actor, on=on, comment=comment)


def _report_open(*, actor: Actor, report_id: int, action: ReportAction, expected_state: str | None = None
                 ) -> VoterReport:
    r = lock(VoterReport, report_id)
    policy.require(actor, action, r)
    if expected_state is not None and r.state != expected_state:
        raise Conflict(_("该述职报告已被他人处理，请刷新后重试"), code="stale")
    return r


def draft_text(deputy: Deputy, year: int) -> str:
    """A report drafted from the deputy's archive of ``year``, for the deputy to edit."""
    a = selectors.archive(deputy, dt.date(year, 1, 1), dt.date(year, 12, 31))
    lines = [_("各位选民："),
             _("我是{name}，现将{year}年履行代表职责的情况报告如下，请予评议。").format(name=deputy.name, year=year),
             _("一、参加会议情况：出席人代会 {n} 次。").format(
                 n=sum(1 for p in a.sessions if p.attendance == Attendance.ATTENDED)),
             _("二、视察调研情况：参加视察、调研、执法检查 {n} 次。").format(n=len(a.inspections))]
    for p in a.inspections:
        lines.append(f"  {p.activity.on.isoformat()} {p.activity.title}")
    lines += [_("三、学习培训情况：参加学习培训 {n} 次。").format(n=len(a.trainings)),
              _("四、代表小组活动：参加 {n} 次。").format(n=len(a.groups)),
              _("五、其他履职活动：参加 {n} 次。").format(n=len(a.others))]
    for p in a.others:
        lines.append(f"  {p.activity.on.isoformat()} {p.activity.get_type_display()}：{p.activity.title}")
    lines.append(_("六、提出意见建议 {n} 件。").format(n=len(a.suggestions)))
    for s in a.suggestions:
        lines.append(f"  {s.code} {s.title}")
    lines.append(_("七、存在的不足和今后的打算：（请代表本人填写）"))
    return "\n".join(str(x) for x in lines)


@transaction.atomic
def report_draft(*, actor: Actor, deputy: Deputy, year: int, text: str | None = None) -> VoterReport:
    """起草述职报告: one per deputy and year, drafted from the archive (the deputy edits it)."""
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise InvalidInput(_("述职年度不正确"), fields={"year": _("不正确")})
    r = VoterReport(town_id=deputy.town_id, deputy=deputy, year=year, state=ReportState.DRAFTING)
    r.town = deputy.town
    policy.require(actor, ReportAction.DRAFT, r)
    if VoterReport.objects.filter(deputy=deputy, year=year).exists():
        raise Conflict(_("{name} {year} 年的述职报告已存在").format(name=deputy.name, year=year),
                       fields={"year": _("已存在")})
    settings = selectors.settings_for(deputy.town_id)
    if settings.report_cadence == Cadence.TERM and VoterReport.objects.filter(
            deputy=deputy, year__gte=year - 4, year__lte=year + 4).exists():
        raise Conflict(_("本镇述职周期为每届一次，{name}本届已有述职报告").format(name=deputy.name),
                       fields={"year": _("本届已述职")})
    r.text = (text if text is not None else draft_text(deputy, year)).strip()
    create_audited(r, actor=actor, verb="voter_report.draft")
    _report_history(r, action=ReportAction.DRAFT, actor=actor, on=timezone.localdate(), from_state="")
    return r


def _report_commit(r: VoterReport, *, verb: str, action: ReportAction, actor: Actor, on: dt.date,
                   from_state: str, before: dict[str, Any], comment: str = "") -> VoterReport:
    return commit_transition(r, history=_report_history, snap=_report_snap, verb=verb,
                             action=action, actor=actor, on=on, from_state=from_state, before=before,
                             comment=comment)


@transaction.atomic
def report_edit(*, actor: Actor, report_id: int, text: str) -> tuple[VoterReport, bool]:
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.EDIT)
    workflow.report_next_state(r.state, ReportAction.EDIT)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("请填写述职报告"), fields={"text": _("必填")})
    return update_audited(r, actor=actor, verb="voter_report.edit", changes={"text": text})


@transaction.atomic
def report_submit(*, actor: Actor, report_id: int, expected_state: str | None = None) -> VoterReport:
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.SUBMIT, expected_state=expected_state)
    before, from_state = _report_snap(r), r.state
    r.state = workflow.report_next_state(r.state, ReportAction.SUBMIT)
    if not r.text.strip():
        raise InvalidInput(_("请先填写述职报告"), fields={"text": _("必填")})
    return _report_commit(r, verb="voter_report.submit", action=ReportAction.SUBMIT,
                          actor=actor, on=timezone.localdate(), from_state=from_state,
                          before=before)


@transaction.atomic
def report_return(*, actor: Actor, report_id: int, reason: str, expected_state: str | None = None) -> VoterReport:
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.RETURN, expected_state=expected_state)
    before, from_state = _report_snap(r), r.state
    r.state = workflow.report_next_state(r.state, ReportAction.RETURN)
    reason = required_text(reason, "reason", _("请填写退回理由"))
    return _report_commit(r, verb="voter_report.return", action=ReportAction.RETURN,
                          actor=actor, on=timezone.localdate(), from_state=from_state,
                          before=before, comment=reason)


@transaction.atomic
def report_rate(*, actor: Actor, report_id: int, meeting_on: dt.date, present: int, satisfied: int,
                basically_satisfied: int, dissatisfied: int, meeting_place: str = "",
                expected_state: str | None = None) -> VoterReport:
    """登记述职会议与测评: the meeting (date, place, number present — at least the town's minimum)
    and the counts announced on the spot. Only the three counts are stored: no row per voter."""
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.RATE, expected_state=expected_state)
    before, from_state = _report_snap(r), r.state
    r.state = workflow.report_next_state(r.state, ReportAction.RATE)
    if meeting_on > timezone.localdate():
        raise InvalidInput(_("会议日期不能晚于今天"), fields={"meeting_on": _("不能晚于今天")})
    minimum = selectors.settings_for(r.town_id).min_present
    workflow.check_tally(present=present, minimum=minimum, satisfied=satisfied, basically=basically_satisfied,
                         dissatisfied=dissatisfied)
    r.meeting_on, r.meeting_place, r.present = meeting_on, (meeting_place or "").strip(), present
    r.satisfied, r.basically_satisfied, r.dissatisfied = satisfied, basically_satisfied, dissatisfied
    comment = _("到会 {p} 人：满意 {a}，基本满意 {b}，不满意 {c}").format(
        p=present, a=satisfied, b=basically_satisfied, c=dissatisfied)
    return _report_commit(r, verb="voter_report.rate", action=ReportAction.RATE,
                          actor=actor, on=meeting_on, from_state=from_state,
                          before=before, comment=comment)


@transaction.atomic
def report_feedback(*, actor: Actor, report_id: int, feedback: str) -> tuple[VoterReport, bool]:
    """反馈意见: the voters' written opinions, fed back to the deputy."""
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.FEEDBACK)
    workflow.report_next_state(r.state, ReportAction.FEEDBACK)
    feedback = (feedback or "").strip()
    if not feedback:
        raise InvalidInput(_("请填写反馈意见"), fields={"feedback": _("必填")})
    out = update_audited(r, actor=actor, verb="voter_report.feedback", changes={"feedback": feedback})
    if out[1]:
        _notify_deputy(r, _("您的述职评议有新的反馈意见"))
    return out


def _notify_deputy(r: VoterReport, text: str) -> None:
    def send(report_id: int, deputy_id: int) -> None:
        notify(users=User.objects.filter(is_active=True, deputy_id=deputy_id).order_by("pk"),
               verb="voter_report.feedback", text=text, url=reverse("duty_reports:detail", args=[report_id]))

    transaction.on_commit(partial(send, r.pk, r.deputy_id))


@transaction.atomic
def report_file(*, actor: Actor, report_id: int, on: dt.date | None = None,
                expected_state: str | None = None) -> VoterReport:
    """报送主席团存档: rated → filed."""
    r = _report_open(actor=actor, report_id=report_id, action=ReportAction.FILE, expected_state=expected_state)
    before, from_state = _report_snap(r), r.state
    r.state = workflow.report_next_state(r.state, ReportAction.FILE)
    on = business_date(on, not_after_today=True)
    r.filed_on = on
    return _report_commit(r, verb="voter_report.file", action=ReportAction.FILE,
                          actor=actor, on=on, from_state=from_state, before=before)
