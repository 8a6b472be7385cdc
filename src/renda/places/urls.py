from django.urls import include, path

from renda.places.views import grid_workers, grids, towns, villages

urlpatterns = [
    path("towns/", include(towns.urls())),
    path("villages/", include(villages.urls())),
    path("grids/", include(grids.urls())),
    path("grid-workers/", include(grid_workers.urls())),
]
