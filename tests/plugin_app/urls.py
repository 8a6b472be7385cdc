from django.urls import include, path

from tests.plugin_app import views

patterns = [path("", views.index, name="index")]
urlpatterns = [path("plugin-probe/", include((patterns, "plugin_probe")))]
