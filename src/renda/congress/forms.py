"""Forms of the congress pages: the session form and list filter, attendance, agenda, the round
opening form, the paper entry form (one ballot at a time) and the deputy's ballot. Forms only
validate and scope their choices; the views call the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.congress.models import (
    AttendanceStatus,
    EvaluateChoice,
    RoundBasis,
    RoundKind,
    RoundMode,
    RoundState,
    SelectChoice,
    VoteRound,
)
from renda.core.crud import FilterForm, ResourceForm, set_queryset
from renda.core.widgets import DateInput
from renda.places.models import Level, Region
from renda.places.selectors import towns_visible_to

DATE = DateInput()


class SessionFilter(FilterForm):
    term = forms.IntegerField(label=_("届次"), min_value=1, max_value=99)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def apply(self, qs: Any) -> Any:
        if self.cleaned_data.get("term"):
            qs = qs.filter(term=self.cleaned_data["term"])
        if self.cleaned_data.get("year"):
            qs = qs.filter(starts_on__year=self.cleaned_data["year"])
        return qs


class RoundFilter(FilterForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *RoundKind.choices])
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RoundState.choices])

    def apply(self, qs: Any) -> Any:
        for name in ("kind", "state"):
            if self.cleaned_data.get(name):
                qs = qs.filter(**{name: self.cleaned_data[name]})
        return qs


class SessionForm(ResourceForm):
    town = forms.ModelChoiceField(label=_("所属镇街"), queryset=Region.objects.none())
    term = forms.IntegerField(label=_("届次（第X届）"), min_value=1, max_value=99)
    number = forms.IntegerField(label=_("会次（第X次会议）"), min_value=1, max_value=99)
    title = forms.CharField(label=_("会议名称"), max_length=200, required=False,
                            help_text=_("不填则自动生成，如：XX镇第十八届人民代表大会第三次会议"))
    starts_on = forms.DateField(label=_("开幕日期"), widget=DATE)
    ends_on = forms.DateField(label=_("闭幕日期"), widget=DATE)
    venue = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    quorum_numerator = forms.IntegerField(label=_("法定人数比例（分子）"), min_value=1, max_value=99, initial=2)
    quorum_denominator = forms.IntegerField(label=_("法定人数比例（分母）"), min_value=1, max_value=99, initial=3,
                                            help_text=_("默认全体代表的三分之二"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        set_queryset(self, "town", towns_visible_to(user).filter(level=Level.TOWN, is_active=True))
        if self.instance is not None or getattr(user, "town_id", None):
            del self.fields["town"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("闭幕日期不能早于开幕日期"))
        return data


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("议程"), max_length=200)
    needs_vote = forms.BooleanField(label=_("需表决"), required=False)


class AttendanceForm(forms.Form):
    deputy = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("出席情况"), choices=AttendanceStatus.choices)


class RoundOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RoundKind.choices, initial=RoundKind.SELECT)
    title = forms.CharField(label=_("名称"), max_length=200)
    options = forms.CharField(label=_("投票事项（每行一项）"), widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=5000)
    seats = forms.IntegerField(label=_("应选数（票决）"), min_value=1, max_value=99, required=False,
                               help_text=_("每张选票最多可投赞成票的事项数"))
    basis = forms.ChoiceField(label=_("过半数基数"), choices=RoundBasis.choices, initial=RoundBasis.ALL,
                              help_text=_("赞成票须超过全体代表（或出席代表）的半数"))
    mode = forms.ChoiceField(label=_("投票方式"), choices=RoundMode.choices, initial=RoundMode.PAPER)
    issued = forms.IntegerField(label=_("发出选票数（纸质）"), min_value=1, max_value=9999, required=False,
                                help_text=_("不填为出席代表数；不能多于出席代表数"))
    chief_scrutineer = forms.CharField(label=_("总监票人"), max_length=100, required=False)
    scrutineers = forms.CharField(label=_("监票人"), max_length=200, required=False, help_text=_("多人用顿号分隔"))
    agenda_item = forms.TypedChoiceField(label=_("议程"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, agenda: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择")), *[(a.pk, str(a)) for a in agenda]]

    def clean_options(self) -> list[str]:
        lines = [x.strip() for x in self.cleaned_data["options"].splitlines() if x.strip()]
        if not lines:
            raise forms.ValidationError(_("请至少列出一个投票事项"))
        if any(len(x) > 200 for x in lines):
            raise forms.ValidationError(_("每个事项不超过200字"))
        return lines


def _choice_field(r: VoteRound, label: str) -> forms.ChoiceField:
    choices = SelectChoice.choices if r.kind == RoundKind.SELECT else EvaluateChoice.choices
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


class BallotForm(forms.Form):
    """One ballot: a choice per option, ``opt_<id>``; unmarked options are left out."""

    def __init__(self, *args: Any, round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.option_list = list(round.options.all())
        for o in self.option_list:
            self.fields[f"opt_{o.pk}"] = _choice_field(round, o.label)

    def choices(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data[f"opt_{o.pk}"] for o in self.option_list
                if self.cleaned_data.get(f"opt_{o.pk}")}

    def rows(self) -> list[dict[str, Any]]:
        return [{"option": o, "field": self[f"opt_{o.pk}"]} for o in self.option_list]


class CloseForm(forms.Form):
    returned = forms.IntegerField(label=_("收回选票数"), min_value=0, max_value=9999, required=False,
                                  help_text=_("纸质选票：清点收回的选票数；多于发出数则本轮投票无效"))
