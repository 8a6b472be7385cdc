"""The presidium's own records (主席团工作): the annual work plan (年度工作要点) with its tasks,
the links from a task to the records that show its progress and the half-year reviews; the
division of duties (职责分工) among the presidium members; information items submitted to the
district congress and higher (信息报送). Data and constraints only; every write goes through
``services.py``. Honours (荣誉) are ``duties.Award`` (decision 0018-presidium-honours)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel

HALF_VALIDATOR = RegexValidator(r"^\d{4}H[12]$", _("半年度格式应为 2023H1 或 2023H2"))


class Plan(TimeStampedModel):
    """年度工作要点: the presidium's plan for a year, one per town and year."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    goals = models.TextField(_("工作目标"), blank=True)

    class Meta:
        verbose_name = _("年度工作要点")
        verbose_name_plural = _("年度工作要点")
        ordering = ["-year", "town_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="presidium_plan_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="presidium_plan_year_range"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanTask(TimeStampedModel):
    """A task of the plan (工作任务): its heading, the presidium member in charge, the office staff
    supporting, the half it is due in (and a date if it has one)."""

    plan = models.ForeignKey(Plan, verbose_name=_("年度工作要点"), on_delete=models.PROTECT, related_name="tasks")
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    ordinal = models.PositiveSmallIntegerField(_("序号"))
    area = models.CharField(_("工作板块"), max_length=100)
    text = models.TextField(_("任务内容"))
    lead = models.ForeignKey("people.Deputy", verbose_name=_("牵头主席团成员"), on_delete=models.PROTECT,
                             related_name="plan_tasks")
    supporters = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("配合工作人员"), blank=True,
                                        related_name="supported_plan_tasks")
    due_half = models.CharField(_("完成时限（半年度）"), max_length=6, validators=[HALF_VALIDATOR])
    due_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["plan_id", "ordinal", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "ordinal"], name="presidium_task_unique_ordinal")]
        indexes = [models.Index(fields=["town", "due_half"])]

    def __str__(self) -> str:
        head = self.text.splitlines()[0] if self.text else ""
        return f"{self.ordinal}. {head[:40]}"


class LinkKind(models.TextChoices):
    SUGGESTION = "suggestion", _("重点督办建议")
    ACTIVITY = "activity", _("履职活动")
    PROJECT = "project", _("民生实事项目")
    CONTACT_TARGET = "contact_target", _("联系目标")


#: Link kind → the field of ``PlanTaskLink`` that holds it.
LINK_FIELDS = {LinkKind.SUGGESTION: "suggestion", LinkKind.ACTIVITY: "activity", LinkKind.PROJECT: "project",
               LinkKind.CONTACT_TARGET: "contact_target"}


def _only(name: str) -> Q:
    q = Q(**{f"{name}__isnull": False})
    for other in LINK_FIELDS.values():
        if other != name:
            q &= Q(**{f"{other}__isnull": True})
    return q


class PlanTaskLink(models.Model):
    """A record showing a task's progress: exactly one of a key-supervision suggestion, a duty
    activity, a livelihood project or the town's contact targets — of the task's own town."""

    task = models.ForeignKey(PlanTask, verbose_name=_("工作任务"), on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("类别"), max_length=20, choices=LinkKind.choices)
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("重点督办建议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("duties.Activity", verbose_name=_("履职活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("projects.Project", verbose_name=_("民生实事项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    contact_target = models.ForeignKey("liaison.LiaisonSettings", verbose_name=_("联系目标"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("进展记录")
        verbose_name_plural = _("进展记录")
        ordering = ["task_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(*[Q(kind=k.value) & _only(f) for k, f in LINK_FIELDS.items()],
                                               _connector=Q.OR), name="presidium_link_exactly_one"),
            *[models.UniqueConstraint(fields=["task", f], condition=Q(**{f"{f}__isnull": False}),
                                      name=f"presidium_link_unique_{f}") for f in LINK_FIELDS.values()],
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target}"

    @property
    def target(self) -> models.Model | None:
        return getattr(self, LINK_FIELDS[LinkKind(self.kind)], None)


class ReviewStatus(models.TextChoices):
    DONE = "done", _("已完成")
    UNDER_WAY = "under_way", _("推进中")
    NOT_STARTED = "not_started", _("未开展")


class PlanTaskReview(TimeStampedModel):
    """A task's progress at the end of a half (半年进展评估): one per task and half."""

    task = models.ForeignKey(PlanTask, verbose_name=_("工作任务"), on_delete=models.PROTECT, related_name="reviews")
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    half = models.CharField(_("评估半年度"), max_length=6, validators=[HALF_VALIDATOR])
    status = models.CharField(_("进展情况"), max_length=20, choices=ReviewStatus.choices)
    note = models.TextField(_("进展说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("评估日期"))

    class Meta:
        verbose_name = _("进展评估")
        verbose_name_plural = _("进展评估")
        ordering = ["task_id", "half", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "half"], name="presidium_review_one_per_half")]
        indexes = [models.Index(fields=["town", "half"])]

    def __str__(self) -> str:
        return f"{self.half} {self.get_status_display()}"


class DutyDivision(TimeStampedModel):
    """职责分工: a presidium member's areas of work for a year, and the villages/grids and deputy
    groups they keep in touch with."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey("people.Deputy", verbose_name=_("主席团成员"), on_delete=models.PROTECT,
                               related_name="presidium_duties")
    areas = models.CharField(_("分管工作"), max_length=200)
    responsibilities = models.TextField(_("工作职责"), blank=True)
    regions = models.ManyToManyField("places.Region", verbose_name=_("联系村社区/网格"), blank=True,
                                     related_name="presidium_divisions")
    groups = models.ManyToManyField("liaison.DeputyGroup", verbose_name=_("联系代表小组"), blank=True,
                                    related_name="presidium_divisions")

    class Meta:
        verbose_name = _("职责分工")
        verbose_name_plural = _("职责分工")
        ordering = ["-year", "town_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "member"], name="presidium_division_one_per_member"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100),
                                   name="presidium_division_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member}：{self.areas}"


class Recipient(models.TextChoices):
    DISTRICT = "district", _("区人大常委会")
    CITY = "city", _("市人大常委会")
    OTHER = "other", _("其他")


class InfoItem(TimeStampedModel):
    """信息报送: an information item submitted to the district congress or higher; adopted (used
    or published) or not."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("信息标题"), max_length=200)
    submitted_on = models.DateField(_("报送日期"))
    recipient = models.CharField(_("报送对象"), max_length=10, choices=Recipient.choices)
    recipient_other = models.CharField(_("其他报送对象"), max_length=100, blank=True)
    adopted = models.BooleanField(_("是否采用"), default=False)
    adopted_on = models.DateField(_("采用日期"), null=True, blank=True)
    published_in = models.CharField(_("刊发载体"), max_length=200, blank=True)
    note = models.TextField(_("链接或备注"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撰稿人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["town", "submitted_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(adopted=True) | Q(adopted_on__isnull=True),
                                   name="presidium_info_adopted_on_only_if_adopted"),
            models.CheckConstraint(condition=Q(adopted_on__isnull=True) | Q(adopted_on__gte=F("submitted_on")),
                                   name="presidium_info_adopted_after_submitted"),
            models.CheckConstraint(condition=~Q(recipient="other") | ~Q(recipient_other=""),
                                   name="presidium_info_other_named"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient_text(self) -> str:
        return self.recipient_other if self.recipient == Recipient.OTHER else str(self.get_recipient_display())
