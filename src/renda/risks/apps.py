from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class RisksConfig(plugins.RendaAppConfig):
    name = "renda.risks"
    label = "risks"
    verbose_name = _("信访隐患")
