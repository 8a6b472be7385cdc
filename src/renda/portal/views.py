"""The public portal (群众服务): no login, phones first. Thin: forms → the suggestion services
(``suggestion_register`` with no actor: the public; ``suggestion_evaluate``), the public wording
of ``suggestions.public``, the rate limits of ``limits`` and the headers of ``headers``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renda.audit.security import log_event_limited
from renda.core import ratelimit
from renda.core.errors import ApplicationError
from renda.core.middleware import client_ip
from renda.liaison import qr
from renda.places.models import Region
from renda.portal import forms, headers, limits, selectors
from renda.suggestions import public
from renda.suggestions import selectors as suggestion_selectors
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Kind, Source, Suggestion, format_tracking_code, normalize_tracking_code

#: A public opinion's title: the first characters of its content.
TITLE_LENGTH = 30


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "portal/too_many.html", {"minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@headers.public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"lookup": forms.LookupForm(), "towns": list(selectors.towns())})


# --- submit ---------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _title(content: str) -> str:
    line = " ".join(content.split())
    return line if len(line) <= TITLE_LENGTH else line[:TITLE_LENGTH] + "…"


@headers.public
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """反映意见: the town, deputy or station come from the link (a QR code's landing page), or
    the town is chosen first when the district has several."""
    params = request.GET
    deputy = selectors.deputy(_int(params.get("deputy")))
    station = selectors.station(_int(params.get("station"))) if deputy is None else None
    town: Region | None = deputy.town if deputy else station.town if station else None
    if town is None:
        towns = list(selectors.towns())
        chosen = _int(params.get("town"))
        town = next((t for t in towns if t.pk == chosen), None) or (towns[0] if len(towns) == 1 else None)
        if town is None:
            return render(request, "portal/choose_town.html", {"towns": towns})
    initial = {"village": station.village_id} if station and station.village_id else {}
    form = forms.OpinionForm(request.POST or None, request.FILES or None, town=town, initial=initial)
    if request.method == "POST":
        wait = limits.over(request, "submit", limits.SUBMIT_PER_IP)
        if wait:
            return _too_many(request, wait)
        if request.POST.get(forms.HONEYPOT):
            log_event_limited(kind="honeypot", detail="portal.submit", path=request.path)
            form.is_valid()
            form.add_error(None, _("提交未成功，请稍后重试"))
        elif form.is_valid():
            d = form.cleaned_data
            source = Source.DEPUTY_COLLECTED if deputy else Source.CONTACT_STATION if station else Source.ONLINE
            name = d["name"].strip()
            try:
                with transaction.atomic():
                    s = suggestion_services.suggestion_register(
                        actor=None, town=town, kind=Kind.PUBLIC, title=_title(d["content"]), content=d["content"],
                        source=source, village=form.villages.get(d["village"]), grid=form.grids.get(d["grid"] or 0),
                        category=form.categories.get(d["category"] or 0), submitter_name=name,
                        submitter_phone=d["phone"] if name else "", anonymous=not name, via_deputy=deputy,
                        files=d["photos"],
                        comment=_("群众通过网上服务页面反映") + (f"（{station.name}）" if station else ""))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(f"{reverse('portal:status', args=[s.tracking_code])}?new=1")
        # Never echo a name or phone back: the page is drawn again without them.
        data = request.POST.copy()
        for key in ("name", "phone", forms.HONEYPOT):
            data[key] = ""
        form.data = data
    return render(request, "portal/submit.html", {
        "form": form, "town": town, "deputy": deputy, "station": station,
        "limits": {"content": forms.CONTENT_MAX, "photos": forms.PHOTO_MAX_FILES}},
        status=400 if request.method == "POST" else 200)


# --- follow an item by its tracking code -------------------------------------------------------


@headers.public
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """查询办理进度: the code typed is checked here and the resident sent to its status page."""
    form = forms.LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = limits.missed_too_often(request) or limits.over(request, "lookup", limits.LOOKUP_PER_IP)
        if wait:
            return _too_many(request, wait)
        s = suggestion_selectors.suggestion_for_tracking_code(form.cleaned_data["code"])
        if s is not None:
            return redirect("portal:status", s.tracking_code)
        _miss(request)
        form.add_error("code", _("未找到该查询码，请核对后重新输入"))
    return render(request, "portal/lookup.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _miss(request: HttpRequest) -> None:
    limit, window = limits.MISS_PER_IP
    ratelimit.hit("portal.miss", client_ip(request), limit=limit, window=window)


def _item(request: HttpRequest, code: str) -> Suggestion | HttpResponse:
    """The item of ``code`` for its status page, or the answer to give instead (429, 404)."""
    wait = limits.missed_too_often(request) or limits.over(request, "lookup", limits.LOOKUP_PER_IP)
    if wait:
        return _too_many(request, wait)
    stored = normalize_tracking_code(code)
    s = suggestion_selectors.suggestion_for_tracking_code(code) if stored else None
    if s is None or s.kind != Kind.PUBLIC:
        _miss(request)
        raise Http404
    wait = limits.over(request, "code", limits.VIEWS_PER_CODE, value=s.tracking_code)
    if wait:
        return _too_many(request, wait)
    return s


def _target(s: Suggestion) -> Suggestion:
    """The item whose progress the resident follows: a merged item's is the one it was merged into."""
    seen = {s.pk}
    while s.merged_into_id is not None and s.merged_into_id not in seen:
        nxt = Suggestion.objects.filter(pk=s.merged_into_id).first()
        if nxt is None:
            break
        seen.add(nxt.pk)
        s = nxt
    return s


@headers.public
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, code: str) -> HttpResponse:
    """办理进度: the item's state, steps and replies in public wording; the evaluation form once
    replied (one per reply, ``suggestion_evaluate``)."""
    found = _item(request, code)
    if isinstance(found, HttpResponse):
        return found
    s = found
    form = forms.EvaluateForm(initial={"version": s.version})
    if request.method == "POST":
        wait = limits.over(request, "evaluate", limits.EVALUATE_PER_CODE, value=s.tracking_code)
        if wait:
            return _too_many(request, wait)
        form = forms.EvaluateForm(request.POST)
        if form.is_valid() and public.may_evaluate(s):
            try:
                suggestion_services.suggestion_evaluate(
                    actor=None, suggestion_id=s.pk, result=form.cleaned_data["result"],
                    comment=form.cleaned_data["comment"], expected_version=form.cleaned_data["version"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(f"{reverse('portal:status', args=[s.tracking_code])}?rated=1")
        elif form.is_valid():
            form.add_error(None, _("该答复已评价，或暂不能评价"))
    followed = _target(s)
    context: dict[str, Any] = {
        "code": format_tracking_code(s.tracking_code), "raw_code": s.tracking_code,
        "registered_at": s.registered_at, "label": public.public_label(s), "closed": public.is_closed(s),
        "steps": public.public_steps(s), "replies": public.public_replies(followed),
        "merged": followed.pk != s.pk, "merged_label": public.public_label(followed) if followed.pk != s.pk else "",
        "adopted": s.adopted_as_id is not None, "may_evaluate": public.may_evaluate(s), "form": form,
        "new": request.GET.get("new") == "1", "rated": request.GET.get("rated") == "1",
        "category": s.category.name if s.category else "", "village": s.village.name if s.village else "",
    }
    return render(request, "portal/status.html", context, status=400 if form.errors else 200)


@headers.public
def status_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of a status page: drawn for any well-formed code without looking it up, so it
    tells nothing of which codes exist."""
    stored = normalize_tracking_code(code)
    if stored is None:
        raise Http404
    return headers.apply(qr.svg_response(request.build_absolute_uri(reverse("portal:status", args=[stored]))))


# --- find my deputies -------------------------------------------------------------------------


@headers.public
def deputies(request: HttpRequest) -> HttpResponse:
    """找代表: a village's or grid's deputies, their contact stations and reception days; a
    deputy's phone only with their recorded consent."""
    form = forms.FindForm(request.GET or None)
    found = None
    if request.GET:
        wait = limits.over(request, "find", limits.FIND_PER_IP)
        if wait:
            return _too_many(request, wait)
        if form.is_valid():
            grid = form.grids.get(form.cleaned_data["grid"] or 0)
            village = form.villages.get(form.cleaned_data["village"] or 0)
            if grid is not None or village is not None:
                found = selectors.deputies_for(village=None if grid else village, grid=grid)
    return render(request, "portal/deputies.html", {"form": form, "found": found})
