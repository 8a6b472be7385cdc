from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.risks import views

patterns = [
    path("", login_required(views.risks.list_view), name="list"),
    path("new/", views.register, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/participants/<int:participant_id>/part/", views.part, name="part"),
    path("<int:pk>/participants/<int:participant_id>/remove/", views.unassign, name="unassign"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("risks/", include((patterns, "risks"))),
]
