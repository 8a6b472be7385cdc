"""Server errors are logged with their traceback and request id, and the pages a user sees for
errors are in Chinese and show that id, never a stack (#14 items 6 and 8)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("renda.core.tests.boom_urls")]


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """What the configured django.request handler writes (stderr in production)."""
    handlers = logging.getLogger("django.request").handlers
    assert handlers, "django.request has no handler: server errors would not be logged"
    out = io.StringIO()
    old = [h.setStream(out) for h in handlers if isinstance(h, logging.StreamHandler)]  # type: ignore[func-returns-value]
    assert old, "django.request does not log to a stream"
    yield out
    for h, stream in zip([h for h in handlers if isinstance(h, logging.StreamHandler)], old, strict=True):
        h.setStream(stream)


def test_a_server_error_is_logged_with_its_traceback_and_request_id(log: io.StringIO) -> None:
    response = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="abc123def")
    assert response.status_code == 500
    text = log.getvalue()
    assert "request=abc123def" in text
    assert "Traceback (most recent call last)" in text
    assert "kaboom-for-the-test" in text


def test_the_500_page_is_chinese_and_shows_the_request_id_but_no_stack() -> None:
    response = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="abc123def")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错了" in html
    assert "abc123def" in html
    assert "kaboom" not in html and "Traceback" not in html
    assert response["X-Request-ID"] == "abc123def"


def test_the_400_and_404_pages_are_chinese() -> None:
    client = Client()
    assert "页面不存在" in client.get("/no-such-page/").content.decode()
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    response = bad_request(RequestFactory().get("/"), SuspiciousOperation("x"))
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_a_refused_form_post_is_a_chinese_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html
