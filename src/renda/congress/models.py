"""人代会 (congress sessions) and the secret ballot (票决 / 满意度测评): data and constraints only.

The workflow of a vote round is in ``workflow.py``; every write goes through ``services.py``.

Secrecy by design (DESIGN.md "Secret ballots", docs/decisions/0012): who has voted (``Voted``:
round + deputy, unique) is stored apart from what was voted (``Ballot``: a random UUID, the
round, the choices, a coarse date — no deputy, no timestamp, no sequential key). Ballot rows are
created blank at the opening of a round, in random order; a cast fills a randomly chosen blank
one; the close rewrites them (and the ``Voted`` rows) in a new random order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 21 → 二十一, 100 → 100 (the 届 and 次 of a session)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class OptionSpec:
    """One option of a vote round as given to ``services.round_open``: what it refers to (a
    project candidate, a project …: ``ref_kind`` + ``ref_id``, owned by the calling app) and
    its label on the ballot."""

    ref_kind: str
    ref_id: int
    label: str


class AttendanceStatus(models.TextChoices):
    DUE = "due", _("应到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class RoundKind(models.TextChoices):
    SELECT = "select", _("票决")
    EVALUATE = "evaluate", _("满意度测评")


class RoundBasis(models.TextChoices):
    ALL = "all", _("全体代表")
    PRESENT = "present", _("出席代表")


class RoundMode(models.TextChoices):
    PAPER = "paper", _("纸质选票")
    PHONE = "phone", _("手机投票")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已计票")
    VOID = "void", _("无效")


class SelectChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class EvaluateChoice(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    ABSTAIN = "abstain", _("弃权")


class Session(TimeStampedModel):
    """人代会: one meeting (第X次会议) of a term (第X届) of the town's people's congress."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"))
    title = models.CharField(_("会议名称"), max_length=200, blank=True)
    starts_on = models.DateField(_("开幕日期"))
    ends_on = models.DateField(_("闭幕日期"))
    venue = models.CharField(_("会议地点"), max_length=200, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("法定人数(分子)"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定人数(分母)"), default=3)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("人代会")
        verbose_name_plural = _("人代会")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "term", "number"], name="congress_session_unique_number"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="congress_session_dates_ordered"),
            models.CheckConstraint(
                condition=Q(term__gte=1) & Q(number__gte=1), name="congress_session_term_number_positive"),
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1) & Q(quorum_denominator__gte=F("quorum_numerator")),
                name="congress_session_quorum_fraction"),
        ]

    def __str__(self) -> str:
        return self.title or self.default_title()

    @property
    def term_text(self) -> str:
        """第十八届第三次会议."""
        return f"第{cn_number(self.term or 0)}届第{cn_number(self.number or 0)}次会议"

    def default_title(self) -> str:
        town = getattr(self, "town", None) if self.town_id else None
        name = town.name if town else ""
        return f"{name}第{cn_number(self.term or 0)}届人民代表大会第{cn_number(self.number or 0)}次会议"


class SessionAttendance(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("人代会"), on_delete=models.CASCADE, related_name="attendance")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("出席情况"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.DUE)

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["session_id", "deputy__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="congress_attendance_unique"),
            models.CheckConstraint(condition=Q(status__in=["due", "present", "leave", "absent"]),
                                   name="congress_attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_status_display()}"


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, verbose_name=_("人代会"), on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("议程"), max_length=200)
    needs_vote = models.BooleanField(_("需表决"), default=False)

    class Meta:
        verbose_name = _("会议议程")
        verbose_name_plural = _("会议议程")
        ordering = ["session_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class VoteRound(TimeStampedModel):
    """One vote (票决) or evaluation (测评) at a session: its options, the ballots issued and
    returned, and — once closed — the tally (``result``, a JSON snapshot of
    ``selectors.round_result``)."""

    session = models.ForeignKey(Session, verbose_name=_("人代会"), on_delete=models.PROTECT, related_name="rounds")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("议程"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="rounds")
    kind = models.CharField(_("类型"), max_length=10, choices=RoundKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("应选数"), null=True, blank=True)
    basis = models.CharField(_("过半数基数"), max_length=10, choices=RoundBasis.choices, default=RoundBasis.ALL)
    mode = models.CharField(_("投票方式"), max_length=10, choices=RoundMode.choices, default=RoundMode.PAPER)
    state = models.CharField(_("状态"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT,
                             db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("上一轮"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="further_rounds")
    chief_scrutineer = models.CharField(_("总监票人"), max_length=100, blank=True)
    scrutineers = models.CharField(_("监票人"), max_length=200, blank=True)
    all_count = models.PositiveIntegerField(_("全体代表数"), default=0)
    present_count = models.PositiveIntegerField(_("出席代表数"), default=0)
    issued = models.PositiveIntegerField(_("发出选票"), default=0)
    returned = models.PositiveIntegerField(_("收回选票"), default=0)
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    result = models.JSONField(_("计票结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["select", "evaluate"]), name="congress_round_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=["draft", "open", "closed", "void"]),
                                   name="congress_round_state_valid"),
            models.CheckConstraint(condition=~Q(kind="select") | Q(seats__gte=1),
                                   name="congress_round_select_has_seats"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_over(self) -> bool:
        return self.state in {RoundState.CLOSED, RoundState.VOID}

    @property
    def town_id(self) -> int:
        """The town of the round (its session's): for policy and the audit trail."""
        return int(self.session.town_id)


class VoteOption(models.Model):
    round = models.ForeignKey(VoteRound, verbose_name=_("投票"), on_delete=models.CASCADE, related_name="options")
    ref_kind = models.CharField(_("对象类型"), max_length=40)
    ref_id = models.PositiveBigIntegerField(_("对象编号"))
    label = models.CharField(_("名称"), max_length=200)
    order = models.PositiveSmallIntegerField(_("序号"), default=1)

    class Meta:
        verbose_name = _("投票事项")
        verbose_name_plural = _("投票事项")
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "ref_kind", "ref_id"], name="congress_option_unique_ref"),
        ]

    def __str__(self) -> str:
        return self.label


class Voted(models.Model):
    """That a deputy has voted in a round (phone mode) — and nothing else: not when, not how."""

    round = models.ForeignKey(VoteRound, verbose_name=_("投票"), on_delete=models.CASCADE, related_name="voted")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("已投票代表")
        verbose_name_plural = _("已投票代表")
        constraints = [models.UniqueConstraint(fields=["round", "deputy"], name="congress_voted_once")]

    def __str__(self) -> str:
        return str(self.deputy)


class Ballot(models.Model):
    """One ballot's contents: a random id, the round, the choices ``{option_id: choice}``, the date
    it was cast (a day, no time). No deputy, no timestamp, no sequential key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(VoteRound, verbose_name=_("投票"), on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(_("选择"), default=dict, blank=True)
    cast_on = models.DateField(_("投票日期"), null=True, blank=True)
    valid = models.BooleanField(_("有效"), null=True, blank=True)
    filled = models.BooleanField(_("已填写"), default=False)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        # No ordering: a ballot has no order.

    def __str__(self) -> str:
        return str(_("选票"))
