"""The error pages Django shows (``handler500``, ``CSRF_FAILURE_VIEW``), in Chinese (the
user's language), with the request id a user can quote to the administrator — never a stack."""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("renda.errors")

_FALLBACK = ('<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>系统错误</title></head>'
             "<body><h1>系统出错了</h1><p>请稍后再试；如果问题持续，请联系管理员。</p>"
             "<p>错误编号：{rid}</p></body></html>")


def _request_id(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", "") or "")


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: what happened in plain words and the request id (the traceback is in the
    log under ``request=<id>``, django.request). A database lock that outlasted the busy timeout
    outside a view (a middleware saving the session, a response rendered late) is the same 503
    with ``Retry-After`` that a view's gets (``core.retry``): Django calls this view while the
    exception is being handled, so it is still at hand."""
    from renda.core.retry import busy_response, is_lock_error

    exc = sys.exc_info()[1]
    if exc is not None and is_lock_error(exc):
        return busy_response(request, json=request.path.startswith("/api/"))
    rid = _request_id(request)
    try:
        html: str = loader.render_to_string("500.html", {"request_id": rid})
    except Exception:  # the page itself must not fail: a plain one without the template
        logger.exception("the 500 page could not be rendered")
        html = _FALLBACK.format(rid=rid)
    return HttpResponseServerError(html)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post (the page was open too long, cookies are off, or the post came from
    elsewhere): a 403 in the user's language that says what to do."""
    html = loader.render_to_string("403_csrf.html", {"request_id": _request_id(request)}, request=request)
    return HttpResponse(html, status=403)
