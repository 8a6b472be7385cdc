"""Open311 GeoReport v2 (docs/open311.md): the clients that may hand items over, and what each
handed-over item carried besides the suggestion it became. Data and constraints only; every write
goes through ``services.py``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.fields import EncryptedTextField


class Client(models.Model):
    """A system allowed to POST requests (a district 12345 hotline, a city app): one API key each,
    issued by ``renda open311_key create NAME``. Only a SHA-256 of the key is stored; the first
    characters (``prefix``) find the row, the hash is compared in constant time."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    prefix = models.CharField(_("密钥前缀"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Request(models.Model):
    """One service request received (POST requests): the suggestion it landed as, the client that
    sent it and what the GeoReport form carried that a suggestion has no field for. The location
    (one of lat+long, address_string or address_id, the spec's rule), the media link (stored,
    never fetched) and the answered attributes; an e-mail address is personal data (encrypted)."""

    suggestion = models.OneToOneField("suggestions.Suggestion", verbose_name=_("意见建议"),
                                      on_delete=models.PROTECT, related_name="open311")
    client = models.ForeignKey(Client, verbose_name=_("客户端"), on_delete=models.PROTECT, related_name="requests")
    service_code = models.CharField(_("服务代码"), max_length=20)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=10, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("地址"), max_length=250, blank=True)
    address_id = models.CharField(_("网格编码"), max_length=15, blank=True)
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)
    email = EncryptedTextField(_("电子邮箱"), blank=True)
    attributes = models.JSONField(_("附加信息"), default=dict, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["client", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(long__isnull=True)) | (Q(lat__isnull=False) & Q(long__isnull=False)),
                name="open311_request_lat_long_together",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=False) | ~Q(address_string="") | ~Q(address_id=""),
                name="open311_request_has_location",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True)
                | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(long__gte=-180) & Q(long__lte=180)),
                name="open311_request_lat_long_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.name} → {self.suggestion_id}"
