from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.crud import ActiveFilter, ResourceForm, set_queryset
from renda.core.validators import validate_phone
from renda.places.forms import RegionLabelField
from renda.places.models import Region
from renda.places.selectors import towns_visible_to
from renda.units.models import UnitKind


class UnitForm(ResourceForm):
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, validators=[validate_phone])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", towns_visible_to(self.user).filter(is_active=True))
        if self.instance is not None or (self.user is not None and self.user.town_id):
            self.fields["town"].disabled = True
            if self.instance is None:
                self.fields["town"].initial = self.user.town_id


class UnitFilter(ActiveFilter):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *UnitKind.choices])
    town = RegionLabelField(label=_("镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", towns_visible_to(self.user))

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("town"):
            qs = qs.filter(town=d["town"])
        return qs
