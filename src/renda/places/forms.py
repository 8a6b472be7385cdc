from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renda.core.crud import ActiveFilter, FilterForm, ResourceForm, set_queryset
from renda.core.validators import validate_mobile
from renda.places.models import Kind, Level, Region, WorkerKind
from renda.places.selectors import grids_visible_to, towns_visible_to, villages_visible_to


class RegionLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"


class RegionsLabelField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"


class TownScopedFilter(FilterForm):
    """A list filter whose options (villages, grids, units, categories …) belong to towns.

    A town's users see their own town's options. A district-wide user gets a 镇街 filter first,
    and the ``town_dependent`` fields list only the chosen town's options (and district-level
    ones) — not every town's hundreds of grids on each page load. Every option the user may see
    stays valid in a URL, and a chosen option is always shown. Changing the town redraws the
    filters (``redraw_on``, see ``Resource.list_view``). Subclasses call ``super().apply``."""

    town_dependent: ClassVar[tuple[str, ...]] = ()
    redraw_on: ClassVar[tuple[str, ...]] = ("town",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.district_wide = bool(getattr(user, "is_authenticated", False)) and getattr(user, "town_id", 1) is None
        self._town_id: int | None = None
        if self.district_wide:
            towns = towns_visible_to(user).order_by("code")
            town = RegionLabelField(label=_("镇街"), queryset=towns, required=False, empty_label=_("全部"))
            # The town's own request (its name in HX-Trigger-Name) redraws the filters; "consume"
            # keeps the form from sending a second one for the same change.
            town.widget.attrs.update({
                "class": "form-select form-select-sm", "hx-get": "", "hx-target": "#list-table",
                "hx-include": "closest form", "hx-push-url": "true", "hx-trigger": "change consume",
            })
            self.fields = {"town": town, **self.fields}
            raw = str(self.data.get(self.add_prefix("town")) or "")
            if raw.isdigit() and towns.filter(pk=int(raw)).exists():
                self._town_id = int(raw)

    def shown_choices(self, name: str, qs: QuerySet[Any]) -> QuerySet[Any] | None:
        if not self.district_wide or name not in self.town_dependent:
            return None
        raw = str(self.data.get(self.add_prefix(name)) or "")
        chosen = Q(pk=int(raw)) if raw.isdigit() else Q(pk__in=[])
        if self._town_id is None:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = str(_("全部（先选镇街）"))
            return qs.filter(chosen)
        return qs.filter(chosen | Q(town_id=self._town_id) | Q(town_id__isnull=True))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        town = self.cleaned_data.get("town")
        return qs.filter(town=town) if town else qs


class TownForm(ResourceForm):
    code = forms.CharField(label=_("区划代码"), max_length=12, help_text=_("12位统计用区划代码，如 340399100000"))
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=[(Kind.TOWN, Kind.TOWN.label), (Kind.STREET, Kind.STREET.label)])
    parent = RegionLabelField(label=_("所属区县"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "parent", Region.objects.filter(level=Level.DISTRICT, is_active=True))
        if self.instance is not None:
            self.fields["code"].disabled = True


class VillageForm(ResourceForm):
    code = forms.CharField(label=_("区划代码"), max_length=12, help_text=_("12位，前9位为所属镇街代码的前9位"))
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=[(Kind.VILLAGE, Kind.VILLAGE.label),
                                                       (Kind.COMMUNITY, Kind.COMMUNITY.label)])
    parent = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "parent", towns_visible_to(self.user).filter(is_active=True))
        if self.instance is not None:
            self.fields["code"].disabled = True
            self.fields["parent"].disabled = True


class GridForm(ResourceForm):
    code = forms.CharField(label=_("网格编码"), max_length=15, help_text=_("15位：所属村社区代码 + 3位序号"))
    name = forms.CharField(label=_("名称"), max_length=100)
    parent = RegionLabelField(label=_("所属村社区"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "parent", villages_visible_to(self.user).filter(is_active=True))
        if self.instance is not None:
            self.fields["code"].disabled = True
            self.fields["parent"].disabled = True


class GridWorkerForm(ResourceForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=11, validators=[validate_mobile])
    kind = forms.ChoiceField(label=_("类型"), choices=WorkerKind.choices)
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    grids = RegionsLabelField(label=_("负责网格"), queryset=Region.objects.none(),
                              widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = towns_visible_to(self.user).filter(is_active=True)
        set_queryset(self, "town", towns)
        set_queryset(self, "grids", grids_visible_to(self.user).filter(is_active=True).order_by("code"))
        if self.instance is not None:
            self.fields["town"].disabled = True
        elif self.user is not None and self.user.town_id:
            self.fields["town"].initial = self.user.town_id
            self.fields["town"].disabled = True


class RegionFilter(ActiveFilter):
    town = RegionLabelField(label=_("镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", towns_visible_to(self.user))

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("town"):
            qs = qs.filter(town=d["town"])
        return qs


class TownFilter(RegionFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["town"]


class GridFilter(RegionFilter):
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", villages_visible_to(self.user))

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        if self.cleaned_data.get("village"):
            qs = qs.filter(parent=self.cleaned_data["village"])
        return qs


class GridWorkerFilter(RegionFilter):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *WorkerKind.choices])
    grid = forms.CharField(label=_("网格编码"), max_length=15)

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        if self.cleaned_data.get("kind"):
            qs = qs.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("grid"):
            qs = qs.filter(grids__code__startswith=self.cleaned_data["grid"]).distinct()
        return qs
