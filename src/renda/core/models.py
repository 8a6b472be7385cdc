"""Base models shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ActiveModel(TimeStampedModel):
    """A record that is deactivated (停用), never deleted, so history stays whole."""

    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
