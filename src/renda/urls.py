"""The site's URLs: every app's ``urlpatterns`` (found through renda.core.plugins, in
``INSTALLED_APPS`` order), the API and the language switch. Adding an app edits nothing here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from renda.api import api
from renda.core.plugins import app_modules

urlpatterns: list[URLPattern | URLResolver] = [path("", include(module)) for module in app_modules("urls")]
urlpatterns += [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler500 = "renda.core.error_views.server_error"
