from django.urls import include, path
from django.views.generic import RedirectView

from renda.accounts import views
from renda.accounts.views import users

patterns = [
    path("", RedirectView.as_view(pattern_name="accounts:home", permanent=False)),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("home/", views.home, name="home"),
    path("home/office/", views.home_office, name="home_office"),
    path("home/presidium/", views.home_presidium, name="home_presidium"),
    path("home/deputy/", views.home_deputy, name="home_deputy"),
    path("home/unit/", views.home_unit, name="home_unit"),
    path("home/grid/", views.home_grid, name="home_grid"),
    path("home/district/", views.home_district, name="home_district"),
    path("home/admin/", views.home_admin, name="home_admin"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("", include((patterns, "accounts"))),
    path("users/", include(users.urls())),
]
