"""The user's notifications page: newest first, paginated; mark one or all read (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.core.errors import NotFound
from renda.core.types import acting
from renda.notifications import selectors, services

PER_PAGE = 20


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(actor=acting(request), notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.POST.get("open") and notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_all_read(actor=acting(request))
    messages.success(request, _("已将 {n} 条通知标为已读").format(n=n))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    from django.urls import reverse

    page = request.POST.get("page", "")
    url = reverse("notifications:index")
    return f"{url}?page={page}" if page.isdigit() else url
