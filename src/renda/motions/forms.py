"""Forms and list filters of the motion pages; saving is the services' (``form.save()`` is never called)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.congress.models import Session
from renda.congress.selectors import sessions_visible_to
from renda.core.crud import FilterForm, ResourceForm, set_queryset, style_form
from renda.core.roles import Role
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.motions import policy
from renda.motions.models import STATE_CHOICES, Motion, SubmittedBy
from renda.people.models import Deputy
from renda.units.models import Unit
from renda.units.selectors import units_visible_to

ALL = [("", _("全部"))]
DATE = DateInput()
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, help_text=help_text,
                               input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj}（{obj.starts_on:%Y-%m-%d}）"


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


def town_deputies(user: Any) -> QuerySet[Deputy]:
    qs = Deputy.objects.filter(is_active=True, level="town").order_by("name", "id")
    return qs.filter(town_id=user.town_id) if getattr(user, "town_id", None) else qs


class MotionForm(ResourceForm):
    session = SessionField(label=_("人代会"), queryset=Session.objects.none())
    submitted_by = forms.ChoiceField(label=_("提出方式"), choices=SubmittedBy.choices, initial=SubmittedBy.DEPUTIES)
    lead_deputy = DeputyField(label=_("领衔代表"), queryset=Deputy.objects.none(), required=False,
                              help_text=_("代表联名提出的议案必填；领衔代表自动联名"))
    title = forms.CharField(label=_("案由"), max_length=200, help_text=_("如：关于加快农村饮水安全巩固提升的议案"))
    reasons = forms.CharField(label=_("理由和依据"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposal = forms.CharField(label=_("办法和措施"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "session", sessions_visible_to(self.user).order_by("-starts_on", "-id"))
        set_queryset(self, "lead_deputy", town_deputies(self.user))
        if self.instance is not None:  # editing a draft: the text only
            for name in ("session", "submitted_by", "lead_deputy"):
                del self.fields[name]
        elif getattr(self.user, "role", None) == Role.DEPUTY:  # a deputy leads their own joint motion
            del self.fields["submitted_by"]
            del self.fields["lead_deputy"]


class MotionFilter(FilterForm):
    session = SessionField(label=_("人代会"), queryset=Session.objects.none())
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    submitted_by = forms.ChoiceField(label=_("提出方式"), choices=[*ALL, *SubmittedBy.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "session", sessions_visible_to(self.user).order_by("-starts_on", "-id"))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("session"):
            qs = qs.filter(session=d["session"])
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        if d.get("submitted_by"):
            qs = qs.filter(submitted_by=d["submitted_by"])
        return qs


# --- settings ------------------------------------------------------------------------------------


class SettingsForm(forms.Form):
    min_signers = forms.IntegerField(label=_("代表联名最少人数"), min_value=2, max_value=100,
                                     help_text=_("含领衔代表；默认 5 人"))


class LimitForm(forms.Form):
    session = SessionField(label=_("人代会"), queryset=Session.objects.none())
    deadline = _datetime_field(_("议案截止时间"), help_text=_("应在会议期间；未设置时为会议首日 23:59"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "session", sessions_visible_to(user).order_by("-starts_on", "-id"))
        style_form(self)


# --- the actions of a motion's page ---------------------------------------------------------------


class ActionForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DATE)

    def __init__(self, *args: Any, motion: Motion, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        kwargs.setdefault("initial", {}).setdefault("state", motion.state)
        self.motion, self.user = motion, user
        super().__init__(*args, **kwargs)
        if "on" in self.fields:
            self.fields["on"].initial = timezone.localdate()
        style_form(self)

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class _ForDeputy(ActionForm):
    """Sign / unsign: a deputy as themselves; the office picks the deputy (a paper signature)."""

    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["on"]
        if policy.deputy_of(self.user) and self.user.role == Role.DEPUTY:
            del self.fields["deputy"]
        else:
            set_queryset(self, "deputy", town_deputies(self.user))
            style_form(self)


class SignForm(_ForDeputy):
    pass


class UnsignForm(_ForDeputy):
    pass


class SubmitForm(ActionForm):
    at = _datetime_field(_("提交时间"), required=False, help_text=_("补录纸质议案时填写；不填为现在"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["on"]
        if getattr(self.user, "role", None) not in {Role.STAFF, Role.ADMIN}:
            del self.fields["at"]


class WithdrawForm(ActionForm):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PutOnAgendaForm(ActionForm):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("不列入议程的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ToSuggestionForm(ActionForm):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             help_text=_("将登记为代表建议：领衔代表为议案领衔代表，其他联名代表为附议代表"))


class AdoptForm(ActionForm):
    resolution = forms.CharField(label=_("决议"), widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(label=_("落实单位"), queryset=Unit.objects.none(), required=False,
                                           widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "units", units_visible_to(self.user).filter(town_id=self.motion.town_id, is_active=True)
                     .order_by("name"))


class NotAdoptForm(ActionForm):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProgressForm(ActionForm):
    note = forms.CharField(label=_("落实进展"), widget=forms.Textarea(attrs={"rows": 2}))


class FinishForm(ActionForm):
    summary = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}))
