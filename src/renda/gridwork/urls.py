from django.urls import include, path

from renda.gridwork.views import grid_work

urlpatterns = [path("grid-work/", include(grid_work.urls()))]
