from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class DutiesConfig(plugins.RendaAppConfig):
    name = "renda.duties"
    label = "duties"
    verbose_name = _("代表履职")
    verbs = {
        "duty_activity.plan": _("安排履职活动"),
        "duty_activity.update": _("修改履职活动"),
        "duty_activity.hold": _("确认履职活动已开展"),
        "duty_activity.archive": _("归档履职活动"),
        "duty_activity.cancel": _("取消履职活动"),
        "duty_activity.sign_in": _("扫码签到"),
        "duty_activity.attendance": _("登记出席情况"),
        "duty_activity.attach": _("上传活动材料"),
        "duty_activity.finding": _("发现问题转为意见建议"),
        "duty_award.create": _("登记荣誉"),
        "duty_award.update": _("修改荣誉"),
        "duty_settings.update": _("修改履职积分设置"),
        "voter_report.draft": _("起草述职报告"),
        "voter_report.edit": _("修改述职报告"),
        "voter_report.submit": _("提交述职报告"),
        "voter_report.return": _("退回述职报告"),
        "voter_report.rate": _("登记述职测评结果"),
        "voter_report.feedback": _("反馈述职意见"),
        "voter_report.file": _("述职报告报送主席团"),
    }
