from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class NotificationsConfig(plugins.RendaAppConfig):
    name = "renda.notifications"
    label = "notifications"
    verbose_name = _("通知")
