"""Base models shared by every app."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core import crypto
from renda.core.uploads import EXTENSIONS


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


class MaskedPersonalData:
    """The masks of a person's personal data (a petitioner, a person involved in a risk).

    The model declares the encrypted fields ``name``, ``id_number``, ``phone`` and ``address``
    (with their hashes); this mixin gives what everyone but those entitled to a reveal sees.
    """

    name: str
    id_number: str
    phone: str
    address: str

    def __str__(self) -> str:
        return self.name_masked

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def address_masked(self) -> str:
        return crypto.mask_address(self.address)

    def masked(self) -> dict[str, str]:
        """The four fields, masked (audit snapshots, listings)."""
        return {"name": self.name_masked, "id_number": self.id_number_masked, "phone": self.phone_masked,
                "address": self.address_masked}


class Sequence(models.Model):
    """A named counter (e.g. the 编号 of one kind of item in one year): the last number given.
    Read and bumped under a row lock by ``core.sequences.take``, so numbering is O(1) however
    many items exist, and concurrent registrations never get the same number."""

    key = models.CharField(_("名称"), max_length=100, unique=True)
    value = models.BigIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class RateCounter(models.Model):
    """Hits of one key (an hashed IP, a hashed code …) in one fixed window: ``core.ratelimit``.
    In the database, so a limit holds across the app servers of docs/deploy.md."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_counter_unique")]
        indexes = [models.Index(fields=["window"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}={self.hits}"


# --- timelines (the history of an item: suggestions, petitions, risks) ----------------------

#: ``(value, label)`` pairs of a workflow's actions or states (``[(a.value, ACTION_LABELS[a]) …]``).
Choices = Iterable[tuple[str, Any]]


class TimelineEntry(models.Model):
    """One step in an item's history (the timeline): who did what, when, from which state to which.

    Written only through ``core.services.record_transition``. A concrete timeline declares its
    item (a ``ForeignKey`` with ``related_name="transitions"``), its action and states with its
    workflow's choices (through the three field helpers below, so every timeline has the same
    columns), and its ``Meta`` (names, ordering, indexes)::

        class Transition(TimelineEntry):
            petition = models.ForeignKey(Petition, …, related_name="transitions")
            action = TimelineEntry.action_field(ACTION_CHOICES)
            from_state = TimelineEntry.from_state_field(STATE_CHOICES)
            to_state = TimelineEntry.to_state_field(STATE_CHOICES)
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    #: The actor's name when it acted (it outlives the account); 系统 for commands and imports.
    actor_label = models.CharField(_("操作人"), max_length=100)
    #: The business date of the step; ``at`` is when it was written (noon of ``on`` for a past date).
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.on} {self.get_action_display()}"  # type: ignore[attr-defined]

    @staticmethod
    def action_field(choices: Choices) -> models.CharField:
        return models.CharField(_("操作"), max_length=20, choices=choices)

    @staticmethod
    def from_state_field(choices: Choices) -> models.CharField:
        return models.CharField(_("原状态"), max_length=12, choices=choices, blank=True)

    @staticmethod
    def to_state_field(choices: Choices) -> models.CharField:
        return models.CharField(_("新状态"), max_length=12, choices=choices)


# --- attachments (suggestions, petitions) ------------------------------------------------------


class AttachmentType(models.TextChoices):
    """What an attachment may be, told by its content (``core.uploads``)."""

    PNG = "image/png", _("PNG 图片")
    JPEG = "image/jpeg", _("JPEG 图片")
    PDF = "application/pdf", _("PDF 文件")


def attachment_upload_to(instance: Any, filename: str) -> str:
    """Where an attachment lies under MEDIA_ROOT: ``<app>/<year>/<month>/`` and a random name with
    the extension of its sniffed type — never the name the user gave (that is kept in
    ``original_name`` only)."""
    ext = EXTENSIONS.get(instance.content_type, ".bin")
    return f"{instance.upload_prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class AttachmentBase(models.Model):
    """A file attached to an item: a PNG or JPEG image or a PDF, checked by its content
    (``core.uploads``), stored by ``core.attachments.store`` and downloaded through
    ``core.attachments.attachment_response``. A concrete model declares its item (a ``ForeignKey``
    with ``related_name="attachments"``), ``upload_prefix`` (its folder) and its ``Meta``."""

    #: The folder under MEDIA_ROOT of this kind of attachment (the app's name).
    upload_prefix: ClassVar[str]

    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=30, choices=AttachmentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
