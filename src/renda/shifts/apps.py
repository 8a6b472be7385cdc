from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class ShiftsConfig(plugins.RendaAppConfig):
    name = "renda.shifts"
    label = "shifts"
    verbose_name = _("信访值班")

    def ready(self) -> None:
        from renda.audit import verbs

        verbs.register("duty_shift.create", _("排班"))
        verbs.register("duty_shift.update", _("修改值班班次"))
        verbs.register("duty_shift.delete", _("删除值班班次"))
        verbs.register("duty_assignment.add", _("安排值班人员"))
        verbs.register("duty_assignment.update", _("修改值班备注"))
        verbs.register("duty_assignment.remove", _("移除值班人员"))
        verbs.register("duty_assignment.swap", _("调班"))
        verbs.register("duty_assignment.attend", _("登记到岗"))
        verbs.register("duty_assignment.absent", _("登记缺勤"))
        verbs.register("duty_assignment.reset", _("撤销考勤登记"))
