from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.petitions import views

patterns = [
    path("", login_required(views.petitions.list_view), name="list"),
    path("new/", views.register, name="create"),
    path("queue/", views.queue, name="queue"),
    path("instructions/", views.instructions, name="instructions"),
    path("lookup/", views.lookup, name="lookup"),
    path("from-suggestion/<int:suggestion_pk>/", views.from_suggestion, name="from_suggestion"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/notices/<slug:kind>/", views.notice, name="notice"),
    path("<int:pk>/attachments/<int:att_id>/", views.attachment, name="attachment"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("petitions/", include((patterns, "petitions"))),
]
