from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation

from renda.core.widgets import DateInput, SearchableSelectMultiple


class F(forms.Form):
    on = forms.DateField(widget=DateInput())
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=SearchableSelectMultiple(),
                                     required=False)


def test_date_input_renders_iso_in_every_language() -> None:
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            html = str(F(initial={"on": dt.date(2026, 11, 27)})["on"])
            # A text box with the vendored picker, not type="date" (which shows the browser's
            # locale format, e.g. 11/27/2026 in an English browser).
            assert 'type="text"' in html and 'type="date"' not in html
            assert 'value="2026-11-27"' in html and "data-datepicker" in html and 'placeholder="YYYY-MM-DD"' in html


def test_date_typed_as_yyyy_mm_dd_is_read_in_every_language() -> None:
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            form = F({"on": "2026-02-03"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["on"] == dt.date(2026, 2, 3)
            assert not F({"on": "2026-02-30"}).is_valid()


def test_searchable_multi_select_is_marked_for_the_script() -> None:
    html = str(F()["many"])
    assert "<select" in html and "multiple" in html and "data-searchable" in html

