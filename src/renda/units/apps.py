from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class UnitsConfig(plugins.RendaAppConfig):
    name = "renda.units"
    label = "units"
    verbose_name = _("承办单位")
    verbs = {
        "unit.create": _("新增承办单位"),
        "unit.update": _("修改承办单位"),
        "unit.deactivate": _("停用承办单位"),
        "unit.activate": _("启用承办单位"),
    }
