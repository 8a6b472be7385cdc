"""The hash-chained audit trail (审计日志)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write, recorded in the transaction that made it.

    ``hash`` = HMAC-SHA256, under the audit key kept outside the database, over the previous
    event's hash and this event's canonical content (see ``renda.audit.chain`` and
    ``renda.audit.anchor``), so an edited, deleted or reordered row breaks the chain, and a
    chain recomputed without the key does not verify.
    """

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    verb = models.CharField(_("动作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象"), max_length=64)
    target_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    town_id = models.BigIntegerField(_("镇街"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    request_id = models.CharField(_("请求号"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.verb} {self.target_type}:{self.target_id}"


class AuditHead(models.Model):
    """A single row holding the chain's last event; locked by every writer so that
    events are appended one at a time, in order, on SQLite and PostgreSQL alike."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)


class SecurityEvent(models.Model):
    """Failed logins, lockouts and denied accesses (not part of the hash-chained audit trail)."""

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGIN_LOCKED = "login_locked", _("登录被暂时锁定")
        LOGIN = "login", _("登录")
        LOGOUT = "logout", _("退出")
        ACCESS_DENIED = "access_denied", _("拒绝访问")
        NOT_FOUND = "not_found", _("访问不存在或无权查看的记录")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        RATE_LIMITED = "rate_limited", _("访问过于频繁")
        HONEYPOT = "honeypot", _("疑似自动提交")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(_("路径"), max_length=500, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-at"]
        # The table was created by accounts (where this model lived first) and kept its name.
        db_table = "accounts_securityevent"
