"""Suggestions (意见建议): data and constraints only; the workflow is in ``workflow.py`` and every
write goes through ``services.py``."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renda.core import crypto
from renda.core.fields import EncryptedTextField
from renda.core.models import ActiveModel, AttachmentBase, TimelineEntry, TimeStampedModel
from renda.suggestions.workflow import ACTION_LABELS, HANDLING, STATE_LABELS, Action, State

if TYPE_CHECKING:
    from renda.units.models import Unit


class Kind(models.TextChoices):
    PUBLIC = "public", _("群众意见建议")
    DEPUTY = "deputy", _("代表建议")


class Source(models.TextChoices):
    DEPUTY_COLLECTED = "deputy_collected", _("代表收集")
    GRID_REPORTED = "grid_reported", _("网格员上报")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网上")
    CONTACT_STATION = "contact_station", _("联络站")
    SESSION = "session", _("会议期间")
    RECESS = "recess", _("闭会期间")


#: The workflow's states and actions as model choices, labelled in words.
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]


class DeputyFollowUp(models.TextChoices):
    """What the deputy reached through their QR code did with a public opinion (portal)."""

    PENDING = "", _("待代表处理")
    NOTED = "noted", _("代表已留言")
    PASSED_ON = "passed_on", _("代表已转人大办")
    ADOPTED = "adopted", _("代表已采纳为代表建议")


class ReplyClass(models.TextChoices):
    A = "A", _("A 已解决或基本解决")
    B = "B", _("B 正在解决")
    C = "C", _("C 列入计划逐步解决")
    D = "D", _("D 因条件限制暂不能解决或留作参考")


class Result(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class ReminderKind(models.TextChoices):
    MANUAL = "manual", _("人工催办")
    DUE_SOON = "due_soon", _("即将到期提醒")
    OVERDUE = "overdue", _("超期催办")
    FOLLOW_UP = "follow_up", _("B/C类答复跟踪督办")


#: Crockford's base32 without I, L, O and U: nothing a reader can mistake for another character.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Random characters of a tracking code (5 bits each: 50 bits), then one check character.
TRACKING_RANDOM = 10
TRACKING_LENGTH = TRACKING_RANDOM + 1
#: What a reader may type for a character that is not in the alphabet.
_TRACKING_READS = str.maketrans({"I": "1", "L": "1", "O": "0"})
#: The length of the codes issued before (``secrets.token_urlsafe(12)``).
_LEGACY_LENGTH = 16


def tracking_check(body: str) -> str:
    """The check character of ``body``: a weighted sum modulo 31 (a prime), so any single wrong
    character and any swap of two neighbours changes it."""
    total = sum((i + 1) * TRACKING_ALPHABET.index(c) for i, c in enumerate(body))
    return TRACKING_ALPHABET[total % 31]


def new_tracking_code() -> str:
    """A code for the public to follow their item: 10 characters drawn by ``secrets`` (so one code
    says nothing of another) and a check character; 11 characters a resident can read aloud. The
    characters are the 50 bits of one draw, 5 each: as uniform as ten draws, at a tenth of the cost
    (a large ledger import makes one code per item)."""
    bits = int.from_bytes(secrets.token_bytes(7)) >> 6  # 50 random bits, 5 a character (32 = 2⁵)
    body = "".join(TRACKING_ALPHABET[(bits >> (5 * i)) & 31] for i in range(TRACKING_RANDOM))
    return body + tracking_check(body)


def normalize_tracking_code(text: str) -> str | None:
    """The code a resident typed, in its stored form, or ``None`` when it cannot be one.

    Case, spaces and dashes do not matter and I/L/O read as 1/1/0. A code of the current form must
    have a right check character (a typo is told at once, without looking anything up). Codes
    issued before it (``token_urlsafe``: 16 characters of A–Z a–z 0–9 - _) stay valid as typed."""
    raw = (text or "").strip()[:64]
    code = raw.upper().replace(" ", "").replace("-", "").translate(_TRACKING_READS)
    if len(code) == TRACKING_LENGTH and all(c in TRACKING_ALPHABET for c in code) \
            and tracking_check(code[:-1]) == code[-1]:
        return code
    if len(raw) == _LEGACY_LENGTH and all(c.isascii() and (c.isalnum() or c in "-_") for c in raw):
        return raw
    return None


def format_tracking_code(code: str) -> str:
    """A current code shown in groups (``7KQ4-MX2P-9TZ``) for reading aloud; an older one as is."""
    if len(code) != TRACKING_LENGTH:
        return code
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


class SuggestionCategory(ActiveModel):
    """A town's list of categories (城乡建设, 交通出行, 农业农村 …), edited by its office."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("意见建议类别")
        verbose_name_plural = _("意见建议类别")
        ordering = ["town_id", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="suggestion_category_unique_name")]

    def __str__(self) -> str:
        return self.name


_UNASSIGNED_STATES = [s.value for s in (State.REGISTERED, State.DECLINED, State.WITHDRAWN, State.MERGED)]
#: ``workflow.HANDLING`` in a fixed order: the queues' condition written as the partial index's.
HANDLING_STATES = sorted(s.value for s in HANDLING)


class Suggestion(TimeStampedModel):
    code = models.CharField(_("编号"), max_length=30, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, blank=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "places.Region", verbose_name=_("所属村社区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "places.Region", verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        SuggestionCategory, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="suggestions",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)

    # A member of the public (encrypted at rest, shown masked) …
    submitter_name = EncryptedTextField(_("提出人"), blank=True)
    submitter_phone = EncryptedTextField(_("联系电话"), blank=True)
    submitter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    anonymous = models.BooleanField(_("匿名"), default=False)
    #: The submitter asked to be contacted through the congress office only, not by the unit.
    no_unit_contact = models.BooleanField(_("不愿承办单位直接联系"), default=False)
    # … or a lead deputy with co-signers.
    lead_deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("领衔代表"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="lead_suggestions",
    )
    co_deputies = models.ManyToManyField(
        "people.Deputy", verbose_name=_("附议代表"), blank=True, related_name="cosigned_suggestions"
    )

    state = models.CharField(
        _("状态"), max_length=12, choices=STATE_CHOICES, default=State.REGISTERED.value, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    lead_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="lead_suggestions",
    )
    co_units: models.ManyToManyField[Unit, SuggestionCoUnit] = models.ManyToManyField(
        "units.Unit", verbose_name=_("协办单位"), blank=True, through="SuggestionCoUnit",
        related_name="co_suggestions",
    )
    registered_at = models.DateField(_("登记日期"))
    assigned_at = models.DateField(_("交办日期"), null=True, blank=True)
    original_deadline = models.DateField(_("原办理期限"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    accepted_at = models.DateField(_("签收日期"), null=True, blank=True)
    closed_at = models.DateField(_("办结日期"), null=True, blank=True)

    key_supervision = models.BooleanField(_("重点督办"), default=False)
    key_supervision_since = models.DateField(_("列入重点督办日期"), null=True, blank=True)
    supervisor = models.ForeignKey(
        "people.Deputy", verbose_name=_("督办领导"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervised_suggestions",
    )
    rehandle_count = models.PositiveIntegerField(_("重新办理次数"), default=0)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_items"
    )
    # A public opinion given through a deputy's QR code (the portal): that deputy is told and may
    # add a note, pass it on to the office or adopt it as their own deputy suggestion.
    via_deputy = models.ForeignKey(
        "people.Deputy", verbose_name=_("经由代表"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="public_opinions", db_index=False,  # a partial index (Meta): most items have none
    )
    deputy_follow_up = models.CharField(_("代表处理"), max_length=10, choices=DeputyFollowUp.choices, blank=True,
                                        default=DeputyFollowUp.PENDING)
    deputy_note = models.TextField(_("代表意见"), blank=True)
    adopted_as = models.ForeignKey(
        "self", verbose_name=_("采纳为代表建议"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="adopted_from",
    )
    tracking_code = models.CharField(_("查询码"), max_length=32, unique=True, default=new_tracking_code,
                                     editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["town", "state", "deadline"]),
            # a town's items newest first, ``id`` breaking ties as every list does: read in index
            # order and stopped at the first page (or the similarity check's 200 candidates).
            # SQLite's indexes end with the rowid anyway; PostgreSQL's need ``id`` named.
            models.Index(fields=["town", "registered_at", "id"], name="suggestion_town_recent"),
            # the office's queues: a state's items, oldest first, with the id, so that PostgreSQL
            # counts a tab and reads its page from the index alone (SQLite's index ends with it).
            models.Index(fields=["town", "state", "registered_at", "id"], name="suggestion_town_state_reg_id"),
            models.Index(fields=["lead_unit", "state"]),
            # the district-wide list's default order (newest first): read in index order, stop at a page
            models.Index(fields=["-registered_at", "id"], name="suggestion_registered_desc"),
            # a deputy's items (lead OR via): an index of the items given through a deputy only. With
            # a full index SQLite's ANALYZE saw one value (NULL) on a million rows, took the index as
            # useless and scanned the table for the OR (1.1 s a count at 1,000,000 items).
            models.Index(fields=["via_deputy"], condition=Q(via_deputy__isnull=False), name="suggestion_via_deputy"),
            # a town's list sorted by 办理期限: read in index order (PostgreSQL sorted the town's 50,000
            # items: 265 ms); and the queues of the items being handled (due soon, overdue) from their
            # own index — with the full one alone PostgreSQL read the overdue queue through it, the
            # town's past items nearly all closed (176 ms against 14 ms). Decision 0021.
            models.Index(fields=["town", "deadline", "id"], name="suggestion_town_deadline"),
            models.Index(fields=["town", "deadline", "id"], condition=Q(state__in=HANDLING_STATES),
                         name="suggestion_town_handling_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="deputy") | Q(anonymous=True) | ~Q(submitter_name=""),
                name="suggestion_public_needs_submitter",
            ),
            models.CheckConstraint(
                condition=Q(kind="public") | Q(lead_deputy__isnull=False), name="suggestion_deputy_needs_lead"
            ),
            models.CheckConstraint(
                condition=Q(state__in=_UNASSIGNED_STATES)
                | Q(lead_unit__isnull=False, assigned_at__isnull=False, deadline__isnull=False),
                name="suggestion_assigned_has_unit_and_deadline",
            ),
            models.CheckConstraint(
                condition=Q(assigned_at__isnull=True) | Q(assigned_at__gte=F("registered_at")),
                name="suggestion_assigned_after_registered",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(assigned_at__isnull=True) | Q(deadline__gte=F("assigned_at")),
                name="suggestion_deadline_after_assigned",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False), name="suggestion_closed_has_date"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("registered_at")),
                name="suggestion_closed_after_registered",
            ),
            models.CheckConstraint(
                condition=(Q(state="merged") & Q(merged_into__isnull=False))
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="suggestion_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def submitter_name_masked(self) -> str:
        return "" if self.anonymous else crypto.mask_name(self.submitter_name)

    @property
    def submitter_phone_masked(self) -> str:
        return "" if self.anonymous else crypto.mask_phone(self.submitter_phone)


class SuggestionCoUnit(models.Model):
    """A co-handling unit (协办单位) of an item and its opinion."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE,
                                   related_name="co_unit_links")
    unit = models.ForeignKey("units.Unit", verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_at = models.DateField(_("提出意见日期"), null=True, blank=True)
    opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        constraints = [models.UniqueConstraint(fields=["suggestion", "unit"], name="suggestion_co_unit_unique")]

    def __str__(self) -> str:
        return str(self.unit)


class Reply(TimeStampedModel):
    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT,
                                   related_name="replies")
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices)
    text = models.TextField(_("答复内容"))
    replied_at = models.DateField(_("答复日期"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["suggestion_id", "replied_at", "id"]
        # The latest reply of each item up to a date (``reports.metrics``) from the index alone.
        indexes = [models.Index(fields=["suggestion", "replied_at", "id", "reply_class"], name="reply_latest_cover")]

    def __str__(self) -> str:
        return f"{self.suggestion.code} {self.reply_class} {self.replied_at}"


class Evaluation(TimeStampedModel):
    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT,
                                   related_name="evaluations")
    result = models.CharField(_("测评结果"), max_length=20, choices=Result.choices)
    evaluated_at = models.DateField(_("测评日期"))
    comment = models.TextField(_("意见"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("测评人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["suggestion_id", "evaluated_at", "id"]
        # The latest evaluation of each item up to a date (``reports.metrics``) from the index alone.
        indexes = [models.Index(fields=["suggestion", "evaluated_at", "id", "result"], name="evaluation_latest_cover")]

    def __str__(self) -> str:
        return f"{self.suggestion.code} {self.get_result_display()}"


class Extension(TimeStampedModel):
    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT,
                                   related_name="extensions")
    requested_by = models.ForeignKey("units.Unit", verbose_name=_("申请单位"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateField(_("申请日期"))
    days = models.PositiveIntegerField(_("延期天数"), null=True, blank=True)
    old_deadline = models.DateField(_("原期限"))
    new_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状态"), max_length=10, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateField(_("审批日期"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["suggestion_id", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_deadline__gt=F("old_deadline")),
                                   name="extension_new_deadline_later"),
            models.CheckConstraint(
                condition=Q(status="requested", decided_at__isnull=True) | (~Q(status="requested")
                                                                             & Q(decided_at__isnull=False)),
                name="extension_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.code} → {self.new_deadline}"


class Transition(TimelineEntry):
    """One step in an item's history (the timeline): who did what, when, from which state to which."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE,
                                   related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["suggestion_id", "on", "id"]
        # Led by (suggestion, action) as before; ``on`` and ``to_state`` make it cover the events
        # ``reports.metrics`` reads of each item, so they come from the index without the rows.
        indexes = [
            models.Index(fields=["suggestion", "action", "on", "to_state"], name="transition_events_cover"),
            # the items returned by a unit (the office queue's 退回 and 新登记 tabs): few rows, read
            # whole, rather than a probe of the transitions for every registered item
            models.Index(fields=["suggestion"], condition=Q(action="return"), name="transition_returns"),
        ]


class Reminder(models.Model):
    """A 催办: by staff (manual) or automatic (due soon / overdue); at most one per kind per day,
    so ``renda remind`` may run from cron as often as it likes."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE,
                                   related_name="reminders")
    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("催办人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["suggestion_id", "sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "kind", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.code} {self.get_kind_display()} {self.sent_on}"


class Attachment(AttachmentBase):
    """A file attached to an item (by whoever registered it) or to a reply (by the lead unit):
    a PNG or JPEG image or a PDF, checked by its content (``core.uploads``)."""

    upload_prefix = "suggestions"

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT,
                                   related_name="attachments")
    reply = models.ForeignKey(Reply, verbose_name=_("答复"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="attachments")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["suggestion_id", "uploaded_at", "id"]
