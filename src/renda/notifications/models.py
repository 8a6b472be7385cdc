"""In-app notifications (站内通知): a message to one user, composed in Chinese when it is sent.

Some also go out by SMS or e-mail through the outbox (``Delivery``, docs/notifications.md).
Data only; writes are in ``services.py``."""

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


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message to go out by SMS or e-mail (the outbox, 外发通知).

    Written in the same transaction as the in-app notification (or the change it is about),
    sent by the background worker (``outbox.send_due``), tried again with back-off and marked
    failed after the last attempt: never dropped. The address is stored encrypted and only the
    sender decrypts it (``recipient`` holds the ciphertext, ``recipient_masked`` what pages show).
    """

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    #: The address (phone number or e-mail), Fernet-encrypted by ``core.crypto`` (not decrypted on load).
    recipient = models.TextField(_("接收地址(密文)"), editable=False)
    recipient_masked = models.CharField(_("接收地址"), max_length=100)
    #: The account told, when the message is to a user (none for a public submitter).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    notification = models.ForeignKey(Notification, verbose_name=_("站内通知"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="deliveries")
    #: The town whose office looks after the delivery (none: the district's administrators).
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(_("类型"), max_length=50)
    #: SMS: the gateway's pre-approved template and its parameters; e-mail: subject and body.
    template_id = models.CharField(_("短信模板"), max_length=100, blank=True)
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    #: What the message is about, as a page of the platform (shown to the office).
    url = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    #: A pending delivery is due at this time; a worker claims it by moving it on (a lease).
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    backend = models.CharField(_("发送方式"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发通知")
        verbose_name_plural = _("外发通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["town", "status"], name="delivery_town_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=["sms", "email"]), name="delivery_channel_valid"),
            models.CheckConstraint(condition=models.Q(status__in=["pending", "sent", "failed"]),
                                   name="delivery_status_valid"),
            models.CheckConstraint(condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                                   name="delivery_sent_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_masked}"
