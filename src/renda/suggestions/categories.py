"""Staff pages for a town's suggestion categories (类别): list, add, rename, deactivate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.crud import Column, DetailField, Resource, ResourceForm, set_queryset
from renda.core.errors import Forbidden
from renda.core.roles import ORG_READERS, Role
from renda.places.forms import RegionLabelField
from renda.places.models import Region
from renda.places.selectors import towns_visible_to
from renda.suggestions import policy, selectors, services
from renda.suggestions.models import SuggestionCategory


class CategoryForm(ResourceForm):
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    name = forms.CharField(label=_("名称"), max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", towns_visible_to(self.user).filter(is_active=True))
        if self.instance is not None or (self.user is not None and self.user.town_id):
            self.fields["town"].disabled = True


def can(user: Any, action: str, obj: Any = None) -> bool:
    if obj is None:  # list, export and the "add" button
        if action in {"list", "export", "view"}:
            return bool(getattr(user, "is_authenticated", False) and user.role in ORG_READERS)
        return bool(getattr(user, "is_authenticated", False) and user.role in {Role.STAFF, Role.ADMIN})
    return policy.can(user, action, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if obj is None:
        if not can(user, action):
            raise Forbidden()
        return
    policy.require(user, action, obj)


def _initial(user: Any, obj: SuggestionCategory | None) -> dict[str, Any]:
    if obj is None:
        return {"town": user.town_id} if user.town_id else {}
    return {"town": obj.town_id, "name": obj.name}


categories = Resource(
    name="suggestion_categories", model=SuggestionCategory, label=_("意见建议类别"),
    label_plural=_("意见建议类别"), can=can, require=require, selector=selectors.categories_visible_to,
    columns=[
        Column("name", _("名称"), lambda o: o.name, sort="name", link=True),
        Column("town", _("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
        Column("status", _("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
    ],
    search_fields=("name",), default_sort="name", form_class=CategoryForm, initial=_initial,
    create=lambda a, d: services.suggestion_category_create(actor=a, town=d["town"] or a.town, name=d["name"]),
    update=lambda a, o, d: services.suggestion_category_update(actor=a, category_id=o.pk, name=d["name"]),
    deactivate=lambda a, o, r: services.suggestion_category_set_active(actor=a, category_id=o.pk, active=False),
    activate=lambda a, o: services.suggestion_category_set_active(actor=a, category_id=o.pk, active=True),
    detail_fields=[DetailField(_("名称"), lambda o: o.name), DetailField(_("所属镇街"), lambda o: o.town.name)],
    export_name="意见建议类别",
)
