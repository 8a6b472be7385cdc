"""Risks (信访隐患 / 矛盾纠纷): data and constraints only; the workflow is in ``workflow.py`` and
every write goes through ``services.py``.

A risk is found in a grid (by its grid worker, a deputy or the office), graded high/medium/low,
names the people involved (encrypted at rest, shown masked), is worked on by the deputies and
grid workers assigned to it (each with their part), logs the steps taken, and ends resolved —
``petitions.risks_resolved(_with_deputies)`` in ``reports/metrics``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from renda.core.fields import EncryptedTextField
from renda.core.models import MaskedPersonalData, TimelineEntry, TimeStampedModel
from renda.risks.workflow import ACTION_LABELS, STATE_LABELS, Action, State


class Level(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Source(models.TextChoices):
    """Who reported the risk (the reporter's role)."""

    GRID_WORKER = "grid_worker", _("网格员排查")
    DEPUTY = "deputy", _("代表反映")
    OFFICE = "office", _("人大办登记")
    IMPORT = "import", _("台账导入")


#: The workflow's states and actions as model choices, labelled in words.
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]


class RiskQuerySet(models.QuerySet["Risk"]):
    def open(self) -> RiskQuerySet:
        """Not resolved (an escalated risk is still open)."""
        return self.exclude(state=State.RESOLVED)

    def registered_between(self, start: dt.date, end: dt.date) -> RiskQuerySet:
        return self.filter(registered_on__gte=start, registered_on__lte=end)

    def resolved_between(self, start: dt.date, end: dt.date) -> RiskQuerySet:
        return self.filter(state=State.RESOLVED, resolved_on__gte=start, resolved_on__lte=end)

    def with_deputies(self) -> RiskQuerySet:
        """Risks with at least one deputy taking part."""
        return self.filter(Exists(RiskParticipant.objects.filter(risk_id=OuterRef("pk"), deputy__isnull=False)))


class Risk(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "places.Region", verbose_name=_("所属村社区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "places.Region", verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("情况"), blank=True)
    level = models.CharField(_("等级"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    state = models.CharField(
        _("状态"), max_length=12, choices=STATE_CHOICES, default=State.REGISTERED.value, db_index=True
    )
    registered_on = models.DateField(_("登记日期"))
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True)
    escalated_to = models.CharField(_("上报至"), max_length=100, blank=True)
    deputies_role = models.TextField(_("代表作用"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.OFFICE)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访隐患")
        verbose_name_plural = _("信访隐患")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["town", "state"]),
            models.Index(fields=["town", "registered_on"]),
            models.Index(fields=["town", "resolved_on"]),
            models.Index(fields=["grid", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="resolved") & Q(resolved_on__isnull=False))
                | (~Q(state="resolved") & Q(resolved_on__isnull=True)),
                name="risk_resolved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("registered_on")),
                name="risk_resolved_after_registered",
            ),
            models.CheckConstraint(condition=Q(level__in=["high", "medium", "low"]), name="risk_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state != State.RESOLVED


class RiskPerson(MaskedPersonalData, models.Model):
    """A person involved in the dispute (当事人): encrypted at rest, masked everywhere, revealed
    only to the town's office and presidium with a reason (``core.privacy``)."""

    risk = models.ForeignKey(Risk, verbose_name=_("信访隐患"), on_delete=models.CASCADE, related_name="people")
    name = EncryptedTextField(_("姓名"))
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("住址"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    role = models.CharField(_("纠纷中的身份"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("涉及人员")
        verbose_name_plural = _("涉及人员")
        ordering = ["risk_id", "position", "id"]


class RiskParticipant(TimeStampedModel):
    """A deputy or a grid worker assigned to a risk, and their part in resolving it."""

    risk = models.ForeignKey(Risk, verbose_name=_("信访隐患"), on_delete=models.CASCADE, related_name="participants")
    deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("代表"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="risk_participations",
    )
    grid_worker = models.ForeignKey(
        "places.GridWorker", verbose_name=_("网格员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="risk_participations",
    )
    part = models.TextField(_("参与情况"), blank=True)
    added_on = models.DateField(_("参与日期"))

    class Meta:
        verbose_name = _("参与人员")
        verbose_name_plural = _("参与人员")
        ordering = ["risk_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(deputy__isnull=False) & Q(grid_worker__isnull=True))
                | (Q(deputy__isnull=True) & Q(grid_worker__isnull=False)),
                name="risk_participant_one_person",
            ),
            models.UniqueConstraint(fields=["risk", "deputy"], condition=Q(deputy__isnull=False),
                                    name="risk_participant_unique_deputy"),
            models.UniqueConstraint(fields=["risk", "grid_worker"], condition=Q(grid_worker__isnull=False),
                                    name="risk_participant_unique_grid_worker"),
        ]

    def __str__(self) -> str:
        return str(self.deputy or self.grid_worker)

    @property
    def person_label(self) -> str:
        return str(self.deputy if self.deputy_id else self.grid_worker)


class RiskStep(models.Model):
    """One step taken towards resolving the risk (走访, 调解, 协调 …), dated by the one who took it."""

    risk = models.ForeignKey(Risk, verbose_name=_("信访隐患"), on_delete=models.CASCADE, related_name="steps")
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("记录人"), max_length=100)
    text = models.TextField(_("化解过程"))
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("化解过程")
        verbose_name_plural = _("化解过程")
        ordering = ["risk_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:20]}"


class RiskTransition(TimelineEntry):
    """One entry of a risk's history (the timeline): who did what, when, from which state to which."""

    risk = models.ForeignKey(Risk, verbose_name=_("信访隐患"), on_delete=models.CASCADE, related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["risk_id", "on", "id"]
        indexes = [models.Index(fields=["risk", "action"])]
