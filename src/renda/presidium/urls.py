from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.presidium import views

plan_patterns = [
    path("", login_required(views.plans.list_view), name="list"),
    path("new/", login_required(views.plans.create_view), name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", login_required(views.plans.edit_view), name="edit"),
    path("<int:pk>/document/", views.plan_document, name="document"),
]
task_patterns = [
    path("", login_required(views.tasks.list_view), name="list"),
    path("new/", login_required(views.tasks.create_view), name="create"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", login_required(views.tasks.edit_view), name="edit"),
    path("<int:pk>/review/", views.task_review, name="review"),
    path("<int:pk>/link/", views.task_link, name="link"),
    path("<int:pk>/links/<int:link_id>/remove/", views.task_unlink, name="unlink"),
]
division_patterns, _ns = views.divisions.urls()
division_patterns = [*division_patterns, path("document/", views.division_document, name="document")]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("presidium/plans/", include((plan_patterns, "presidium_plans"))),
    path("presidium/tasks/", include((task_patterns, "plan_tasks"))),
    path("presidium/divisions/", include((division_patterns, "duty_divisions"))),
    path("presidium/information/", include(views.info_items.urls())),
]
