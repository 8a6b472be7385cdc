"""The outbox's entry in the top menu (the office and the administrators)."""

from django.utils.translation import gettext_lazy as _

from renda.core import navigation
from renda.core.navigation import SYSTEM, NavItem

navigation.register(
    NavItem(_("发送失败的通知"), "deliveries:list", frozenset({"admin", "staff"}), SYSTEM, order=255),
)
