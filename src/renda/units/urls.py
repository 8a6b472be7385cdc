from django.urls import URLPattern, URLResolver

app_name = "units"
urlpatterns: list[URLPattern | URLResolver] = []
