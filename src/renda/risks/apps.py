from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class RisksConfig(plugins.RendaAppConfig):
    name = "renda.risks"
    label = "risks"
    verbose_name = _("信访隐患")
    verbs = {
        "risk.register": _("登记信访隐患"),
        "risk.start": _("开始化解信访隐患"),
        "risk.resolve": _("化解信访隐患"),
        "risk.escalate": _("上报信访隐患"),
        "risk.reopen": _("重新化解信访隐患"),
        "risk.log_step": _("记录化解过程"),
        "risk.assign": _("安排参与化解人员"),
        "risk.unassign": _("移除参与化解人员"),
        "risk.part": _("填写参与情况"),
    }
