"""Staff pages for handling units."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renda.core.crud import Column, DetailField, Resource
from renda.units import forms, policy, selectors, services
from renda.units.models import Unit


def _initial(user: Any, obj: Unit | None) -> dict[str, Any]:
    if obj is None:
        return {"town": user.town_id} if user.town_id else {}
    return {"town": obj.town_id, "name": obj.name, "kind": obj.kind, "contact_person": obj.contact_person,
            "contact_phone": obj.contact_phone}


def _users(user: Any, obj: Unit) -> list[dict[str, Any]]:
    rows = [(f"{u.label}（{u.username}）", None) for u in obj.users.filter(is_active=True)]
    return [{"title": _("单位账号"), "count": len(rows), "rows": rows}]


units = Resource(
    name="units", model=Unit, label=_("承办单位"), label_plural=_("承办单位"),
    can=policy.can, require=policy.require, selector=selectors.units_visible_to,
    columns=[
        Column("name", _("名称"), lambda o: o.name, sort="name", link=True),
        Column("kind", _("类型"), lambda o: o.get_kind_display(), sort="kind"),
        Column("town", _("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
        Column("contact_person", _("联系人"), lambda o: o.contact_person),
        Column("contact_phone", _("联系电话"), lambda o: o.contact_phone),
        Column("status", _("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
    ],
    search_fields=("name", "contact_person", "contact_phone"), filter_form=forms.UnitFilter, default_sort="name",
    form_class=forms.UnitForm, initial=_initial,
    create=lambda a, d: services.unit_create(actor=a, town=d["town"], name=d["name"], kind=d["kind"],
                                             contact_person=d["contact_person"], contact_phone=d["contact_phone"]),
    update=lambda a, o, d: services.unit_update(actor=a, unit_id=o.pk, name=d["name"], kind=d["kind"],
                                                contact_person=d["contact_person"],
                                                contact_phone=d["contact_phone"]),
    deactivate=lambda a, o, r: services.unit_deactivate(actor=a, unit_id=o.pk, reason=r),
    activate=lambda a, o: services.unit_activate(actor=a, unit_id=o.pk),
    detail_fields=[
        DetailField(_("名称"), lambda o: o.name), DetailField(_("类型"), lambda o: o.get_kind_display()),
        DetailField(_("所属镇街"), lambda o: o.town.name), DetailField(_("联系人"), lambda o: o.contact_person),
        DetailField(_("联系电话"), lambda o: o.contact_phone),
    ],
    related=_users, export_name="承办单位",
)
