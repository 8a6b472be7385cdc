from django.urls import include, path

patterns: list = []

urlpatterns = [path("congress/", include((patterns, "congress")))]
