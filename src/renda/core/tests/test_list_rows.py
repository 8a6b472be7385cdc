"""The list table's rows drawn in Python (``crud.table_rows_html``) are, character for character,
what the template loop that drew them before drew: that loop is kept here and both are compared
over hostile text, empty and missing values, numbers, dates, safe markup, lazy labels, phone-card
parts, inactive rows, link columns and the bulk checkbox, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from renda.core.crud import Column, table_rows_html

#: The loop of core/partials/list_table.html before the rows were drawn in Python.
TEMPLATE_LOOP = (Path(__file__).parent / "list_rows_before.html").read_text()

HOSTILE = '<script>alert("x")</script> & \'引号\' "双引号" {{ x }} {% y %}'


@dataclass
class Thing:
    pk: int
    name: str
    value: Any
    is_active: Any = None

    def __str__(self) -> str:
        return self.name


class Plain:
    """An object without ``is_active`` (most lists)."""

    def __init__(self, pk: int, name: str, value: Any) -> None:
        self.pk, self.name, self.value = pk, name, value

    def __str__(self) -> str:
        return self.name


VALUES: list[Any] = [HOSTILE, "", None, 0, 12345, 3.5, dt.date(2026, 1, 30), True, False,
                     format_html("<span class=\"badge\">{}</span>", "<b>"), gettext_lazy("登记"), "长" * 300,
                     "a\x00b\u200b\ufeff", "YJ2026-0001"]
COLUMNS = [
    Column("code", gettext_lazy("编号"), lambda o: f"C-{o.pk}", link=True, card="code"),
    Column("title", "标题 <&>", lambda o: o.name, link=True, card="title"),
    Column("value", gettext_lazy("状态"), lambda o: o.value, card="state"),
    Column("date", "日期", lambda o: o.value, nowrap=True),
    Column("plain", "备注", lambda o: o.value),
]


def _objects() -> list[Any]:
    objs: list[Any] = []
    for i, v in enumerate(VALUES, start=1):
        objs.append(Thing(i, f"{HOSTILE} {i}", v, is_active=[None, True, False][i % 3]))
        objs.append(Plain(1000 + i, f"事项{i}", v))
    return objs


def _columns(parts: dict[str, str]) -> list[dict[str, Any]]:
    return [{"column": c, "part": parts.get(c.key, ""),
             "whole": c.nowrap or parts.get(c.key) in ("code", "state", "deadline")} for c in COLUMNS]


def _template(objs: list[Any], columns: list[dict[str, Any]], url_name: str, bulk: bool) -> str:
    rows = [{"obj": o, "cells": [{**col, "value": v, "empty": v is None or v == ""}
                                 for col in columns for v in [col["column"].value(o)]],
             "url": reverse(url_name, args=[o.pk])} for o in objs]
    template = engines["django"].from_string(TEMPLATE_LOOP)
    return template.render({"rows": rows, "bulk_actions": [{"url": "/x", "label": "下载"}] if bulk else []})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize("parts", [{}, {"code": "code", "title": "title", "value": "state", "date": "deadline"}])
def test_python_rows_equal_the_template_loop(language: str, bulk: bool, parts: dict[str, str]) -> None:
    objs = _objects()
    columns = _columns({k: v for k, v in parts.items() if k != "date"} | ({"date": "meta"} if parts else {}))
    with translation.override(language):
        expected = _template(objs, columns, "suggestions:detail", bulk)
        got = "".join(table_rows_html(objs, columns, url_name="suggestions:detail", bulk=bulk))
    assert got == expected
    assert "<script>" not in got and "&lt;script&gt;" in got  # hostile text is escaped
    assert '<span class="badge">&lt;b&gt;</span>' in got  # safe markup is kept
    assert reverse("suggestions:detail", args=[1001]) in got


def test_no_rows_draw_nothing() -> None:
    assert table_rows_html([], _columns({}), url_name="suggestions:detail", bulk=True) == []
