"""The site-wide files browsers ask for at the root: ``/favicon.ico`` (the icon itself is in
``core/static/renda/``, linked from every page by ``core/base.html``); ``/health/`` for a
monitor: the database answers, the background worker is alive (its heartbeat, ``core.worker``)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from renda.core import worker


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on their own: send them to the static, versioned icon."""
    return HttpResponseRedirect(static("renda/favicon.ico"))


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and the worker is alive; 503 (and which part failed) otherwise.
    Public and without details a stranger could use: states and the heartbeat's age only."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "error"
    state = worker.status()
    body = {
        "status": "ok" if database == "ok" and state["alive"] else "error",
        "database": database,
        "worker": {"status": "alive" if state["alive"] else "dead", "last_seen": state["last_seen"],
                   "age_seconds": state["age_seconds"]},
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


urlpatterns = [path("favicon.ico", favicon, name="favicon"), path("health/", health, name="health")]
