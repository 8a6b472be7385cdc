from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class CalendarDaysConfig(plugins.RendaAppConfig):
    name = "renda.calendar_days"
    label = "calendar_days"
    verbose_name = _("工作日历")
    verbs = {
        "calendar_day.create": _("新增节假日调整"),
        "calendar_day.update": _("修改节假日调整"),
        "calendar_day.delete": _("删除节假日调整"),
    }
