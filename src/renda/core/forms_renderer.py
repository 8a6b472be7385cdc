"""The form renderer (``FORM_RENDERER``): Django's, except that a select drawn with Django's own
templates is written out in Python — the same HTML, character for character
(``core/tests/test_forms_renderer.py`` compares them).

Why: Django draws each ``<option>`` through two template includes. A list page's filters hold
a town's villages, grids, units and categories — a few hundred options — and drawing them took
a third of the page's time (cProfile of a town's search page at 1,000,000 items: 14 ms of ~45).
A select with another template (a widget of renda's own, ``option_template_name`` changed) is
drawn by its templates as before."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"

_CONTEXT = Context(autoescape=True)


def _out(value: Any) -> str:
    """``{{ value }}`` in an autoescaped template."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: a safe value stays unescaped, as the filter keeps it."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> SafeString | None:
    """``django/forms/widgets/select.html`` for a widget context, or None when one of its
    options has a template of its own."""
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            out.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{_out(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # the renderer strips the template's last newline
    return mark_safe("".join(out))  # noqa: S308 (every part escaped above)


class Renderer(DjangoTemplates):
    """Django's default renderer, with selects drawn by ``render_select``."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT and isinstance(context.get("widget"), dict):
            html = render_select(context["widget"])
            if html is not None:
                return html
        html_: str = super().render(template_name, context, request)
        return html_
