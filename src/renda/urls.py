"""The site's URLs: every app's ``urlpatterns`` (found through renda.core.plugins, in
``INSTALLED_APPS`` order), the API (first) and the language switch. Adding an app edits nothing here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from renda.api import api
from renda.core.plugins import app_modules

#: The API first: its integrations' requests (a hotline registering items) are the most frequent,
#: and Django tries the patterns in order (after every app's, an API path was matched against ~70).
urlpatterns: list[URLPattern | URLResolver] = [path("api/", api.urls)]
urlpatterns += [path("", include(module)) for module in app_modules("urls")]
urlpatterns += [path("i18n/", include("django.conf.urls.i18n"))]

handler500 = "renda.core.error_views.server_error"
