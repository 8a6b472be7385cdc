from django.utils.translation import gettext_lazy as _

from renda.core import plugins

#: Seconds between two passes of the worker over the outbox.
OUTBOX_EVERY = 15


class NotificationsConfig(plugins.RendaAppConfig):
    name = "renda.notifications"
    label = "notifications"
    verbose_name = _("通知")
    verbs = {
        "delivery.retry": _("重发通知"),
        "delivery.failed": _("通知发送失败"),
    }

    def ready(self) -> None:
        super().ready()
        from renda.core import worker
        from renda.notifications import services

        worker.periodic("notifications.outbox", every=OUTBOX_EVERY, fn=lambda: services.send_due())
