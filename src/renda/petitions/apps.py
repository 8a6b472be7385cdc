from django.utils.translation import gettext_lazy as _

from renda.core import plugins
from renda.petitions.workflow import ACTION_LABELS


class PetitionsConfig(plugins.RendaAppConfig):
    name = "renda.petitions"
    label = "petitions"
    verbose_name = _("信访")
    verbs = {
        **{f"petition.{action.value}": label for action, label in ACTION_LABELS.items()},
        "petition.attach": _("上传信访附件"),
        "suggestion.to_petition": _("转为信访件"),
    }

    def ready(self) -> None:
        super().ready()
        from renda.petitions import selectors
        from renda.shifts import selectors as shifts

        # The shift page lists the petitions received during the shift (接访).
        shifts.register_visits("petitions", visible=selectors.shift_visits, exists=selectors.shift_has_visits)
