"""The site-wide files browsers ask for at the root: ``/favicon.ico`` (the icon itself is in
``core/static/renda/``, linked from every page by ``core/base.html``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.cache import cache_control


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on their own: send them to the static, versioned icon."""
    return HttpResponseRedirect(static("renda/favicon.ico"))


urlpatterns = [path("favicon.ico", favicon, name="favicon")]
