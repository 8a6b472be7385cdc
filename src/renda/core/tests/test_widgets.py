from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation

from renda.core.widgets import DateInput


class F(forms.Form):
    on = forms.DateField(widget=DateInput())


def test_date_input_renders_iso_in_every_language() -> None:
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            html = str(F(initial={"on": dt.date(2026, 11, 27)})["on"])
            assert 'type="date"' in html and 'value="2026-11-27"' in html
