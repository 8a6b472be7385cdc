from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class AccountsConfig(plugins.RendaAppConfig):
    name = "renda.accounts"
    label = "accounts"
    verbose_name = _("账号")
