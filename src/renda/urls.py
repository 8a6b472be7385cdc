from __future__ import annotations

from django.urls import include, path

from renda.api import api

urlpatterns = [
    path("", include("renda.accounts.urls")),
    path("", include("renda.places.urls")),
    path("", include("renda.units.urls")),
    path("", include("renda.people.urls")),
    path("ledger/", include("renda.ledger.urls")),
    path("api/", api.urls),
]
