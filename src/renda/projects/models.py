"""Livelihood projects (民生实事): data and constraints only; the workflows are in ``workflow.py``
and every write goes through ``services.py``.

The town collects ideas (candidates, 候选项目) in a collection window, screens them (feasibility,
estimate, proposed lead unit, the town's excluded kinds), the presidium submits a candidate list
(差额: more candidates than seats) to the session's secret ballot (``congress``); each adopted
candidate becomes a project, implemented in stages, supervised by deputies and graded by a later
session's evaluation round. Money is Decimal yuan (two places), never float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import ActiveModel, AttachmentBase, TimelineEntry, TimeStampedModel
from renda.projects.workflow import (
    ACTION_LABELS,
    CANDIDATE_STATE_LABELS,
    STATE_LABELS,
    Action,
    CandidateState,
    State,
)

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]
CANDIDATE_STATE_CHOICES = [(s.value, CANDIDATE_STATE_LABELS[s]) for s in CandidateState]


def money_field(label: Any, *, null: bool = True, blank: bool = True) -> models.DecimalField:
    """A sum in yuan: Decimal, 14 digits, 2 places, not negative."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=null, blank=blank,
                               validators=[MinValueValidator(Decimal("0"))])


def year_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(_("项目年度"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])


class Source(models.TextChoices):
    PUBLIC = "public", _("群众")
    DEPUTY = "deputy", _("代表")
    DEPARTMENT = "department", _("部门")
    SUGGESTION = "suggestion", _("意见建议转化")


class Grade(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Procurement(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("公开招标")
    INVITED = "invited", _("邀请招标")
    DIRECT = "direct", _("小额工程直接发包")


class Stage(models.TextChoices):
    INITIATION = "initiation", _("立项")
    DESIGN = "design", _("规划设计")
    BUDGET = "budget", _("预算编制")
    TENDER = "tender", _("招标")
    CONSTRUCTION = "construction", _("施工")
    ACCEPTANCE = "acceptance", _("竣工验收")
    FINAL_AUDIT = "final_audit", _("决算审计")


#: The stages in their order, and each one's share of the progress (percent, summing to 100).
STAGE_ORDER = [s.value for s in Stage]
STAGE_WEIGHTS = {"initiation": 5, "design": 10, "budget": 5, "tender": 10, "construction": 55,
                 "acceptance": 10, "final_audit": 5}


class ProjectSettings(TimeStampedModel):
    """A town's rules for the vote: how many projects a session adopts (N) and how many more
    candidates the list must hold at least (差额)."""

    town = models.OneToOneField("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT,
                                related_name="+")
    seats = models.PositiveSmallIntegerField(_("票决项目数"), default=2, validators=[MinValueValidator(1)])
    min_surplus = models.PositiveSmallIntegerField(_("最少差额数"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("民生实事设置")
        verbose_name_plural = _("民生实事设置")


class ExcludedKind(ActiveModel):
    """A kind of project the town does not put to the vote (负面清单), e.g. 楼堂馆所."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("不予列入的项目类别")
        verbose_name_plural = _("不予列入的项目类别")
        ordering = ["town_id", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="project_excluded_kind_unique")]

    def __str__(self) -> str:
        return self.name


class CollectionWindow(TimeStampedModel):
    """When the town collects ideas for a year's projects."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    opens_on = models.DateField(_("征集开始"))
    closes_on = models.DateField(_("征集截止"))

    class Meta:
        verbose_name = _("项目征集期")
        verbose_name_plural = _("项目征集期")
        ordering = ["-year", "town_id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="project_window_unique"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="project_window_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.opens_on}—{self.closes_on}"

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class CandidateList(TimeStampedModel):
    """The candidate list (候选项目名单) the presidium submits to a session's vote."""

    class ListState(models.TextChoices):
        DRAFT = "draft", _("草拟")
        SUBMITTED = "submitted", _("已提请票决")
        VOTING = "voting", _("票决中")
        DECIDED = "decided", _("已票决")

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    title = models.CharField(_("名称"), max_length=200)
    session = models.ForeignKey("congress.Session", verbose_name=_("人代会"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField(_("票决项目数"), validators=[MinValueValidator(1)])
    min_surplus = models.PositiveSmallIntegerField(_("最少差额数"), validators=[MinValueValidator(1)])
    state = models.CharField(_("状态"), max_length=12, choices=ListState.choices, default=ListState.DRAFT)
    submitted_on = models.DateField(_("提请日期"), null=True, blank=True)
    submitted_by = models.ForeignKey("people.Deputy", verbose_name=_("提请人（主席团）"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    vote_round = models.ForeignKey("congress.VoteRound", verbose_name=_("票决"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("候选项目名单")
        verbose_name_plural = _("候选项目名单")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class Candidate(TimeStampedModel):
    """An idea for a project (候选项目 / 储备库), with its source and its screening."""

    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    title = models.CharField(_("项目名称"), max_length=200)
    content = models.TextField(_("项目内容"), blank=True)
    kind = models.CharField(_("项目类别"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("提出代表"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="project_candidates")
    unit = models.ForeignKey("units.Unit", verbose_name=_("提出部门"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("来源意见建议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="project_candidates")
    collected_on = models.DateField(_("征集日期"))
    state = models.CharField(_("状态"), max_length=12, choices=CANDIDATE_STATE_CHOICES,
                             default=CandidateState.COLLECTED.value, db_index=True)
    # screening (初审) by the town government
    feasibility = models.TextField(_("可行性意见"), blank=True)
    estimate = money_field(_("估算投资（元）"))
    proposed_unit = models.ForeignKey("units.Unit", verbose_name=_("拟牵头单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField(_("初审日期"), null=True, blank=True)
    candidate_list = models.ForeignKey(CandidateList, verbose_name=_("候选项目名单"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="candidates")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["-year", "position", "id"]
        indexes = [models.Index(fields=["town", "year", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=[s.value for s in Source]), name="project_candidate_source"),
            models.CheckConstraint(condition=~Q(source="suggestion") | Q(suggestion__isnull=False),
                                   name="project_candidate_suggestion_link"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Project(TimeStampedModel):
    """A livelihood project (民生实事项目) adopted by the session's vote, with its implementation
    plan, money, stages and grade."""

    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    title = models.CharField(_("项目名称"), max_length=200)
    candidate = models.OneToOneField(Candidate, verbose_name=_("候选项目"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="project")
    state = models.CharField(_("状态"), max_length=12, choices=STATE_CHOICES, default=State.ADOPTED.value,
                             db_index=True)
    adopted_on = models.DateField(_("票决日期"))
    # implementation plan (实施方案)
    lead_unit = models.ForeignKey("units.Unit", verbose_name=_("牵头单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_projects")
    targets = models.TextField(_("建设目标"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("跨年度项目完成年度"), null=True, blank=True)
    funding_source = models.CharField(_("资金来源"), max_length=200, blank=True)
    funding_amount = money_field(_("计划投资（元）"))
    supervisor = models.ForeignKey("people.Deputy", verbose_name=_("督办主席团成员"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="supervised_projects")
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("代表督办小组"), blank=True,
                                      related_name="project_groups")
    # money (元)
    budget = money_field(_("预算总造价（元）"))
    tender_ceiling = money_field(_("招标控制价（元）"))
    bid_price = money_field(_("中标价（元）"))
    contract_price = money_field(_("合同价（元）"))
    paid = money_field(_("已支付（元）"))
    final_account = money_field(_("结算/审计决算（元）"))
    procurement = models.CharField(_("采购方式"), max_length=16, choices=Procurement.choices, blank=True)
    platform = models.CharField(_("交易平台"), max_length=100, blank=True)
    contractor = models.CharField(_("施工单位"), max_length=200, blank=True)
    # progress entered by hand (with its reason) instead of computed from the stages
    progress_manual = models.PositiveSmallIntegerField(_("进度（%）"), null=True, blank=True,
                                                       validators=[MaxValueValidator(100)])
    progress_reason = models.CharField(_("进度说明"), max_length=200, blank=True)
    # completion, evaluation, rectification
    completion_report = models.TextField(_("完成情况报告"), blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    grade = models.CharField(_("测评结果"), max_length=20, choices=Grade.choices, blank=True)
    evaluated_on = models.DateField(_("测评日期"), null=True, blank=True)
    evaluation_session = models.ForeignKey("congress.Session", verbose_name=_("测评会议"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    evaluation_round = models.ForeignKey("congress.VoteRound", verbose_name=_("测评投票"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    rectify_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    rectification_report = models.TextField(_("整改报告"), blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["-year", "code"]
        indexes = [models.Index(fields=["town", "year"]), models.Index(fields=["town", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__isnull=True) | Q(end_year__gte=F("year")),
                                   name="project_end_year_after_year"),
            models.CheckConstraint(condition=Q(grade="") | Q(evaluated_on__isnull=False),
                                   name="project_grade_has_date"),
            models.CheckConstraint(condition=Q(procurement="") | Q(procurement__in=[p.value for p in Procurement]),
                                   name="project_procurement_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class YearTarget(models.Model):
    """A multi-year project's target for one year (分年度目标)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="year_targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    target = models.TextField(_("年度目标"))
    amount = money_field(_("年度投资（元）"))

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["project_id", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_year_target_unique")]


class ProjectStage(models.Model):
    """One stage of the works with its planned and actual dates."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    planned_start = models.DateField(_("计划开始"), null=True, blank=True)
    planned_end = models.DateField(_("计划完成"), null=True, blank=True)
    actual_start = models.DateField(_("实际开始"), null=True, blank=True)
    actual_end = models.DateField(_("实际完成"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="project_stage_unique"),
            models.CheckConstraint(condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                                   | Q(planned_end__gte=F("planned_start")), name="project_stage_planned_order"),
            models.CheckConstraint(condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=True)
                                   | Q(actual_end__gte=F("actual_start")), name="project_stage_actual_order"),
            models.CheckConstraint(condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False),
                                   name="project_stage_end_needs_start"),
        ]

    def __str__(self) -> str:
        return self.get_stage_display()

    @property
    def done(self) -> bool:
        return self.actual_end is not None

    def overdue_on(self, day: dt.date) -> bool:
        """Past its planned end and not done."""
        return self.planned_end is not None and self.actual_end is None and self.planned_end < day


class ProgressReport(models.Model):
    """A progress report (进度报告), with photos."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="progress_reports")
    on = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("报告人"), max_length=100)
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["project_id", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.text[:20]}"


class Inspection(models.Model):
    """An inspection of the project by deputies (代表视察): date, who, findings."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="inspections")
    on = models.DateField(_("视察日期"))
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("参加代表"), related_name="project_inspections")
    findings = models.TextField(_("发现问题及意见"))
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("转为意见建议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("代表视察")
        verbose_name_plural = _("代表视察")
        ordering = ["project_id", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.findings[:20]}"


class SupervisionNote(models.Model):
    """A supervision note (督办记录) by the office, the supervisor or a group deputy."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="notes")
    on = models.DateField(_("日期"))
    text = models.TextField(_("督办情况"))
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="project_notes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("记录人"), max_length=100)
    at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["project_id", "-on", "-id"]


class ProjectPhoto(AttachmentBase):
    """A photo (or PDF) of a progress report or an inspection; ``public`` ones show on the public board."""

    upload_prefix = "projects"

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="attachments")
    report = models.ForeignKey(ProgressReport, verbose_name=_("进度报告"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="attachments")
    inspection = models.ForeignKey(Inspection, verbose_name=_("视察"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="attachments")
    public = models.BooleanField(_("公开展示"), default=False)

    class Meta:
        verbose_name = _("项目照片")
        verbose_name_plural = _("项目照片")
        ordering = ["project_id", "uploaded_at", "id"]


class ProjectTransition(TimelineEntry):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("项目办理记录")
        verbose_name_plural = _("项目办理记录")
        ordering = ["project_id", "on", "id"]
