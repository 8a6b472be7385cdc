from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class SuggestionsConfig(plugins.RendaAppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    verbose_name = _("意见建议")

    def ready(self) -> None:
        from renda.audit import verbs
        from renda.suggestions.workflow import ACTION_LABELS

        for action, label in ACTION_LABELS.items():
            verbs.register(f"suggestion.{action.value}", label)
        verbs.register("suggestion_category.create", _("新增意见建议类别"))
        verbs.register("suggestion_category.update", _("修改意见建议类别"))
        verbs.register("suggestion_category.deactivate", _("停用意见建议类别"))
        verbs.register("suggestion_category.activate", _("启用意见建议类别"))
