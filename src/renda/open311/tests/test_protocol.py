"""The wire rules, pure: dates and their 90-day span, lists, integers, coordinates, description."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from renda.open311 import protocol
from renda.open311.protocol import Open311Error

NOW = timezone.make_aware(dt.datetime(2023, 6, 30, 12, 0))


def params(**kw: str) -> QueryDict:
    d = QueryDict(mutable=True)
    for k, v in kw.items():
        d.appendlist(k, v)
    return d


def refused(fn: object, *args: object, **kwargs: object) -> int:
    with pytest.raises(Open311Error) as exc:
        fn(*args, **kwargs)  # type: ignore[operator]
    assert exc.value.description
    return exc.value.status


def test_dates_default_to_the_most_recent_90_days() -> None:
    start, end = protocol.date_range(params(), now=NOW)
    assert end == NOW and end - start == dt.timedelta(days=90)


def test_dates_span_at_most_90_days() -> None:
    start, end = protocol.date_range(params(start_date="2023-01-01T00:00:00Z", end_date="2023-04-01T00:00:00Z"))
    assert end - start == dt.timedelta(days=90)
    assert refused(protocol.date_range, params(start_date="2023-01-01T00:00:00Z",
                                               end_date="2023-04-01T00:00:01Z")) == 400
    assert refused(protocol.date_range, params(start_date="2023-01-02T00:00:00Z",
                                               end_date="2023-01-01T23:59:59Z")) == 400
    # one alone spans 90 days from (or to) it
    start, end = protocol.date_range(params(start_date="2023-01-01T00:00:00+08:00"))
    assert end.isoformat() == "2023-04-01T00:00:00+08:00"
    start, end = protocol.date_range(params(end_date="2023-04-01T00:00:00+08:00"))
    assert start.isoformat() == "2023-01-01T00:00:00+08:00"


@pytest.mark.parametrize(("text", "iso"), [
    ("2010-01-01T00:00:00Z", "2010-01-01T00:00:00+00:00"),
    ("2010-01-01T08:00:00+08:00", "2010-01-01T08:00:00+08:00"),
    ("2010-01-01T08:00:00 08:00", "2010-01-01T08:00:00+08:00"),  # a + left unencoded in a URL
    ("2010-01-01T08:00:00", "2010-01-01T08:00:00+08:00"),  # no offset: the town's
    ("2010-01-01", "2010-01-01T00:00:00+08:00"),
])
def test_w3_datetimes(text: str, iso: str) -> None:
    parsed = protocol.parse_datetime(text, "start_date")
    assert parsed is not None and parsed.isoformat() == iso


@pytest.mark.parametrize("text", ["yesterday", "2010-13-01", "1948-12-31T00:00:00Z", "2010-01-01T25:00:00Z"])
def test_bad_datetimes(text: str) -> None:
    assert refused(protocol.parse_datetime, text, "start_date") == 400


def test_w3_output_has_the_offset() -> None:
    assert protocol.w3(dt.datetime(2023, 3, 1, 1, 30, 5, 123, tzinfo=dt.UTC)) == "2023-03-01T09:30:05+08:00"
    assert protocol.w3(None) is None


def test_comma_lists() -> None:
    got = protocol.comma_list(params(service_code="1,2,2"), "service_code", pattern=protocol.SERVICE_CODE_LIST)
    assert got == ["1", "2"]
    d = params(service_code="1")
    d.appendlist("service_code", "3")  # declared several times
    assert protocol.comma_list(d, "service_code", pattern=protocol.SERVICE_CODE_LIST) == ["1", "3"]
    for bad in ("a", "1,,2", "1,", " 1", "1\n"):
        assert refused(protocol.comma_list, params(service_code=bad), "service_code",
                       pattern=protocol.SERVICE_CODE_LIST) == 400, bad
    ids = ",".join(f"YJ2023-{i:03}" for i in range(protocol.MAX_IDS))
    assert len(protocol.comma_list(params(x=ids), "x", pattern=protocol.REQUEST_ID_LIST)) == protocol.MAX_IDS
    assert refused(protocol.comma_list, params(x=ids + ",YJ2024-001"), "x", pattern=protocol.REQUEST_ID_LIST) == 400
    assert protocol.statuses(params(status="closed,open")) == ["closed", "open"]


def test_positive_integers_at_their_edges() -> None:
    assert protocol.positive_int(params(), "page_size", default=1000, maximum=1000) == 1000
    assert protocol.positive_int(params(page_size="1"), "page_size", default=9, maximum=1000) == 1
    assert protocol.positive_int(params(page_size="1000"), "page_size", default=9, maximum=1000) == 1000
    for bad in ("0", "1001", "-1", "1.5", "abc", "١"):
        assert refused(protocol.positive_int, params(page_size=bad), "page_size", default=9, maximum=1000) == 400


def test_one_value_per_parameter() -> None:
    d = params(jurisdiction_id="340302100000")
    d.appendlist("jurisdiction_id", "340302100001")
    assert refused(protocol.one, d, "jurisdiction_id") == 400
    assert protocol.one(params(x="  "), "x") == ""  # empty is undeclared
    assert refused(protocol.one, params(x="a" * 41), "x", max_length=40) == 400


def test_coordinates_at_their_edges() -> None:
    assert protocol.coordinate("90", "lat", limit=90) == Decimal("90.000000")
    assert protocol.coordinate("-180", "long", limit=180) == Decimal("-180.000000")
    for bad in ("90.0000001", "-90.000001", "abc", "NaN", "Infinity", "1e400"):
        assert refused(protocol.coordinate, bad, "lat", limit=90) == 400, bad


def test_description_at_its_limits() -> None:
    protocol.check_description("路" * 4000)
    protocol.check_description("a < b，3 > 2，A&B 公司")  # comparisons and a bare & are not markup
    for bad in ("路" * 4001, "<b>x</b>", "<script>", "</p>", "<!-- x -->", "&lt;", "&#60;"):
        assert refused(protocol.check_description, bad) == 400


def test_attributes_of_a_form() -> None:
    form = QueryDict("attribute[village]=340302100001&attribute[tags][]=a&attribute[tags][]=b&api_key=x")
    assert protocol.attributes(form) == {"village": ["340302100001"], "tags": ["a", "b"]}
    assert refused(protocol.attributes, QueryDict("attribute[a b]=1")) == 400
    assert refused(protocol.attributes, QueryDict("attributes=1")) == 400


def test_media_url_and_email() -> None:
    protocol.check_media_url("https://img.example.com/a.jpg?x=1")
    protocol.check_email("a.b@example.com")
    for bad in ("javascript:alert(1)", "http://", "https://a b.com/", "https://user@host/x", "//x.com/a"):
        assert refused(protocol.check_media_url, bad) == 400, bad
    for bad in ("a@b", "<a@b.com>", "a b@c.com"):
        assert refused(protocol.check_email, bad) == 400, bad
