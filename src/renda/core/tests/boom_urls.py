"""The site's URLs plus one page that fails: for the server-error tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from renda.urls import handler500
from renda.urls import urlpatterns as site


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("kaboom-for-the-test")


urlpatterns = [path("boom/", boom), *site]
__all__ = ["handler500", "urlpatterns"]
