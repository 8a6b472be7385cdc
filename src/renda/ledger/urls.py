from django.urls import URLPattern, URLResolver, include, path

from renda.ledger import views

patterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("ledger/", include((patterns, "ledger"))),
]
