from __future__ import annotations

from django.utils import translation

from renda.shifts.forms import GenerateForm


def test_month_input_is_typed_as_yyyy_mm_in_every_language() -> None:
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            html = str(GenerateForm()["month"])
            assert 'type="text"' in html and 'type="month"' not in html
            assert 'placeholder="YYYY-MM"' in html and 'maxlength="7"' in html
