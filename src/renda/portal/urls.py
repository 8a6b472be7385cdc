from django.urls import include, path

from renda.portal import views

patterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.lookup, name="lookup"),
    path("track/<str:code>/", views.status, name="status"),
    path("track/<str:code>/qr.svg", views.status_qr, name="status_qr"),
    path("deputies/", views.deputies, name="deputies"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [path("portal/", include((patterns, "portal")))]
