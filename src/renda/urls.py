from __future__ import annotations

from django.urls import include, path

from renda.accounts.views import users
from renda.api import api
from renda.suggestions.categories import categories

urlpatterns = [
    path("", include("renda.accounts.urls")),
    path("users/", include(users.urls())),
    path("", include("renda.places.urls")),
    path("", include("renda.units.urls")),
    path("", include("renda.people.urls")),
    path("ledger/", include("renda.ledger.urls")),
    path("calendar/", include("renda.calendar_days.urls")),
    path("reports/", include("renda.reports.urls")),
    path("suggestions/categories/", include(categories.urls())),
    path("suggestions/", include("renda.suggestions.urls")),
    path("petitions/", include("renda.petitions.urls")),
    path("shifts/", include("renda.shifts.urls")),
    path("risks/", include("renda.risks.urls")),
    path("", include("renda.gridwork.urls")),
    path("notifications/", include("renda.notifications.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
