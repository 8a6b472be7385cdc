from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "renda.places"
    label = "places"
    verbose_name = _("区划与网格")
