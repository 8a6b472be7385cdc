"""Forms for the duties pages: list filters, the activity form, one form per action, the award,
settings and report forms. Forms only validate and scope their choices; the views call the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import AttachmentsField
from renda.core.crud import FilterForm, ResourceForm, set_queryset, style_form
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.duties.models import (
    REPORT_STATE_CHOICES,
    STATE_CHOICES,
    Activity,
    ActivityAttachment,
    ActivityType,
    Attendance,
    AwardRecipient,
    Cadence,
    OrganizerKind,
    VoterReport,
)
from renda.people.models import Deputy
from renda.places.forms import RegionLabelField
from renda.places.models import Level, Region
from renda.places.selectors import towns_visible_to

ALL = [("", _("全部"))]
DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def town_deputies(town_id: int | None) -> QuerySet[Deputy]:
    qs = Deputy.objects.filter(is_active=True).order_by("-level", "name")
    return qs.filter(town_id=town_id) if town_id else qs


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class DeputyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


# --- filters ---------------------------------------------------------------------------------------


class ActivityFilter(FilterForm):
    type = forms.ChoiceField(label=_("活动类型"), choices=[*ALL, *ActivityType.choices])
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    organizer_kind = forms.ChoiceField(label=_("组织方"), choices=[*ALL, *OrganizerKind.choices])
    date_from = forms.DateField(label=_("活动日期自"), widget=DATE)
    date_to = forms.DateField(label=_("活动日期至"), widget=DATE)
    mine = forms.ChoiceField(label=_("参加情况"), choices=[*ALL, ("yes", _("我参加的"))])

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        for name, lookup in (("type", "type"), ("state", "state"), ("organizer_kind", "organizer_kind"),
                             ("date_from", "on__gte"), ("date_to", "on__lte")):
            if d.get(name):
                qs = qs.filter(**{lookup: d[name]})
        deputy_id = getattr(self.user, "deputy_id", None)
        if d.get("mine") == "yes":
            qs = qs.filter(participations__deputy_id=deputy_id) if deputy_id else qs.none()
        return qs


class ReportFilter(FilterForm):
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *REPORT_STATE_CHOICES])
    year = forms.IntegerField(label=_("述职年度"), min_value=2000, max_value=2100)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        if d.get("year"):
            qs = qs.filter(year=d["year"])
        return qs


class AwardFilter(FilterForm):
    recipient = forms.ChoiceField(label=_("获奖对象"), choices=[("", _("全部")), *AwardRecipient.choices])
    date_from = forms.DateField(label=_("授予日期自"), widget=DATE)
    date_to = forms.DateField(label=_("授予日期至"), widget=DATE)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("recipient"):
            qs = qs.filter(recipient=d["recipient"])
        if d.get("date_from"):
            qs = qs.filter(on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(on__lte=d["date_to"])
        return qs


class PeriodFilter(forms.Form):
    """The archive's and the ranking's period (all time without dates)."""

    date_from = forms.DateField(label=_("起始日期"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("截止日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("date_from") and d.get("date_to") and d["date_to"] < d["date_from"]:
            raise forms.ValidationError(_("截止日期不能早于起始日期"))
        return d


# --- the activity ------------------------------------------------------------------------------------


class ActivityForm(ResourceForm):
    town = forms.ModelChoiceField(label=_("所属镇街"), queryset=Region.objects.none())
    type = forms.ChoiceField(label=_("活动类型"), choices=ActivityType.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    on = forms.DateField(label=_("活动日期"), widget=DATE)
    starts_at = forms.TimeField(label=_("开始时间"), widget=TIME, required=False,
                                help_text=_("扫码签到自开始前 2 小时至活动当天 24:00 有效"))
    ends_at = forms.TimeField(label=_("结束时间"), widget=TIME, required=False)
    place = forms.CharField(label=_("活动地点"), max_length=200, required=False)
    organizer_kind = forms.ChoiceField(label=_("组织方类别"), choices=OrganizerKind.choices,
                                       initial=OrganizerKind.PRESIDIUM)
    organizer = forms.CharField(label=_("组织单位"), max_length=100, required=False,
                                help_text=_("如：区人民检察院、区司法局；不填为本镇人大主席团"))
    group_name = forms.CharField(label=_("代表小组"), max_length=100, required=False)
    deputies = DeputiesField(label=_("参加代表"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())
    content = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        town_id = getattr(user, "town_id", None)
        towns = towns_visible_to(user).filter(is_active=True).order_by("code")
        set_queryset(self, "town", towns)
        if self.instance is not None:
            town_id = self.instance.town_id
        if town_id:
            self.fields["town"].initial = town_id
            self.fields["town"].disabled = True
        set_queryset(self, "deputies", town_deputies(town_id))
        if self.instance is not None:
            self.fields["outcome"] = forms.CharField(label=_("活动成果"), widget=forms.Textarea(attrs={"rows": 3}),
                                                     required=False)
            self.fields["findings"] = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 3}),
                                                      required=False)
            style_form(self)


def activity_initial(user: Any, obj: Activity | None) -> dict[str, Any]:
    if obj is None:
        return {"town": getattr(user, "town_id", None), "on": timezone.localdate()}
    return {"town": obj.town_id, "type": obj.type, "title": obj.title, "on": obj.on, "starts_at": obj.starts_at,
            "ends_at": obj.ends_at, "place": obj.place, "organizer_kind": obj.organizer_kind,
            "organizer": obj.organizer, "group_name": obj.group_name, "content": obj.content,
            "outcome": obj.outcome, "findings": obj.findings,
            "deputies": [p.deputy_id for p in obj.participations.all()]}


# --- activity actions ------------------------------------------------------------------------------


class ActionForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, activity: Activity, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.__class__.__name__.removesuffix("Form").lower())
        kwargs.setdefault("initial", {}).setdefault("state", activity.state)
        self.activity, self.user = activity, user
        super().__init__(*args, **kwargs)
        style_form(self)


class HoldForm(ActionForm):
    outcome = forms.CharField(label=_("活动成果"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("未签到的代表将记为缺席（可再登记为请假）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].initial = self.activity.outcome


class ArchiveForm(ActionForm):
    pass


class CancelForm(ActionForm):
    reason = forms.CharField(label=_("取消理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(ActionForm):
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none())
    attendance = forms.ChoiceField(label=_("出席情况"), choices=[
        (a.value, a.label) for a in Attendance if a != Attendance.EXPECTED])
    note = forms.CharField(label=_("备注"), max_length=200, required=False, help_text=_("如：请假事由"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputy", town_deputies(self.activity.town_id))


class AttachForm(ActionForm):
    kind = forms.ChoiceField(label=_("材料类别"), choices=ActivityAttachment.Kind.choices)
    attachments = AttachmentsField()


class FindingForm(ActionForm):
    title = forms.CharField(label=_("问题标题"), max_length=200)
    content = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_deputy = DeputyField(label=_("领衔代表"), queryset=Deputy.objects.none(), required=False,
                              help_text=_("代表本人提出时可不选"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "lead_deputy", Deputy.objects.filter(
            duty_participations__activity=self.activity).order_by("name"))


# --- awards, settings, reports ---------------------------------------------------------------------


class AwardForm(ResourceForm):
    recipient = forms.ChoiceField(label=_("获奖对象"), choices=AwardRecipient.choices, initial=AwardRecipient.DEPUTY)
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none(), required=False,
                         help_text=_("获奖对象为代表时必选"))
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none(), required=False,
                            help_text=_("获奖对象为主席团或人大办时，区级用户须选择"))
    title = forms.CharField(label=_("荣誉名称"), max_length=200)
    body = forms.CharField(label=_("授予单位"), max_length=100)
    on = forms.DateField(label=_("授予日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town_id = getattr(self.user, "town_id", None)
        set_queryset(self, "deputy", town_deputies(town_id))
        set_queryset(self, "town", Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
        if town_id or self.instance is not None:
            del self.fields["town"]
        if self.instance is not None:
            self.fields["recipient"].help_text = _("获奖对象可在主席团、人大办和代表之间更改")


class SettingsForm(forms.Form):
    per_suggestion = forms.IntegerField(label=_("每件意见建议积分"), min_value=0, max_value=100)
    per_report = forms.IntegerField(label=_("每次述职积分"), min_value=0, max_value=100)
    report_cadence = forms.ChoiceField(label=_("述职周期"), choices=Cadence.choices)
    min_present = forms.IntegerField(label=_("述职会议最少到会人数"), min_value=1, max_value=10000,
                                     help_text=_("到会人数不足时不能登记测评结果"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for t in ActivityType:
            self.fields[f"weight_{t.value}"] = forms.IntegerField(
                label=_("{t}（每次）").format(t=t.label), min_value=0, max_value=100)
        style_form(self)


class DraftReportForm(ResourceForm):
    deputy = DeputyField(label=_("代表"), queryset=Deputy.objects.none())
    year = forms.IntegerField(label=_("述职年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        own = getattr(user, "deputy_id", None)
        if getattr(user, "role", None) == "deputy":
            set_queryset(self, "deputy", Deputy.objects.filter(pk=own) if own else Deputy.objects.none())
            self.fields["deputy"].initial = own
        else:
            set_queryset(self, "deputy", town_deputies(getattr(user, "town_id", None)))
        self.fields["year"].initial = timezone.localdate().year


class ReportActionForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, report: VoterReport, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.__class__.__name__.removesuffix("ReportForm").lower())
        kwargs.setdefault("initial", {}).setdefault("state", report.state)
        self.report, self.user = report, user
        super().__init__(*args, **kwargs)
        style_form(self)


class EditReportForm(ReportActionForm):
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 14}), max_length=20000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.report.text


class SubmitReportForm(ReportActionForm):
    pass


class ReturnReportForm(ReportActionForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RateReportForm(ReportActionForm):
    meeting_on = forms.DateField(label=_("述职会议日期"), widget=DATE)
    meeting_place = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    present = forms.IntegerField(label=_("到会选民（代表）人数"), min_value=0, max_value=100000)
    satisfied = forms.IntegerField(label=_("满意票数"), min_value=0, max_value=100000)
    basically_satisfied = forms.IntegerField(label=_("基本满意票数"), min_value=0, max_value=100000)
    dissatisfied = forms.IntegerField(label=_("不满意票数"), min_value=0, max_value=100000,
                                      help_text=_("只登记当场宣布的票数，不记录任何人的测评意见"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_on"].initial = timezone.localdate()


class FeedbackReportForm(ReportActionForm):
    feedback = forms.CharField(label=_("反馈意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feedback"].initial = self.report.feedback


class FileReportForm(ReportActionForm):
    on = forms.DateField(label=_("报送日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
