from django.urls import include, path

from renda.notifications import views

patterns = [
    path("", views.index, name="index"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
]

delivery_patterns, _ns = views.deliveries.urls()
delivery_patterns += [
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("retry/", views.retry_selected, name="retry_selected"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("notifications/outbox/", include((delivery_patterns, "deliveries"))),
    path("notifications/", include((patterns, "notifications"))),
]
