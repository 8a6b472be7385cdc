from django.urls import URLPattern, URLResolver, path

from renda.calendar_days import views

app_name = "calendar_days"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("set/", views.set_day, name="set"),
    path("<str:day>/delete/", views.delete_day, name="delete"),
]
