"""Petition duty shifts (信访值班): a monthly roster of presidium members (and deputies) at the
reception office; each person on a shift is one assignment, and an attended assignment is one
person-time (人次) — the ``petitions.duty_shifts`` indicator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel


class Period(models.TextChoices):
    FULL_DAY = "full_day", _("全天")
    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")


class DutyShift(TimeStampedModel):
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("值班日期"))
    period = models.CharField(_("时段"), max_length=10, choices=Period.choices, default=Period.FULL_DAY)
    location = models.CharField(_("地点"), max_length=100, default=_("信访接待室"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["town_id", "date", "period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "date", "period"], name="duty_shift_unique"),
        ]
        indexes = [models.Index(fields=["town", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_period_display()}"


class AssignmentState(models.TextChoices):
    SCHEDULED = "scheduled", _("已排班")
    ATTENDED = "attended", _("已到岗")
    ABSENT = "absent", _("缺勤")
    SWAPPED = "swapped", _("已调换")


class DutyAssignment(TimeStampedModel):
    """One person on one shift. A swap marks this row ``swapped`` and adds the replacement's row,
    linked through ``replaces``; only ``attended`` rows count as person-times."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("值班"), on_delete=models.CASCADE, related_name="assignments")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("值班人员"), on_delete=models.PROTECT,
                               related_name="duty_assignments")
    state = models.CharField(_("状态"), max_length=10, choices=AssignmentState.choices,
                              default=AssignmentState.SCHEDULED)
    replaces = models.ForeignKey("self", verbose_name=_("替换"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replaced_by")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["shift_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "deputy"], name="duty_assignment_unique"),
        ]
        indexes = [models.Index(fields=["state", "shift"])]

    def __str__(self) -> str:
        return f"{self.shift} {self.deputy}"

    @property
    def town_id(self) -> int:
        """The shift's town: where the audit trail files this assignment's events."""
        return int(self.shift.town_id)


class LogAction(models.TextChoices):
    CREATE = "create", _("排班")
    UPDATE = "update", _("修改班次")
    ADD = "add", _("增加值班人员")
    REMOVE = "remove", _("移除值班人员")
    SWAP = "swap", _("调班")
    EXCHANGE = "exchange", _("互换班次")
    ATTEND = "attend", _("到岗")
    ABSENT = "absent", _("缺勤")
    RESET = "reset", _("撤销考勤登记")


class DutyLog(models.Model):
    """The shift's timeline in words (who was added, swapped, marked present …), written by the
    services beside each audit event; it outlives removed assignments."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("值班"), on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("操作"), max_length=10, choices=LogAction.choices)
    text = models.CharField(_("内容"), max_length=300)
    actor = models.ForeignKey("accounts.User", verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=100)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("值班记录")
        verbose_name_plural = _("值班记录")
        ordering = ["shift_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.shift} {self.get_action_display()}"
