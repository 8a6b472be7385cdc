from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.calendar_days.models import DayKind
from renda.core.widgets import DateInput


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), input_formats=["%Y-%m-%d"],
                           widget=DateInput())
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices,
                             help_text=_("放假：该日不上班；调休上班：周六或周日按通知上班。"))
    name = forms.CharField(label=_("节日名称"), max_length=50, help_text=_("如 元旦、春节、国庆节。"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False,
                           help_text=_("如 依据的通知文号、发布日期。"))
