from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.duties import views

activity_patterns = [
    path("", login_required(views.activities.list_view), name="list"),
    path("new/", login_required(views.activities.create_view), name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", login_required(views.activities.edit_view), name="edit"),
    path("<int:pk>/do/<slug:action>/", views.activity_act, name="act"),
    path("<int:pk>/poster/", views.activity_poster, name="poster"),
    path("<int:pk>/attachments/<int:att_id>/", views.activity_attachment, name="attachment"),
]

report_patterns = [
    path("", login_required(views.reports.list_view), name="list"),
    path("new/", login_required(views.reports.create_view), name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.report_act, name="act"),
]

award_patterns = [
    path("", login_required(views.awards.list_view), name="list"),
    path("new/", login_required(views.awards.create_view), name="create"),
    path("<int:pk>/", login_required(views.awards.detail_view), name="detail"),
    path("<int:pk>/edit/", login_required(views.awards.edit_view), name="edit"),
]

patterns = [
    path("signin/<str:token>/", views.signin, name="signin"),
    path("archive/", views.archive_index, name="archives"),
    path("archive/<int:deputy_id>/", views.archive, name="archive"),
    path("archive/<int:deputy_id>/docx/", views.archive_docx, name="archive_docx"),
    path("ranking/", views.ranking, name="ranking"),
    path("settings/", views.settings_view, name="settings"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("duties/activities/", include((activity_patterns, "duty_activities"))),
    path("duties/reports/", include((report_patterns, "duty_reports"))),
    path("duties/awards/", include((award_patterns, "duty_awards"))),
    path("duties/", include((patterns, "duties"))),
]
