"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. It always renders ISO dates (``<input type="date">`` accepts nothing
    else), whatever the active language's date format — without this, a default or stored date
    renders as 2026/11/27 in Chinese and the field shows empty, so saving would drop it."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
