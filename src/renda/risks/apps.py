from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "renda.risks"
    label = "risks"
    verbose_name = _("信访隐患")
