from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class ShiftsConfig(plugins.RendaAppConfig):
    name = "renda.shifts"
    label = "shifts"
    verbose_name = _("信访值班")
    verbs = {
        "duty_shift.create": _("排班"),
        "duty_shift.update": _("修改值班班次"),
        "duty_shift.delete": _("删除值班班次"),
        "duty_assignment.add": _("安排值班人员"),
        "duty_assignment.update": _("修改值班备注"),
        "duty_assignment.remove": _("移除值班人员"),
        "duty_assignment.swap": _("调班"),
        "duty_assignment.attend": _("登记到岗"),
        "duty_assignment.absent": _("登记缺勤"),
        "duty_assignment.reset": _("撤销考勤登记"),
    }
