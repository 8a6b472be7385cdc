"""Forms and list filters of the liaison pages; saving is the services' (``form.save()`` is never called)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core import privacy
from renda.core.crud import FilterForm, ResourceForm, set_queryset, style_form
from renda.core.roles import Role
from renda.core.validators import validate_mobile
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.liaison import selectors
from renda.liaison.models import (
    STATE_CHOICES,
    Cadence,
    ContactWay,
    DeputyGroup,
    Reception,
    Station,
    StationKind,
    Voter,
)
from renda.people.models import Deputy
from renda.places.forms import RegionLabelField, RegionsLabelField
from renda.places.models import Level, Region

ALL = [("", _("全部"))]
DATE = DateInput()


def _town_id(user: Any) -> int | None:
    return getattr(user, "town_id", None)


def town_filter(qs: QuerySet[Any], user: Any, field: str = "town_id") -> QuerySet[Any]:
    town_id = _town_id(user)
    return qs.filter(**{field: town_id}) if town_id else qs


def town_deputies(user: Any) -> QuerySet[Deputy]:
    return town_filter(Deputy.objects.filter(is_active=True).order_by("-level", "name"), user)


def presidium_members(user: Any) -> QuerySet[Deputy]:
    return town_deputies(user).filter(is_presidium=True)


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class VotersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Voter) -> str:
        return obj.name_masked


def _is_deputy(user: Any) -> bool:
    return getattr(user, "role", None) == Role.DEPUTY


class TownForm(ResourceForm):
    """A form whose record belongs to a town: the user's own (fixed), or chosen by a district user."""

    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
        if self.instance is not None or _town_id(self.user):
            self.fields["town"].disabled = True
            self.fields["town"].initial = self.instance.town_id if self.instance is not None else _town_id(self.user)


class SettingsForm(TownForm):
    voter_contacts_per_year = forms.IntegerField(label=_("每名代表每年联系选民（次）"), min_value=0, max_value=1000,
                                                 initial=10)
    presidium_contacts_per_quarter = forms.IntegerField(label=_("主席团成员每季度联系每名代表（次）"), min_value=0,
                                                        max_value=1000, initial=1)
    group_meetings_per_quarter = forms.IntegerField(label=_("代表小组每季度活动（次）"), min_value=0, max_value=1000,
                                                    initial=1)


class GroupForm(TownForm):
    name = forms.CharField(label=_("小组名称"), max_length=100)
    leader = DeputyField(label=_("组长"), queryset=Deputy.objects.none(), required=False)
    members = DeputiesField(label=_("组员"), queryset=Deputy.objects.none(), required=False,
                            widget=SearchableSelectMultiple(), help_text=_("本镇代表，含居住在本镇的区人大代表"))
    regions = RegionsLabelField(label=_("联系村社区/网格"), queryset=Region.objects.none(), required=False,
                                widget=SearchableSelectMultiple())
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "leader", town_deputies(self.user))
        set_queryset(self, "members", town_deputies(self.user))
        set_queryset(self, "regions", town_filter(Region.objects.filter(
            level__in=[Level.VILLAGE, Level.GRID], is_active=True).order_by("code"), self.user))


class MeetingForm(ResourceForm):
    group = forms.ModelChoiceField(label=_("代表小组"), queryset=DeputyGroup.objects.none())
    on = forms.DateField(label=_("活动日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200)
    attendees = DeputiesField(label=_("参加代表"), queryset=Deputy.objects.none(), required=False,
                              widget=SearchableSelectMultiple())
    topics = forms.CharField(label=_("议题"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = selectors.groups_visible_to(self.user).filter(is_active=True)
        if _is_deputy(self.user):
            groups = groups.filter(leader_id=self.user.deputy_id)
        set_queryset(self, "group", groups)
        set_queryset(self, "attendees", town_deputies(self.user))
        self.fields["on"].initial = timezone.localdate()
        if self.instance is not None:
            self.fields["group"].disabled = True


class VoterForm(ResourceForm):
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none())
    name = forms.CharField(label=_("选民姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=11, required=False, validators=[validate_mobile])
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    village = RegionLabelField(label=_("所属村社区"), queryset=Region.objects.none(), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputy", town_deputies(self.user))
        set_queryset(self, "village", town_filter(Region.objects.filter(level=Level.VILLAGE, is_active=True)
                                                  .order_by("code"), self.user))
        if (self.user is not None and self.user.role in {Role.DEPUTY, Role.PRESIDIUM}) or self.instance is not None:
            self.fields["deputy"].disabled = True
            self.fields["deputy"].initial = (self.instance.deputy_id if self.instance is not None
                                             else self.user.deputy_id)


class VoterContactForm(ResourceForm):
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none())
    on = forms.DateField(label=_("联系日期"), widget=DATE)
    way = forms.ChoiceField(label=_("联系方式"), choices=ContactWay.choices)
    households = forms.IntegerField(label=_("联系选民（户）"), min_value=1, max_value=10000, initial=1)
    voters = VotersField(label=_("联系选民户"), queryset=Voter.objects.none(), required=False,
                         widget=SearchableSelectMultiple(), help_text=_("可选：本代表登记的联系选民户"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    issues = forms.CharField(label=_("反映问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputy", town_deputies(self.user))
        own = self.user is not None and self.user.role in {Role.DEPUTY, Role.PRESIDIUM}
        if own or self.instance is not None:
            self.fields["deputy"].disabled = True
            deputy_id = self.instance.deputy_id if self.instance is not None else self.user.deputy_id
            self.fields["deputy"].initial = deputy_id
            set_queryset(self, "voters", Voter.objects.filter(deputy_id=deputy_id, is_active=True))
        else:
            set_queryset(self, "voters", town_filter(Voter.objects.filter(is_active=True), self.user))
        self.fields["on"].initial = timezone.localdate()


class PresidiumContactForm(ResourceForm):
    presidium_member = DeputyField(label=_("主席团成员"), queryset=Deputy.objects.none())
    deputy = DeputyField(label=_("联系代表"), queryset=Deputy.objects.none())
    on = forms.DateField(label=_("联系日期"), widget=DATE)
    way = forms.ChoiceField(label=_("联系方式"), choices=ContactWay.choices)
    content = forms.CharField(label=_("联系内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "presidium_member", presidium_members(self.user))
        set_queryset(self, "deputy", town_deputies(self.user))
        if (self.user is not None and self.user.role == Role.PRESIDIUM) or self.instance is not None:
            self.fields["presidium_member"].disabled = True
            self.fields["presidium_member"].initial = (self.instance.presidium_member_id if self.instance is not None
                                                       else self.user.deputy_id)
        if self.instance is not None:
            self.fields["deputy"].disabled = True
            self.fields["deputy"].initial = self.instance.deputy_id
        self.fields["on"].initial = timezone.localdate()


class StationForm(TownForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=StationKind.choices)
    village = RegionLabelField(label=_("所属村社区"), queryset=Region.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=200, required=False,
                                    help_text=_("如：每月10日 上午9:00—12:00"))
    cadence = forms.ChoiceField(label=_("接待日安排"), choices=Cadence.choices, initial=Cadence.MONTHLY)
    deputies = DeputiesField(label=_("进站代表"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", town_filter(Region.objects.filter(level=Level.VILLAGE, is_active=True)
                                                  .order_by("code"), self.user))
        set_queryset(self, "deputies", town_deputies(self.user))


class ReceptionDayForm(ResourceForm):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    on = forms.DateField(label=_("接待日期"), widget=DATE, help_text=_("接待日提前3天向代表和群众公布"))
    hours = forms.CharField(label=_("接待时间"), max_length=100, required=False)
    deputies = DeputiesField(label=_("接待代表"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "station", selectors.stations_visible_to(self.user).filter(is_active=True))
        set_queryset(self, "deputies", town_deputies(self.user))
        if self.instance is not None:
            self.fields["station"].disabled = True
            self.fields["on"].disabled = True


class RosterForm(forms.Form):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    start = forms.DateField(label=_("第一个接待日"), widget=DATE,
                            help_text=_("每周：此后每周同一天；每月：此后每月同一日"))
    end = forms.DateField(label=_("安排至"), widget=DATE)
    deputies = DeputiesField(label=_("接待代表"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        set_queryset(self, "station", selectors.stations_visible_to(user).filter(is_active=True))
        set_queryset(self, "deputies", town_deputies(user))
        style_form(self)


class ReceptionForm(ResourceForm):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    on = forms.DateField(label=_("接待日期"), widget=DATE)
    visitor_name = forms.CharField(label=_("来访人"), max_length=50)
    visitor_phone = forms.CharField(label=_("联系电话"), max_length=11, required=False, validators=[validate_mobile])
    visitors = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=1000, initial=1)
    matter = forms.CharField(label=_("反映事项"), widget=forms.Textarea(attrs={"rows": 3}))
    deputies = DeputiesField(label=_("接待代表"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = selectors.stations_visible_to(self.user).filter(is_active=True)
        if self.user is not None and self.user.role == Role.DEPUTY:
            stations = stations.filter(deputies=self.user.deputy_id)
        set_queryset(self, "station", stations)
        set_queryset(self, "deputies", town_deputies(self.user))
        self.fields["on"].initial = timezone.localdate()


# --- filters ----------------------------------------------------------------------------------


class DateRangeFilter(FilterForm):
    date_from = forms.DateField(label=_("日期起"), widget=DATE)
    date_to = forms.DateField(label=_("日期止"), widget=DATE)
    date_field = "on"

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("date_from"):
            qs = qs.filter(**{f"{self.date_field}__gte": d["date_from"]})
        if d.get("date_to"):
            qs = qs.filter(**{f"{self.date_field}__lte": d["date_to"]})
        return qs


class ContactFilter(DateRangeFilter):
    way = forms.ChoiceField(label=_("联系方式"), choices=[*ALL, *ContactWay.choices])
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputy", town_deputies(self.user))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("way"):
            qs = qs.filter(way=d["way"])
        if d.get("deputy"):
            qs = qs.filter(deputy=d["deputy"])
        return qs


class ReceptionFilter(DateRangeFilter):
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "station", selectors.stations_visible_to(self.user))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        if d.get("station"):
            qs = qs.filter(station=d["station"])
        return qs


class GroupFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), choices=[*ALL, ("active", _("启用")), ("inactive", _("已停用"))])

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        status = self.cleaned_data.get("status")
        if status:
            qs = qs.filter(is_active=status == "active")
        return qs


# --- reception actions ------------------------------------------------------------------------


class ActionForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DATE)

    def __init__(self, *args: Any, reception: Reception, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        kwargs.setdefault("initial", {}).setdefault("state", reception.state)
        self.reception, self.user = reception, user
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        style_form(self)

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class ProposeForm(ActionForm):
    proposal = forms.CharField(label=_("办理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(ActionForm):
    to = forms.CharField(label=_("转办单位"), max_length=100, help_text=_("如：镇农业农村办、镇社会事务办"))
    as_suggestion = forms.BooleanField(label=_("同时登记为群众意见建议（交办单位办理）"), required=False)
    title = forms.CharField(label=_("意见建议标题"), max_length=200, required=False)


class ChaseForm(ActionForm):
    note = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(ActionForm):
    feedback = forms.CharField(label=_("反馈情况"), widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("向来访群众反馈的办理结果"))


class FileForm(ActionForm):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TurnAwayForm(ActionForm):
    route = forms.CharField(label=_("依法处理途径"), widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("涉法涉诉事项：告知来访人向法院起诉、申请行政复议或仲裁等途径"))


class ToSuggestionForm(forms.Form):
    title = forms.CharField(label=_("意见建议标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RevealForm(privacy.RevealForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reveal")
        super().__init__(*args, **kwargs)
