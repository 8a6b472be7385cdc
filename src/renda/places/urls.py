from django.urls import include, path

from renda.places.views import grid_workers, grids, region_options, towns, villages

urlpatterns = [
    path("towns/", include(towns.urls())),
    path("villages/", include(villages.urls())),
    path("grids/", include(grids.urls())),
    path("grid-workers/", include(grid_workers.urls())),
    path("places/", include(([path("options/", region_options, name="options")], "places"))),
]
