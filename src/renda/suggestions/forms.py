"""Forms for the suggestion pages: the list filter, the register form and one small form per
workflow action. Forms only validate and scope their choices; the views call the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import AttachmentsField
from renda.core.crud import NamedChoiceField, ResourceForm, set_queryset, style_form
from renda.core.roles import Role
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.people.models import Deputy
from renda.places.forms import PlaceSelects, RegionLabelField, TownScopedFilter
from renda.places.models import Region
from renda.places.selectors import grids_visible_to, towns_visible_to, villages_visible_to
from renda.suggestions.models import (
    STATE_CHOICES,
    Kind,
    ReplyClass,
    Result,
    Source,
    Suggestion,
    SuggestionCategory,
)
from renda.suggestions.services import register_problems
from renda.suggestions.workflow import HANDLING
from renda.units.models import Unit
from renda.units.selectors import units_visible_to

ALL = [("", _("全部"))]
DATE = DateInput()


def _town_id(user: Any) -> int | None:
    return getattr(user, "town_id", None)


def categories_for(user: Any) -> QuerySet[SuggestionCategory]:
    qs = SuggestionCategory.objects.filter(is_active=True).order_by("name")
    town_id = _town_id(user)
    return qs.filter(town_id=town_id) if town_id else qs


# --- list filter ---------------------------------------------------------------------------


class SuggestionFilter(TownScopedFilter):
    town_dependent = ("unit", "category", "village", "grid")

    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    kind = forms.ChoiceField(label=_("类型"), choices=[*ALL, *Kind.choices])
    unit = NamedChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    category = NamedChoiceField(label=_("类别"), queryset=SuggestionCategory.objects.none())
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none())
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none())
    key = forms.ChoiceField(label=_("重点督办"), choices=[*ALL, ("yes", _("是")), ("no", _("否"))])
    due = forms.ChoiceField(label=_("期限"), choices=[*ALL, ("overdue", _("已超期")), ("due_soon", _("即将到期"))])
    date_from = forms.DateField(label=_("登记日期自"), widget=DATE)
    date_to = forms.DateField(label=_("登记日期至"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units_visible_to(self.user).filter(is_active=True).order_by("name"))
        set_queryset(self, "category", categories_for(self.user))
        set_queryset(self, "village", villages_visible_to(self.user).order_by("code"))
        set_queryset(self, "grid", grids_visible_to(self.user).order_by("code"))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().apply(qs)
        d = self.cleaned_data
        for name, lookup in (("state", "state"), ("kind", "kind"), ("unit", "lead_unit"),
                             ("category", "category"), ("village", "village"), ("grid", "grid")):
            if d.get(name):
                qs = qs.filter(**{lookup: d[name]})
        if d.get("key") == "yes":
            qs = qs.filter(key_supervision=True)
        elif d.get("key") == "no":
            qs = qs.filter(key_supervision=False)
        today = timezone.localdate()
        handling = Q(state__in=[s.value for s in HANDLING])
        if d.get("due") == "overdue":
            qs = qs.filter(handling, deadline__lt=today)
        elif d.get("due") == "due_soon":
            qs = qs.filter(handling, deadline__gte=today, deadline__lte=today + dt.timedelta(days=7))
        if d.get("date_from"):
            qs = qs.filter(registered_at__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(registered_at__lte=d["date_to"])
        return qs


# --- register ------------------------------------------------------------------------------


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class RegisterForm(PlaceSelects, ResourceForm):
    """登记. Office staff register any item; a deputy files their own deputy suggestion; a grid
    worker reports a public opinion from one of their grids."""

    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.PUBLIC)
    source = forms.ChoiceField(label=_("来源"), choices=[("", _("请选择")), *Source.choices], required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    village = RegionLabelField(label=_("村社区"), queryset=Region.objects.none(), required=False)
    grid = RegionLabelField(label=_("网格"), queryset=Region.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=SuggestionCategory.objects.none(), required=False)
    submitter_name = forms.CharField(label=_("提出人"), max_length=50, required=False)
    submitter_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    anonymous = forms.BooleanField(label=_("匿名"), required=False)
    no_unit_contact = forms.BooleanField(
        label=_("提出人不愿承办单位直接联系"), required=False,
        help_text=_("勾选后，承办单位不能查看提出人的联系方式，需联系时由人大办联系"))
    lead_deputy = DeputyField(label=_("领衔代表"), queryset=Deputy.objects.none(), required=False)
    co_deputies = DeputiesField(label=_("附议代表"), queryset=Deputy.objects.none(), required=False,
                                widget=SearchableSelectMultiple())
    attachments = AttachmentsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        town_id = _town_id(user)
        set_queryset(self, "town", Region.objects.filter(pk=town_id) if town_id
                     else towns_visible_to(user).filter(is_active=True).order_by("code"))
        if town_id:
            self.fields["town"].disabled = True
            self.fields["town"].initial = town_id
        set_queryset(self, "village", villages_visible_to(user).filter(is_active=True).order_by("code"))
        set_queryset(self, "grid", grids_visible_to(user).filter(is_active=True).order_by("code"))
        set_queryset(self, "category", categories_for(user))
        deputies = Deputy.objects.filter(is_active=True).order_by("name")
        if town_id:
            deputies = deputies.filter(town_id=town_id)
        set_queryset(self, "lead_deputy", deputies)
        set_queryset(self, "co_deputies", deputies)
        role = getattr(user, "role", None)
        if role == Role.DEPUTY:
            # A deputy files their own suggestion: kind and lead deputy are fixed.
            for name in ("kind", "lead_deputy"):
                self.fields[name].disabled = True
            self.fields["kind"].initial = Kind.DEPUTY
            self.fields["lead_deputy"].initial = user.deputy_id
            set_queryset(self, "co_deputies", deputies.exclude(pk=user.deputy_id))
            for name in ("submitter_name", "submitter_phone", "anonymous", "no_unit_contact"):
                del self.fields[name]
        elif role == Role.GRID_WORKER:
            # A grid worker reports a public opinion from one of their grids.
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = Kind.PUBLIC
            self.fields["source"].disabled = True
            self.fields["source"].initial = Source.GRID_REPORTED
            self.fields["grid"].required = True
            for name in ("village", "lead_deputy", "co_deputies"):
                del self.fields[name]
        style_form(self)
        self.link_places()
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and _town_id(self.user):
            data["town"] = self.user.town
        # The service's rules on who submitted it, checked now too: a form left empty shows
        # 提出人 beside 标题, not one after the other.
        if "kind" in data:
            problems = register_problems(
                kind=data["kind"], anonymous=bool(data.get("anonymous")), lead_deputy=data.get("lead_deputy"),
                submitter_name=data.get("submitter_name") or "", submitter_phone=data.get("submitter_phone") or "")
            for name, (message, _short) in problems.items():
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, message)
        return data


# --- workflow actions --------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the item's version: a page rendered before someone else moved
    the item on is refused with a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm_needed = False
    #: What the user confirms, when ``confirm_needed`` (a form may say it in its own words).
    confirm_label: Any = _("我已核对，确认执行此操作")

    def __init__(self, *args: Any, suggestion: Suggestion, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        kwargs.setdefault("initial", {}).setdefault("version", suggestion.version)
        self.suggestion, self.user = suggestion, user
        super().__init__(*args, **kwargs)
        if self.confirm_needed:
            self.fields["confirm"] = forms.BooleanField(label=self.confirm_label, required=True,
                                                        error_messages={"required": _("请勾选确认后再提交")})
        style_form(self)
        for f in self.fields.values():
            if isinstance(f.widget, forms.RadioSelect):
                f.widget.attrs["class"] = "me-1"

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class CommentForm(ActionForm):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False,
                                              widget=SearchableSelectMultiple())
    deadline = forms.DateField(label=_("办理期限"), widget=DATE, required=False,
                               help_text=_("不填则按规定期限：代表建议3个月，群众意见30天"))
    comment = forms.CharField(label=_("交办意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(town_id=self.suggestion.town_id, is_active=True).order_by("name")
        set_queryset(self, "lead_unit", units)
        set_queryset(self, "co_units", units)


class AcceptForm(CommentForm):
    pass


class ReturnForm(ActionForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CoOpinionForm(ActionForm):
    opinion = forms.CharField(label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(ActionForm):
    # Nothing chosen in advance: the unit says which class its reply is (a pre-chosen A counted
    # many replies as 已解决 that nobody had classed).
    reply_class = forms.ChoiceField(label=_("答复类别"), choices=[("", _("请选择")), *ReplyClass.choices],
                                    error_messages={"required": _("请选择答复类别")})
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField()


class EvaluateForm(ActionForm):
    result = forms.ChoiceField(label=_("测评结果"), choices=Result.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(CommentForm):
    pass


class CloseDissatisfiedForm(ActionForm):
    confirm_needed = True
    confirm_label = _("我已核对：事项已重新办理，提出人仍不满意，确认办结（计入不满意办结）")
    reason = forms.CharField(label=_("不满意办结的理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写不满意办结的理由")},
                             help_text=_("如：已重新办理，因政策或条件限制暂不能解决，已向提出人说明，提出人仍不满意"))


class RequestExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, required=False)
    new_deadline = forms.DateField(label=_("或延至日期"), widget=DATE, required=False)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideExtensionForm(ActionForm):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("同意延期")), ("refuse", _("不同意延期"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DeclineForm(ActionForm):
    confirm_needed = True
    reason = forms.CharField(label=_("不予受理的理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如：属个人诉求、应通过信访渠道反映等"))


class WithdrawForm(ActionForm):
    confirm_needed = True
    reason = forms.CharField(label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MergeForm(ActionForm):
    confirm_needed = True
    into = forms.CharField(label=_("合并至（编号）"), max_length=30,
                           help_text=_("填写内容相同的另一件未办结事项的编号；本事项的提出人随该事项一并答复"))
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RemindForm(ActionForm):
    note = forms.CharField(label=_("催办内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SuperviseForm(ActionForm):
    enabled = forms.ChoiceField(label=_("重点督办"), choices=[("on", _("列入重点督办")), ("off", _("取消重点督办"))])
    supervisor = DeputyField(label=_("督办领导（主席团成员）"), queryset=Deputy.objects.none(), required=False)
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "supervisor", Deputy.objects.filter(
            town_id=self.suggestion.town_id, is_presidium=True, is_active=True).order_by("name"))
        if self.suggestion.key_supervision:
            self.fields["enabled"].initial = "off"


class FollowUpForm(forms.Form):
    """The deputy's note on a public opinion given through their QR code (``views.follow_up``)."""

    note = forms.CharField(label=_("代表意见"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
