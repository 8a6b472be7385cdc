"""Deputies (人大代表), presidium members, deputy–grid and presidium–deputy assignments."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import ActiveModel, TimeStampedModel


class DeputyLevel(models.TextChoices):
    DISTRICT = "district", _("区人大代表")
    TOWN = "town", _("镇人大代表")


class Deputy(ActiveModel):
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20)
    level = models.CharField(_("层级"), max_length=10, choices=DeputyLevel.choices)
    term = models.CharField(_("届次"), max_length=20, blank=True)
    constituency = models.CharField(_("选区"), max_length=100, blank=True)
    town = models.ForeignKey(
        "places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "places.Region",
        verbose_name=_("所属村社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_presidium = models.BooleanField(_("主席团成员"), default=False)
    serving_from = models.DateField(_("任职起"), null=True, blank=True)
    serving_to = models.DateField(_("任职止"), null=True, blank=True)
    grids = models.ManyToManyField(
        "places.Region", verbose_name=_("联系网格"), related_name="deputies", blank=True
    )
    #: The deputy agreed (and it is recorded) that their phone is shown on the public pages.
    phone_public = models.BooleanField(_("同意公开手机号"), default=False)

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["town_id", "-is_presidium", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "phone"], name="deputy_unique_name_phone"),
            models.CheckConstraint(
                condition=Q(serving_to__isnull=True)
                | Q(serving_from__isnull=True)
                | Q(serving_to__gte=F("serving_from")),
                name="deputy_serving_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactAssignment(TimeStampedModel):
    """A presidium member is responsible for keeping in touch with a deputy (主席团成员联系代表)."""

    presidium_member = models.ForeignKey(
        Deputy, verbose_name=_("主席团成员"), on_delete=models.PROTECT, related_name="contact_assignments"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("联系代表"), on_delete=models.PROTECT, related_name="presidium_contacts"
    )
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联系代表安排")
        verbose_name_plural = _("联系代表安排")
        ordering = ["presidium_member__name", "deputy__name"]
        constraints = [
            models.UniqueConstraint(fields=["presidium_member", "deputy"], name="contact_assignment_unique"),
            models.CheckConstraint(
                condition=~Q(presidium_member=F("deputy")), name="contact_assignment_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.presidium_member} → {self.deputy}"
