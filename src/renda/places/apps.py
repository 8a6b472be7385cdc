from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PlacesConfig(plugins.RendaAppConfig):
    name = "renda.places"
    label = "places"
    verbose_name = _("区划与网格")
    verbs = {
        "region.create": _("新增区划"),
        "region.update": _("修改区划"),
        "region.deactivate": _("停用区划"),
        "region.activate": _("启用区划"),
        "grid_worker.create": _("新增网格员"),
        "grid_worker.update": _("修改网格员信息"),
        "grid_worker.deactivate": _("停用网格员"),
        "grid_worker.activate": _("启用网格员"),
    }
