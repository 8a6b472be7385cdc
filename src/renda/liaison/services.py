"""The only writers of the liaison records (联系群众): one keyword-only, typed function per verb,
each in one transaction — policy first (404/403), then the domain rules (``InvalidInput`` with
a Chinese message naming the field), ``full_clean`` (the edge rule), the audit event; personal
data (voters, visitors) is masked in every snapshot.

``on`` is the business date; it defaults to today and may be earlier (imports, demo), never later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core import crypto, sequences
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.privacy import record_reveal
from renda.core.services import (
    actor_user,
    check_version,
    clean_text,
    commit_transition,
    create_audited,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
    set_active,
    update_audited,
)
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.liaison import policy, workflow
from renda.liaison.models import (
    Cadence,
    ContactWay,
    DeputyGroup,
    GroupMeeting,
    LiaisonSettings,
    PresidiumContact,
    Reception,
    ReceptionDay,
    ReceptionTransition,
    Station,
    StationKind,
    Voter,
    VoterContact,
)
from renda.liaison.workflow import Action, State
from renda.people.models import ContactAssignment, Deputy
from renda.places.models import Level, Region
from renda.suggestions import services as suggestion_services

CODE_PREFIX = "JD"


# --- shared checks --------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _date(on: dt.date | None, field: str = "on") -> dt.date:
    on = on or _today()
    if on > _today():
        raise InvalidInput(_("日期不能晚于今天"), fields={field: _("不能晚于今天")})
    return on


def _deputies_of_town(deputies: Sequence[Deputy], town: Region, field: str) -> list[Deputy]:
    out = []
    for d in deputies:
        if d.town_id != town.pk:
            raise InvalidInput(_("代表「{name}」不属于{town}").format(name=d.name, town=town.name),
                               fields={field: _("不属于该镇街")})
        if d not in out:
            out.append(d)
    return out


def _deputy_of_town(deputy: Deputy | None, town: Region, field: str = "deputy") -> Deputy:
    if deputy is None:
        raise InvalidInput(_("请选择代表"), fields={field: _("必填")})
    if deputy.town_id != town.pk:
        raise InvalidInput(_("代表「{name}」不属于{town}").format(name=deputy.name, town=town.name),
                           fields={field: _("不属于该镇街")})
    if not deputy.is_active:
        raise InvalidInput(_("代表「{name}」已停用").format(name=deputy.name), fields={field: _("已停用")})
    return deputy


def _village(village: Region | None, town: Region) -> Region | None:
    if village is not None and (village.level != Level.VILLAGE or village.town_id != town.pk):
        raise InvalidInput(_("村社区「{name}」不属于{town}").format(name=village.name, town=town.name),
                           fields={"village": _("不属于该镇街")})
    return village


def _way(way: str) -> str:
    if way not in ContactWay.values:
        raise InvalidInput(_("请选择联系方式"), fields={"way": _("不正确")})
    return way


def _phone(phone: str, field: str) -> str:
    phone = crypto.normalize_phone(phone or "")
    if phone and not is_phone(phone):
        raise InvalidInput(_("联系电话格式不正确"), fields={field: _("格式不正确")})
    return phone


# --- settings (targets) ---------------------------------------------------------------------


def settings_for(town: Region | int) -> LiaisonSettings:
    """The town's targets; the defaults (unsaved) when the town has set none."""
    town_id = town if isinstance(town, int) else town.pk
    found = LiaisonSettings.objects.filter(town_id=town_id).first()
    return found or LiaisonSettings(town_id=town_id)


@transaction.atomic
def settings_set(*, actor: Actor, town: Region, voter_contacts_per_year: int, presidium_contacts_per_quarter: int,
                 group_meetings_per_quarter: int) -> tuple[LiaisonSettings, bool]:
    """设置联系目标: the town's targets (one row per town)."""
    values = {"voter_contacts_per_year": voter_contacts_per_year,
              "presidium_contacts_per_quarter": presidium_contacts_per_quarter,
              "group_meetings_per_quarter": group_meetings_per_quarter}
    for field, value in values.items():
        if value is None or value < 0 or value > 1000:
            raise InvalidInput(_("目标须为 0 至 1000 之间的整数"), fields={field: _("不正确")})
    existing = LiaisonSettings.objects.filter(town=town).first()
    if existing is None:
        obj = LiaisonSettings(town=town, **values)
        policy.require(actor, "create", obj)
        return create_audited(obj, actor=actor, verb="liaison.settings"), True
    obj = lock(LiaisonSettings, existing.pk)
    policy.require(actor, "change", obj)
    return update_audited(obj, actor=actor, verb="liaison.settings", changes=values)


# --- deputy groups ------------------------------------------------------------------------


def _group_regions(regions: Sequence[Region], town: Region) -> list[Region]:
    for r in regions:
        if r.level not in {Level.VILLAGE, Level.GRID} or r.town_id != town.pk:
            raise InvalidInput(_("「{name}」不是{town}的村社区或网格").format(name=r.name, town=town.name),
                               fields={"regions": _("不属于该镇街")})
    return list(regions)


def _group_checks(town: Region, name: str, leader: Deputy | None, members: Sequence[Deputy],
                  regions: Sequence[Region], exclude_pk: int | None = None) -> tuple[str, list[Deputy], list[Region]]:
    name = required_text(name, "name", _("请填写小组名称"), max_length=100)
    if DeputyGroup.objects.filter(town=town, name=name).exclude(pk=exclude_pk or 0).exists():
        raise InvalidInput(_("{town}已有名为「{name}」的代表小组").format(town=town.name, name=name),
                           fields={"name": _("重名")})
    members = _deputies_of_town(members, town, "members")
    if leader is not None:
        _deputy_of_town(leader, town, "leader")
        if leader not in members:
            members = [leader, *members]
    return name, members, _group_regions(regions, town)


@transaction.atomic
def group_create(*, actor: Actor, town: Region, name: str, leader: Deputy | None = None,
                 members: Sequence[Deputy] = (), regions: Sequence[Region] = (), note: str = "") -> DeputyGroup:
    """新建代表小组."""
    name, members, regions = _group_checks(town, name, leader, members, regions)
    group = DeputyGroup(town=town, name=name, leader=leader, note=clean_text(note, "note"))
    policy.require(actor, "create", group)
    return create_audited(group, actor=actor, verb="liaison.group.create",
                          m2m={"members": members, "regions": regions})


@transaction.atomic
def group_update(*, actor: Actor, group_id: int, name: str, leader: Deputy | None, members: Sequence[Deputy],
                 regions: Sequence[Region], note: str = "") -> tuple[DeputyGroup, bool]:
    group = lock(DeputyGroup, group_id)
    policy.require(actor, "change", group)
    name, members, regions = _group_checks(group.town, name, leader, members, regions, exclude_pk=group.pk)
    return update_audited(group, actor=actor, verb="liaison.group.update",
                          changes={"name": name, "leader": leader, "note": clean_text(note, "note")},
                          m2m={"members": members, "regions": regions})


@transaction.atomic
def group_set_active(*, actor: Actor, group_id: int, active: bool, reason: str = "") -> DeputyGroup:
    group = lock(DeputyGroup, group_id)
    policy.require(actor, "deactivate", group)
    return set_active(group, actor=actor, verb="liaison.group.activate" if active else "liaison.group.deactivate",
                      active=active, comment=reason)


@transaction.atomic
def meeting_create(*, actor: Actor, group: DeputyGroup, on: dt.date | None, place: str, topics: str,
                   attendees: Sequence[Deputy] = ()) -> GroupMeeting:
    """记录小组活动: date, place, attendees (the group's deputies), topics."""
    meeting = GroupMeeting(group=group, town_id=group.town_id, on=_date(on),
                           place=required_text(place, "place", _("请填写活动地点"), max_length=200),
                           topics=clean_text(topics, "topics"))
    if not meeting.topics:
        raise InvalidInput(_("请填写活动议题"), fields={"topics": _("必填")})
    policy.require(actor, "create", meeting)
    if not group.is_active:
        raise InvalidInput(_("代表小组「{name}」已停用").format(name=group.name), fields={"group": _("已停用")})
    attendees = _attendees(group, attendees)
    return create_audited(meeting, actor=actor, verb="liaison.meeting.create", m2m={"attendees": attendees})


def _attendees(group: DeputyGroup, attendees: Sequence[Deputy]) -> list[Deputy]:
    member_ids = set(group.members.values_list("pk", flat=True)) | {group.leader_id}
    for d in attendees:
        if d.pk not in member_ids:
            raise InvalidInput(_("「{name}」不是该小组的代表").format(name=d.name), fields={"attendees": _("不是组员")})
    return list(attendees)


@transaction.atomic
def meeting_update(*, actor: Actor, meeting_id: int, on: dt.date | None, place: str, topics: str,
                   attendees: Sequence[Deputy]) -> tuple[GroupMeeting, bool]:
    meeting = lock(GroupMeeting, meeting_id)
    policy.require(actor, "change", meeting)
    topics = clean_text(topics, "topics")
    if not topics:
        raise InvalidInput(_("请填写活动议题"), fields={"topics": _("必填")})
    return update_audited(meeting, actor=actor, verb="liaison.meeting.update",
                          changes={"on": _date(on), "topics": topics,
                                   "place": required_text(place, "place", _("请填写活动地点"), max_length=200)},
                          m2m={"attendees": _attendees(meeting.group, attendees)})


# --- voters (联系选民户) --------------------------------------------------------------------


def _voter_snap(v: Voter) -> dict[str, Any]:
    data = snapshot(v)
    data.update(v.masked())
    data.pop("phone_hash", None)
    return data


@transaction.atomic
def voter_create(*, actor: Actor, deputy: Deputy, name: str, phone: str = "", address: str = "",
                 village: Region | None = None, note: str = "") -> Voter:
    """登记联系选民户 (encrypted at rest)."""
    town = deputy.town
    name = required_text(name, "name", _("请填写选民姓名"), max_length=50)
    phone = _phone(phone, "phone")
    v = Voter(deputy=deputy, town=town, village=_village(village, town), name=name, phone=phone,
              address=clean_text(address, "address", max_length=200), phone_hash=crypto.phone_lookup_hash(phone),
              note=clean_text(note, "note", max_length=200))
    policy.require(actor, "create", v)
    _deputy_of_town(deputy, town)
    full_clean(v)
    v.save(force_insert=True)
    record(actor=actor, verb="liaison.voter.create", target=v, before=None, after=_voter_snap(v))
    return v


@transaction.atomic
def voter_update(*, actor: Actor, voter_id: int, name: str, phone: str = "", address: str = "",
                 village: Region | None = None, note: str = "") -> tuple[Voter, bool]:
    v = lock(Voter, voter_id)
    policy.require(actor, "change", v)
    before = _voter_snap(v)
    name = required_text(name, "name", _("请填写选民姓名"), max_length=50)
    phone = _phone(phone, "phone")
    changes = {"name": name, "phone": phone, "address": clean_text(address, "address", max_length=200),
               "village": _village(village, v.town), "note": clean_text(note, "note", max_length=200)}
    if all(getattr(v, k) == val for k, val in changes.items()):
        return v, False
    for k, val in changes.items():
        setattr(v, k, val)
    v.phone_hash = crypto.phone_lookup_hash(phone)
    full_clean(v)
    v.save()
    record(actor=actor, verb="liaison.voter.update", target=v, before=before, after=_voter_snap(v))
    return v, True


@transaction.atomic
def voter_set_active(*, actor: Actor, voter_id: int, active: bool, reason: str = "") -> Voter:
    v = lock(Voter, voter_id)
    policy.require(actor, "deactivate", v)
    if v.is_active == active:
        raise InvalidInput(_("该选民户已经启用") if active else _("该选民户已经停用"))
    before = _voter_snap(v)
    v.is_active = active
    v.save()
    record(actor=actor, verb="liaison.voter.activate" if active else "liaison.voter.deactivate", target=v,
           before=before, after=_voter_snap(v), comment=reason)
    return v


@transaction.atomic
def voter_reveal(*, actor: Actor, voter_id: int, reason: str) -> Voter:
    """查看选民个人信息: for the deputy themself and the town's office and presidium, with a reason."""
    v = Voter.objects.filter(pk=voter_id).first()
    if v is None:
        raise NotFound()
    policy.require(actor, "reveal", v)
    record_reveal(actor=actor, target=v, fields=["name", "phone", "address"], reason=reason)
    return v


# --- voter contacts (联系选民) --------------------------------------------------------------


def _contact_voters(deputy: Deputy, voters: Sequence[Voter]) -> list[Voter]:
    for v in voters:
        if v.deputy_id != deputy.pk:
            raise InvalidInput(_("所选选民户不是该代表联系的选民"), fields={"voters": _("不是该代表的联系选民")})
    return list(voters)


def _households(households: int | None, voters: Sequence[Voter]) -> int:
    n = households if households is not None else 0
    n = max(n, len(voters))
    if n < 1:
        raise InvalidInput(_("联系选民户数至少为 1"), fields={"households": _("至少为 1")})
    if n > 10000:
        raise InvalidInput(_("联系选民户数过大"), fields={"households": _("过大")})
    return n


@transaction.atomic
def voter_contact_create(*, actor: Actor, deputy: Deputy, on: dt.date | None, way: str, households: int | None = 1,
                         voters: Sequence[Voter] = (), place: str = "", issues: str = "") -> VoterContact:
    """记录联系选民: the deputy's contact with voters (date, way, households met, issues raised)."""
    c = VoterContact(town_id=deputy.town_id, deputy=deputy, on=_date(on), way=_way(way),
                     households=_households(households, voters), place=clean_text(place, "place", max_length=200),
                     issues=clean_text(issues, "issues"), recorded_by=actor_user(actor))
    policy.require(actor, "create", c)
    _deputy_of_town(deputy, deputy.town)
    return create_audited(c, actor=actor, verb="liaison.voter_contact.create",
                          m2m={"voters": _contact_voters(deputy, voters)})


@transaction.atomic
def voter_contact_update(*, actor: Actor, contact_id: int, on: dt.date | None, way: str, households: int | None,
                         voters: Sequence[Voter] = (), place: str = "", issues: str = ""
                         ) -> tuple[VoterContact, bool]:
    c = lock(VoterContact, contact_id)
    policy.require(actor, "change", c)
    return update_audited(c, actor=actor, verb="liaison.voter_contact.update",
                          changes={"on": _date(on), "way": _way(way), "households": _households(households, voters),
                                   "place": clean_text(place, "place", max_length=200),
                                   "issues": clean_text(issues, "issues")},
                          m2m={"voters": _contact_voters(c.deputy, voters)})


@transaction.atomic
def voter_contact_to_suggestion(*, actor: Actor, contact_id: int, title: str, content: str = "") -> Any:
    """An issue raised becomes a suggestion (代表建议, the contact's deputy leading; 来源 代表收集),
    linked from the contact record."""
    c = lock(VoterContact, contact_id)
    policy.require(actor, "to_suggestion", c)
    if c.suggestion_id is not None:
        raise Conflict(_("该联系记录反映的问题已转为意见建议"))
    s = suggestion_services.suggestion_register(
        actor=actor, town=c.town, kind="deputy", title=title, content=content or c.issues,
        source="deputy_collected", lead_deputy=c.deputy,
        comment=_("由联系选民记录转入"))
    before = snapshot(c)
    c.suggestion = s
    c.save(update_fields=["suggestion", "updated_at"])
    record(actor=actor, verb="liaison.voter_contact.to_suggestion", target=c, before=before, after=snapshot(c),
           comment=s.code)
    return s


# --- presidium contacts (主席团成员联系代表) --------------------------------------------------


def _check_assignment(presidium_member: Deputy, deputy: Deputy) -> None:
    if not ContactAssignment.objects.filter(presidium_member=presidium_member, deputy=deputy,
                                            is_active=True).exists():
        raise InvalidInput(
            _("主席团成员「{p}」没有联系代表「{d}」的安排（请先在“主席团成员联系代表”中安排）").format(
                p=presidium_member.name, d=deputy.name),
            fields={"deputy": _("没有联系安排")})


@transaction.atomic
def presidium_contact_create(*, actor: Actor, presidium_member: Deputy, deputy: Deputy, on: dt.date | None,
                             way: str, content: str) -> PresidiumContact:
    """记录主席团成员联系代表: only for a pair with an active assignment (people.ContactAssignment)."""
    if presidium_member is None:
        raise InvalidInput(_("请选择主席团成员"), fields={"presidium_member": _("必填")})
    c = PresidiumContact(town_id=presidium_member.town_id, presidium_member=presidium_member, deputy=deputy,
                         on=_date(on), way=_way(way), content=clean_text(content, "content"),
                         recorded_by=actor_user(actor))
    if not c.content:
        raise InvalidInput(_("请填写联系内容"), fields={"content": _("必填")})
    policy.require(actor, "create", c)
    _deputy_of_town(deputy, presidium_member.town)
    _check_assignment(presidium_member, deputy)
    return create_audited(c, actor=actor, verb="liaison.presidium_contact.create")


@transaction.atomic
def presidium_contact_update(*, actor: Actor, contact_id: int, on: dt.date | None, way: str, content: str
                             ) -> tuple[PresidiumContact, bool]:
    c = lock(PresidiumContact, contact_id)
    policy.require(actor, "change", c)
    content = clean_text(content, "content")
    if not content:
        raise InvalidInput(_("请填写联系内容"), fields={"content": _("必填")})
    return update_audited(c, actor=actor, verb="liaison.presidium_contact.update",
                          changes={"on": _date(on), "way": _way(way), "content": content})


# --- stations and the reception-day roster --------------------------------------------------


def _station_fields(town: Region, name: str, kind: str, address: str, opening_hours: str, cadence: str,
                    village: Region | None, exclude_pk: int | None = None) -> dict[str, Any]:
    name = required_text(name, "name", _("请填写联络站名称"), max_length=100)
    if Station.objects.filter(town=town, name=name).exclude(pk=exclude_pk or 0).exists():
        raise InvalidInput(_("{town}已有名为「{name}」的联络站").format(town=town.name, name=name),
                           fields={"name": _("重名")})
    if kind not in StationKind.values:
        raise InvalidInput(_("类型不正确"), fields={"kind": _("不正确")})
    if cadence not in Cadence.values:
        raise InvalidInput(_("请选择接待日安排（每周或每月）"), fields={"cadence": _("不正确")})
    return {"name": name, "kind": kind, "village": _village(village, town), "cadence": cadence,
            "address": required_text(address, "address", _("请填写地址"), max_length=200),
            "opening_hours": clean_text(opening_hours, "opening_hours", max_length=200)}


@transaction.atomic
def station_create(*, actor: Actor, town: Region, name: str, address: str, kind: str = StationKind.STATION,
                   opening_hours: str = "", cadence: str = Cadence.MONTHLY, village: Region | None = None,
                   deputies: Sequence[Deputy] = ()) -> Station:
    """新建联络站."""
    s = Station(town=town, **_station_fields(town, name, kind, address, opening_hours, cadence, village))
    policy.require(actor, "create", s)
    return create_audited(s, actor=actor, verb="liaison.station.create",
                          m2m={"deputies": _deputies_of_town(deputies, town, "deputies")})


@transaction.atomic
def station_update(*, actor: Actor, station_id: int, name: str, address: str, kind: str, opening_hours: str,
                   cadence: str, village: Region | None, deputies: Sequence[Deputy]) -> tuple[Station, bool]:
    s = lock(Station, station_id)
    policy.require(actor, "change", s)
    return update_audited(s, actor=actor, verb="liaison.station.update",
                          changes=_station_fields(s.town, name, kind, address, opening_hours, cadence, village,
                                                  exclude_pk=s.pk),
                          m2m={"deputies": _deputies_of_town(deputies, s.town, "deputies")})


@transaction.atomic
def station_set_active(*, actor: Actor, station_id: int, active: bool, reason: str = "") -> Station:
    s = lock(Station, station_id)
    policy.require(actor, "deactivate", s)
    return set_active(s, actor=actor, verb="liaison.station.activate" if active else "liaison.station.deactivate",
                      active=active, comment=reason)


def _station_deputies(station: Station, deputies: Sequence[Deputy]) -> list[Deputy]:
    return _deputies_of_town(deputies, station.town, "deputies")


@transaction.atomic
def reception_day_create(*, actor: Actor, station: Station, on: dt.date, hours: str = "",
                         deputies: Sequence[Deputy] = (), note: str = "") -> ReceptionDay:
    """排接待日: one day of the station's roster (any date, past or future)."""
    if on is None:
        raise InvalidInput(_("请填写接待日期"), fields={"on": _("必填")})
    day = ReceptionDay(station=station, town_id=station.town_id, on=on,
                       hours=clean_text(hours or station.opening_hours, "hours", max_length=100),
                       note=clean_text(note, "note", max_length=200))
    policy.require(actor, "create", day)
    if not station.is_active:
        raise InvalidInput(_("联络站「{name}」已停用").format(name=station.name), fields={"station": _("已停用")})
    if ReceptionDay.objects.filter(station=station, on=on).exists():
        raise InvalidInput(_("{name}在 {on} 已有接待日").format(name=station.name, on=on.isoformat()),
                           fields={"on": _("已有接待日")})
    return create_audited(day, actor=actor, verb="liaison.reception_day.create",
                          m2m={"deputies": _station_deputies(station, deputies)})


@transaction.atomic
def reception_day_update(*, actor: Actor, day_id: int, hours: str, deputies: Sequence[Deputy], note: str = ""
                         ) -> tuple[ReceptionDay, bool]:
    day = lock(ReceptionDay, day_id)
    policy.require(actor, "change", day)
    return update_audited(day, actor=actor, verb="liaison.reception_day.update",
                          changes={"hours": clean_text(hours, "hours", max_length=100),
                                   "note": clean_text(note, "note", max_length=200)},
                          m2m={"deputies": _station_deputies(day.station, deputies)})


def roster_dates(cadence: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """The reception days of a cadence in [start, end]: weekly on ``start``'s weekday, monthly on
    ``start``'s day of the month (the month's last day when it is shorter)."""
    import calendar

    out: list[dt.date] = []
    if cadence == Cadence.WEEKLY:
        d = start
        while d <= end:
            out.append(d)
            d += dt.timedelta(days=7)
        return out
    year, month = start.year, start.month
    while True:
        day = min(start.day, calendar.monthrange(year, month)[1])
        d = dt.date(year, month, day)
        if d > end:
            return out
        out.append(d)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@transaction.atomic
def roster_plan(*, actor: Actor, station: Station, start: dt.date, end: dt.date,
                deputies: Sequence[Deputy] = ()) -> list[ReceptionDay]:
    """排班: the station's reception days by its cadence in [start, end] (existing days kept)."""
    if end < start:
        raise InvalidInput(_("结束日期早于开始日期"), fields={"end": _("早于开始日期")})
    if (end - start).days > 366:
        raise InvalidInput(_("一次最多安排一年的接待日"), fields={"end": _("超过一年")})
    taken = set(ReceptionDay.objects.filter(station=station, on__gte=start, on__lte=end).values_list("on", flat=True))
    return [reception_day_create(actor=actor, station=station, on=d, deputies=deputies)
            for d in roster_dates(station.cadence, start, end) if d not in taken]


# --- receptions (接待记录) ------------------------------------------------------------------


def _reception_snap(r: Reception) -> dict[str, Any]:
    data = snapshot(r)
    data["visitor_name"] = r.visitor_name_masked
    data["visitor_phone"] = r.visitor_phone_masked
    data.pop("phone_hash", None)
    return data


def _history(r: Reception, *, action: Action, actor: Actor, on: dt.date, from_state: str, comment: str = ""
             ) -> ReceptionTransition:
    return record_transition(ReceptionTransition, reception=r, action=action, from_state=from_state,
                             to_state=r.state, actor=actor, on=on, comment=comment)


def _open(*, actor: Actor, reception_id: int, action: Action, expected_state: str | None) -> Reception:
    r = lock(Reception, reception_id)
    policy.require(actor, action, r)
    check_version(r, expected_state, message=_("该接待记录已被他人处理，请刷新后重试"), of=attrgetter("state"))
    return r


def _step(r: Reception, *, actor: Actor, action: Action, on: dt.date | None, comment: str = "",
          changes: dict[str, Any] | None = None) -> Reception:
    on = _date(on)
    last = r.transitions.order_by("-on", "-id").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise InvalidInput(_("日期 {on} 早于上一步的日期 {last}").format(on=on.isoformat(), last=last.isoformat()),
                           fields={"on": _("早于上一步")})
    before, from_state = _reception_snap(r), r.state
    r.state = workflow.next_state(r.state, action)
    for k, v in (changes or {}).items():
        setattr(r, k, v)
    if r.state in workflow.TERMINAL:
        r.closed_on = on
    return commit_transition(r, history=_history, snap=_reception_snap, verb=f"liaison.reception.{action.value}",
                             action=action, actor=actor, on=on, from_state=from_state, before=before,
                             comment=comment)


def code_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"reception:{year}", f"{CODE_PREFIX}{year}-", Reception.objects.all())


@dataclass(frozen=True)
class VisitorIn:
    name: str
    phone: str = ""


@transaction.atomic
def reception_register(*, actor: Actor, station: Station, visitor: VisitorIn, matter: str, on: dt.date | None = None,
                       deputies: Sequence[Deputy] = (), visitors: int = 1, code: str | None = None) -> Reception:
    """登记接待: a visitor's matter at a station (the visitor encrypted, shown masked)."""
    on = _date(on)
    name = required_text(visitor.name, "visitor_name", _("请填写来访人姓名"), max_length=50)
    phone = _phone(visitor.phone, "visitor_phone")
    matter = clean_text(matter, "matter")
    if not matter:
        raise InvalidInput(_("请填写反映事项"), fields={"matter": _("必填")})
    if visitors is None or visitors < 1 or visitors > 1000:
        raise InvalidInput(_("来访人数须在 1 至 1000 之间"), fields={"visitors": _("不正确")})
    r = Reception(code=(code or "").strip(), town_id=station.town_id, station=station, on=on, visitor_name=name,
                  visitor_phone=phone, phone_hash=crypto.phone_lookup_hash(phone), matter=matter, visitors=visitors,
                  state=State.REGISTERED, recorded_by=actor_user(actor))
    policy.require(actor, Action.REGISTER, r)
    deputies = _station_deputies(station, deputies)
    full_clean(r, exclude=["code"])
    insert_coded(r, code=code, next_code=lambda: code_series(on.year).next(),
                 taken=lambda taken: Conflict(_("编号「{code}」已被使用，请重试").format(code=taken)))
    r.deputies.set(deputies)
    _history(r, action=Action.REGISTER, actor=actor, on=on, from_state="")
    record(actor=actor, verb="liaison.reception.register", target=r, before=None, after=_reception_snap(r))
    return r


@transaction.atomic
def reception_propose(*, actor: Actor, reception_id: int, proposal: str, on: dt.date | None = None,
                      expected_state: str | None = None) -> Reception:
    """提出办理意见."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.PROPOSE, expected_state=expected_state)
    proposal = clean_text(proposal, "proposal")
    if not proposal:
        raise InvalidInput(_("请填写办理意见"), fields={"proposal": _("必填")})
    return _step(r, actor=actor, action=Action.PROPOSE, on=on, comment=proposal, changes={"proposal": proposal})


@transaction.atomic
def reception_transfer(*, actor: Actor, reception_id: int, to: str, on: dt.date | None = None,
                       as_suggestion: bool = False, title: str = "", expected_state: str | None = None
                       ) -> Reception:
    """转办: to a unit named in words; with ``as_suggestion`` the matter is registered as a
    suggestion (群众意见建议, 来源 联络站), linked from the reception."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.TRANSFER, expected_state=expected_state)
    to = required_text(to, "to", _("请填写转办单位"), max_length=100)
    changes: dict[str, Any] = {"transferred_to": to}
    workflow.next_state(r.state, Action.TRANSFER)
    if as_suggestion:
        if r.suggestion_id is not None:
            raise Conflict(_("该接待事项已转为意见建议"))
        anonymous = not r.visitor_name
        s = suggestion_services.suggestion_register(
            actor=actor, town=r.town, kind="public", source="contact_station",
            title=required_text(title or r.matter[:60], "title", _("请填写意见建议标题"), max_length=200),
            content=r.matter, submitter_name=r.visitor_name, submitter_phone=r.visitor_phone, anonymous=anonymous,
            on=_date(on), comment=_("由联络站接待记录 {code} 转入").format(code=r.code))
        changes["suggestion"] = s
    return _step(r, actor=actor, action=Action.TRANSFER, on=on, comment=to, changes=changes)


@transaction.atomic
def reception_chase(*, actor: Actor, reception_id: int, note: str, on: dt.date | None = None,
                    expected_state: str | None = None) -> Reception:
    """督办 (may be repeated)."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.CHASE, expected_state=expected_state)
    note = required_text(note, "note", _("请填写督办情况"))
    return _step(r, actor=actor, action=Action.CHASE, on=on, comment=note)


@transaction.atomic
def reception_feedback(*, actor: Actor, reception_id: int, feedback: str, on: dt.date | None = None,
                       expected_state: str | None = None) -> Reception:
    """反馈: the answer given to the visitor."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.FEEDBACK, expected_state=expected_state)
    feedback = clean_text(feedback, "feedback")
    if not feedback:
        raise InvalidInput(_("请填写反馈情况"), fields={"feedback": _("必填")})
    return _step(r, actor=actor, action=Action.FEEDBACK, on=on, comment=feedback, changes={"feedback": feedback})


@transaction.atomic
def reception_file(*, actor: Actor, reception_id: int, on: dt.date | None = None, comment: str = "",
                   expected_state: str | None = None) -> Reception:
    """归档."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.FILE, expected_state=expected_state)
    return _step(r, actor=actor, action=Action.FILE, on=on, comment=clean_text(comment, "comment"))


@transaction.atomic
def reception_turn_away(*, actor: Actor, reception_id: int, route: str, on: dt.date | None = None,
                        expected_state: str | None = None) -> Reception:
    """涉法涉诉: a matter for a court, administrative review or arbitration is not handled here —
    recorded as turned away with the legal route given (required)."""
    r = _open(actor=actor, reception_id=reception_id, action=Action.TURN_AWAY, expected_state=expected_state)
    route = clean_text(route, "route")
    if not route:
        raise InvalidInput(_("请填写告知来访人的依法处理途径（如向法院起诉、申请行政复议或仲裁）"),
                           fields={"route": _("必填")})
    return _step(r, actor=actor, action=Action.TURN_AWAY, on=on, comment=route, changes={"route": route})


@transaction.atomic
def reception_reveal(*, actor: Actor, reception_id: int, reason: str) -> Reception:
    r = Reception.objects.filter(pk=reception_id).first()
    if r is None:
        raise NotFound()
    policy.require(actor, "reveal", r)
    record_reveal(actor=actor, target=r, fields=["visitor_name", "visitor_phone"], reason=reason)
    return r


# --- reminders (联系目标提醒) -----------------------------------------------------------------


#: The notification verb of each kind of reminder.
REMINDER_VERBS = {"voter": "liaison.voter", "presidium": "liaison.presidium", "office": "liaison.office"}


def _remind_once(user: Any, kind: str, period: str, today: dt.date, text: str, url: str) -> bool:
    from renda.liaison.models import Reminder
    from renda.notifications.services import notify

    if Reminder.objects.filter(user=user, kind=kind, period=period).exists():
        return False
    Reminder.objects.create(user=user, kind=kind, period=period, sent_on=today)
    notify(users=[user], verb=REMINDER_VERBS[kind], text=text, url=url)
    return True


@transaction.atomic
def liaison_remind(*, today: dt.date | None = None) -> dict[str, int]:
    """The contact-target reminders of the quarter just ended (``renda liaison_remind``, daily):
    deputies below the voter-contact target for the year up to that quarter's end (pro rata),
    presidium members who did not contact an assigned deputy in that quarter (with the list),
    and the town's office a summary (deputies without a presidium contact, those below the voter
    target, groups that did not meet). Each user gets one reminder of a kind per quarter: a
    second run sends nothing new."""
    from django.urls import reverse

    from renda.accounts.models import User
    from renda.liaison import selectors, targets

    today = today or _today()
    start, end = targets.previous_quarter(today)
    period = targets.quarter_code(start)
    year_start = dt.date(end.year, 1, 1)
    counts = {"voter": 0, "presidium": 0, "office": 0, "skipped": 0}
    users = User.objects.filter(is_active=True, town__isnull=False).select_related("deputy")
    town_ids = sorted(set(Deputy.objects.filter(is_active=True).values_list("town_id", flat=True)))
    for town_id in town_ids:
        below = selectors.below_voter_target([town_id], year_start, end, end)
        below_ids = {s.deputy.pk: s for s in below}
        behind = selectors.presidium_behind([town_id], start, end)
        without = list(selectors.deputies_without_contact(town_id, start, end))
        groups = selectors.groups_not_met([town_id], start, end)
        for u in users.filter(town_id=town_id, role__in=["deputy", "presidium"], deputy_id__in=list(below_ids)):
            s = below_ids[int(u.deputy_id or 0)]
            text = _("{period}：本年度截至 {end} 您联系选民 {n} 次，低于目标（应至少 {t:.1f} 次），"
                     "请及时联系选民并记录").format(period=period, end=end.isoformat(), n=s.count, t=s.target)
            sent = _remind_once(u, "voter", period, today, text, reverse("voter_contacts:create"))
            counts["voter" if sent else "skipped"] += 1
        for standing in behind:
            names = "、".join(d.name for d in standing.behind)
            for u in users.filter(town_id=town_id, role="presidium", deputy_id=standing.presidium_member.pk):
                text = _("{period}：您尚未按目标联系以下代表：{names}").format(period=period, names=names)
                sent = _remind_once(u, "presidium", period, today, text, reverse("presidium_contacts:create"))
                counts["presidium" if sent else "skipped"] += 1
        if not (below or behind or without or groups):
            continue
        names = "、".join(d.name for d in without[:30]) + ("…" if len(without) > 30 else "")
        text = _("{period}：无主席团成员联系的代表 {a} 名（{names}）；联系选民低于目标的代表 {b} 名；"
                 "未开展活动的代表小组 {c} 个").format(period=period, a=len(without), names=names or "—",
                                                b=len(below), c=len(groups))
        for u in users.filter(town_id=town_id, role="staff"):
            sent = _remind_once(u, "office", period, today, text, reverse("liaison:overview"))
            counts["office" if sent else "skipped"] += 1
    return counts
