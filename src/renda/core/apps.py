from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class CoreConfig(plugins.RendaAppConfig):
    name = "renda.core"
    label = "core"
    verbose_name = _("基础")
    verbs = {"personal_data.reveal": _("查看个人信息")}  # core.privacy.record_reveal
