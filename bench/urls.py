"""Bench-only URLs: the product's, plus the baseline of the intake scenario — a bare Django
view inserting one row (no validation, no similarity check, no audit event, no timeline)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from renda.urls import urlpatterns as product


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    from renda.places.models import Region
    from renda.suggestions.models import Suggestion

    town_id = Region.objects.filter(level="town").order_by("id").values_list("id", flat=True).first()
    s = Suggestion.objects.create(code=f"B{secrets.token_hex(8)}", kind="public", town_id=town_id,
                                  title="基准插入", anonymous=True, registered_at=timezone.localdate())
    return JsonResponse({"id": s.pk}, status=201)


urlpatterns = [path("bench/bare-insert/", bare_insert), *product]
