from django.urls import URLPattern, URLResolver, include, path

from renda.calendar_days import views

patterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("set/", views.set_day, name="set"),
    path("<str:day>/delete/", views.delete_day, name="delete"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("calendar/", include((patterns, "calendar_days"))),
]
