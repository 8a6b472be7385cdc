"""The statistics page's period picker (年度/半年/季度/月份/自定义区间) and the period in the URL:
the picker leads to the URL ``renda stats`` would take (``?period=2023H1`` or ``?from=…&to=…``),
the code typed into the URL still works (and its Chinese forms), wrong input gets a clear
Chinese message."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from tests.support import World

from renda.core import stats
from renda.core.errors import InvalidInput
from renda.core.roles import Role
from renda.reports import views
from renda.reports.forms import PeriodForm

pytestmark = pytest.mark.django_db
URL = "/reports/"
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "today", lambda: D("2023-08-01"))


@pytest.fixture
def client(world: World) -> Client:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    return c


def _query(response: object) -> dict[str, list[str]]:
    assert response.status_code == 302, getattr(response, "content", b"")[:500]  # type: ignore[attr-defined]
    location = urlsplit(response["Location"])  # type: ignore[index]
    assert location.path == URL
    return parse_qs(location.query)


@pytest.mark.parametrize(("picked", "query"), [
    ({"kind": "year", "year": "2022"}, {"period": ["2022"]}),
    ({"kind": "half", "year": "2023", "half": "1"}, {"period": ["2023H1"]}),
    ({"kind": "half", "year": "2023", "half": "2"}, {"period": ["2023H2"]}),
    ({"kind": "quarter", "year": "2023", "quarter": "3"}, {"period": ["2023Q3"]}),
    ({"kind": "month", "year": "2023", "month": "7"}, {"period": ["2023-07"]}),
    ({"kind": "range", "start": "2023-01-05", "end": "2023-03-31"}, {"from": ["2023-01-05"], "to": ["2023-03-31"]}),
    # the other kinds' fields, sent by a browser without script, are ignored
    ({"kind": "quarter", "year": "2023", "half": "2", "quarter": "1", "month": "12", "start": "2020-01-01"},
     {"period": ["2023Q1"]}),
    # the as-of date goes along
    ({"kind": "month", "year": "2023", "month": "2", "as_of": "2023-03-10"},
     {"period": ["2023-02"], "as_of": ["2023-03-10"]}),
])
def test_each_kind_of_the_picker_leads_to_the_period_in_the_url(client: Client, picked: dict[str, str],
                                                                 query: dict[str, list[str]]) -> None:
    assert _query(client.get(URL, picked)) == query


@pytest.mark.parametrize(("url_query", "first", "last", "kind"), [
    ({"period": "2023Q3"}, "2023-07-01", "2023-09-30", "quarter"),
    ({"period": "2023H1"}, "2023-01-01", "2023-06-30", "half"),
    ({"period": "2023上半年"}, "2023-01-01", "2023-06-30", "half"),
    ({"period": "2023年下半年"}, "2023-07-01", "2023-12-31", "half"),
    ({"period": "2023年第三季度"}, "2023-07-01", "2023-09-30", "quarter"),
    ({"period": "2023年7月"}, "2023-07-01", "2023-07-31", "month"),
    ({"period": "2022年"}, "2022-01-01", "2022-12-31", "year"),
    ({"from": "2023-01-05", "to": "2023-03-31"}, "2023-01-05", "2023-03-31", "range"),
    ({"from": "2023-04-01", "to": "2023-06-30"}, "2023-04-01", "2023-06-30", "quarter"),
])
def test_the_code_in_the_url_still_works_and_the_picker_shows_it(client: Client, url_query: dict[str, str],
                                                                  first: str, last: str, kind: str) -> None:
    response = client.get(URL, url_query)
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.from_, period.to) == (D(first), D(last))
    assert response.context["error"] is None
    picker = response.context["picker"]
    assert picker.initial["kind"] == kind
    html = response.content.decode()
    assert f'<option value="{kind}" selected>' in html
    # the export link names the same period
    export = urlsplit(response.context["export_url"])
    assert export.path == "/reports/export/"
    again = client.get(URL, parse_qs(export.query))
    assert (again.context["period"].from_, again.context["period"].to) == (D(first), D(last))


def test_the_picker_keeps_the_as_of_date(client: Client) -> None:
    response = client.get(URL, {"period": "2023H1", "as_of": "2023-07-10"})
    assert response.context["period"].as_of == D("2023-07-10")
    assert 'name="as_of" value="2023-07-10"' in response.content.decode()
    assert "as_of=2023-07-10" in response.context["export_url"]
    assert 'name="as_of" value=' not in client.get(URL, {"period": "2023H1"}).content.decode()


def test_the_picker_shows_the_current_period(client: Client) -> None:
    html = client.get(URL, {"period": "2023Q3"}).content.decode()
    assert "2023年第三季度" in html
    assert '<option value="3" selected>第三季度</option>' in html
    assert '<option value="2023" selected>2023年</option>' in html
    # the default is this year
    response = client.get(URL)
    assert response.context["period"].from_ == D("2023-01-01") and response.context["picker"].initial["kind"] == "year"


@pytest.mark.parametrize(("bad", "message"), [
    ({"kind": "quarter", "year": "2023"}, "季度：请选择季度"),
    ({"kind": "month", "month": "5"}, "年份：请选择年份"),
    ({"kind": "half", "year": "2023", "half": "3"}, "「3」不是可选的半年"),
    ({"kind": "year", "year": "1850"}, "年份「1850」不在可选范围内"),
    ({"kind": "range", "start": "2023-03-01"}, "截止日期：请选择截止日期"),
    ({"kind": "range", "start": "2023-03-01", "end": "2023-02-01"}, "截止日期不能早于起始日期"),
    ({"kind": "range", "start": "2023-02-30", "end": "2023-03-01"}, "起始日期应为 YYYY-MM-DD 格式的日期"),
    ({"kind": "week", "year": "2023"}, "统计期间："),
    ({"kind": "year", "year": "2023", "as_of": "2023-02-30"}, "截至日期应为 YYYY-MM-DD 格式的日期"),
])
def test_wrong_picker_input_gets_a_clear_message(client: Client, bad: dict[str, str], message: str) -> None:
    response = client.get(URL, bad)
    assert response.status_code == 200
    assert message in response.context["error"]
    assert message in response.content.decode()
    assert "截止日期：截止日期" not in response.context["error"]
    # the page still shows this year's numbers
    assert response.context["period"].from_ == D("2023-01-01")


@pytest.mark.parametrize(("bad", "message"), [
    ({"period": "2023H3"}, "统计期间「2023H3」格式不正确"),
    ({"period": "2023第五季度"}, "统计期间「2023第五季度」格式不正确"),
    ({"from": "2023-13-01", "to": "2023-12-31"}, "起始日期「2023-13-01」格式不正确，应为 YYYY-MM-DD"),
    ({"from": "2023-01-01"}, "自定义区间须同时填写起始日期和截止日期"),
    ({"from": "2023-05-01", "to": "2023-01-01"}, "统计截止日期不能早于起始日期"),
    ({"period": "2023", "as_of": "昨天"}, "截至日期「昨天」格式不正确"),
])
def test_a_wrong_period_in_the_url_gets_a_clear_message(client: Client, bad: dict[str, str], message: str) -> None:
    response = client.get(URL, bad)
    assert response.status_code == 200
    assert message in response.context["error"]


@pytest.mark.parametrize(("kind", "year", "number", "code"), [
    ("year", 2023, None, "2023"), ("half", 2023, 2, "2023H2"), ("quarter", 2024, 4, "2024Q4"),
    ("month", 2024, 2, "2024-02"),
])
def test_period_code_round_trips(kind: str, year: int, number: int | None, code: str) -> None:
    assert stats.period_code(kind, year, number) == code
    assert stats.period_kind(*stats.parse_period(code)) == (kind, year, number)


@pytest.mark.parametrize("text", ["2023上半年", "2023年上半年", "2023 年 上半年", "2023h1"])
def test_chinese_forms_of_the_code(text: str) -> None:
    assert stats.parse_period(text) == (D("2023-01-01"), D("2023-06-30"))


@pytest.mark.parametrize("text", ["2023中半年", "2023年13月", "2023年第5季度", "2023年0月", "上半年"])
def test_wrong_chinese_forms_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        stats.parse_period(text)


def test_period_code_refuses_a_number_the_kind_does_not_have() -> None:
    with pytest.raises(ValueError):
        stats.period_code("quarter", 2023, 5)


def test_picker_form_offers_the_years_up_to_next_year() -> None:
    form = PeriodForm(today=D("2023-08-01"))
    years = [y for y, _label in form.fields["year"].choices]  # type: ignore[attr-defined]
    assert years[0] == 2024 and 2000 in years and 1999 not in years
