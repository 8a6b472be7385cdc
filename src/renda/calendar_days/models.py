"""Admin overrides of the working-day calendar; the bundled State Council data is in ``data/``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(TimeStampedModel):
    """One date entered by an administrator. It wins over the bundled data for that date."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=50)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="calendar_day_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{DayKind(self.kind).label}）"
