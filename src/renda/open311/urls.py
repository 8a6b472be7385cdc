"""/open311/v2/: the GeoReport v2 endpoints, each in its two formats (``.json``, ``.xml``)."""

from django.urls import include, path, register_converter

from renda.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")

patterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("services.<open311_format:fmt>", views.service_list, name="services"),
    path("services/<str:service_code>.<open311_format:fmt>", views.service_definition, name="service"),
    path("requests.<open311_format:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<open311_format:fmt>", views.request_detail, name="request"),
    path("openapi.json", views.openapi_document, name="openapi"),
    # anything else under /open311/v2/: the specification's 404, not the site's HTML page
    path("<path:rest>", views.unknown, name="unknown"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [path("open311/v2/", include((patterns, "open311")))]
