from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.suggestions import views
from renda.suggestions.categories import categories

patterns = [
    path("", login_required(views.suggestions.list_view), name="list"),
    path("new/", views.register, name="create"),
    path("similar/", views.similar, name="similar"),
    path("queue/", views.office_queue, name="queue"),
    path("inbox/", views.unit_inbox, name="inbox"),
    path("mine/", views.mine, name="mine"),
    path("exports/<uuid:job_id>/", views.export_status, name="export_status"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/attachments/<int:att_id>/", views.attachment, name="attachment"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/documents/<slug:kind>/", views.document, name="document"),
    path("documents/<slug:kind>/", views.documents_bulk, name="documents"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("suggestions/categories/", include(categories.urls())),
    path("suggestions/", include((patterns, "suggestions"))),
]
