from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PlacesConfig(plugins.RendaAppConfig):
    name = "renda.places"
    label = "places"
    verbose_name = _("区划与网格")
