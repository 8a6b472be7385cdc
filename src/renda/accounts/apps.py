from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class AccountsConfig(plugins.RendaAppConfig):
    name = "renda.accounts"
    label = "accounts"
    verbose_name = _("账号")
    verbs = {
        "user.create": _("新增用户"),
        "user.update": _("修改用户"),
        "user.deactivate": _("停用用户"),
        "user.activate": _("启用用户"),
        "user.password_change": _("修改密码"),
        "user.password_reset": _("重置密码"),
        "api_token.create": _("创建 API 令牌"),
        "api_token.revoke": _("吊销 API 令牌"),
    }
