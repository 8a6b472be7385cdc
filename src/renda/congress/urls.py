from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.congress import views

session_patterns, session_ns = views.sessions.urls()
session_patterns = [p for p in session_patterns if p.name != "detail"] + [
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/fill/", views.attendance_fill, name="attendance_fill"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/rounds/new/", views.round_open, name="round_open"),
    path("vote/<int:pk>/", views.vote, name="vote"),
]

round_patterns = [
    path("", login_required(views.rounds.list_view), name="list"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/enter/", views.round_enter, name="enter"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/further/", views.round_further, name="further"),
    path("<int:pk>/sheet/", views.round_sheet, name="sheet"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("congress/rounds/", include((round_patterns, "congress_rounds"))),
    path("congress/", include((session_patterns, session_ns))),
]
