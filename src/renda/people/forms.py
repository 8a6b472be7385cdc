from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.crud import ActiveFilter, ResourceForm, set_queryset
from renda.core.validators import validate_mobile
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.people.models import Deputy, DeputyLevel
from renda.people.selectors import deputies_visible_to
from renda.places.forms import PlaceSelects, RegionLabelField, RegionsLabelField
from renda.places.models import Region
from renda.places.selectors import grids_visible_to, towns_visible_to, villages_visible_to


class DeputyForm(PlaceSelects, ResourceForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=11, validators=[validate_mobile])
    level = forms.ChoiceField(label=_("层级"), choices=DeputyLevel.choices)
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    term = forms.CharField(label=_("届次"), max_length=20, required=False, help_text=_("如：第十八届"))
    constituency = forms.CharField(label=_("选区"), max_length=100, required=False)
    village = RegionLabelField(label=_("所属村社区"), queryset=Region.objects.none(), required=False)
    is_presidium = forms.BooleanField(label=_("主席团成员"), required=False)
    serving_from = forms.DateField(label=_("任职起"), required=False, widget=DateInput())
    serving_to = forms.DateField(label=_("任职止"), required=False, widget=DateInput())
    phone_public = forms.BooleanField(label=_("同意公开手机号"), required=False,
                                      help_text=_("代表本人同意后勾选：公开页面（联络站、找代表）显示其手机号"))
    grids = RegionsLabelField(label=_("联系网格"), queryset=Region.objects.none(), required=False,
                              widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", towns_visible_to(self.user).filter(is_active=True))
        set_queryset(self, "village", villages_visible_to(self.user).filter(is_active=True))
        set_queryset(self, "grids", grids_visible_to(self.user).filter(is_active=True).order_by("code"))
        if self.instance is not None or (self.user is not None and self.user.town_id):
            self.fields["town"].disabled = True
            if self.instance is None:
                self.fields["town"].initial = self.user.town_id
        self.link_places()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("serving_from"), data.get("serving_to")
        if start and end and end < start:
            self.add_error("serving_to", _("任职止不能早于任职起"))
        return data


class DeputyFilter(ActiveFilter):
    level = forms.ChoiceField(label=_("层级"), choices=[("", _("全部")), *DeputyLevel.choices])
    presidium = forms.ChoiceField(label=_("主席团成员"), choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))])
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none())
    town = RegionLabelField(label=_("镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", villages_visible_to(self.user))
        set_queryset(self, "town", towns_visible_to(self.user))

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("level"):
            qs = qs.filter(level=d["level"])
        if d.get("presidium"):
            qs = qs.filter(is_presidium=d["presidium"] == "1")
        if d.get("village"):
            qs = qs.filter(village=d["village"])
        if d.get("town"):
            qs = qs.filter(town=d["town"])
        return qs


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class ContactAssignmentForm(ResourceForm):
    presidium_member = DeputyChoiceField(label=_("主席团成员"), queryset=Deputy.objects.none())
    deputy = DeputyChoiceField(label=_("联系代表"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = deputies_visible_to(self.user).filter(is_active=True)
        set_queryset(self, "presidium_member", visible.filter(is_presidium=True))
        set_queryset(self, "deputy", visible)


class ContactAssignmentFilter(ActiveFilter):
    presidium_member = DeputyChoiceField(label=_("主席团成员"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "presidium_member", deputies_visible_to(self.user).filter(is_presidium=True))

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("presidium_member"):
            qs = qs.filter(presidium_member=d["presidium_member"])
        return qs
