from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class LiaisonConfig(plugins.RendaAppConfig):
    name = "renda.liaison"
    label = "liaison"
    verbose_name = _("联系群众")
    verbs: dict[str, str] = {}
