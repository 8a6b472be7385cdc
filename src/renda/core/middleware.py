from __future__ import annotations

import functools
import ipaddress
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from renda.audit import context


def client_ip(request: HttpRequest) -> str | None:
    """The client address: REMOTE_ADDR; when that is one of ``RENDA_TRUSTED_PROXIES`` (the
    reverse proxies, see docs/deploy.md), the nearest X-Forwarded-For address that is not."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = _networks(tuple(getattr(settings, "RENDA_TRUSTED_PROXIES", ())))
    if remote is None or not _in(remote, proxies):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, proxies):
            return hop if _is_ip(hop) else remote
    return hops[0] if hops else remote


@functools.lru_cache(maxsize=8)
def _networks(specs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in specs)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _in(addr: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    if not networks or not _is_ip(addr):
        return False
    ip = ipaddress.ip_address(addr)
    return any(ip.version == n.version and ip in n for n in networks)


#: Paths of machine clients (the Ninja API, the Open311 server): their audit events say ``api``.
API_PREFIXES = ("/api/", "/open311/")


class RequestContextMiddleware:
    """Binds a request id and the client IP for the audit trail; echoes X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        source = "api" if request.path.startswith(API_PREFIXES) else "web"
        with context.bind(request_id=rid, ip=client_ip(request), source=source):
            request.request_id = rid  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.RENDA_CSP`` as the Content-Security-Policy of every response (Django
    5.2 has none of its own). The pages keep to it: scripts and styles are files under /static/,
    no inline ``<script>``, ``on…=`` handler, ``<style>`` or ``style=""`` (the browser test
    tests/browser/test_csp.py visits every role's pages and fails on any violation)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "RENDA_CSP", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.setdefault("Content-Security-Policy", self.policy)
        return response


class ActorContextMiddleware:
    """Makes pages not cacheable by shared caches once a user is logged in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.setdefault("Cache-Control", "private, no-store")
        return response


class DomainErrorMiddleware:
    """Pages: a policy refusal from a service becomes Django's 403 page, a hidden record 404
    (and so does an id too large for the database); a database still locked by another writer
    after the busy timeout 503 with ``Retry-After`` (``core.retry``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from renda.core.errors import Forbidden, NotFound

        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, OverflowError):
            # An id in the URL too large for the database (SQLite: 64-bit) names no record.
            raise Http404 from exception
        from renda.core.retry import busy_response, is_lock_error

        if is_lock_error(exception):
            # Another writer held the lock longer than the busy timeout: 503, try again (not a 500).
            return busy_response(request)
        return None


#: The integers the database stores (64-bit): ids, offsets and limits beyond them are bad input.
INT64 = range(-(2**63), 2**63)
_INTEGER_PARAMS = ("offset", "limit", "page", "id")


class IntegerRangeMiddleware:
    """An API query parameter that is an id (``*_id``), an offset or a limit and whose value is an
    integer beyond 64 bits is refused with 422, as the OpenAPI document (``int64``) says — on every
    database alike (SQLite overflows, PostgreSQL would quietly match nothing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            for key, values in request.GET.lists():
                if not (key.endswith("_id") or key in _INTEGER_PARAMS):
                    continue
                for value in values:
                    text = value.strip()
                    digits = text.lstrip("+-")
                    if digits.isascii() and digits.isdigit() and len(digits) > 18 and int(text) not in INT64:
                        return JsonResponse({"code": "invalid", "message": _("提交的数据不正确"),
                                             "fields": {key: [_("超出范围")]}}, status=422)
        return self.get_response(request)
