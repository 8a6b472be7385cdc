from django.urls import URLPattern, URLResolver, include, path

from renda.reports import views

patterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("reports/", include((patterns, "reports"))),
]
