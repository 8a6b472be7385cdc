from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class LedgerConfig(plugins.RendaAppConfig):
    name = "renda.ledger"
    label = "ledger"
    verbose_name = _("台账")

    def ready(self) -> None:
        # Every installed app may declare sheets in its ``ledger_sheets`` module (see registry.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("ledger_sheets")
