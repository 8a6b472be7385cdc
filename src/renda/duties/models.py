"""Duties (代表履职): duty activities with their participants and attendance (QR sign-in), files
and photos, findings turned into suggestions; awards; each town's points settings; reports to
voters (述职评议) with only the counts of the anonymous rating. Data and constraints only: the
workflows are in ``workflow.py`` and every write goes through ``services.py``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import AttachmentBase, TimelineEntry, TimeStampedModel
from renda.duties.workflow import (
    ACTION_LABELS,
    REPORT_ACTION_LABELS,
    REPORT_STATE_LABELS,
    STATE_LABELS,
    Action,
    ReportAction,
    ReportState,
    State,
)


class ActivityType(models.TextChoices):
    """The METRICS ``activities.by_type`` codes, plus presidium meetings and congress sessions."""

    RESEARCH = "research", _("调研")
    INSPECTION = "inspection", _("视察")
    LAW_INSPECTION = "law_inspection", _("执法检查")
    HEARING = "hearing", _("听取报告")
    JUDICIAL_WITNESS = "judicial_witness", _("司法见证")
    SYMPOSIUM = "symposium", _("座谈会")
    TRAINING = "training", _("培训")
    VOTER_RECEPTION = "voter_reception", _("接待选民")
    REVIEW = "review", _("评议")
    STUDY = "study", _("学习")
    LAW_COMMENT = "law_comment", _("立法意见征集")
    GROUP_MEETING = "group_meeting", _("代表小组活动")
    PRESIDIUM_MEETING = "presidium_meeting", _("主席团会议")
    CONGRESS_SESSION = "congress_session", _("人代会会议")


class OrganizerKind(models.TextChoices):
    PRESIDIUM = "presidium", _("镇人大主席团")
    GROUP = "group", _("代表小组")
    PROCURATORATE = "procuratorate", _("检察院")
    COURT = "court", _("法院")
    JUSTICE = "justice", _("司法局")
    GOVERNMENT = "government", _("政府部门")
    DISTRICT_CONGRESS = "district_congress", _("区人大常委会")
    OTHER = "other", _("其他")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("待签到")
    ATTENDED = "attended", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class SignInVia(models.TextChoices):
    QR = "qr", _("扫码签到")
    OFFICE = "office", _("人大办登记")
    IMPORT = "import", _("台账导入")


STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]
REPORT_STATE_CHOICES = [(s.value, REPORT_STATE_LABELS[s]) for s in ReportState]
REPORT_ACTION_CHOICES = [(a.value, REPORT_ACTION_LABELS[a]) for a in ReportAction]


class Activity(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    type = models.CharField(_("活动类型"), max_length=20, choices=ActivityType.choices, db_index=True)
    title = models.CharField(_("活动名称"), max_length=200)
    on = models.DateField(_("活动日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("活动地点"), max_length=200, blank=True)
    organizer = models.CharField(_("组织单位"), max_length=100, blank=True)
    organizer_kind = models.CharField(_("组织方类别"), max_length=20, choices=OrganizerKind.choices,
                                      default=OrganizerKind.PRESIDIUM)
    #: The deputy group (代表小组) it belongs to, by name: the groups are the liaison app's.
    group_name = models.CharField(_("代表小组"), max_length=100, blank=True)
    content = models.TextField(_("活动内容"), blank=True)
    outcome = models.TextField(_("活动成果"), blank=True)
    findings = models.TextField(_("发现问题"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=STATE_CHOICES, default=State.PLANNED.value,
                             db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["town", "on"]), models.Index(fields=["town", "type", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="duty_activity_times_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Participation(TimeStampedModel):
    """A deputy invited to an activity and whether they came (person-times: ``attended`` rows)."""

    activity = models.ForeignKey(Activity, verbose_name=_("履职活动"), on_delete=models.CASCADE,
                                 related_name="participations")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT,
                               related_name="duty_participations")
    attendance = models.CharField(_("出席情况"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.EXPECTED)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    via = models.CharField(_("登记方式"), max_length=10, choices=SignInVia.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参加代表")
        verbose_name_plural = _("参加代表")
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="duty_participation_unique"),
            models.CheckConstraint(condition=Q(attendance__in=[a.value for a in Attendance]),
                                   name="duty_participation_attendance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_attendance_display()}"


class ActivityAttachment(AttachmentBase):
    upload_prefix: ClassVar[str] = "duties"

    class Kind(models.TextChoices):
        REPORT = "report", _("报告材料")
        PHOTO = "photo", _("活动照片")

    activity = models.ForeignKey(Activity, verbose_name=_("履职活动"), on_delete=models.CASCADE,
                                 related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=10, choices=Kind.choices, default=Kind.REPORT)

    class Meta:
        verbose_name = _("活动材料")
        verbose_name_plural = _("活动材料")
        ordering = ["activity_id", "id"]


class ActivitySuggestion(models.Model):
    """A finding of an activity turned into a suggestion (意见建议) through the suggestion services."""

    activity = models.ForeignKey(Activity, verbose_name=_("履职活动"), on_delete=models.CASCADE,
                                 related_name="suggestion_links")
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("意见建议"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("转为意见建议")
        verbose_name_plural = _("转为意见建议")
        constraints = [models.UniqueConstraint(fields=["activity", "suggestion"],
                                               name="duty_activity_suggestion_unique")]


class ActivityTransition(TimelineEntry):
    activity = models.ForeignKey(Activity, verbose_name=_("履职活动"), on_delete=models.CASCADE,
                                 related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["activity_id", "on", "id"]


class AwardRecipient(models.TextChoices):
    PRESIDIUM = "presidium", _("人大主席团")
    OFFICE = "office", _("人大办")
    DEPUTY = "deputy", _("代表")


class Award(TimeStampedModel):
    """An honour (荣誉) received by the presidium, the office or a deputy: title, awarding body,
    date. A deputy's honour names the deputy (and is part of their duty archive); the others name
    none (decision 0018-presidium-honours)."""

    recipient = models.CharField(_("获奖对象"), max_length=10, choices=AwardRecipient.choices,
                                 default=AwardRecipient.DEPUTY)
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT,
                               related_name="duty_awards", null=True, blank=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("荣誉名称"), max_length=200)
    body = models.CharField(_("授予单位"), max_length=100)
    on = models.DateField(_("授予日期"))

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient="deputy") & Q(deputy__isnull=False))
                | (Q(recipient__in=["presidium", "office"]) & Q(deputy__isnull=True)),
                name="duties_award_deputy_iff_deputy_recipient"),
        ]
        indexes = [models.Index(fields=["town", "on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient_text(self) -> str:
        if self.recipient == AwardRecipient.DEPUTY and self.deputy is not None:
            return self.deputy.name
        return str(self.get_recipient_display())


class Cadence(models.TextChoices):
    YEARLY = "yearly", _("每年一次")
    TERM = "term", _("每届一次")


#: The default duty points: per activity attended, by type; per suggestion; per report to voters.
DEFAULT_WEIGHTS: dict[str, int] = {
    "research": 3, "inspection": 3, "law_inspection": 3, "hearing": 2, "judicial_witness": 3, "symposium": 2,
    "training": 1, "voter_reception": 2, "review": 2, "study": 1, "law_comment": 2, "group_meeting": 1,
    "presidium_meeting": 1, "congress_session": 5,
}
DEFAULT_PER_SUGGESTION = 3
DEFAULT_PER_REPORT = 5
DEFAULT_MIN_PRESENT = 50


class DutySettings(TimeStampedModel):
    """A town's duty settings: the points weights, the cadence of reports to voters and the
    minimum present at a report meeting. A town without a row uses the defaults."""

    town = models.OneToOneField("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT,
                                related_name="+")
    weights = models.JSONField(_("各类活动积分"), default=dict, blank=True)
    per_suggestion = models.PositiveSmallIntegerField(_("每件意见建议积分"), default=DEFAULT_PER_SUGGESTION)
    per_report = models.PositiveSmallIntegerField(_("每次述职积分"), default=DEFAULT_PER_REPORT)
    report_cadence = models.CharField(_("述职周期"), max_length=10, choices=Cadence.choices, default=Cadence.YEARLY)
    min_present = models.PositiveSmallIntegerField(_("述职会议最少到会人数"), default=DEFAULT_MIN_PRESENT)

    class Meta:
        verbose_name = _("履职积分设置")
        verbose_name_plural = _("履职积分设置")

    def __str__(self) -> str:
        return str(_("履职积分设置"))

    def weight(self, activity_type: str) -> int:
        value = (self.weights or {}).get(activity_type)
        return int(value) if isinstance(value, int) else DEFAULT_WEIGHTS.get(activity_type, 0)


class VoterReport(TimeStampedModel):
    """A deputy's report to voters (述职) and its rating. Only the counts of 满意 / 基本满意 / 不满意
    are stored: there is no row per voter, so no rating can be linked to anyone."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT,
                               related_name="voter_reports")
    year = models.PositiveSmallIntegerField(_("述职年度"))
    state = models.CharField(_("状态"), max_length=12, choices=REPORT_STATE_CHOICES,
                             default=ReportState.DRAFTING.value, db_index=True)
    text = models.TextField(_("述职报告"), blank=True)
    meeting_on = models.DateField(_("述职会议日期"), null=True, blank=True)
    meeting_place = models.CharField(_("会议地点"), max_length=200, blank=True)
    present = models.PositiveIntegerField(_("到会选民（代表）人数"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("基本满意"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    feedback = models.TextField(_("反馈意见"), blank=True)
    filed_on = models.DateField(_("报送日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year"], name="duty_voter_report_once_a_year"),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(present__gte=F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
                name="duty_voter_report_tally_within_present"),
        ]

    def __str__(self) -> str:
        return str(_("{name} {year}年述职").format(name=self.deputy.name, year=self.year))

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied


class VoterReportTransition(TimelineEntry):
    report = models.ForeignKey(VoterReport, verbose_name=_("述职评议"), on_delete=models.CASCADE,
                               related_name="transitions")
    action = TimelineEntry.action_field(REPORT_ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(REPORT_STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(REPORT_STATE_CHOICES)

    class Meta:
        verbose_name = _("述职记录")
        verbose_name_plural = _("述职记录")
        ordering = ["report_id", "on", "id"]
