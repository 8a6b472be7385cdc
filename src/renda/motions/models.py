"""Motions (议案) at a congress session: data and constraints only; the workflow is in
``workflow.py`` and every write goes through ``services.py``.

A motion is submitted to a session (``congress.Session``) by the presidium or jointly by at least
N deputies of the town (``MotionSettings.min_signers``, default 5; the signatures are rows of
``MotionSignature``, one per deputy — the database refuses a second), before the session's time
limit (``SessionLimit.deadline``; without one, the end of the session's first day). The presidium
puts it on the agenda (a ``congress.AgendaItem``), or not (with a reason), or treats it as a deputy
suggestion (``suggestions.Suggestion``, linked both ways). An adopted motion records the
resolution and its follow-up: the units responsible, progress notes (timeline rows) and the date
the follow-up was finished.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimelineEntry, TimeStampedModel
from renda.motions.workflow import ACTION_LABELS, STATE_LABELS, Action, State

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]

#: The default minimum number of deputies who sign a joint motion (代表联名), the lead included.
DEFAULT_MIN_SIGNERS = 5


class SubmittedBy(models.TextChoices):
    PRESIDIUM = "presidium", _("主席团")
    DEPUTIES = "deputies", _("代表联名")


class Decision(models.TextChoices):
    ON_AGENDA = "on_agenda", _("列入会议议程")
    NOT_ON_AGENDA = "not_on_agenda", _("不列入会议议程")
    AS_SUGGESTION = "as_suggestion", _("作为代表建议处理")


class MotionSettings(TimeStampedModel):
    """A town's rule: how many deputies at least sign a joint motion (the lead included)."""

    town = models.OneToOneField("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT,
                                related_name="+")
    min_signers = models.PositiveSmallIntegerField(
        _("代表联名最少人数"), default=DEFAULT_MIN_SIGNERS, validators=[MinValueValidator(2), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("议案设置")
        verbose_name_plural = _("议案设置")
        constraints = [models.CheckConstraint(condition=Q(min_signers__gte=2) & Q(min_signers__lte=100),
                                              name="motion_settings_min_signers_range")]

    def __str__(self) -> str:
        return str(_("代表联名不少于 {n} 人")).format(n=self.min_signers)


class SessionLimit(TimeStampedModel):
    """The time limit for motions at one session (提出议案的截止时间), set by the office."""

    session = models.OneToOneField("congress.Session", verbose_name=_("人代会"), on_delete=models.CASCADE,
                                   related_name="+")
    deadline = models.DateTimeField(_("议案截止时间"))

    class Meta:
        verbose_name = _("议案截止时间")
        verbose_name_plural = _("议案截止时间")

    def __str__(self) -> str:
        return f"{self.session} {self.deadline:%Y-%m-%d %H:%M}"


class Motion(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey("congress.Session", verbose_name=_("人代会"), on_delete=models.PROTECT,
                                related_name="+")
    title = models.CharField(_("案由"), max_length=200)
    reasons = models.TextField(_("理由和依据"), blank=True)
    proposal = models.TextField(_("办法和措施"), blank=True)
    submitted_by = models.CharField(_("提出方式"), max_length=10, choices=SubmittedBy.choices,
                                    default=SubmittedBy.DEPUTIES)
    lead_deputy = models.ForeignKey("people.Deputy", verbose_name=_("领衔代表"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=14, choices=STATE_CHOICES, default=State.DRAFT.value,
                             db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decision = models.CharField(_("主席团决定"), max_length=14, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    agenda_item = models.ForeignKey("congress.AgendaItem", verbose_name=_("会议议程"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("转为代表建议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(_("决议"), blank=True)
    resolution_on = models.DateField(_("决议日期"), null=True, blank=True)
    follow_units = models.ManyToManyField("units.Unit", verbose_name=_("落实单位"), blank=True, related_name="+")
    follow_up = models.TextField(_("落实情况"), blank=True)
    finished_on = models.DateField(_("落实完毕日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["-id"]
        indexes = [models.Index(fields=["town", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[s.value for s in State]), name="motion_state_valid"),
            models.CheckConstraint(condition=Q(submitted_by__in=["presidium", "deputies"]),
                                   name="motion_submitted_by_valid"),
            models.CheckConstraint(condition=~Q(submitted_by="deputies") | Q(lead_deputy__isnull=False),
                                   name="motion_joint_has_lead"),
            models.CheckConstraint(condition=Q(state__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                                   name="motion_submitted_has_time"),
            models.CheckConstraint(condition=~Q(decision="not_on_agenda") | ~Q(decision_reason=""),
                                   name="motion_not_on_agenda_has_reason"),
            models.CheckConstraint(condition=~Q(state="suggestion") | Q(suggestion__isnull=False),
                                   name="motion_as_suggestion_linked"),
            models.CheckConstraint(condition=~Q(state__in=["adopted", "finished"]) | (
                ~Q(resolution="") & Q(resolution_on__isnull=False)), name="motion_adopted_has_resolution"),
            models.CheckConstraint(condition=~Q(state="finished") | Q(finished_on__isnull=False),
                                   name="motion_finished_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class MotionSignature(models.Model):
    """A deputy's signature on a joint motion (联名): at most one per deputy and motion."""

    motion = models.ForeignKey(Motion, verbose_name=_("议案"), on_delete=models.CASCADE, related_name="signatures")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("联名时间"))

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        ordering = ["motion_id", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "deputy"], name="motion_signature_once")]

    def __str__(self) -> str:
        return str(self.deputy)


class MotionTransition(TimelineEntry):
    motion = models.ForeignKey(Motion, verbose_name=_("议案"), on_delete=models.CASCADE, related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("议案办理记录")
        verbose_name_plural = _("议案办理记录")
        ordering = ["motion_id", "on", "id"]
