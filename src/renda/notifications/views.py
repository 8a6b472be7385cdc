"""The user's notifications page: newest first, paginated; mark one or all read (POST).

The office's outbox (外发通知): a ``core.crud`` list of the town's SMS and e-mail deliveries,
the failed ones first shown, with export; a delivery's page with its attempts and history;
重发 of one or of the ticked ones, each after a confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.audit.selectors import history_for
from renda.audit.verbs import describe
from renda.core.crud import Column, DetailField, Resource
from renda.core.errors import ApplicationError, NotFound
from renda.core.types import acting
from renda.notifications import policy, selectors, services
from renda.notifications.forms import DeliveryFilter
from renda.notifications.models import Delivery, DeliveryStatus

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
    page = request.POST.get("page", "")
    url = reverse("notifications:index")
    return f"{url}?page={page}" if page.isdigit() else url


# --- the outbox (外发通知) ------------------------------------------------------------------------


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _next(d: Delivery) -> str:
    return _time(d.next_attempt_at) if d.status == DeliveryStatus.PENDING else ""


def _bulk_actions(user: Any) -> list[dict[str, Any]]:
    if not policy.can_deliveries(user, "retry"):
        return []
    return [{"url": reverse("deliveries:retry_selected"), "label": _("重发")}]


class DeliveryResource(Resource):
    """The outbox list: without a ``status`` in the query it shows the failed deliveries."""

    def filtered(self, request: HttpRequest) -> tuple[QuerySet[Any], Any, str, str]:
        qs, form, q, sort = super().filtered(request)
        if "status" not in request.GET:
            qs = qs.filter(status=DeliveryStatus.FAILED)
        return qs, form, q, sort

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        d = self.get_object(request, pk)
        self._require(request, "view", d)
        return render(request, "notifications/delivery_detail.html", {
            "resource": self, "obj": d, "fields": [(f.label, f.value(d)) for f in self.detail_fields],
            "history": history_for(d),
            "can_retry": d.status == DeliveryStatus.FAILED and policy.can(request.user, "retry", d),
        })


deliveries = DeliveryResource(
    name="deliveries", model=Delivery, label=gettext_lazy("外发通知"), label_plural=gettext_lazy("外发通知"),
    can=policy.can_deliveries, require=policy.require_deliveries, selector=selectors.deliveries_visible_to,
    columns=[
        Column("created_at", gettext_lazy("时间"), lambda d: _time(d.created_at), sort="created_at", link=True,
               nowrap=True, card="title"),
        Column("channel", gettext_lazy("渠道"), lambda d: d.get_channel_display(), sort="channel", nowrap=True),
        Column("recipient", gettext_lazy("接收地址"), lambda d: d.recipient_masked, nowrap=True),
        Column("user", gettext_lazy("接收人"), lambda d: d.user.label if d.user else _("群众")),
        Column("verb", gettext_lazy("类型"), lambda d: describe(d.verb)),
        Column("status", gettext_lazy("状态"), lambda d: d.get_status_display(), sort="status", card="state"),
        Column("attempts", gettext_lazy("已尝试次数"), lambda d: d.attempts, sort="attempts", nowrap=True),
        Column("next_attempt_at", gettext_lazy("下次尝试时间"), _next, nowrap=True),
        Column("last_error", gettext_lazy("最近错误"), lambda d: d.last_error[:200]),
        Column("town", gettext_lazy("所属镇街"), lambda d: d.town.name if d.town else "", district_only=True),
    ],
    search_fields=("recipient_masked", "last_error"), filter_form=DeliveryFilter, default_sort="-created_at",
    detail_fields=[
        DetailField(gettext_lazy("渠道"), lambda d: d.get_channel_display()),
        DetailField(gettext_lazy("接收地址"), lambda d: d.recipient_masked),
        DetailField(gettext_lazy("接收人"), lambda d: d.user.label if d.user else _("群众")),
        DetailField(gettext_lazy("类型"), lambda d: describe(d.verb)),
        DetailField(gettext_lazy("状态"), lambda d: d.get_status_display()),
        DetailField(gettext_lazy("已尝试次数"), lambda d: d.attempts),
        DetailField(gettext_lazy("下次尝试时间"), _next),
        DetailField(gettext_lazy("最近错误"), lambda d: d.last_error),
        DetailField(gettext_lazy("发送方式"), lambda d: d.backend),
        DetailField(gettext_lazy("创建时间"), lambda d: _time(d.created_at)),
        DetailField(gettext_lazy("发送时间"), lambda d: _time(d.sent_at)),
        DetailField(gettext_lazy("失败时间"), lambda d: _time(d.failed_at)),
        DetailField(gettext_lazy("短信模板"), lambda d: d.template_id),
        DetailField(gettext_lazy("主题"), lambda d: d.subject),
        DetailField(gettext_lazy("内容"), lambda d: d.body or "；".join(f"{k}={v}" for k, v in d.params.items())),
    ],
    export_name="外发通知", bulk_actions=_bulk_actions,
)


@login_required
@require_http_methods(["GET", "POST"])
def retry(request: HttpRequest, pk: int) -> HttpResponseBase:
    """重发 one failed delivery: a confirmation page, then the POST."""
    d = deliveries.get_object(request, pk)
    deliveries._require(request, "retry", d)
    error = None
    if request.method == "POST":
        try:
            services.delivery_retry(actor=acting(request), delivery_id=d.pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("已重新排入发送队列"))
            return redirect("deliveries:detail", d.pk)
    return render(request, "notifications/delivery_retry.html", {"items": [d], "error": error, "one": d})


@login_required
@require_POST
def retry_selected(request: HttpRequest) -> HttpResponseBase:
    """重发 the ticked deliveries: the list posts their ids, the confirmation page posts them
    again with ``confirm``."""
    deliveries._require(request, "retry")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:500]
    items = list(deliveries.selector(request.user).filter(pk__in=ids, status=DeliveryStatus.FAILED).order_by("pk"))
    back = reverse("deliveries:list")
    if not items:
        messages.info(request, _("请勾选发送失败的通知"))
        return redirect(back)
    if request.POST.get("confirm") != "1":
        return render(request, "notifications/delivery_retry.html", {"items": items, "error": None, "one": None})
    n = services.deliveries_retry(actor=acting(request), delivery_ids=[d.pk for d in items])
    messages.success(request, _("已将 {n} 条通知重新排入发送队列").format(n=n))
    return redirect(back)
