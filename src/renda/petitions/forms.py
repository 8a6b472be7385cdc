"""Forms for the petition pages: the list filter, the register form, the reveal and lookup
forms and one small form per workflow action. Forms only validate and scope their choices; the
views call the services."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core import privacy
from renda.core.attachments import AttachmentsField
from renda.core.crud import ResourceForm, add_error, set_queryset, style_form
from renda.core.errors import InvalidInput
from renda.core.widgets import DateInput
from renda.people.models import Deputy
from renda.petitions import rules, selectors
from renda.petitions.models import COMMON_CATEGORIES, STATE_CHOICES, Channel, Petition
from renda.petitions.services import PetitionerData, clean_petitioners
from renda.places.forms import PlaceSelects, RegionLabelField, TownScopedFilter
from renda.places.models import Region
from renda.places.selectors import grids_visible_to, towns_visible_to, villages_visible_to
from renda.shifts import selectors as shifts

if TYPE_CHECKING:
    from renda.shifts.models import DutyShift

ALL = [("", _("全部"))]
DATE = DateInput()


def _not_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天"))
    return value


class DateField(forms.DateField):
    """A business date: today by default, never in the future."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        return _not_future(super().clean(value))


# --- list filter ---------------------------------------------------------------------------


class PetitionFilter(TownScopedFilter):
    town_dependent = ("village", "grid")

    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    channel = forms.ChoiceField(label=_("渠道"), choices=[*ALL, *Channel.choices])
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none())
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none())
    category = forms.CharField(label=_("类别"), max_length=50)
    due = forms.ChoiceField(label=_("期限"), choices=[*ALL, ("overdue", _("已超期")), ("due_soon", _("即将到期"))])
    repeat = forms.ChoiceField(label=_("重复信访"), choices=[*ALL, ("yes", _("是")), ("no", _("否"))])
    date_from = forms.DateField(label=_("登记日期自"), widget=DATE)
    date_to = forms.DateField(label=_("登记日期至"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "village", villages_visible_to(self.user).order_by("code"))
        set_queryset(self, "grid", grids_visible_to(self.user).order_by("code"))
        self.fields["category"].widget.attrs["list"] = "petition-categories"

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().apply(qs)
        d = self.cleaned_data
        for name in ("state", "channel", "village", "grid", "category"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        if d.get("repeat") == "yes":
            qs = qs.filter(is_repeat=True)
        elif d.get("repeat") == "no":
            qs = qs.filter(is_repeat=False)
        today = timezone.localdate()
        if d.get("due") == "overdue":
            qs = qs.filter(pk__in=Petition.objects.overdue(today).values("pk"))
        elif d.get("due") == "due_soon":
            qs = qs.filter(pk__in=Petition.objects.due_soon(today, rules.DEFAULT.due_soon_days).values("pk"))
        if d.get("date_from"):
            qs = qs.filter(registered_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(registered_on__lte=d["date_to"])
        return qs


# --- register ------------------------------------------------------------------------------


class ShiftField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyShift) -> str:
        return f"{obj.date.isoformat()} {obj.get_period_display()}"


_SPLIT = re.compile(r"[,，\s]+")


def parse_others(text: str) -> list[PetitionerData]:
    """同行信访人: one per line, ``姓名 身份证号 电话`` (the last two optional), separated by
    spaces or commas; a value of 11 digits is a phone, of 18 characters an ID number."""
    out = []
    for line in (text or "").splitlines():
        parts = [x for x in _SPLIT.split(line.strip()) if x]
        if not parts:
            continue
        name, id_number, phone = parts[0], "", ""
        for x in parts[1:]:
            if len(x) == 18:
                id_number = x
            else:
                phone = x
        out.append(PetitionerData(name=name, id_number=id_number, phone=phone))
    return out


class RegisterForm(PlaceSelects, ResourceForm):
    """登记信访件 (office, presidium member on duty, grid worker)."""

    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.VISIT)
    registered_on = DateField(label=_("登记日期"), required=False, help_text=_("不填为今天"))
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    name = forms.CharField(label=_("信访人姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    others = forms.CharField(label=_("同行信访人"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("集体访时每行一人：姓名 身份证号 电话（后两项可不填）"))
    head_count = forms.IntegerField(label=_("人数"), min_value=1, required=False,
                                    help_text=_("集体访的总人数；不填为登记的信访人数"))
    subject = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    respondent = forms.CharField(label=_("被反映人/单位"), max_length=200, required=False,
                                 help_text=_("单独记录，不向被反映人/单位透露信访人"))
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none(), required=False)
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none(), required=False)
    category = forms.CharField(label=_("类别"), max_length=50, required=False)
    duty_shift = ShiftField(label=_("接访值班"), queryset=shifts.town_shifts(None).none(), required=False,
                            help_text=_("来访时关联当日值班"))
    attachments = AttachmentsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        town_id = getattr(user, "town_id", None)
        set_queryset(self, "town", Region.objects.filter(pk=town_id) if town_id
                     else towns_visible_to(user).filter(is_active=True).order_by("code"))
        if town_id:
            self.fields["town"].disabled = True
            self.fields["town"].initial = town_id
        set_queryset(self, "village", villages_visible_to(user).filter(is_active=True).order_by("code"))
        set_queryset(self, "grid", grids_visible_to(user).filter(is_active=True).order_by("code"))
        today = timezone.localdate()
        recent = shifts.in_range(shifts.town_shifts(town_id), today - dt.timedelta(days=60), today)
        recent = recent.order_by("-date", "period")
        set_queryset(self, "duty_shift", recent)
        todays = recent.filter(date=today).first()
        if todays is not None:
            self.fields["duty_shift"].initial = todays.pk  # proposed for a visit received today
        if getattr(user, "role", None) == "grid_worker":
            self.fields["grid"].required = True
            del self.fields["village"]
        style_form(self)
        self.link_places()
        self.fields["category"].widget.attrs["list"] = "petition-categories"
        self.fields["subject"].widget.attrs["autocomplete"] = "off"
        for name in ("name", "id_number", "phone", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    categories = COMMON_CATEGORIES

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and getattr(self.user, "town_id", None):
            data["town"] = self.user.town
        data["petitioners"] = [
            PetitionerData(name=data.get("name") or "", id_number=data.get("id_number") or "",
                           phone=data.get("phone") or "", address=data.get("address") or ""),
            *parse_others(data.get("others") or ""),
        ]
        # The service's checks of the petitioners, now too: a wrong ID number shows beside the
        # other missing fields, not after them.
        if data.get("name"):
            try:
                clean_petitioners(data["petitioners"])
            except InvalidInput as exc:
                add_error(self, exc)
        return data


class RevealForm(privacy.RevealForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", _("如：电话回访信访人"))
        super().__init__(*args, **kwargs)


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        for f in self.fields.values():
            f.widget.attrs["autocomplete"] = "off"


# --- workflow actions ----------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the petition's version (a stale page is refused) and the
    business date of the step (today by default)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    on = DateField(label=_("日期"), required=False, help_text=_("不填为今天"))
    confirm_needed = False

    def __init__(self, *args: Any, petition: Petition, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        kwargs.setdefault("initial", {}).setdefault("version", petition.version)
        self.petition, self.user = petition, user
        super().__init__(*args, **kwargs)
        if self.confirm_needed:
            self.fields["confirm"] = forms.BooleanField(label=_("我已核对，确认执行此操作"), required=True)
        style_form(self)

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class AcceptForm(ActionForm):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DeclineForm(ActionForm):
    confirm_needed = True
    reason = forms.CharField(label=_("不予受理的理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如：不属于本机关职权范围、已经或者依法应当通过诉讼等途径解决"))


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=rules.DEFAULT.max_extension_days,
                              help_text=_("只能延期一次，不超过30日"))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(ActionForm):
    opinion = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 4}))


class RequestForm(ActionForm):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequestReviewForm(RequestForm):
    pass


class RequestRereviewForm(RequestForm):
    pass


class AnswerForm(ActionForm):
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerReviewForm(AnswerForm):
    pass


class AnswerRereviewForm(AnswerForm):
    pass


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class RouteForm(ActionForm):
    presidium_member = DeputyField(label=_("阅批领导（主席团成员）"), queryset=Deputy.objects.none())
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "presidium_member", selectors.presidium_members(self.petition.town_id))


class InstructForm(ActionForm):
    text = forms.CharField(label=_("阅批意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ToSuggestionForm(ActionForm):
    confirm_needed = True


class FromSuggestionForm(forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
