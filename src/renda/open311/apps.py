from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class Open311Config(plugins.RendaAppConfig):
    name = "renda.open311"
    label = "open311"
    verbose_name = _("Open311 接口")
    verbs = {
        "open311_client.create": _("签发 Open311 客户端密钥"),
        "open311_client.revoke": _("吊销 Open311 客户端密钥"),
        "open311_request.receive": _("接收 Open311 请求"),
    }
