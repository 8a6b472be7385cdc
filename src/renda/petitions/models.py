"""Petitions (信访): data and constraints only; the workflow is in ``workflow.py``, the time
limits in ``rules.py``, and every write goes through ``services.py``.

Personal data of petitioners (name, ID number, phone, address) is stored encrypted
(``EncryptedTextField``) and found again through keyed hashes (``id_hash``, ``phone_hash``);
pages, exports and the API show it masked (``Petitioner.*_masked``)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core.fields import EncryptedTextField
from renda.core.models import AttachmentBase, MaskedPersonalData, TimelineEntry, TimeStampedModel
from renda.petitions.workflow import ACTION_LABELS, OPEN, OPINION_ISSUED, STATE_LABELS, Action, State


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上")
    PHONE = "phone", _("电话")
    REFERRED = "referred", _("上级转交")


class RepeatKind(models.TextChoices):
    SAME_PETITIONER = "same_petitioner", _("同一信访人")
    SIMILAR_CONTENT = "similar_content", _("内容相似")
    FINAL = "final", _("同一事实和理由已复核终结")


class LinkKind(models.TextChoices):
    TO_SUGGESTION = "to_suggestion", _("由本信访件转为意见建议")
    FROM_SUGGESTION = "from_suggestion", _("由意见建议转为信访件")


#: Categories offered on the register form (free text is allowed too).
COMMON_CATEGORIES = ("土地征收", "房屋拆迁", "劳动社保", "城乡建设", "交通出行", "环境保护", "农业农村",
                     "邻里纠纷", "婚姻家庭", "涉法涉诉", "干部作风", "其他")

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]


class PetitionQuerySet(models.QuerySet["Petition"]):
    def open(self) -> PetitionQuerySet:
        """Petitions the office still owes an answer: not closed (处理意见), reviewed, final or declined."""
        return self.filter(state__in=[s.value for s in OPEN])

    def opinion_issued(self) -> PetitionQuerySet:
        return self.filter(state__in=[s.value for s in OPINION_ISSUED])

    def overdue(self, today: Any) -> PetitionQuerySet:
        """Open petitions whose running legal time limit (``deadline``) is past."""
        return self.open().filter(deadline__lt=today)

    def due_soon(self, today: Any, days: int) -> PetitionQuerySet:
        import datetime as dt

        return self.open().filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))


def new_tracking_code() -> str:
    return secrets.token_urlsafe(12)


class Petition(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=30)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("places.Region", verbose_name=_("所属村社区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("places.Region", verbose_name=_("所属网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("类别"), max_length=50, blank=True, db_index=True)
    subject = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    head_count = models.PositiveIntegerField(_("人数"), default=1)
    #: 被反映人/单位: recorded apart from the petitioners, never told who complained.
    respondent = models.CharField(_("被反映人/单位"), max_length=200, blank=True)
    duty_shift = models.ForeignKey("shifts.DutyShift", verbose_name=_("接访值班"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="visits")

    state = models.CharField(_("状态"), max_length=12, choices=STATE_CHOICES, default=State.REGISTERED.value,
                             db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    registered_on = models.DateField(_("登记日期"))
    #: The legal time limit running now (受理 / 办理 / 复查 / 复核), or None when none runs.
    deadline = models.DateField(_("当前期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    declined_on = models.DateField(_("不予受理日期"), null=True, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    handling_due = models.DateField(_("办理期限"), null=True, blank=True)
    extended_on = models.DateField(_("延期日期"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(_("延期天数"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    opinion_on = models.DateField(_("处理意见日期"), null=True, blank=True)
    opinion = models.TextField(_("处理意见"), blank=True)
    review_requested_on = models.DateField(_("复查申请日期"), null=True, blank=True)
    review_answered_on = models.DateField(_("复查答复日期"), null=True, blank=True)
    review_answer = models.TextField(_("复查意见"), blank=True)
    rereview_requested_on = models.DateField(_("复核申请日期"), null=True, blank=True)
    rereview_answered_on = models.DateField(_("复核答复日期"), null=True, blank=True)
    rereview_answer = models.TextField(_("复核意见"), blank=True)

    is_repeat = models.BooleanField(_("重复信访"), default=False, db_index=True)
    repeat_of = models.ForeignKey("self", verbose_name=_("重复于"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="repeats")
    repeat_kind = models.CharField(_("重复依据"), max_length=20, choices=RepeatKind.choices, blank=True)
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("关联意见建议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="petitions")
    link_kind = models.CharField(_("关联方式"), max_length=20, choices=LinkKind.choices, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=32, unique=True, default=new_tracking_code,
                                     editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["town", "state", "deadline"]),
            models.Index(fields=["town", "registered_on"]),
            models.Index(fields=["town", "channel"]),
            # The list's default order (newest first, then id) read from the index (bench: district list).
            models.Index(fields=["-registered_on", "id"], name="petition_registered_desc"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="petition_code_unique_in_town"),
            models.CheckConstraint(condition=Q(head_count__gte=1), name="petition_head_count_positive"),
            models.CheckConstraint(condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("registered_on")),
                                   name="petition_accepted_after_registered"),
            models.CheckConstraint(condition=Q(declined_on__isnull=True) | Q(declined_on__gte=F("registered_on")),
                                   name="petition_declined_after_registered"),
            models.CheckConstraint(condition=Q(accepted_on__isnull=True) | Q(declined_on__isnull=True),
                                   name="petition_accepted_or_declined"),
            models.CheckConstraint(condition=~Q(state="declined") | Q(declined_on__isnull=False),
                                   name="petition_declined_has_date"),
            models.CheckConstraint(
                condition=Q(state__in=["registered", "declined"]) | Q(accepted_on__isnull=False,
                                                                       handling_due__isnull=False),
                name="petition_accepted_has_date_and_due"),
            models.CheckConstraint(
                condition=Q(state__in=["registered", "declined", "handling"]) | Q(opinion_on__isnull=False),
                name="petition_closed_has_opinion_date"),
            models.CheckConstraint(condition=Q(opinion_on__isnull=True) | Q(opinion_on__gte=F("accepted_on")),
                                   name="petition_opinion_after_accepted"),
            models.CheckConstraint(condition=Q(extension_days__isnull=True) | Q(extension_days__lte=30),
                                   name="petition_extension_at_most_30_days"),
            models.CheckConstraint(condition=Q(is_repeat=False) | Q(repeat_of__isnull=False),
                                   name="petition_repeat_has_target"),
            models.CheckConstraint(condition=Q(suggestion__isnull=True) | ~Q(link_kind=""),
                                   name="petition_suggestion_link_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def is_open(self) -> bool:
        return is_open_state(self.state)


def is_open_state(state: str) -> bool:
    """Whether a petition in ``state`` still waits for an answer of the office."""
    return state in {s.value for s in OPEN}


class Petitioner(MaskedPersonalData, models.Model):
    """One petitioner (信访人) of a petition; a group visit has several and a head count."""

    petition = models.ForeignKey(Petition, verbose_name=_("信访件"), on_delete=models.CASCADE,
                                 related_name="petitioners")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = EncryptedTextField(_("姓名"))
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("地址"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")
        ordering = ["petition_id", "position", "id"]


class Transition(TimelineEntry):
    """One step in a petition's history (the timeline)."""

    petition = models.ForeignKey(Petition, verbose_name=_("信访件"), on_delete=models.CASCADE,
                                 related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("信访办理记录")
        verbose_name_plural = _("信访办理记录")
        ordering = ["petition_id", "on", "id"]
        indexes = [models.Index(fields=["petition", "action"]), models.Index(fields=["action", "on"])]


class ReviewInstruction(TimeStampedModel):
    """阅批 / 批办: a letter routed to a presidium member, and the member's written instruction."""

    petition = models.ForeignKey(Petition, verbose_name=_("信访件"), on_delete=models.CASCADE,
                                 related_name="instructions")
    presidium_member = models.ForeignKey("people.Deputy", verbose_name=_("阅批领导"), on_delete=models.PROTECT,
                                         related_name="petition_instructions")
    requested_on = models.DateField(_("送阅日期"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("送阅人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    instructed_on = models.DateField(_("阅批日期"), null=True, blank=True)
    text = models.TextField(_("阅批意见"), blank=True)

    class Meta:
        verbose_name = _("阅批")
        verbose_name_plural = _("阅批")
        ordering = ["petition_id", "requested_on", "id"]
        indexes = [models.Index(fields=["presidium_member", "instructed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(instructed_on__isnull=True, text="") | (Q(instructed_on__isnull=False) & ~Q(text="")),
                name="petition_instruction_text_and_date"),
            models.CheckConstraint(condition=Q(instructed_on__isnull=True) | Q(instructed_on__gte=F("requested_on")),
                                   name="petition_instruction_after_request"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.presidium_member_id} {self.instructed_on or ''}"


class Attachment(AttachmentBase):
    """A file attached to a petition (a scanned letter, a photo): PNG, JPEG or PDF, checked by
    its content (``core.uploads``)."""

    upload_prefix = "petitions"

    petition = models.ForeignKey(Petition, verbose_name=_("信访件"), on_delete=models.PROTECT,
                                 related_name="attachments")
    #: Declared without the choices of ``AttachmentType``, as first migrated (the type is sniffed
    #: all the same); adding them is a migration of the state only.
    content_type = models.CharField(_("文件类型"), max_length=30)

    class Meta:
        verbose_name = _("信访附件")
        verbose_name_plural = _("信访附件")
        ordering = ["petition_id", "uploaded_at", "id"]
