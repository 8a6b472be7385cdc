from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class ReportsConfig(plugins.RendaAppConfig):
    name = "renda.reports"
    label = "reports"
    verbose_name = _("统计报表")
