"""The statistics page's period picker: a kind (年度/半年/季度/月份/自定义区间), a year and the
half, quarter or month — or a start and an end date. It only chooses [from, to]; the page's URL
keeps the period as ``renda stats`` takes it (``?period=2023H1`` or ``?from=…&to=…``), so a
code typed into the URL, a bookmark or a link from another page keeps working."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import stats
from renda.core.widgets import DateInput

#: Years the picker offers (besides the current one and the next).
FIRST_YEAR = 2000

KIND_CHOICES = [
    (stats.YEAR, gettext_lazy("年度")),
    (stats.HALF, gettext_lazy("半年")),
    (stats.QUARTER, gettext_lazy("季度")),
    (stats.MONTH, gettext_lazy("月份")),
    (stats.RANGE, gettext_lazy("自定义区间")),
]
HALF_CHOICES: list[tuple[int, Any]] = [(1, gettext_lazy("上半年")), (2, gettext_lazy("下半年"))]
QUARTER_CHOICES: list[tuple[int, Any]] = [
    (1, gettext_lazy("第一季度")), (2, gettext_lazy("第二季度")),
    (3, gettext_lazy("第三季度")), (4, gettext_lazy("第四季度"))]
MONTH_CHOICES: list[tuple[int, Any]] = [(n, format_lazy(gettext_lazy("{n}月"), n=n)) for n in range(1, 13)]
#: The picker's field holding each kind's number.
NUMBER_FIELDS = {stats.HALF: "half", stats.QUARTER: "quarter", stats.MONTH: "month"}


def period_label(period: stats.Period) -> str:
    """The period in words: 2023年、2023年上半年、2023年第三季度、2023年7月 or 2023-01-05 至 2023-03-31."""
    kind, year, number = stats.period_kind(period.from_, period.to)
    if kind == stats.YEAR:
        return _("{y}年").format(y=year)
    if kind in NUMBER_FIELDS:
        names: list[tuple[int, Any]] = {stats.HALF: HALF_CHOICES, stats.QUARTER: QUARTER_CHOICES,
                                        stats.MONTH: MONTH_CHOICES}[kind]
        part = next(label for n, label in names if n == number)
        return _("{y}年{part}").format(y=year, part=part)
    return _("{start} 至 {end}").format(start=period.from_.isoformat(), end=period.to.isoformat())


def _select(choices: Any, label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=[("", "—"), *choices], coerce=int, required=False,
                                  empty_value=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("统计期间"), choices=KIND_CHOICES,
                             widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.TypedChoiceField(label=gettext_lazy("年份"), coerce=int, required=False, empty_value=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    half = _select(HALF_CHOICES, gettext_lazy("半年"))
    quarter = _select(QUARTER_CHOICES, gettext_lazy("季度"))
    month = _select(MONTH_CHOICES, gettext_lazy("月份"))
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                            widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                          widget=DateInput(attrs={"class": "form-control"}))
    #: Only facts dated on or before it count (default: the end, or today); kept in the URL.
    as_of = forms.DateField(label=gettext_lazy("截至日期"), required=False,
                            widget=DateInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(max(today.year + 1, FIRST_YEAR), FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, _("{y}年").format(y=y)) for y in years]  # type: ignore[attr-defined]
        self.fields["year"].error_messages["invalid_choice"] = _("年份「%(value)s」不在可选范围内")
        for name in ("half", "quarter", "month"):
            self.fields[name].error_messages["invalid_choice"] = _("「%(value)s」不是可选的{f}").format(
                f=self.fields[name].label)
        for name in ("start", "end", "as_of"):
            self.fields[name].error_messages["invalid"] = _("{f}应为 YYYY-MM-DD 格式的日期").format(
                f=self.fields[name].label)

    @classmethod
    def for_period(cls, period: stats.Period, *, today: dt.date, as_of_given: bool = False) -> PeriodForm:
        """The picker showing ``period`` (an exact year, half, quarter or month, else a range)
        and its as-of date when the URL names one."""
        kind, year, number = stats.period_kind(period.from_, period.to)
        initial: dict[str, Any] = {"kind": kind, "year": year, "start": period.from_, "end": period.to,
                                   "as_of": period.as_of if as_of_given else None}
        if kind in NUMBER_FIELDS:
            initial[NUMBER_FIELDS[kind]] = number
        return cls(initial=initial, today=today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == stats.RANGE:
            start, end = data.get("start"), data.get("end")
            if not start and "start" not in self.errors:
                self.add_error("start", _("请选择起始日期"))
            if not end and "end" not in self.errors:
                self.add_error("end", _("请选择截止日期"))
            if start and end and end < start:
                self.add_error("end", _("截止日期不能早于起始日期"))
        elif kind:
            if data.get("year") is None and "year" not in self.errors:
                self.add_error("year", _("请选择年份"))
            field = NUMBER_FIELDS.get(kind)
            if field and data.get(field) is None and field not in self.errors:
                self.add_error(field, _("请选择{f}").format(f=self.fields[field].label))
        return data

    def query(self) -> dict[str, str]:
        """The URL parameters of the chosen period: ``period`` (a code) or ``from`` and ``to``."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == stats.RANGE:
            query = {"from": data["start"].isoformat(), "to": data["end"].isoformat()}
        else:
            field = NUMBER_FIELDS.get(kind)
            query = {"period": stats.period_code(kind, data["year"], data[field] if field else None)}
        if data.get("as_of"):
            query["as_of"] = data["as_of"].isoformat()
        return query

    def error_text(self) -> str:
        """Every error of the form in one sentence, each prefixed by its field's label."""
        parts: list[str] = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            parts.extend(f"{label}：{e}" if label and not str(e).startswith(str(label)) else str(e)
                         for e in errors)
        return "；".join(parts)
