"""Handling units (承办单位) of a town."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import ActiveModel


class UnitKind(models.TextChoices):
    TOWN_DEPARTMENT = "town_department", _("镇直部门")
    DISTRICT_UNIT = "district_unit", _("区直单位")
    OTHER = "other", _("其他")


class Unit(ActiveModel):
    town = models.ForeignKey(
        "places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["town_id", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="unit_unique_name_in_town")]

    def __str__(self) -> str:
        return self.name
