"""Form widgets shared by every app.

The pages work without JavaScript; ``renda/forms.js`` (loaded by ``core/base.html``) adds the
date picker (flatpickr, vendored) and the searchable selects (Tom Select, vendored) to the
widgets marked here, also in fragments htmx swaps in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

#: How a date is shown and typed, in every language.
DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A date typed or picked as YYYY-MM-DD, whatever the language or the browser's locale.

    A text box, not ``<input type="date">`` (which shows the browser's locale format, e.g.
    11/27/2026 in an English browser); ``data-datepicker`` asks ``renda/forms.js`` for the
    vendored calendar. It always renders ISO dates: a default or stored date rendered in the
    active language's format (2026/11/27) would not be read back the same way everywhere."""

    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {"data-datepicker": "", "placeholder": "YYYY-MM-DD", "pattern": r"\d{4}-\d{2}-\d{2}",
                "inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATE_FORMAT)


class MonthInput(forms.TextInput):
    """A month typed as YYYY-MM in every language (``<input type="month">`` shows the browser's
    locale format and, in some browsers, no picker at all)."""

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}", "inputmode": "numeric",
                "autocomplete": "off", "maxlength": "7"}
        super().__init__(attrs={**base, **(attrs or {})})


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multi-select with a search box and removable chips (Tom Select): deputies, units,
    grids. Without JavaScript, a plain list box (Ctrl-click)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Iterable[Any] = ()) -> None:
        super().__init__(attrs={"data-searchable": "", "size": 8, **(attrs or {})}, choices=choices)


class SearchableSelect(forms.Select):
    """A single select with a search box, for long lists."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Iterable[Any] = ()) -> None:
        super().__init__(attrs={"data-searchable": "", **(attrs or {})}, choices=choices)
