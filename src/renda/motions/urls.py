from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.motions import views

patterns = [
    path("", login_required(views.motions.list_view), name="list"),
    path("new/", login_required(views.motions.create_view), name="create"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", login_required(views.motions.edit_view), name="edit"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [path("motions/", include((patterns, "motions")))]
