"""Staff pages for deputies and presidium–deputy contact assignments."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.crud import Column, DetailField, Resource, date_text, yes_no
from renda.core.types import Actor
from renda.people import forms, policy, selectors, services
from renda.people.models import ContactAssignment, Deputy


def _initial(user: Any, obj: Deputy | None) -> dict[str, Any]:
    if obj is None:
        return {"town": user.town_id, "term": "第十八届"} if user.town_id else {}
    return {"name": obj.name, "phone": obj.phone, "level": obj.level, "town": obj.town_id, "term": obj.term,
            "constituency": obj.constituency, "village": obj.village_id, "is_presidium": obj.is_presidium,
            "serving_from": obj.serving_from, "serving_to": obj.serving_to, "grids": [g.pk for g in obj.grids.all()],
            "phone_public": obj.phone_public}


def _create(actor: Actor, d: dict[str, Any]) -> Deputy:
    return services.deputy_create(
        actor=actor, name=d["name"], phone=d["phone"], level=d["level"], town=d["town"], term=d["term"],
        constituency=d["constituency"], village=d["village"], is_presidium=d["is_presidium"],
        serving_from=d["serving_from"], serving_to=d["serving_to"], grids=list(d["grids"]),
        phone_public=d.get("phone_public", False))


def _update(actor: Actor, obj: Deputy, d: dict[str, Any]) -> tuple[Deputy, bool]:
    return services.deputy_update(
        actor=actor, deputy_id=obj.pk, name=d["name"], phone=d["phone"], level=d["level"], term=d["term"],
        constituency=d["constituency"], village=d["village"], is_presidium=d["is_presidium"],
        serving_from=d["serving_from"], serving_to=d["serving_to"], grids=list(d["grids"]),
        phone_public=d.get("phone_public", False))


def _related(user: Any, obj: Deputy) -> list[dict[str, Any]]:
    out = []
    grids = [(f"{g.name}（{g.code}）", reverse("grids:detail", args=[g.pk])) for g in obj.grids.all()]
    out.append({"title": _("联系网格"), "count": len(grids), "rows": grids})
    if obj.is_presidium:
        rows = [(a.deputy.name, reverse("deputies:detail", args=[a.deputy_id]))
                for a in obj.contact_assignments.filter(is_active=True).select_related("deputy")]
        out.append({"title": _("联系的代表"), "count": len(rows), "rows": rows})
    rows = [(a.presidium_member.name, reverse("deputies:detail", args=[a.presidium_member_id]))
            for a in obj.presidium_contacts.filter(is_active=True).select_related("presidium_member")]
    out.append({"title": _("联系本代表的主席团成员"), "count": len(rows), "rows": rows})
    return out


deputies = Resource(
    name="deputies", model=Deputy, label=_("代表"), label_plural=_("人大代表"),
    can=policy.can, require=policy.require, selector=selectors.deputies_visible_to,
    columns=[
        Column("name", _("姓名"), lambda o: o.name, sort="name", link=True),
        Column("level", _("层级"), lambda o: o.get_level_display(), sort="level"),
        Column("presidium", _("主席团成员"), lambda o: yes_no(o.is_presidium), sort="is_presidium"),
        Column("phone", _("手机号"), lambda o: o.phone),
        Column("term", _("届次"), lambda o: o.term),
        Column("constituency", _("选区"), lambda o: o.constituency),
        Column("town", _("所属镇街"), lambda o: o.town.name, district_only=True),
        Column("village", _("所属村社区"), lambda o: o.village.name if o.village else "", sort="village__code"),
        Column("grids", _("联系网格"), lambda o: "、".join(g.name for g in o.grids.all())),
        Column("status", _("状态"), lambda o: _("在任") if o.is_active else _("已停用"), nowrap=True),
    ],
    search_fields=("name", "phone", "constituency", "village__name"), filter_form=forms.DeputyFilter,
    default_sort="name", form_class=forms.DeputyForm, initial=_initial, create=_create, update=_update,
    deactivate=lambda a, o, r: services.deputy_deactivate(actor=a, deputy_id=o.pk, reason=r),
    activate=lambda a, o: services.deputy_activate(actor=a, deputy_id=o.pk),
    detail_fields=[
        DetailField(_("姓名"), lambda o: o.name), DetailField(_("层级"), lambda o: o.get_level_display()),
        DetailField(_("主席团成员"), lambda o: yes_no(o.is_presidium)), DetailField(_("手机号"), lambda o: o.phone),
        DetailField(_("届次"), lambda o: o.term), DetailField(_("选区"), lambda o: o.constituency),
        DetailField(_("所属镇街"), lambda o: o.town.name),
        DetailField(_("所属村社区"), lambda o: o.village.name if o.village else ""),
        DetailField(_("任职起"), lambda o: date_text(o.serving_from)),
        DetailField(_("任职止"), lambda o: date_text(o.serving_to)),
        DetailField(_("同意公开手机号"), lambda o: yes_no(o.phone_public)),
    ],
    related=_related, export_name="人大代表",
)

contacts = Resource(
    name="contacts", model=ContactAssignment, label=_("联系代表安排"), label_plural=_("主席团成员联系代表"),
    can=policy.can, require=policy.require, selector=selectors.contact_assignments_visible_to,
    columns=[
        Column("presidium_member", _("主席团成员"), lambda o: o.presidium_member.name,
               sort="presidium_member__name", link=True),
        Column("deputy", _("联系代表"), lambda o: o.deputy.name, sort="deputy__name", link=True),
        Column("level", _("代表层级"), lambda o: o.deputy.get_level_display()),
        Column("town", _("所属镇街"), lambda o: o.town.name, district_only=True),
        Column("status", _("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
    ],
    search_fields=("presidium_member__name", "deputy__name"), filter_form=forms.ContactAssignmentFilter,
    default_sort="presidium_member__name", form_class=forms.ContactAssignmentForm,
    create=lambda a, d: services.contact_assignment_create(actor=a, presidium_member=d["presidium_member"],
                                                           deputy=d["deputy"]),
    deactivate=lambda a, o, r: services.contact_assignment_deactivate(actor=a, assignment_id=o.pk, reason=r),
    activate=lambda a, o: services.contact_assignment_create(actor=a, presidium_member=o.presidium_member,
                                                             deputy=o.deputy),
    detail_fields=[
        DetailField(_("主席团成员"), lambda o: o.presidium_member.name),
        DetailField(_("联系代表"), lambda o: o.deputy.name),
        DetailField(_("代表层级"), lambda o: o.deputy.get_level_display()),
        DetailField(_("所属镇街"), lambda o: o.town.name),
    ],
    export_name="联系代表安排",
)
