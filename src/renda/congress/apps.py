from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class CongressConfig(plugins.RendaAppConfig):
    name = "renda.congress"
    label = "congress"
    verbose_name = _("人代会")
    verbs = {
        "congress.session_create": _("登记人代会"),
        "congress.session_update": _("修改人代会"),
        "congress.attendance": _("登记出席情况"),
        "congress.attendance_fill": _("补充应到代表"),
        "congress.agenda_add": _("增加会议议程"),
        "congress.agenda_update": _("修改会议议程"),
        "congress.agenda_remove": _("删除会议议程"),
        "congress.round_open": _("开始投票"),
        "congress.ballot_cast": _("投票"),
        "congress.ballot_enter": _("录入选票"),
        "congress.round_close": _("结束投票并计票"),
        "congress.round_void": _("投票无效"),
    }
