from django.urls import URLPattern, URLResolver, include, path

from renda.ledger import views

patterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
    path("jobs/<uuid:job_id>/cancel/", views.cancel, name="cancel"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("export/start/", views.export_start, name="export_start"),
    path("export/jobs/<uuid:job_id>/", views.export_status, name="export_status"),
    path("export/jobs/<uuid:job_id>/download/", views.export_download, name="export_download"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("ledger/", include((patterns, "ledger"))),
]
