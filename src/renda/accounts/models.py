"""Users, roles, town scoping, API tokens, login throttling and security events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core import crypto
from renda.core.fields import EncryptedTextField, masked_phone_fingerprint
from renda.core.roles import DISTRICT_ROLES, Role

__all__ = ["DISTRICT_ROLES", "ApiToken", "LoginFailure", "Role", "User"]


class UserManager(DjangoUserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """``renda createsuperuser``: a district-wide administrator, created through the
        accounts service so that the audit trail records it like every other account."""
        from renda.accounts.services import user_create

        return user_create(actor=None, username=username, password=password or "", role=Role.ADMIN,
                           display_name=str(extra.get("display_name", "")), validate=False)


class User(AbstractUser):
    objects = UserManager()  # type: ignore[misc]

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    #: Where the outbox sends the user's SMS (docs/notifications.md): encrypted, shown masked.
    phone = EncryptedTextField(_("手机号"), blank=True, audit_mask=masked_phone_fingerprint)
    town = models.ForeignKey(
        "places.Region",
        verbose_name=_("所属镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    deputy = models.OneToOneField(
        "people.Deputy", verbose_name=_("代表"), null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )
    grid_worker = models.OneToOneField(
        "places.GridWorker",
        verbose_name=_("网格员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["district_viewer", "admin"]) | Q(town__isnull=False),
                name="user_town_required_for_town_roles",
            ),
            models.CheckConstraint(condition=~Q(role="unit") | Q(unit__isnull=False), name="user_unit_required"),
            models.CheckConstraint(
                condition=~Q(role__in=["deputy", "presidium"]) | Q(deputy__isnull=False),
                name="user_deputy_required",
            ),
            models.CheckConstraint(
                condition=~Q(role="grid_worker") | Q(grid_worker__isnull=False),
                name="user_grid_worker_required",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def label(self) -> str:
        return self.display_name or self.username

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def is_district_wide(self) -> bool:
        return self.role in DISTRICT_ROLES and self.town_id is None


class ApiToken(models.Model):
    """A bearer token for integrations. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """One failed login, kept for throttling (see renda.accounts.throttle)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
