from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class CongressConfig(plugins.RendaAppConfig):
    name = "renda.congress"
    label = "congress"
    verbose_name = _("人代会")
    verbs: dict[str, str] = {}
