from django.urls import include, path

from renda.people.views import contacts, deputies

urlpatterns = [
    path("deputies/", include(deputies.urls())),
    path("contacts/", include(contacts.urls())),
]
