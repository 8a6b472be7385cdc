from django.urls import URLPattern, URLResolver, path

from renda.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
]
