from django.urls import URLPattern, URLResolver

app_name = "places"
urlpatterns: list[URLPattern | URLResolver] = []
