"""The headers of every public page (docs/decisions/0013-portal-public-pages.md): a strict
Content-Security-Policy (the site's own files only, no inline script, nothing framed, forms post
only here), ``Referrer-Policy: same-origin`` (a status page's URL holds its tracking code: no other
site gets a referrer; ``no-referrer`` would make browsers send ``Origin: null`` with the page's
own forms, which Django's CSRF check refuses), ``Cache-Control: no-store`` (pages carry a CSRF token, status pages an
item's progress) and ``X-Robots-Tag: noindex``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def apply(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = CSP
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return apply(view(request, *args, **kwargs))

    return wrapped
