from django.urls import include, path

from renda.units.views import units

urlpatterns = [path("units/", include(units.urls()))]
