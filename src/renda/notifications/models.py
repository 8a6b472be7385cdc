"""In-app notifications (站内通知): a message to one user, composed in Chinese when it is sent.

There is no e-mail or SMS: the intranet has no outside network. Data only; writes are in
``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    verb = models.CharField(_("类型"), max_length=50)
    text = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
