"""Pages of the liaison records: a ``core.crud.Resource`` per record type (list with filters,
search, pagination, Excel export and phone cards; detail with history; create/edit), the
reception detail page with its workflow actions, the reveal pages of personal data, the roster
planner, the QR codes and the public landing pages they open. Thin: selectors → policy → services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import policy as base_policy
from renda.core.crud import (
    Column,
    DetailField,
    FilterForm,
    Resource,
    action_panel,
    add_error,
    date_text,
    dispatch_action,
    style_form,
    yes_no,
)
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.roles import Role
from renda.core.types import acting
from renda.liaison import forms, policy, qr, selectors, services, workflow
from renda.liaison.models import (
    DeputyGroup,
    GroupMeeting,
    LiaisonSettings,
    PresidiumContact,
    Reception,
    ReceptionDay,
    Station,
    Voter,
    VoterContact,
)
from renda.liaison.workflow import Action
from renda.people.models import Deputy


def _names(qs: Any) -> str:
    return "、".join(d.name for d in qs.all())


def _town(actor: Any, d: dict[str, Any]) -> Any:
    return d.get("town") or getattr(actor, "town", None)


def _own_deputy(actor: Any, d: dict[str, Any], field: str = "deputy") -> Deputy:
    if getattr(actor, "role", None) in {Role.DEPUTY, Role.PRESIDIUM} and getattr(actor, "deputy_id", None):
        return actor.deputy
    return d[field]


# --- settings (联系目标) ------------------------------------------------------------------------

_can, _require = policy.for_kind("settings")
settings_pages = Resource(
    name="liaison_settings", model=LiaisonSettings, label=gettext_lazy("联系目标"),
    label_plural=gettext_lazy("联系目标"), can=_can, require=_require, selector=selectors.settings_visible_to,
    columns=[
        Column("town", gettext_lazy("镇街"), lambda o: o.town.name, link=True, card="title"),
        Column("voter", gettext_lazy("每名代表每年联系选民"), lambda o: o.voter_contacts_per_year),
        Column("presidium", gettext_lazy("主席团成员每季度联系每名代表"), lambda o: o.presidium_contacts_per_quarter),
        Column("group", gettext_lazy("代表小组每季度活动"), lambda o: o.group_meetings_per_quarter),
    ],
    filter_form=FilterForm, default_sort="town__code", form_class=forms.SettingsForm,
    initial=lambda u, o: {} if o is None else {
        "voter_contacts_per_year": o.voter_contacts_per_year,
        "presidium_contacts_per_quarter": o.presidium_contacts_per_quarter,
        "group_meetings_per_quarter": o.group_meetings_per_quarter},
    create=lambda a, d: services.settings_set(
        actor=a, town=_town(a, d), voter_contacts_per_year=d["voter_contacts_per_year"],
        presidium_contacts_per_quarter=d["presidium_contacts_per_quarter"],
        group_meetings_per_quarter=d["group_meetings_per_quarter"])[0],
    update=lambda a, o, d: services.settings_set(
        actor=a, town=o.town, voter_contacts_per_year=d["voter_contacts_per_year"],
        presidium_contacts_per_quarter=d["presidium_contacts_per_quarter"],
        group_meetings_per_quarter=d["group_meetings_per_quarter"]),
    detail_fields=[
        DetailField(gettext_lazy("镇街"), lambda o: o.town.name),
        DetailField(gettext_lazy("每名代表每年联系选民（次）"), lambda o: o.voter_contacts_per_year),
        DetailField(gettext_lazy("主席团成员每季度联系每名代表（次）"), lambda o: o.presidium_contacts_per_quarter),
        DetailField(gettext_lazy("代表小组每季度活动（次）"), lambda o: o.group_meetings_per_quarter),
    ],
    export_name="联系目标",
)


# --- deputy groups and their meetings ---------------------------------------------------------


def _group_related(user: Any, g: DeputyGroup) -> list[dict[str, Any]]:
    members = [(f"{d.name}（{d.get_level_display()}）" + (_("・组长") if d.pk == g.leader_id else ""), None)
               for d in g.members.all()]
    regions = [(r.name, None) for r in g.regions.all()]
    meetings = [(f"{m.on.isoformat()} {m.place}", reverse("group_meetings:detail", args=[m.pk]))
                for m in g.meetings.order_by("-on")[:20]]
    return [{"title": _("组员"), "count": len(members), "rows": members},
            {"title": _("联系村社区/网格"), "count": len(regions), "rows": regions},
            {"title": _("小组活动"), "count": g.meetings.count(), "rows": meetings}]


def _last_meeting(g: DeputyGroup) -> str:
    on = getattr(g, "last_meeting_on", None)
    return on.isoformat() if on else ""


_can, _require = policy.for_kind("groups")
groups = Resource(
    name="deputy_groups", model=DeputyGroup, label=gettext_lazy("代表小组"), label_plural=gettext_lazy("代表小组"),
    can=_can, require=_require, selector=selectors.groups_visible_to,
    columns=[
        Column("name", gettext_lazy("小组名称"), lambda o: o.name, sort="name", link=True, card="title"),
        Column("leader", gettext_lazy("组长"), lambda o: o.leader.name if o.leader else ""),
        Column("members", gettext_lazy("组员"), lambda o: _names(o.members)),
        Column("regions", gettext_lazy("联系村社区/网格"), lambda o: "、".join(r.name for r in o.regions.all())),
        Column("last", gettext_lazy("最近活动"), _last_meeting, nowrap=True),
        Column("status", gettext_lazy("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("name", "leader__name", "members__name"), filter_form=forms.GroupFilter, default_sort="name",
    form_class=forms.GroupForm,
    initial=lambda u, o: {} if o is None else {
        "name": o.name, "leader": o.leader_id, "members": [d.pk for d in o.members.all()],
        "regions": [r.pk for r in o.regions.all()], "note": o.note},
    create=lambda a, d: services.group_create(actor=a, town=_town(a, d), name=d["name"], leader=d["leader"],
                                              members=list(d["members"]), regions=list(d["regions"]),
                                              note=d["note"]),
    update=lambda a, o, d: services.group_update(actor=a, group_id=o.pk, name=d["name"], leader=d["leader"],
                                                 members=list(d["members"]), regions=list(d["regions"]),
                                                 note=d["note"]),
    deactivate=lambda a, o, r: services.group_set_active(actor=a, group_id=o.pk, active=False, reason=r),
    activate=lambda a, o: services.group_set_active(actor=a, group_id=o.pk, active=True),
    detail_fields=[
        DetailField(gettext_lazy("小组名称"), lambda o: o.name),
        DetailField(gettext_lazy("组长"), lambda o: o.leader.name if o.leader else ""),
        DetailField(gettext_lazy("所属镇街"), lambda o: o.town.name),
        DetailField(gettext_lazy("备注"), lambda o: o.note),
    ],
    related=_group_related, export_name="代表小组",
)

_can, _require = policy.for_kind("meetings")
meetings = Resource(
    name="group_meetings", model=GroupMeeting, label=gettext_lazy("小组活动"), label_plural=gettext_lazy("小组活动"),
    can=_can, require=_require, selector=selectors.meetings_visible_to,
    columns=[
        Column("group", gettext_lazy("代表小组"), lambda o: o.group.name, sort="group__name", link=True, card="title"),
        Column("on", gettext_lazy("活动日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="code"),
        Column("place", gettext_lazy("地点"), lambda o: o.place),
        Column("attendees", gettext_lazy("参加代表"), lambda o: _names(o.attendees)),
        Column("topics", gettext_lazy("议题"), lambda o: o.topics),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("place", "topics", "group__name"), filter_form=forms.DateRangeFilter, default_sort="-on",
    form_class=forms.MeetingForm,
    initial=lambda u, o: {} if o is None else {
        "group": o.group_id, "on": o.on, "place": o.place, "topics": o.topics,
        "attendees": [d.pk for d in o.attendees.all()]},
    create=lambda a, d: services.meeting_create(actor=a, group=d["group"], on=d["on"], place=d["place"],
                                                topics=d["topics"], attendees=list(d["attendees"])),
    update=lambda a, o, d: services.meeting_update(actor=a, meeting_id=o.pk, on=d["on"], place=d["place"],
                                                   topics=d["topics"], attendees=list(d["attendees"])),
    detail_fields=[
        DetailField(gettext_lazy("代表小组"), lambda o: o.group.name),
        DetailField(gettext_lazy("活动日期"), lambda o: date_text(o.on)),
        DetailField(gettext_lazy("地点"), lambda o: o.place),
        DetailField(gettext_lazy("参加代表"), lambda o: _names(o.attendees)),
        DetailField(gettext_lazy("议题"), lambda o: o.topics),
    ],
    export_name="小组活动",
)


# --- voters (联系选民户) and voter contacts ---------------------------------------------------


def _voter_related(user: Any, v: Voter) -> list[dict[str, Any]]:
    out = []
    if policy.can(user, "reveal", v):
        out.append({"title": _("个人信息"), "count": 1,
                    "rows": [(_("查看完整个人信息（需说明理由，记入审计日志）"),
                              reverse("liaison:voter_reveal", args=[v.pk]))]})
    contacts = [(f"{c.on.isoformat()} {c.get_way_display()}", reverse("voter_contacts:detail", args=[c.pk]))
                for c in v.contacts.order_by("-on")[:20]]
    out.append({"title": _("联系记录"), "count": len(contacts), "rows": contacts})
    return out


_can, _require = policy.for_kind("voters")
voters = Resource(
    name="liaison_voters", model=Voter, label=gettext_lazy("联系选民户"), label_plural=gettext_lazy("联系选民户"),
    can=_can, require=_require, selector=selectors.voters_visible_to,
    columns=[
        Column("name", gettext_lazy("姓名"), lambda o: o.name_masked, link=True, card="title"),
        Column("phone", gettext_lazy("联系电话"), lambda o: o.phone_masked, nowrap=True),
        Column("address", gettext_lazy("住址"), lambda o: o.address_masked),
        Column("deputy", gettext_lazy("联系代表"), lambda o: o.deputy.name, sort="deputy__name", card="code"),
        Column("village", gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        Column("status", gettext_lazy("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("deputy__name", "note", "village__name"), filter_form=forms.GroupFilter, default_sort="deputy__name",
    form_class=forms.VoterForm,
    initial=lambda u, o: {} if o is None else {
        "deputy": o.deputy_id, "name": o.name, "phone": o.phone, "address": o.address, "village": o.village_id,
        "note": o.note},
    create=lambda a, d: services.voter_create(actor=a, deputy=_own_deputy(a, d), name=d["name"], phone=d["phone"],
                                              address=d["address"], village=d["village"], note=d["note"]),
    update=lambda a, o, d: services.voter_update(actor=a, voter_id=o.pk, name=d["name"], phone=d["phone"],
                                                 address=d["address"], village=d["village"], note=d["note"]),
    deactivate=lambda a, o, r: services.voter_set_active(actor=a, voter_id=o.pk, active=False, reason=r),
    activate=lambda a, o: services.voter_set_active(actor=a, voter_id=o.pk, active=True),
    detail_fields=[
        DetailField(gettext_lazy("姓名"), lambda o: o.name_masked),
        DetailField(gettext_lazy("联系电话"), lambda o: o.phone_masked),
        DetailField(gettext_lazy("住址"), lambda o: o.address_masked),
        DetailField(gettext_lazy("联系代表"), lambda o: o.deputy.name),
        DetailField(gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        DetailField(gettext_lazy("备注"), lambda o: o.note),
    ],
    related=_voter_related, export_name="联系选民户",
)


def _contact_related(user: Any, c: VoterContact) -> list[dict[str, Any]]:
    rows: list[tuple[str, str | None]] = [(v.name_masked, reverse("liaison_voters:detail", args=[v.pk]))
                                          for v in c.voters.all()]
    out = [{"title": _("联系选民户"), "count": len(rows), "rows": rows}]
    if c.suggestion is not None:
        out.append({"title": _("转为意见建议"), "count": 1,
                    "rows": [(f"{c.suggestion.code} {c.suggestion.title}",
                              reverse("suggestions:detail", args=[c.suggestion_id]))]})
    elif c.issues and policy.can(user, "to_suggestion", c):
        out.append({"title": _("转为意见建议"), "count": 0,
                    "rows": [(_("将反映的问题登记为代表建议"), reverse("liaison:to_suggestion", args=[c.pk]))]})
    return out


_can, _require = policy.for_kind("voter_contacts")
voter_contacts = Resource(
    name="voter_contacts", model=VoterContact, label=gettext_lazy("联系选民记录"),
    label_plural=gettext_lazy("代表联系选民"), can=_can, require=_require,
    selector=selectors.voter_contacts_visible_to,
    columns=[
        Column("deputy", gettext_lazy("代表"), lambda o: o.deputy.name, sort="deputy__name", link=True, card="title"),
        Column("on", gettext_lazy("联系日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="code"),
        Column("way", gettext_lazy("联系方式"), lambda o: o.get_way_display(), sort="way", card="state"),
        Column("households", gettext_lazy("联系选民（户）"), lambda o: o.households, sort="households"),
        Column("place", gettext_lazy("地点"), lambda o: o.place),
        Column("issues", gettext_lazy("反映问题"), lambda o: o.issues),
        Column("suggestion", gettext_lazy("转为意见建议"), lambda o: o.suggestion.code if o.suggestion else ""),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("deputy__name", "issues", "place"), filter_form=forms.ContactFilter, default_sort="-on",
    form_class=forms.VoterContactForm,
    initial=lambda u, o: {} if o is None else {
        "deputy": o.deputy_id, "on": o.on, "way": o.way, "households": o.households,
        "voters": [v.pk for v in o.voters.all()], "place": o.place, "issues": o.issues},
    create=lambda a, d: services.voter_contact_create(
        actor=a, deputy=_own_deputy(a, d), on=d["on"], way=d["way"], households=d["households"],
        voters=list(d["voters"]), place=d["place"], issues=d["issues"]),
    update=lambda a, o, d: services.voter_contact_update(
        actor=a, contact_id=o.pk, on=d["on"], way=d["way"], households=d["households"], voters=list(d["voters"]),
        place=d["place"], issues=d["issues"]),
    detail_fields=[
        DetailField(gettext_lazy("代表"), lambda o: o.deputy.name),
        DetailField(gettext_lazy("联系日期"), lambda o: date_text(o.on)),
        DetailField(gettext_lazy("联系方式"), lambda o: o.get_way_display()),
        DetailField(gettext_lazy("联系选民（户）"), lambda o: o.households),
        DetailField(gettext_lazy("地点"), lambda o: o.place),
        DetailField(gettext_lazy("反映问题"), lambda o: o.issues),
    ],
    related=_contact_related, export_name="代表联系选民",
)

_can, _require = policy.for_kind("presidium_contacts")
presidium_contacts = Resource(
    name="presidium_contacts", model=PresidiumContact, label=gettext_lazy("联系代表记录"),
    label_plural=gettext_lazy("主席团成员联系代表记录"), can=_can, require=_require,
    selector=selectors.presidium_contacts_visible_to,
    columns=[
        Column("presidium_member", gettext_lazy("主席团成员"), lambda o: o.presidium_member.name,
               sort="presidium_member__name", link=True, card="title"),
        Column("deputy", gettext_lazy("联系代表"), lambda o: o.deputy.name, sort="deputy__name", link=True),
        Column("on", gettext_lazy("联系日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="code"),
        Column("way", gettext_lazy("联系方式"), lambda o: o.get_way_display(), card="state"),
        Column("content", gettext_lazy("联系内容"), lambda o: o.content),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("presidium_member__name", "deputy__name", "content"), filter_form=forms.ContactFilter,
    default_sort="-on", form_class=forms.PresidiumContactForm,
    initial=lambda u, o: {} if o is None else {
        "presidium_member": o.presidium_member_id, "deputy": o.deputy_id, "on": o.on, "way": o.way,
        "content": o.content},
    create=lambda a, d: services.presidium_contact_create(
        actor=a, presidium_member=_own_deputy(a, d, "presidium_member") if getattr(a, "role", "") == Role.PRESIDIUM
        else d["presidium_member"], deputy=d["deputy"], on=d["on"], way=d["way"], content=d["content"]),
    update=lambda a, o, d: services.presidium_contact_update(actor=a, contact_id=o.pk, on=d["on"], way=d["way"],
                                                             content=d["content"]),
    detail_fields=[
        DetailField(gettext_lazy("主席团成员"), lambda o: o.presidium_member.name),
        DetailField(gettext_lazy("联系代表"), lambda o: o.deputy.name),
        DetailField(gettext_lazy("联系日期"), lambda o: date_text(o.on)),
        DetailField(gettext_lazy("联系方式"), lambda o: o.get_way_display()),
        DetailField(gettext_lazy("联系内容"), lambda o: o.content),
    ],
    export_name="主席团成员联系代表",
)


# --- stations, the roster, receptions ---------------------------------------------------------


def _station_related(user: Any, s: Station) -> list[dict[str, Any]]:
    deputies = [(f"{d.name}（{d.get_level_display()}）", reverse("liaison:deputy_qr_page", args=[d.pk]))
                for d in s.deputies.all()]
    days = [(f"{d.on.isoformat()} {d.hours} {_names(d.deputies)}", reverse("reception_days:detail", args=[d.pk]))
            for d in selectors.reception_days_visible_to(user).filter(station=s, on__gte=timezone.localdate())[:10]]
    return [
        {"title": _("二维码（群众扫码反映意见建议）"), "count": 1,
         "rows": [(_("查看并打印本站二维码"), reverse("liaison:station_qr_page", args=[s.pk]))]},
        {"title": _("进站代表（点击查看代表二维码）"), "count": len(deputies), "rows": deputies},
        {"title": _("近期接待日"), "count": len(days), "rows": days},
    ]


_can, _require = policy.for_kind("stations")
stations = Resource(
    name="stations", model=Station, label=gettext_lazy("联络站"), label_plural=gettext_lazy("代表联络站"),
    can=_can, require=_require, selector=selectors.stations_visible_to,
    columns=[
        Column("name", gettext_lazy("名称"), lambda o: o.name, sort="name", link=True, card="title"),
        Column("kind", gettext_lazy("类型"), lambda o: o.get_kind_display()),
        Column("village", gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        Column("address", gettext_lazy("地址"), lambda o: o.address),
        Column("hours", gettext_lazy("开放时间"), lambda o: o.opening_hours),
        Column("cadence", gettext_lazy("接待日安排"), lambda o: o.get_cadence_display(), card="state"),
        Column("deputies", gettext_lazy("进站代表"), lambda o: _names(o.deputies)),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("name", "address"), filter_form=forms.GroupFilter, default_sort="name",
    form_class=forms.StationForm,
    initial=lambda u, o: {} if o is None else {
        "name": o.name, "kind": o.kind, "village": o.village_id, "address": o.address,
        "opening_hours": o.opening_hours, "cadence": o.cadence, "deputies": [d.pk for d in o.deputies.all()]},
    create=lambda a, d: services.station_create(
        actor=a, town=_town(a, d), name=d["name"], kind=d["kind"], village=d["village"], address=d["address"],
        opening_hours=d["opening_hours"], cadence=d["cadence"], deputies=list(d["deputies"])),
    update=lambda a, o, d: services.station_update(
        actor=a, station_id=o.pk, name=d["name"], kind=d["kind"], village=d["village"], address=d["address"],
        opening_hours=d["opening_hours"], cadence=d["cadence"], deputies=list(d["deputies"])),
    deactivate=lambda a, o, r: services.station_set_active(actor=a, station_id=o.pk, active=False, reason=r),
    activate=lambda a, o: services.station_set_active(actor=a, station_id=o.pk, active=True),
    detail_fields=[
        DetailField(gettext_lazy("名称"), lambda o: o.name),
        DetailField(gettext_lazy("类型"), lambda o: o.get_kind_display()),
        DetailField(gettext_lazy("地址"), lambda o: o.address),
        DetailField(gettext_lazy("开放时间"), lambda o: o.opening_hours),
        DetailField(gettext_lazy("接待日安排"), lambda o: o.get_cadence_display()),
        DetailField(gettext_lazy("进站代表"), lambda o: _names(o.deputies)),
    ],
    related=_station_related, export_name="代表联络站",
)


def _published(o: ReceptionDay) -> str:
    return _("已公布") if o.is_published(timezone.localdate()) else _("{d} 公布").format(d=o.published_on.isoformat())


_can, _require = policy.for_kind("reception_days")
reception_days = Resource(
    name="reception_days", model=ReceptionDay, label=gettext_lazy("接待日"), label_plural=gettext_lazy("接待日安排"),
    can=_can, require=_require, selector=selectors.reception_days_visible_to,
    columns=[
        Column("station", gettext_lazy("联络站"), lambda o: o.station.name, sort="station__name", link=True,
               card="title"),
        Column("on", gettext_lazy("接待日期"), lambda o: date_text(o.on), sort="on", nowrap=True, card="code"),
        Column("hours", gettext_lazy("接待时间"), lambda o: o.hours),
        Column("deputies", gettext_lazy("接待代表"), lambda o: _names(o.deputies)),
        Column("published", gettext_lazy("公布"), _published, nowrap=True, card="state"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("station__name", "deputies__name"), filter_form=forms.DateRangeFilter, default_sort="on",
    form_class=forms.ReceptionDayForm,
    initial=lambda u, o: {} if o is None else {
        "station": o.station_id, "on": o.on, "hours": o.hours, "note": o.note,
        "deputies": [d.pk for d in o.deputies.all()]},
    create=lambda a, d: services.reception_day_create(actor=a, station=d["station"], on=d["on"], hours=d["hours"],
                                                      deputies=list(d["deputies"]), note=d["note"]),
    update=lambda a, o, d: services.reception_day_update(actor=a, day_id=o.pk, hours=d["hours"],
                                                         deputies=list(d["deputies"]), note=d["note"]),
    detail_fields=[
        DetailField(gettext_lazy("联络站"), lambda o: o.station.name),
        DetailField(gettext_lazy("接待日期"), lambda o: date_text(o.on)),
        DetailField(gettext_lazy("接待时间"), lambda o: o.hours),
        DetailField(gettext_lazy("接待代表"), lambda o: _names(o.deputies)),
        DetailField(gettext_lazy("公布"), _published),
        DetailField(gettext_lazy("备注"), lambda o: o.note),
    ],
    export_name="接待日安排",
)


def _not_used(actor: Any, data: dict[str, Any]) -> Any:  # pragma: no cover - see reception_register()
    raise Http404


_can_reception, _require_reception = policy.for_kind("receptions")
receptions = Resource(
    name="receptions", model=Reception, label=gettext_lazy("接待记录"), label_plural=gettext_lazy("联络站接待记录"),
    can=_can_reception, require=_require_reception, selector=selectors.receptions_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("matter", gettext_lazy("反映事项"), lambda o: o.matter[:60], link=True, card="title"),
        Column("station", gettext_lazy("联络站"), lambda o: o.station.name, sort="station__name"),
        Column("on", gettext_lazy("接待日期"), lambda o: date_text(o.on), sort="on", nowrap=True),
        Column("visitor", gettext_lazy("来访人"), lambda o: o.visitor_name_masked),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("deputies", gettext_lazy("接待代表"), lambda o: _names(o.deputies)),
        Column("suggestion", gettext_lazy("转为意见建议"), lambda o: o.suggestion.code if o.suggestion else ""),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("code", "matter"), filter_form=forms.ReceptionFilter, default_sort="-on",
    create=_not_used, export_name="联络站接待记录",
)


def _get_reception(request: HttpRequest, pk: int) -> Reception:
    r: Reception = receptions.get_object(request, pk)
    try:
        policy.require(request.user, "view", r)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return r


Handler = Callable[[Any, Reception, dict[str, Any]], str]


def _propose(u: Any, r: Reception, d: dict[str, Any]) -> str:
    services.reception_propose(actor=u, reception_id=r.pk, proposal=d["proposal"], on=d["on"],
                               expected_state=d["state"])
    return _("已提出办理意见")


def _transfer(u: Any, r: Reception, d: dict[str, Any]) -> str:
    r = services.reception_transfer(actor=u, reception_id=r.pk, to=d["to"], on=d["on"],
                                    as_suggestion=d["as_suggestion"], title=d["title"], expected_state=d["state"])
    if r.suggestion_id:
        return _("已转办，并登记为意见建议 {code}").format(code=r.suggestion.code if r.suggestion else "")
    return _("已转办")


def _chase(u: Any, r: Reception, d: dict[str, Any]) -> str:
    services.reception_chase(actor=u, reception_id=r.pk, note=d["note"], on=d["on"], expected_state=d["state"])
    return _("已督办")


def _feedback(u: Any, r: Reception, d: dict[str, Any]) -> str:
    services.reception_feedback(actor=u, reception_id=r.pk, feedback=d["feedback"], on=d["on"],
                                expected_state=d["state"])
    return _("已反馈")


def _file(u: Any, r: Reception, d: dict[str, Any]) -> str:
    services.reception_file(actor=u, reception_id=r.pk, comment=d["comment"], on=d["on"], expected_state=d["state"])
    return _("已归档")


def _turn_away(u: Any, r: Reception, d: dict[str, Any]) -> str:
    services.reception_turn_away(actor=u, reception_id=r.pk, route=d["route"], on=d["on"], expected_state=d["state"])
    return _("已引导依法处理")


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.PROPOSE: (forms.ProposeForm, _propose),
    Action.TRANSFER: (forms.TransferForm, _transfer),
    Action.CHASE: (forms.ChaseForm, _chase),
    Action.FEEDBACK: (forms.FeedbackForm, _feedback),
    Action.FILE: (forms.FileForm, _file),
    Action.TURN_AWAY: (forms.TurnAwayForm, _turn_away),
}


def page_actions(user: Any, r: Reception) -> list[Action]:
    return [a for a in policy.available_actions(user, r) if a in ACTIONS]


def _render_reception(request: HttpRequest, r: Reception, *, bound: tuple[Action, forms.ActionForm] | None = None,
                      reveal_form: forms.RevealForm | None = None, revealed: bool = False, status: int = 200
                      ) -> HttpResponse:
    user = request.user
    ctx = {
        "resource": receptions, "obj": r, "r": r, "revealed": revealed,
        "actions": action_panel(page_actions(user, r), ACTIONS, bound=bound, label=workflow.label,
                                form_kwargs={"reception": r}, user=user, danger={Action.TURN_AWAY}),
        "can_reveal": policy.can(user, "reveal", r), "reveal_form": reveal_form or forms.RevealForm(),
        "transitions": r.transitions.order_by("on", "at", "id"),
    }
    return render(request, "liaison/reception_detail.html", ctx, status=status)


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_reception(request, _get_reception(request, pk))


@login_required
def reception_act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if request.method != "POST":
        return HttpResponse(status=405)
    r = _get_reception(request, pk)
    a, form, done, _error = dispatch_action(
        request, r, action, parse=Action, actions=ACTIONS, require=policy.require, form_kwargs={"reception": r},
        detail="receptions:detail", offered=lambda: page_actions(request.user, r),
        refusal=lambda a: workflow.refusal_for(r.state, a))
    if done is not None:
        return done
    r.refresh_from_db()
    if a not in page_actions(request.user, r):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render_reception(request, r, bound=(a, form), status=400)


@login_required
def reception_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    r = _get_reception(request, pk)
    policy.require(request.user, "reveal", r)
    form = forms.RevealForm(request.POST)
    if form.is_valid():
        try:
            services.reception_reveal(actor=acting(request), reception_id=r.pk, reason=form.cleaned_data["reason"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            return _render_reception(request, r, revealed=True)
    return _render_reception(request, r, reveal_form=form, status=400)


@login_required
def reception_register(request: HttpRequest) -> HttpResponseBase:
    """登记接待."""
    _require_reception(request.user, "create")
    user: Any = request.user
    form = forms.ReceptionForm(request.POST or None, user=user, initial={"station": request.GET.get("station")})
    style_form(form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.reception_register(
                actor=user, station=d["station"], on=d["on"], visitors=d["visitors"], matter=d["matter"],
                visitor=services.VisitorIn(name=d["visitor_name"], phone=d["visitor_phone"]),
                deputies=list(d["deputies"]))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已登记接待，编号 {code}").format(code=r.code))
            return redirect("receptions:detail", r.pk)
    return render(request, "core/form.html", {"resource": receptions, "form": form, "obj": None,
                                              "title": _("登记接待")})


# --- the roster planner ------------------------------------------------------------------------


@login_required
def roster(request: HttpRequest) -> HttpResponseBase:
    """排接待日: a station's days by its cadence over a range."""
    policy.require(request.user, "create", None, kind="reception_days")
    form = forms.RosterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            days = services.roster_plan(actor=acting(request), station=d["station"], start=d["start"], end=d["end"],
                                        deputies=list(d["deputies"]))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已安排 {n} 个接待日").format(n=len(days)))
            return redirect("reception_days:list")
    return render(request, "core/form.html", {"resource": reception_days, "form": form, "obj": None,
                                              "title": _("按周期安排接待日")},
                  status=400 if request.method == "POST" else 200)


# --- personal data and suggestions -------------------------------------------------------------


@login_required
def voter_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    v: Voter = voters.get_object(request, pk)
    policy.require(request.user, "reveal", v)
    form = forms.RevealForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            shown = services.voter_reveal(actor=acting(request), voter_id=v.pk, reason=form.cleaned_data["reason"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
    return render(request, "liaison/voter_reveal.html", {"v": v, "form": form, "shown": shown},
                  status=400 if request.method == "POST" and shown is None else 200)


@login_required
def to_suggestion(request: HttpRequest, pk: int) -> HttpResponseBase:
    """联系选民反映的问题转为意见建议."""
    c: VoterContact = voter_contacts.get_object(request, pk)
    policy.require(request.user, "to_suggestion", c)
    form = forms.ToSuggestionForm(request.POST or None, initial={"title": c.issues[:60], "content": c.issues})
    if request.method == "POST" and form.is_valid():
        try:
            s = services.voter_contact_to_suggestion(actor=acting(request), contact_id=c.pk,
                                                     title=form.cleaned_data["title"],
                                                     content=form.cleaned_data["content"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已登记为意见建议 {code}").format(code=s.code))
            return redirect("voter_contacts:detail", c.pk)
    return render(request, "core/form.html", {"resource": voter_contacts, "form": form, "obj": c,
                                              "title": _("转为意见建议")},
                  status=400 if request.method == "POST" else 200)


# --- QR codes and the public landing pages ----------------------------------------------------


def _station_or_404(pk: int) -> Station:
    s = Station.objects.select_related("town").filter(pk=pk, is_active=True).first()
    if s is None:
        raise Http404
    return s


def _deputy_or_404(pk: int) -> Deputy:
    d = Deputy.objects.select_related("town").filter(pk=pk, is_active=True).first()
    if d is None:
        raise Http404
    return d


def station_landing(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: what a scan of the station's QR code opens — the station, its published reception
    days and the way to give an opinion (the suggestion registration, with the station chosen)."""
    s = _station_or_404(pk)
    return render(request, "liaison/landing.html", {
        "station": s, "deputies": s.deputies.filter(is_active=True), "days": selectors.published_days(s),
        "register_url": qr.register_url(station=s)})


def deputy_landing(request: HttpRequest, pk: int) -> HttpResponse:
    d = _deputy_or_404(pk)
    return render(request, "liaison/landing.html", {
        "deputy": d, "stations": d.stations.filter(is_active=True), "register_url": qr.register_url(deputy=d)})


def station_qr(request: HttpRequest, pk: int) -> HttpResponse:
    s = _station_or_404(pk)
    return qr.svg_response(request.build_absolute_uri(reverse("liaison:station_landing", args=[s.pk])))


def deputy_qr(request: HttpRequest, pk: int) -> HttpResponse:
    d = _deputy_or_404(pk)
    return qr.svg_response(request.build_absolute_uri(reverse("liaison:deputy_landing", args=[d.pk])))


@login_required
def station_qr_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's QR code, printable (office and deputies of the town)."""
    s: Station = stations.get_object(request, pk)
    policy.require(request.user, "view", s)
    return render(request, "liaison/qr_page.html", {"title": s.name, "img": reverse("liaison:station_qr", args=[s.pk]),
                                                    "url": reverse("liaison:station_landing", args=[s.pk])})


@login_required
def deputy_qr_page(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    d = Deputy.objects.filter(pk=pk).first()
    own = d is not None and getattr(user, "deputy_id", None) == d.pk
    if d is None or not (own or (user.role in policy.READERS and base_policy.in_town(user, d.town_id))):
        raise Http404
    return render(request, "liaison/qr_page.html", {"title": d.name, "img": reverse("liaison:deputy_qr", args=[d.pk]),
                                                    "url": reverse("liaison:deputy_landing", args=[d.pk])})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """联系群众: this user's warnings and the way into each list."""
    from renda.liaison.home import warnings_for

    user: Any = request.user
    if not any(policy.can(user, "list", None, kind=k) for k in policy.KINDS):
        raise Http404
    links = [(label, reverse(f"{ns}:list")) for ns, kind, label in (
        ("voter_contacts", "voter_contacts", _("代表联系选民")),
        ("presidium_contacts", "presidium_contacts", _("主席团成员联系代表")),
        ("liaison_voters", "voters", _("联系选民户")),
        ("deputy_groups", "groups", _("代表小组")),
        ("group_meetings", "meetings", _("小组活动")),
        ("stations", "stations", _("代表联络站")),
        ("reception_days", "reception_days", _("接待日安排")),
        ("receptions", "receptions", _("联络站接待记录")),
        ("liaison_settings", "settings", _("联系目标")),
    ) if policy.can(user, "list", None, kind=kind)]
    return render(request, "liaison/overview.html", {"links": links, "w": warnings_for(user),
                                                     "yes_no": yes_no})
