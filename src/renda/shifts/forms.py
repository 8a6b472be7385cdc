"""Forms of the duty roster pages; their choices come from the selectors (the user's town)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.crud import style_form
from renda.core.widgets import DateInput, MonthInput, SearchableSelectMultiple
from renda.people.models import Deputy
from renda.shifts import selectors
from renda.shifts.models import AssignmentState, DutyAssignment, DutyShift, Period

DATE_INPUT = DateInput()


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{_('主席团成员')}）" if obj.is_presidium else obj.name


class DeputiesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{_('主席团成员')}）" if obj.is_presidium else obj.name


class GenerateForm(_Styled):
    month = forms.CharField(label=gettext_lazy("月份"), max_length=7,
                            widget=MonthInput())
    per_day = forms.IntegerField(label=gettext_lazy("每天值班人数"), min_value=1, max_value=10, initial=1)
    period = forms.ChoiceField(label=gettext_lazy("时段"), choices=Period.choices, initial=Period.FULL_DAY)
    location = forms.CharField(label=gettext_lazy("地点"), max_length=100, required=False,
                               initial=gettext_lazy("信访接待室"))

    def clean_month(self) -> tuple[int, int]:
        text = self.cleaned_data["month"]
        try:
            year, month = (int(p) for p in text.split("-"))
            dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM")) from None
        return year, month


class ShiftForm(_Styled):
    date = forms.DateField(label=gettext_lazy("值班日期"), widget=DATE_INPUT)
    period = forms.ChoiceField(label=gettext_lazy("时段"), choices=Period.choices, initial=Period.FULL_DAY)
    location = forms.CharField(label=gettext_lazy("地点"), max_length=100, initial=gettext_lazy("信访接待室"))
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deputies = DeputiesChoice(label=gettext_lazy("值班人员"), queryset=Deputy.objects.none(), required=False,
                              widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, town_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = selectors.eligible_deputies(town_id)  # type: ignore[attr-defined]


class ShiftEditForm(_Styled):
    location = forms.CharField(label=gettext_lazy("地点"), max_length=100)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AddPersonForm(_Styled):
    deputy = DeputyChoice(label=gettext_lazy("值班人员"), queryset=Deputy.objects.none(),
                          help_text=gettext_lazy("主席团成员或本镇街其他代表"))
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, shift: DutyShift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_shift = shift.assignments.values("deputy_id")
        self.fields["deputy"].queryset = selectors.eligible_deputies(  # type: ignore[attr-defined]
            shift.town_id).exclude(pk__in=on_shift)


class SwapForm(_Styled):
    replacement = DeputyChoice(label=gettext_lazy("替班人员"), queryset=Deputy.objects.none())
    note = forms.CharField(label=gettext_lazy("调班原因"), max_length=200, required=False)

    def __init__(self, *args: Any, assignment: DutyAssignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_shift = assignment.shift.assignments.values("deputy_id")
        self.fields["replacement"].queryset = selectors.eligible_deputies(  # type: ignore[attr-defined]
            assignment.shift.town_id).exclude(pk__in=on_shift)


class AssignmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyAssignment) -> str:
        return f"{obj.shift.date.isoformat()} {obj.shift.get_period_display()} · {obj.deputy.name}"


class ExchangeForm(_Styled):
    other = AssignmentChoice(label=gettext_lazy("与谁的班次互换"), queryset=DutyAssignment.objects.none())
    note = forms.CharField(label=gettext_lazy("调班原因"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, assignment: DutyAssignment, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = selectors.upcoming_scheduled(  # type: ignore[attr-defined]
            user, town_id=assignment.shift.town_id, exclude_shift_id=assignment.shift_id, today=today,
        ).exclude(deputy_id=assignment.deputy_id)


ATTENDANCE_CHOICES = [
    (AssignmentState.SCHEDULED.value, gettext_lazy("未登记")),
    (AssignmentState.ATTENDED.value, gettext_lazy("到岗")),
    (AssignmentState.ABSENT.value, gettext_lazy("缺勤")),
]


class DayAttendanceForm(forms.Form):
    """One radio group per assignment still open to attendance (not swapped) of the day."""

    def __init__(self, *args: Any, assignments: list[DutyAssignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[DutyAssignment, forms.BoundField]] = []
        for a in assignments:
            if a.state == AssignmentState.SWAPPED:
                continue
            name = f"a{a.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{a.shift.get_period_display()} · {a.deputy.name}", choices=ATTENDANCE_CHOICES,
                initial=a.state, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            self.rows.append((a, self[name]))

    def states(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class RangeForm(_Styled):
    """Filters of the summary and the export: a town (district users) and a date range or month."""

    town = forms.ModelChoiceField(label=gettext_lazy("镇街"), queryset=DutyShift.objects.none(), required=False)
    month = forms.CharField(label=gettext_lazy("月份"), max_length=7, required=False,
                            widget=MonthInput())
    start = forms.DateField(label=gettext_lazy("起"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("止"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = selectors.towns_visible_to(user)  # type: ignore[attr-defined]
        for f in self.fields.values():
            f.widget.attrs["class"] = f.widget.attrs.get("class", "") + " form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期"))
        return data
