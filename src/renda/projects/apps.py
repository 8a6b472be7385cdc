from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class ProjectsConfig(plugins.RendaAppConfig):
    name = "renda.projects"
    label = "projects"
    verbose_name = _("民生实事")
    verbs = {
        "project.settings": _("设置民生实事票决规则"),
        "project.excluded_kind": _("设置不予列入的项目类别"),
        "project.window": _("设置项目征集期"),
        "project.candidate_collect": _("征集候选项目"),
        "project.candidate_screen": _("初审候选项目"),
        "project.list_create": _("拟定候选项目名单"),
        "project.list_set": _("调整候选项目名单"),
        "project.list_submit": _("提请票决候选项目名单"),
        "project.list_vote": _("候选项目名单交付票决"),
        "project.list_decide": _("登记票决结果"),
        "project.adopt": _("确定民生实事项目"),
        "project.plan": _("填写实施方案"),
        "project.start": _("开始实施民生实事项目"),
        "project.stage": _("更新项目阶段"),
        "project.money": _("更新项目资金情况"),
        "project.progress": _("填写项目进度"),
        "project.report_progress": _("报告项目进度"),
        "project.photo_publish": _("设置照片公开"),
        "project.complete": _("提交完成情况报告"),
        "project.evaluate": _("登记满意度测评结果"),
        "project.evaluate_fail": _("测评不满意"),
        "project.rectify": _("提交整改报告"),
        "project.inspect": _("登记代表视察"),
        "project.inspection_suggestion": _("视察意见转为意见建议"),
        "project.note": _("登记督办记录"),
        # notifications
        "project.group": _("安排督办民生实事项目"),
        "project.warning": _("民生实事项目预警"),
        "project.remind": _("民生实事项目提醒"),
    }

    def ready(self) -> None:
        super().ready()
        from renda.projects import votes  # noqa: F401 - registers the round hooks
