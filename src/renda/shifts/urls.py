from django.urls import include, path

from renda.shifts import views

patterns = [
    path("", views.roster, name="roster"),
    path("generate/", views.generate, name="generate"),
    path("new/", views.create, name="create"),
    path("day/", views.day, name="day"),
    path("summary/", views.summary, name="summary"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/add/", views.add_person, name="add"),
    path("assignments/<int:pk>/remove/", views.remove, name="remove"),
    path("assignments/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("assignments/<int:pk>/swap/", views.swap, name="swap"),
    path("assignments/<int:pk>/exchange/", views.exchange, name="exchange"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("shifts/", include((patterns, "shifts"))),
]
