from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class UnitsConfig(plugins.RendaAppConfig):
    name = "renda.units"
    label = "units"
    verbose_name = _("承办单位")
