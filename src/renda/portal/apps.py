from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PortalConfig(plugins.RendaAppConfig):
    name = "renda.portal"
    label = "portal"
    verbose_name = _("群众服务")
