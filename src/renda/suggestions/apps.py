from django.utils.translation import gettext_lazy as _

from renda.core import plugins
from renda.suggestions.workflow import ACTION_LABELS


class SuggestionsConfig(plugins.RendaAppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    verbose_name = _("意见建议")
    verbs = {
        **{f"suggestion.{action.value}": label for action, label in ACTION_LABELS.items()},
        "suggestion.attach": _("上传意见建议附件"),
        "suggestion.deputy_note": _("代表对群众意见留言"),
        "suggestion.pass_on": _("代表将群众意见转人大办"),
        "suggestion.adopt": _("代表采纳群众意见为代表建议"),
        "suggestion.via_deputy": _("群众经代表二维码反映意见"),
        "suggestion.import_batch": _("台账批量导入意见建议"),
        "suggestion_category.create": _("新增意见建议类别"),
        "suggestion_category.update": _("修改意见建议类别"),
        "suggestion_category.deactivate": _("停用意见建议类别"),
        "suggestion_category.activate": _("启用意见建议类别"),
    }
