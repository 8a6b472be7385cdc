from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.projects import views

lr = login_required

patterns = [
    path("", lr(views.projects.list_view), name="list"),
    path("new/", lr(views.projects.create_view), name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<int:pk>/photos/<int:photo_id>/publish/", views.photo_publish, name="photo_publish"),
    path("<int:pk>/inspections/<int:inspection_id>/suggestion/", views.inspection_suggestion,
         name="inspection_suggestion"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/kinds/<int:kind_id>/toggle/", views.excluded_kind_toggle, name="excluded_kind_toggle"),
    path("deputies/<int:deputy_id>/", views.deputy_part, name="deputy_part"),
    # the public board: no login
    path("board/", views.board, name="board"),
    path("board/<int:year>/", views.board, name="board_year"),
    path("board/photos/<int:photo_id>/", views.board_photo, name="board_photo"),
]

candidate_patterns = [
    path("", lr(views.candidates.list_view), name="list"),
    path("new/", lr(views.candidates.create_view), name="create"),
    path("<int:pk>/", lr(views.candidates.detail_view), name="detail"),
    path("<int:pk>/screen/", views.candidate_screen, name="screen"),
    path("from-suggestion/<int:suggestion_pk>/", views.candidate_from_suggestion, name="from_suggestion"),
]

list_patterns = [
    path("", lr(views.lists.list_view), name="list"),
    path("new/", lr(views.lists.create_view), name="create"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/candidates/", views.list_set, name="set"),
    path("<int:pk>/submit/", views.list_submit, name="submit"),
    path("<int:pk>/vote/", views.list_vote, name="vote"),
    path("<int:pk>/docx/", views.list_docx, name="docx"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("projects/candidates/", include((candidate_patterns, "project_candidates"))),
    path("projects/lists/", include((list_patterns, "project_lists"))),
    path("projects/", include((patterns, "projects"))),
]
