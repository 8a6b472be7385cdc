from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class GridworkConfig(plugins.RendaAppConfig):
    name = "renda.gridwork"
    label = "gridwork"
    verbose_name = _("网格治理")
