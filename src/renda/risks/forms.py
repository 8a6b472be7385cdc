"""Forms for the risk pages: the list filter, the register form (with the people involved as a
small formset) and one form per action. Forms only validate and scope their choices; the views
call the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core import privacy
from renda.core.crud import FilterForm, ResourceForm, set_queryset, style_form
from renda.core.roles import Role
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.people.models import Deputy
from renda.places.forms import REDRAW_ATTRS, GridByVillage, PlaceSelects, RegionLabelField
from renda.places.models import GridWorker, Level, Region
from renda.places.selectors import towns_visible_to
from renda.risks.models import STATE_CHOICES, Risk, RiskQuerySet
from renda.risks.models import Level as RiskLevel

ALL = [("", _("全部"))]
DATE = DateInput()
ESCALATE_TO = (_("镇党委"), _("区信访局"), _("镇综治中心"), _("区人大常委会"))


def _town_id(user: Any) -> int | None:
    return getattr(user, "town_id", None)


def town_regions(user: Any, level: str) -> QuerySet[Region]:
    """Villages or grids of the user's town (every town for district-wide users)."""
    qs = Region.objects.filter(level=level, is_active=True).select_related("parent").order_by("code")
    town_id = _town_id(user)
    return qs.filter(town_id=town_id) if town_id else qs


def own_grids(user: Any) -> QuerySet[Region]:
    """A deputy's contact grids or a grid worker's grids."""
    qs = Region.objects.filter(level=Level.GRID, is_active=True).order_by("code")
    if getattr(user, "grid_worker_id", None) and user.role == Role.GRID_WORKER:
        return qs.filter(grid_workers=user.grid_worker_id)
    if getattr(user, "deputy_id", None):
        return qs.filter(deputies=user.deputy_id)
    return qs.none()


def town_deputies(town_id: int | None) -> QuerySet[Deputy]:
    qs = Deputy.objects.filter(is_active=True).order_by("-level", "name")
    return qs.filter(town_id=town_id) if town_id else qs.none()


def town_grid_workers(town_id: int | None) -> QuerySet[GridWorker]:
    qs = GridWorker.objects.filter(is_active=True).order_by("name")
    return qs.filter(town_id=town_id) if town_id else qs.none()


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class GridWorkersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: GridWorker) -> str:
        return obj.name


# --- list filter ---------------------------------------------------------------------------


class RiskFilter(GridByVillage, FilterForm):
    redraw_on = ("village",)

    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, ("open", _("未化解")), *STATE_CHOICES])
    level = forms.ChoiceField(label=_("等级"), choices=[*ALL, *RiskLevel.choices])
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none())
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none())
    date_from = forms.DateField(label=_("登记日期自"), widget=DATE)
    date_to = forms.DateField(label=_("登记日期至"), widget=DATE)
    resolved_from = forms.DateField(label=_("化解日期自"), widget=DATE)
    resolved_to = forms.DateField(label=_("化解日期至"), widget=DATE)
    with_deputies = forms.ChoiceField(label=_("代表参与"), choices=[*ALL, ("yes", _("有代表参与")),
                                                                   ("no", _("无代表参与"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", town_regions(self.user, Level.VILLAGE))
        grids = town_regions(self.user, Level.GRID)
        if getattr(self.user, "role", None) == Role.GRID_WORKER:
            grids = own_grids(self.user)
        set_queryset(self, "grid", grids)
        self.wire_village(REDRAW_ATTRS)

    def shown_choices(self, name: str, qs: QuerySet[Any]) -> QuerySet[Any] | None:
        return self.grids_of_village(qs) if name == "grid" else None

    def clean(self) -> dict[str, Any]:
        return self.drop_stray_grid(super().clean() or {})

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        assert isinstance(qs, RiskQuerySet)
        d = self.cleaned_data
        state = d.get("state")
        if state == "open":
            qs = qs.open()
        elif state:
            qs = qs.filter(state=state)
        for name, lookup in (("level", "level"), ("village", "village"), ("grid", "grid"),
                             ("date_from", "registered_on__gte"), ("date_to", "registered_on__lte"),
                             ("resolved_from", "resolved_on__gte"), ("resolved_to", "resolved_on__lte")):
            if d.get(name):
                qs = qs.filter(**{lookup: d[name]})
        if d.get("with_deputies") == "yes":
            qs = qs.with_deputies()
        elif d.get("with_deputies") == "no":
            qs = qs.exclude(pk__in=Risk.objects.with_deputies().values("pk"))
        return qs


# --- register ------------------------------------------------------------------------------


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.CharField(label=_("纠纷中的身份"), max_length=50, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("如：申请人、被申请人、死者家属")}))
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


PeopleFormSet = forms.formset_factory(PersonForm, extra=3, max_num=20)


class RegisterForm(PlaceSelects, ResourceForm):
    """登记. Office staff and presidium register anywhere in their town; a deputy in their town
    (their own grids offered first); a grid worker in one of their grids."""

    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    level = forms.ChoiceField(label=_("等级"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none(), required=False)
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none(), required=False,
                            help_text=_("所属村社区按网格自动确定"))
    description = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deputies = DeputiesField(label=_("参与代表"), queryset=Deputy.objects.none(), required=False,
                              widget=SearchableSelectMultiple())
    grid_workers = GridWorkersField(label=_("参与网格员"), queryset=GridWorker.objects.none(), required=False,
                                    widget=SearchableSelectMultiple())
    join = forms.BooleanField(label=_("本人参与化解"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        town_id = _town_id(user)
        set_queryset(self, "town", Region.objects.filter(pk=town_id) if town_id
                     else towns_visible_to(user).filter(is_active=True).order_by("code"))
        if town_id:
            self.fields["town"].disabled = True
            self.fields["town"].initial = town_id
        role = getattr(user, "role", None)
        set_queryset(self, "village", town_regions(user, Level.VILLAGE))
        set_queryset(self, "deputies", town_deputies(town_id))
        set_queryset(self, "grid_workers", town_grid_workers(town_id))
        if role == Role.GRID_WORKER:
            set_queryset(self, "grid", own_grids(user))
            self.fields["grid"].required = True
            del self.fields["village"]
        else:
            set_queryset(self, "grid", town_regions(user, Level.GRID))
            mine = list(own_grids(user).values_list("pk", flat=True)[:1])
            if mine:
                self.fields["grid"].initial = mine[0]
        if role not in {Role.DEPUTY, Role.GRID_WORKER, Role.PRESIDIUM}:
            del self.fields["join"]
        style_form(self)
        self.link_places()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and _town_id(self.user):
            data["town"] = self.user.town
        return data


# --- actions -------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the state the page showed: a page rendered before someone
    else moved the risk on is refused with a conflict."""

    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, risk: Risk, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        kwargs.setdefault("initial", {}).setdefault("state", risk.state)
        self.risk, self.user = risk, user
        super().__init__(*args, **kwargs)
        style_form(self)

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class StartForm(ActionForm):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ResolveForm(ActionForm):
    resolved_on = forms.DateField(label=_("化解日期"), widget=DATE)
    deputies_role = forms.CharField(label=_("代表作用"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                    help_text=_("代表在化解中发挥的作用（各代表的具体参与情况见参与人员）"))
    comment = forms.CharField(label=_("化解结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].initial = timezone.localdate()
        self.fields["deputies_role"].initial = self.risk.deputies_role


class EscalateForm(ActionForm):
    to = forms.CharField(label=_("上报至"), max_length=100,
                         widget=forms.TextInput(attrs={"list": "escalate-to"}),
                         help_text=_("如：镇党委、区信访局"))
    reason = forms.CharField(label=_("上报理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如：上级交回属地化解"))


class LogStepForm(ActionForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("化解过程"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("如：走访当事人、组织调解、协调有关部门"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AssignForm(ActionForm):
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none(), required=False)
    grid_worker = forms.ModelChoiceField(label=_("或网格员"), queryset=GridWorker.objects.none(), required=False)
    part = forms.CharField(label=_("参与情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputy", town_deputies(self.risk.town_id))
        set_queryset(self, "grid_worker", town_grid_workers(self.risk.town_id))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("deputy")) == bool(data.get("grid_worker")):
            raise forms.ValidationError(_("请选择一名代表或一名网格员"))
        return data


class RevealForm(privacy.RevealForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reveal")
        super().__init__(*args, **kwargs)


class PartForm(forms.Form):
    part = forms.CharField(label=_("参与情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
