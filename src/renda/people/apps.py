from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PeopleConfig(plugins.RendaAppConfig):
    name = "renda.people"
    label = "people"
    verbose_name = _("代表")
    verbs = {
        "deputy.create": _("新增代表"),
        "deputy.update": _("修改代表信息"),
        "deputy.deactivate": _("停用代表"),
        "deputy.activate": _("启用代表"),
        "contact_assignment.create": _("安排主席团成员联系代表"),
        "contact_assignment.activate": _("恢复联系代表安排"),
        "contact_assignment.deactivate": _("停用联系代表安排"),
    }
