from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PresidiumConfig(plugins.RendaAppConfig):
    name = "renda.presidium"
    label = "presidium"
    verbose_name = _("主席团工作")
    verbs = {
        "plan.create": _("新建年度工作要点"),
        "plan.update": _("修改年度工作要点"),
        "plan_task.create": _("新增工作任务"),
        "plan_task.update": _("修改工作任务"),
        "plan_task.link": _("关联工作任务的进展记录"),
        "plan_task.unlink": _("取消关联进展记录"),
        "plan_task.review": _("半年进展评估"),
        "duty_division.create": _("登记职责分工"),
        "duty_division.update": _("修改职责分工"),
        "info_item.create": _("登记信息报送"),
        "info_item.update": _("修改信息报送"),
    }
