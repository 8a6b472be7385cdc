from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class MotionsConfig(plugins.RendaAppConfig):
    name = "renda.motions"
    label = "motions"
    verbose_name = _("议案")
    verbs = {
        "motion.settings": _("设置代表联名最少人数"),
        "motion.limit": _("设置议案截止时间"),
        "motion.create": _("起草议案"),
        "motion.edit": _("修改议案"),
        "motion.sign": _("附议联名"),
        "motion.unsign": _("撤销联名"),
        "motion.submit": _("提交议案"),
        "motion.withdraw": _("撤回议案"),
        "motion.put_on_agenda": _("议案列入会议议程"),
        "motion.reject": _("议案不列入会议议程"),
        "motion.to_suggestion": _("议案作为代表建议处理"),
        "motion.adopt": _("登记议案决议"),
        "motion.not_adopt": _("登记议案未通过"),
        "motion.progress": _("登记议案落实进展"),
        "motion.finish": _("议案落实完毕"),
    }
