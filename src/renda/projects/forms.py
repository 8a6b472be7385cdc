"""Forms for the project pages: list filters, the collect / screen / list forms, and one form per
project action. Forms only validate and scope their choices; the views call the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.congress.models import Session
from renda.core.attachments import AttachmentsField
from renda.core.crud import FilterForm, ResourceForm, set_queryset, style_form
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.people.models import Deputy
from renda.places.forms import RegionLabelField
from renda.places.models import Region
from renda.places.selectors import towns_visible_to
from renda.projects.models import (
    CANDIDATE_STATE_CHOICES,
    STATE_CHOICES,
    Candidate,
    Grade,
    Procurement,
    Project,
    Source,
    Stage,
)
from renda.units.models import Unit

ALL = [("", _("全部"))]
DATE = DateInput()
MONEY_ATTRS = {"inputmode": "decimal", "placeholder": _("元，如 2860000.00")}


def _town_id(user: Any) -> int | None:
    return getattr(user, "town_id", None)


def town_units(town_id: int | None) -> QuerySet[Unit]:
    qs = Unit.objects.filter(is_active=True).order_by("name")
    return qs.filter(town_id=town_id) if town_id else qs.none()


def town_deputies(town_id: int | None, *, presidium: bool = False) -> QuerySet[Deputy]:
    qs = Deputy.objects.filter(is_active=True).order_by("-is_presidium", "name")
    if presidium:
        qs = qs.filter(is_presidium=True)
    return qs.filter(town_id=town_id) if town_id else qs.none()


class MoneyField(forms.DecimalField):
    """A sum in yuan: Decimal with two places (the form never makes a float)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs=MONEY_ATTRS)


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class TownField(RegionLabelField):
    pass


def _town_choice(form: forms.Form, user: Any) -> None:
    town_id = _town_id(user)
    set_queryset(form, "town", Region.objects.filter(pk=town_id) if town_id
                 else towns_visible_to(user).filter(is_active=True).order_by("code"))
    if town_id:
        form.fields["town"].disabled = True
        form.fields["town"].initial = town_id


# --- list filters ------------------------------------------------------------------------------


class ProjectFilter(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *STATE_CHOICES])
    grade = forms.ChoiceField(label=_("测评结果"), choices=[*ALL, *Grade.choices])

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        for name in ("year", "state", "grade"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        return qs


class CandidateFilter(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    state = forms.ChoiceField(label=_("状态"), choices=[*ALL, *CANDIDATE_STATE_CHOICES])
    source = forms.ChoiceField(label=_("来源"), choices=[*ALL, *Source.choices])

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        for name in ("year", "state", "source"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        return qs


class ListFilter(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        year = self.cleaned_data.get("year")
        return qs.filter(year=year) if year else qs


# --- candidates, lists, adoption ------------------------------------------------------------------


class CollectForm(ResourceForm):
    town = TownField(label=_("所属镇街"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    content = forms.CharField(label=_("项目内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.CharField(label=_("项目类别"), max_length=100, required=False, help_text=_("如：道路、绿化亮化、饮水"))
    source = forms.ChoiceField(label=_("来源"), choices=[c for c in Source.choices if c[0] != "suggestion"])
    deputy = forms.ModelChoiceField(label=_("提出代表"), queryset=Deputy.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("提出部门"), queryset=Unit.objects.none(), required=False)
    source_note = forms.CharField(label=_("来源说明"), max_length=200, required=False,
                                  help_text=_("如：2022年10月群众座谈会（不填写个人信息）"))
    collected_on = forms.DateField(label=_("征集日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _town_choice(self, self.user)
        set_queryset(self, "deputy", town_deputies(_town_id(self.user)))
        set_queryset(self, "unit", town_units(_town_id(self.user)))
        self.fields["collected_on"].initial = timezone.localdate()
        self.fields["year"].initial = timezone.localdate().year + 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and _town_id(self.user):
            data["town"] = self.user.town
        return data


class FromSuggestionForm(forms.Form):
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    kind = forms.CharField(label=_("项目类别"), max_length=100, required=False)
    on = forms.DateField(label=_("征集日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["on"].initial = timezone.localdate()
        style_form(self)


class ScreenForm(forms.Form):
    feasible = forms.TypedChoiceField(label=_("初审意见"), choices=[("1", _("可行，列入储备库")), ("0", _("不可行"))],
                                      coerce=lambda v: v == "1")
    kind = forms.CharField(label=_("项目类别"), max_length=100, required=False)
    feasibility = forms.CharField(label=_("可行性意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    estimate = MoneyField(label=_("估算投资（元）"))
    proposed_unit = forms.ModelChoiceField(label=_("拟牵头单位"), queryset=Unit.objects.none(), required=False)
    on = forms.DateField(label=_("初审日期"), widget=DATE)

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": candidate.kind, "feasibility": candidate.feasibility,
                                      "estimate": candidate.estimate, "proposed_unit": candidate.proposed_unit_id,
                                      "on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        set_queryset(self, "proposed_unit", town_units(candidate.town_id))
        style_form(self)


class ListCreateForm(ResourceForm):
    town = TownField(label=_("所属镇街"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("留空自动生成"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _town_choice(self, self.user)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and _town_id(self.user):
            data["town"] = self.user.town
        return data


class ListSetForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(label=_("候选项目"), queryset=Candidate.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, queryset: QuerySet[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = queryset  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    session: forms.ModelChoiceField = forms.ModelChoiceField(label=_("人代会"), queryset=Session.objects.none())
    chief_scrutineer = forms.CharField(label=_("总监票人"), max_length=50, required=False)
    scrutineers = forms.CharField(label=_("监票人"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("投票方式"), choices=[("paper", _("纸质选票")), ("phone", _("手机投票"))])

    def __init__(self, *args: Any, sessions: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        style_form(self)


class EvaluationForm(VoteForm):
    projects = forms.ModelMultipleChoiceField(label=_("测评项目"), queryset=Project.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects  # type: ignore[attr-defined]


class AdoptForm(ResourceForm):
    town = TownField(label=_("所属镇街"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    adopted_on = forms.DateField(label=_("票决日期"), widget=DATE)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    budget = MoneyField(label=_("预算总造价（元）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _town_choice(self, self.user)
        set_queryset(self, "lead_unit", town_units(_town_id(self.user)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("town") is None and _town_id(self.user):
            data["town"] = self.user.town
        return data


class SettingsForm(forms.Form):
    seats = forms.IntegerField(label=_("每次票决项目数（N）"), min_value=1, max_value=50)
    min_surplus = forms.IntegerField(label=_("最少差额数"), min_value=1, max_value=50,
                                     help_text=_("候选项目不少于 N + 差额数"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class WindowForm(forms.Form):
    year = forms.IntegerField(label=_("项目年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("征集开始"), widget=DATE)
    closes_on = forms.DateField(label=_("征集截止"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ExcludedKindForm(forms.Form):
    name = forms.CharField(label=_("不予列入的项目类别"), max_length=100, help_text=_("如：楼堂馆所、形象工程"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


# --- project actions -------------------------------------------------------------------------------


class ActionForm(forms.Form):
    def __init__(self, *args: Any, project: Project, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.prefix_name())
        self.project, self.user = project, user
        super().__init__(*args, **kwargs)
        style_form(self)

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.removesuffix("Form").lower()


class StartForm(ActionForm):
    on = forms.DateField(label=_("开始日期"), widget=DATE)
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class PlanForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), required=False)
    targets = forms.CharField(label=_("建设目标"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    end_year = forms.IntegerField(label=_("跨年度项目完成年度"), required=False, min_value=2000, max_value=2100)
    year_targets = forms.CharField(label=_("分年度目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                   help_text=_("跨年度项目每行一年：年度|目标|投资（元），"
                                               "如 2024|完成主体工程|1500000"))
    funding_source = forms.CharField(label=_("资金来源"), max_length=200, required=False)
    funding_amount = MoneyField(label=_("计划投资（元）"))
    supervisor = forms.ModelChoiceField(label=_("督办主席团成员"), queryset=Deputy.objects.none(), required=False)
    deputies = DeputiesField(label=_("代表督办小组"), queryset=Deputy.objects.none(), required=False,
                             widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.project
        set_queryset(self, "lead_unit", town_units(p.town_id))
        set_queryset(self, "supervisor", town_deputies(p.town_id, presidium=True))
        set_queryset(self, "deputies", town_deputies(p.town_id))
        if not self.is_bound:
            self.initial.update({
                "lead_unit": p.lead_unit_id, "targets": p.targets, "deadline": p.deadline, "end_year": p.end_year,
                "funding_source": p.funding_source, "funding_amount": p.funding_amount,
                "supervisor": p.supervisor_id, "deputies": [d.pk for d in p.deputies.all()] if p.pk else [],
                "year_targets": "\n".join(f"{t.year}|{t.target}|{t.amount or ''}" for t in p.year_targets.all()),
            })

    def clean_year_targets(self) -> list[tuple[int, str, str]]:
        out = []
        for line in (self.cleaned_data.get("year_targets") or "").splitlines():
            if not line.strip():
                continue
            parts = [x.strip() for x in line.split("|")]
            if not parts[0].isdigit() or len(parts) < 2:
                raise forms.ValidationError(_("格式应为：年度|目标|投资（元）"))
            out.append((int(parts[0]), parts[1], parts[2] if len(parts) > 2 else ""))
        return out


class StageForm(ActionForm):
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)
    planned_start = forms.DateField(label=_("计划开始"), widget=DATE, required=False)
    planned_end = forms.DateField(label=_("计划完成"), widget=DATE, required=False)
    actual_start = forms.DateField(label=_("实际开始"), widget=DATE, required=False)
    actual_end = forms.DateField(label=_("实际完成"), widget=DATE, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MoneyForm(ActionForm):
    budget = MoneyField(label=_("预算总造价（元）"))
    tender_ceiling = MoneyField(label=_("招标控制价（元）"))
    bid_price = MoneyField(label=_("中标价（元）"))
    contract_price = MoneyField(label=_("合同价（元）"))
    paid = MoneyField(label=_("已支付（元）"))
    final_account = MoneyField(label=_("结算/审计决算（元）"))
    procurement = forms.ChoiceField(label=_("采购方式"), choices=[("", _("请选择")), *Procurement.choices],
                                    required=False)
    platform = forms.CharField(label=_("交易平台"), max_length=100, required=False,
                               help_text=_("如：蚌埠市公共资源交易中心"))
    contractor = forms.CharField(label=_("施工单位"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            p = self.project
            self.initial.update({f: getattr(p, f) for f in (
                "budget", "tender_ceiling", "bid_price", "contract_price", "paid", "final_account", "procurement",
                "platform", "contractor")})


class ReportProgressForm(ActionForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = AttachmentsField(label=_("现场照片"))
    public = forms.BooleanField(label=_("照片在公示栏公开"), required=False, initial=True)
    progress = forms.IntegerField(label=_("手工填写进度（%）"), min_value=0, max_value=100, required=False,
                                  help_text=_("留空则按各阶段完成情况自动计算"))
    progress_reason = forms.CharField(label=_("进度说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class InspectForm(ActionForm):
    on = forms.DateField(label=_("视察日期"), widget=DATE)
    deputies = DeputiesField(label=_("参加代表"), queryset=Deputy.objects.none(), widget=SearchableSelectMultiple())
    findings = forms.CharField(label=_("发现问题及意见"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = AttachmentsField(label=_("照片"))
    public = forms.BooleanField(label=_("照片在公示栏公开"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "deputies", town_deputies(self.project.town_id))
        self.fields["on"].initial = timezone.localdate()
        deputy_id = getattr(self.user, "deputy_id", None)
        if deputy_id:
            self.fields["deputies"].initial = [deputy_id]


class NoteForm(ActionForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CompleteForm(ActionForm):
    on = forms.DateField(label=_("完成日期"), widget=DATE)
    report = forms.CharField(label=_("完成情况报告"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("镇政府关于项目完成情况的书面报告，提请下次人代会满意度测评"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class EvaluateForm(ActionForm):
    grade = forms.ChoiceField(label=_("测评结果"), choices=Grade.choices)
    on = forms.DateField(label=_("测评日期"), widget=DATE)
    rectify_deadline = forms.DateField(label=_("整改期限"), widget=DATE, required=False,
                                       help_text=_("不满意时填写，默认测评后 90 日"))


class RectifyForm(ActionForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    report = forms.CharField(label=_("整改报告"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
