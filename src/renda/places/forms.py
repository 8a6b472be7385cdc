from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.crud import ActiveFilter, FilterForm, ResourceForm, fetch_choices_at_once, set_queryset
from renda.core.validators import validate_mobile
from renda.core.widgets import SearchableSelectMultiple
from renda.places.models import Kind, Level, Region, WorkerKind
from renda.places.selectors import grids_visible_to, towns_visible_to, villages_visible_to


def region_label(name: str, code: str) -> str:
    """A place as its selects show it: 名称（区划代码）."""
    return f"{name}（{code}）"


class RegionLabelField(forms.ModelChoiceField):
    #: Its options are read as (name, code) rows (``crud.label_fields``).
    label_fields = ("name", "code")

    def label_from_instance(self, obj: Region) -> str:
        return region_label(obj.name, obj.code)

    def label_from_values(self, name: str, code: str) -> str:
        return region_label(name, code)


class RegionsLabelField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return region_label(obj.name, obj.code)


def narrow_places(qs: QuerySet[Region], *, level: str, town_id: int | None = None,
                  village_id: int | None = None) -> QuerySet[Region]:
    """The one rule of dependent place selects: villages of the chosen town; grids of the chosen
    village, else of the chosen town. Used to draw a form or filter and by the options endpoint
    (``places.views.region_options``); it only narrows the user's selector, never widens it."""
    if level == Level.GRID and village_id is not None:
        return qs.filter(parent_id=village_id)
    return qs.filter(town_id=town_id) if town_id is not None else qs


def chosen_pk(form: forms.BaseForm, name: str) -> int | None:
    """The primary key chosen in a select of a form (bound: the data; unbound: the initial
    value), or None; a disabled or missing field chooses nothing."""
    field = form.fields.get(name)
    if field is None or field.disabled:
        return None
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name, field.initial)
    text = str(getattr(raw, "pk", raw) or "")
    return int(text) if text.isdigit() else None


class PlaceSelects:
    """A form with 所属镇街 → 村社区 → 网格 selects (register a suggestion, a petition, a risk …).

    The village select lists the chosen town's villages and the grid select the chosen village's
    grids (``shown_choices``, read by ``set_queryset``); with JavaScript each select asks the
    options endpoint again when the one above it changes (``link_places``, htmx). Every option
    of the field's queryset stays valid, so the form works without JavaScript, and the services
    still check that the grid lies in the village (``places.services.check_places``)."""

    def shown_choices(self, name: str, qs: QuerySet[Any]) -> QuerySet[Any] | None:
        if name not in ("village", "grid"):
            return None
        form: Any = self
        town_id, village_id = chosen_pk(form, "town"), chosen_pk(form, "village") if name == "grid" else None
        if town_id is None and village_id is None:
            return None
        return narrow_places(qs, level=Level.GRID if name == "grid" else Level.VILLAGE,
                             town_id=town_id, village_id=village_id)

    def link_places(self) -> None:
        """Wire the selects present (call at the end of ``__init__``, once fields are final)."""
        form: Any = self
        parents: list[str] = []
        for name in ("town", "village", "grid"):
            field = form.fields.get(name)
            if field is None or field.disabled:
                continue
            if parents and name != "town" and isinstance(field.widget, forms.Select):
                ids = [f"#{form[p].auto_id}" for p in parents]
                field.widget.attrs.update({
                    "hx-get": f"{reverse('places:options')}?level={name}", "hx-target": "this", "hx-swap": "innerHTML",
                    "hx-trigger": ", ".join(f"change from:{i}" for i in ids), "hx-include": ", ".join(ids),
                    "hx-sync": "this:replace",
                })
            parents.append(name)


class GridByVillage:
    """A list filter with 村社区 and 网格: once a village is chosen, the grid select lists only its
    grids (the filters are redrawn when the village changes, as for the town) and a grid of
    another village chosen before is dropped rather than emptying the list."""

    fields: dict[str, forms.Field]

    def village_narrows_grid(self) -> bool:
        return "village" in self.fields and "grid" in self.fields

    def grids_of_village(self, qs: QuerySet[Any]) -> QuerySet[Any] | None:
        village_id = chosen_pk(self, "village") if self.village_narrows_grid() else None  # type: ignore[arg-type]
        return None if village_id is None else narrow_places(qs, level=Level.GRID, village_id=village_id)

    def wire_village(self, attrs: dict[str, str]) -> None:
        if self.village_narrows_grid():
            self.fields["village"].widget.attrs.update(attrs)

    def drop_stray_grid(self, data: dict[str, Any]) -> dict[str, Any]:
        village, grid = data.get("village"), data.get("grid")
        if village is not None and grid is not None and grid.parent_id != village.pk:
            data["grid"] = None
        return data


#: What a filter select that redraws the filters carries (see ``Resource.list_view``).
REDRAW_ATTRS = {"hx-get": "", "hx-target": "#list-table", "hx-include": "closest form", "hx-push-url": "true",
                "hx-trigger": "change consume"}


class TownScopedFilter(GridByVillage, FilterForm):
    """A list filter whose options (villages, grids, units, categories …) belong to towns.

    A town's users see their own town's options. A district-wide user gets a 镇街 filter first,
    and the ``town_dependent`` fields list only the chosen town's options (and district-level
    ones) — not every town's hundreds of grids on each page load. Every option the user may see
    stays valid in a URL, and a chosen option is always shown. Changing the town redraws the
    filters (``redraw_on``, see ``Resource.list_view``). Subclasses call ``super().apply``."""

    town_dependent: ClassVar[tuple[str, ...]] = ()
    redraw_on: ClassVar[tuple[str, ...]] = ("town", "village")

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
            town.widget.attrs.update({"class": "form-select form-select-sm", **REDRAW_ATTRS})
            self.fields = {"town": town, **self.fields}
            fetch_choices_at_once(self)  # the town select too (added after FilterForm's own call)
            raw = str(self.data.get(self.add_prefix("town")) or "")
            if raw.isdigit() and towns.filter(pk=int(raw)).exists():
                self._town_id = int(raw)
        self.wire_village(REDRAW_ATTRS)

    def shown_choices(self, name: str, qs: QuerySet[Any]) -> QuerySet[Any] | None:
        if name == "grid":
            in_village = self.grids_of_village(qs)
            if in_village is not None:
                return in_village
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

    def clean(self) -> dict[str, Any]:
        return self.drop_stray_grid(super().clean() or {})

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
                              widget=SearchableSelectMultiple())

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
