from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class DutiesConfig(plugins.RendaAppConfig):
    name = "renda.duties"
    label = "duties"
    verbose_name = _("代表履职")
    verbs: dict[str, str] = {}
