"""Deputies' liaison with the people (联系群众): deputy groups (代表小组) and their meetings, the
voters each deputy keeps in touch with (联系选民户), presidium–deputy and deputy–voter contact
records, the town's targets, contact stations (代表联络站) with their reception-day roster and
reception records (接待). Data and constraints only; the reception workflow is in ``workflow.py``
and every write goes through ``services.py``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core import crypto
from renda.core.fields import EncryptedTextField
from renda.core.models import ActiveModel, TimelineEntry, TimeStampedModel
from renda.liaison.workflow import ACTION_LABELS, STATE_LABELS, Action, State

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]
#: A reception-day entry is shown to deputies and the public this many days ahead.
PUBLISH_DAYS_AHEAD = 3


class ContactWay(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    RECEPTION = "reception", _("接待")
    MEETING = "meeting", _("座谈会")
    ONLINE = "online", _("网络")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class StationKind(models.TextChoices):
    STATION = "station", _("代表联络站")
    ROOM = "room", _("代表联系群众活动室")


class LiaisonSettings(TimeStampedModel):
    """The town's targets (联系目标)."""

    town = models.OneToOneField("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT,
                                related_name="+")
    voter_contacts_per_year = models.PositiveSmallIntegerField(_("每名代表每年联系选民（次）"), default=10)
    presidium_contacts_per_quarter = models.PositiveSmallIntegerField(
        _("主席团成员每季度联系每名代表（次）"), default=1)
    group_meetings_per_quarter = models.PositiveSmallIntegerField(_("代表小组每季度活动（次）"), default=1)

    class Meta:
        verbose_name = _("联系目标")
        verbose_name_plural = _("联系目标")

    def __str__(self) -> str:
        return str(_("{town}联系目标")).format(town=self.town)


class DeputyGroup(ActiveModel):
    """代表小组: the town's deputies (district deputies living in the town included) of one area."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("小组名称"), max_length=100)
    leader = models.ForeignKey("people.Deputy", verbose_name=_("组长"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="led_groups")
    members = models.ManyToManyField("people.Deputy", verbose_name=_("组员"), related_name="deputy_groups",
                                     blank=True)
    regions = models.ManyToManyField("places.Region", verbose_name=_("联系村社区/网格"), related_name="deputy_groups",
                                     blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["town_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="deputy_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class GroupMeeting(TimeStampedModel):
    """A deputy group's meeting (小组活动): date, place, attendees, topics."""

    group = models.ForeignKey(DeputyGroup, verbose_name=_("代表小组"), on_delete=models.PROTECT,
                              related_name="meetings")
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200)
    attendees = models.ManyToManyField("people.Deputy", verbose_name=_("参加代表"), related_name="group_meetings",
                                       blank=True)
    topics = models.TextField(_("议题"))

    class Meta:
        verbose_name = _("小组活动")
        verbose_name_plural = _("小组活动")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["group", "on"]), models.Index(fields=["town", "on"])]

    def __str__(self) -> str:
        return f"{self.group} {self.on.isoformat()}"


class Voter(TimeStampedModel):
    """A voter household a deputy keeps in touch with (联系选民户): name, phone and address are
    personal data — encrypted at rest, masked everywhere, revealed with a reason."""

    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT,
                               related_name="voters")
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("places.Region", verbose_name=_("所属村社区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField(_("姓名"))
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("住址"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联系选民户")
        verbose_name_plural = _("联系选民户")
        ordering = ["deputy_id", "id"]

    def __str__(self) -> str:
        return self.name_masked

    @property
    def name_masked(self) -> str:
        return crypto.mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def address_masked(self) -> str:
        return crypto.mask_address(self.address)

    def masked(self) -> dict[str, str]:
        return {"name": self.name_masked, "phone": self.phone_masked, "address": self.address_masked}


class VoterContact(TimeStampedModel):
    """联系选民: a deputy's contact with voters — date, way, households met, issues raised; an
    issue may become a suggestion (linked by ``suggestion``)."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT,
                               related_name="voter_contacts")
    on = models.DateField(_("联系日期"))
    way = models.CharField(_("联系方式"), max_length=10, choices=ContactWay.choices)
    households = models.PositiveIntegerField(_("联系选民（户）"), default=1)
    voters = models.ManyToManyField(Voter, verbose_name=_("联系选民户"), related_name="contacts", blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    issues = models.TextField(_("反映问题"), blank=True)
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("转为意见建议"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("联系选民记录")
        verbose_name_plural = _("联系选民记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["town", "on"]), models.Index(fields=["deputy", "on"])]
        constraints = [models.CheckConstraint(condition=Q(households__gte=1), name="voter_contact_households")]

    def __str__(self) -> str:
        return f"{self.deputy} {self.on.isoformat()}"


class PresidiumContact(TimeStampedModel):
    """主席团成员联系代表: a contact of a presidium member with a deputy assigned to them."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    presidium_member = models.ForeignKey("people.Deputy", verbose_name=_("主席团成员"), on_delete=models.PROTECT,
                                         related_name="presidium_contacts_made")
    deputy = models.ForeignKey("people.Deputy", verbose_name=_("联系代表"), on_delete=models.PROTECT,
                               related_name="presidium_contacts_received")
    on = models.DateField(_("联系日期"))
    way = models.CharField(_("联系方式"), max_length=10, choices=ContactWay.choices)
    content = models.TextField(_("联系内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("主席团成员联系代表记录")
        verbose_name_plural = _("主席团成员联系代表记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["town", "on"]), models.Index(fields=["deputy", "on"])]

    def __str__(self) -> str:
        return f"{self.presidium_member} → {self.deputy} {self.on.isoformat()}"


class Station(ActiveModel):
    """代表联络站 / 代表联系群众活动室: its place, opening hours, deputies and reception cadence."""

    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("places.Region", verbose_name=_("所属村社区"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=StationKind.choices, default=StationKind.STATION)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    cadence = models.CharField(_("接待日安排"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("进站代表"), related_name="stations", blank=True)

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["town_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="station_unique_name")]

    def __str__(self) -> str:
        return self.name


class ReceptionDay(TimeStampedModel):
    """One entry of a station's reception-day roster (接待日): shown to deputies and the public
    from ``PUBLISH_DAYS_AHEAD`` days before."""

    station = models.ForeignKey(Station, verbose_name=_("联络站"), on_delete=models.PROTECT,
                                related_name="reception_days")
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("接待日期"))
    hours = models.CharField(_("接待时间"), max_length=100, blank=True)
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("接待代表"), related_name="reception_days",
                                      blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["station", "on"], name="reception_day_unique")]

    def __str__(self) -> str:
        return f"{self.station} {self.on.isoformat()}"

    @property
    def published_on(self) -> dt.date:
        return self.on - dt.timedelta(days=PUBLISH_DAYS_AHEAD)

    def is_published(self, today: dt.date) -> bool:
        return today >= self.published_on


class Reception(TimeStampedModel):
    """A reception record (接待记录) of a station: the visitor (masked), the matter, and its
    handling from registration to filing — or, for a matter for courts, review or arbitration
    (涉法涉诉), turned away with the legal route given."""

    code = models.CharField(_("编号"), max_length=30, unique=True)
    town = models.ForeignKey("places.Region", verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(Station, verbose_name=_("联络站"), on_delete=models.PROTECT,
                                related_name="receptions")
    on = models.DateField(_("接待日期"))
    deputies = models.ManyToManyField("people.Deputy", verbose_name=_("接待代表"), related_name="receptions",
                                      blank=True)
    visitor_name = EncryptedTextField(_("来访人"))
    visitor_phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    visitors = models.PositiveSmallIntegerField(_("来访人数"), default=1)
    matter = models.TextField(_("反映事项"))
    state = models.CharField(_("状态"), max_length=12, choices=STATE_CHOICES, default=State.REGISTERED.value,
                             db_index=True)
    proposal = models.TextField(_("办理意见"), blank=True)
    transferred_to = models.CharField(_("转办单位"), max_length=100, blank=True)
    suggestion = models.ForeignKey("suggestions.Suggestion", verbose_name=_("转为意见建议"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    feedback = models.TextField(_("反馈情况"), blank=True)
    route = models.TextField(_("依法处理途径"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["town", "on"]), models.Index(fields=["station", "state"])]
        constraints = [
            models.CheckConstraint(condition=~Q(state="turned_away") | ~Q(route=""),
                                   name="reception_turned_away_has_route"),
            models.CheckConstraint(condition=Q(visitors__gte=1), name="reception_visitors_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def visitor_name_masked(self) -> str:
        return crypto.mask_name(self.visitor_name)

    @property
    def visitor_phone_masked(self) -> str:
        return crypto.mask_phone(self.visitor_phone)

    @property
    def is_open(self) -> bool:
        return self.state not in {State.FILED, State.TURNED_AWAY}


class ReceptionTransition(TimelineEntry):
    reception = models.ForeignKey(Reception, verbose_name=_("接待记录"), on_delete=models.CASCADE,
                                  related_name="transitions")
    action = TimelineEntry.action_field(ACTION_CHOICES)
    from_state = TimelineEntry.from_state_field(STATE_CHOICES)
    to_state = TimelineEntry.to_state_field(STATE_CHOICES)

    class Meta:
        verbose_name = _("接待办理记录")
        verbose_name_plural = _("接待办理记录")
        ordering = ["reception_id", "on", "id"]


class Reminder(models.Model):
    """One contact-target reminder sent (``renda liaison_remind``): at most one per user, kind
    and period, so the daily command is idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("类型"), max_length=20)
    period = models.CharField(_("周期"), max_length=10)
    sent_on = models.DateField(_("发送日期"))

    class Meta:
        verbose_name = _("联系目标提醒")
        verbose_name_plural = _("联系目标提醒")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "period"], name="liaison_reminder_once")]
