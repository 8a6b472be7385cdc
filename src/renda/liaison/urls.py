from django.contrib.auth.decorators import login_required
from django.urls import include, path

from renda.liaison import views

patterns = [
    path("", views.overview, name="overview"),
    path("roster/", views.roster, name="roster"),
    path("voters/<int:pk>/reveal/", views.voter_reveal, name="voter_reveal"),
    path("contacts/<int:pk>/to-suggestion/", views.to_suggestion, name="to_suggestion"),
    path("stations/<int:pk>/qr/", views.station_qr_page, name="station_qr_page"),
    path("deputies/<int:pk>/qr/", views.deputy_qr_page, name="deputy_qr_page"),
    # public: what the QR codes open, and the codes themselves
    path("s/<int:pk>/", views.station_landing, name="station_landing"),
    path("d/<int:pk>/", views.deputy_landing, name="deputy_landing"),
    path("s/<int:pk>/qr.svg", views.station_qr, name="station_qr"),
    path("d/<int:pk>/qr.svg", views.deputy_qr, name="deputy_qr"),
]

reception_patterns = [
    path("", login_required(views.receptions.list_view), name="list"),
    path("new/", views.reception_register, name="create"),
    path("<int:pk>/", views.reception_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.reception_act, name="act"),
    path("<int:pk>/reveal/", views.reception_reveal, name="reveal"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("liaison/", include((patterns, "liaison"))),
    path("liaison/settings/", include(views.settings_pages.urls())),
    path("liaison/groups/", include(views.groups.urls())),
    path("liaison/meetings/", include(views.meetings.urls())),
    path("liaison/voters/", include(views.voters.urls())),
    path("liaison/voter-contacts/", include(views.voter_contacts.urls())),
    path("liaison/presidium-contacts/", include(views.presidium_contacts.urls())),
    path("liaison/stations/", include(views.stations.urls())),
    path("liaison/reception-days/", include(views.reception_days.urls())),
    path("liaison/receptions/", include((reception_patterns, "receptions"))),
]
