from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class LiaisonConfig(plugins.RendaAppConfig):
    name = "renda.liaison"
    label = "liaison"
    verbose_name = _("联系群众")
    verbs = {
        "liaison.settings": _("设置联系目标"),
        "liaison.group.create": _("新建代表小组"),
        "liaison.group.update": _("修改代表小组"),
        "liaison.group.deactivate": _("停用代表小组"),
        "liaison.group.activate": _("启用代表小组"),
        "liaison.meeting.create": _("记录小组活动"),
        "liaison.meeting.update": _("修改小组活动"),
        "liaison.voter.create": _("登记联系选民户"),
        "liaison.voter.update": _("修改联系选民户"),
        "liaison.voter.deactivate": _("停用联系选民户"),
        "liaison.voter.activate": _("启用联系选民户"),
        "liaison.voter_contact.create": _("记录联系选民"),
        "liaison.voter_contact.update": _("修改联系选民记录"),
        "liaison.voter_contact.to_suggestion": _("联系选民问题转为意见建议"),
        "liaison.presidium_contact.create": _("记录主席团成员联系代表"),
        "liaison.presidium_contact.update": _("修改主席团成员联系代表记录"),
        "liaison.station.create": _("新建联络站"),
        "liaison.station.update": _("修改联络站"),
        "liaison.station.deactivate": _("停用联络站"),
        "liaison.station.activate": _("启用联络站"),
        "liaison.reception_day.create": _("安排接待日"),
        "liaison.reception_day.update": _("修改接待日"),
        "liaison.reception.register": _("登记接待"),
        "liaison.reception.propose": _("提出办理意见"),
        "liaison.reception.transfer": _("转办接待事项"),
        "liaison.reception.chase": _("督办接待事项"),
        "liaison.reception.feedback": _("反馈接待事项"),
        "liaison.reception.file": _("接待记录归档"),
        "liaison.reception.turn_away": _("引导依法处理"),
        "liaison.reminder": _("联系目标提醒"),
    }
