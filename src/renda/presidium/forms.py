"""Forms and list filters of the presidium pages; saving is the services' (``form.save()`` is never called)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.core.crud import FilterForm, ResourceForm, set_queryset
from renda.core.roles import Role
from renda.core.widgets import DateInput, SearchableSelectMultiple
from renda.duties.models import Activity
from renda.liaison.models import DeputyGroup, LiaisonSettings
from renda.people.models import Deputy
from renda.places.forms import RegionLabelField, RegionsLabelField
from renda.places.models import Level, Region
from renda.presidium import halves, selectors
from renda.presidium.models import LinkKind, Plan, PlanTask, Recipient, ReviewStatus
from renda.projects.models import Project
from renda.suggestions.models import Suggestion

DATE = DateInput()
HALF_HELP = _("如 2023H1（上半年）、2023H2（下半年）")


def _town_id(user: Any) -> int | None:
    return getattr(user, "town_id", None)


def _in_town(qs: QuerySet[Any], town_id: int | None, field: str = "town_id") -> QuerySet[Any]:
    return qs.filter(**{field: town_id}) if town_id else qs


def presidium_members(town_id: int | None) -> QuerySet[Deputy]:
    return _in_town(Deputy.objects.filter(is_active=True, is_presidium=True).order_by("name"), town_id)


def office_staff(town_id: int | None) -> QuerySet[User]:
    return _in_town(User.objects.filter(is_active=True, role=Role.STAFF).order_by("display_name", "username"), town_id)


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class TownForm(ResourceForm):
    """A form whose record belongs to a town: the user's own (fixed), or chosen by a district user."""

    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "town", Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code"))
        if self.instance is not None or _town_id(self.user):
            self.fields["town"].disabled = True
            self.fields["town"].initial = self.instance.town_id if self.instance is not None else _town_id(self.user)

    @property
    def town_id(self) -> int | None:
        return self.instance.town_id if self.instance is not None else _town_id(self.user)


def _this_year() -> int:
    return timezone.localdate().year


class PlanForm(TownForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=_this_year)
    title = forms.CharField(label=_("标题"), max_length=200)
    goals = forms.CharField(label=_("工作目标"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["year"].disabled = True


class TaskForm(ResourceForm):
    plan = forms.ModelChoiceField(label=_("年度工作要点"), queryset=Plan.objects.none())
    ordinal = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, required=False,
                                 help_text=_("不填则排在最后"))
    area = forms.CharField(label=_("工作板块"), max_length=100)
    text = forms.CharField(label=_("任务内容"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = MemberField(label=_("牵头主席团成员"), queryset=Deputy.objects.none())
    supporters = forms.ModelMultipleChoiceField(label=_("配合工作人员"), queryset=User.objects.none(), required=False,
                                                widget=SearchableSelectMultiple())
    due_half = forms.CharField(label=_("完成时限（半年度）"), max_length=6, help_text=HALF_HELP)
    due_on = forms.DateField(label=_("完成日期"), widget=DATE, required=False, help_text=_("有具体日期时填写"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town_id = self.instance.town_id if self.instance is not None else _town_id(self.user)
        set_queryset(self, "plan", selectors.plans_visible_to(self.user).order_by("-year", "pk"))
        set_queryset(self, "lead", presidium_members(town_id))
        set_queryset(self, "supporters", office_staff(town_id))
        if self.instance is not None:
            self.fields["plan"].disabled = True
            del self.fields["ordinal"]


class LinkForm(forms.Form):
    """The record to link to a task: one select, grouped by kind (``kind:pk``)."""

    record = forms.ChoiceField(label=_("进展记录"))

    def __init__(self, *args: Any, task: PlanTask, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town_id, year = task.town_id, task.plan.year
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        sugg = Suggestion.objects.filter(town_id=town_id, key_supervision=True).order_by("-id")[:200]
        groups.append((str(LinkKind.SUGGESTION.label), [(f"suggestion:{s.pk}", f"{s.code} {s.title}") for s in sugg]))
        acts = Activity.objects.filter(town_id=town_id, on__year=year).order_by("-on", "-id")[:200]
        groups.append((str(LinkKind.ACTIVITY.label), [(f"activity:{a.pk}", f"{a.on.isoformat()} {a.title}")
                                                      for a in acts]))
        projects = Project.objects.filter(town_id=town_id).order_by("-year", "-id")[:200]
        groups.append((str(LinkKind.PROJECT.label), [(f"project:{p.pk}", f"{p.code} {p.title}") for p in projects]))
        targets = LiaisonSettings.objects.filter(town_id=town_id)
        groups.append((str(LinkKind.CONTACT_TARGET.label), [(f"contact_target:{t.pk}", str(t)) for t in targets]))
        record = self.fields["record"]
        assert isinstance(record, forms.ChoiceField)
        record.choices = [("", _("请选择")), *[(g, opts) for g, opts in groups if opts]]
        self.fields["record"].widget.attrs["class"] = "form-select"

    def target(self) -> tuple[str, Any]:
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        model = {"suggestion": Suggestion, "activity": Activity, "project": Project,
                 "contact_target": LiaisonSettings}[kind]
        return kind, model._default_manager.get(pk=int(pk))


class ReviewForm(forms.Form):
    half = forms.ChoiceField(label=_("评估半年度"))
    status = forms.ChoiceField(label=_("进展情况"), choices=ReviewStatus.choices)
    note = forms.CharField(label=_("进展说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=10000, help_text=_("推进中或未开展的须说明原因和下一步打算"))

    def __init__(self, *args: Any, halves_open: list[str], user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        half = self.fields["half"]
        assert isinstance(half, forms.ChoiceField)
        half.choices = [(h, halves.label(h)) for h in reversed(halves_open)]
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class DivisionForm(TownForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=_this_year)
    member = MemberField(label=_("主席团成员"), queryset=Deputy.objects.none())
    areas = forms.CharField(label=_("分管工作"), max_length=200)
    responsibilities = forms.CharField(label=_("工作职责"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    regions = RegionsLabelField(label=_("联系村社区/网格"), queryset=Region.objects.none(), required=False,
                                widget=SearchableSelectMultiple())
    groups = forms.ModelMultipleChoiceField(label=_("联系代表小组"), queryset=DeputyGroup.objects.none(),
                                            required=False, widget=SearchableSelectMultiple())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town_id = self.town_id
        set_queryset(self, "member", presidium_members(town_id))
        set_queryset(self, "regions", _in_town(Region.objects.filter(
            level__in=[Level.VILLAGE, Level.GRID], is_active=True).order_by("code"), town_id))
        set_queryset(self, "groups", _in_town(DeputyGroup.objects.filter(is_active=True).order_by("name"), town_id))
        if self.instance is not None:
            self.fields["year"].disabled = True
            self.fields["member"].disabled = True


class InfoForm(TownForm):
    title = forms.CharField(label=_("信息标题"), max_length=200)
    submitted_on = forms.DateField(label=_("报送日期"), widget=DATE)
    recipient = forms.ChoiceField(label=_("报送对象"), choices=Recipient.choices, initial=Recipient.DISTRICT)
    recipient_other = forms.CharField(label=_("其他报送对象"), max_length=100, required=False,
                                      help_text=_("报送对象为“其他”时填写"))
    adopted = forms.BooleanField(label=_("已采用"), required=False)
    adopted_on = forms.DateField(label=_("采用日期"), widget=DATE, required=False)
    published_in = forms.CharField(label=_("刊发载体"), max_length=200, required=False,
                                   help_text=_("如《区人大工作动态》第 5 期"))
    note = forms.CharField(label=_("链接或备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    author = forms.ModelChoiceField(label=_("撰稿人"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "author", _in_town(User.objects.filter(
            is_active=True, role__in=[Role.STAFF, Role.PRESIDIUM]).order_by("display_name", "username"), self.town_id))


# --- list filters -------------------------------------------------------------------------------


class YearFilter(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.cleaned_data.get("year"):
            qs = qs.filter(year=self.cleaned_data["year"])
        return qs


class TaskFilter(FilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    due_half = forms.RegexField(label=_("完成时限"), regex=r"^\d{4}[Hh][12]$", max_length=6)
    unreviewed = forms.RegexField(label=_("该半年度未评估"), regex=r"^\d{4}[Hh][12]$", max_length=6,
                                  help_text=HALF_HELP)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("year"):
            qs = qs.filter(plan__year=d["year"])
        if d.get("due_half"):
            qs = qs.filter(due_half=d["due_half"].upper())
        if d.get("unreviewed"):
            qs = qs.exclude(reviews__half=d["unreviewed"].upper())
        return qs


class InfoFilter(FilterForm):
    recipient = forms.ChoiceField(label=_("报送对象"), choices=[("", _("全部")), *Recipient.choices])
    adopted = forms.ChoiceField(label=_("是否采用"),
                                choices=[("", _("全部")), ("yes", _("已采用")), ("no", _("未采用"))])
    date_from = forms.DateField(label=_("报送日期自"), widget=DATE)
    date_to = forms.DateField(label=_("报送日期至"), widget=DATE)

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        d = self.cleaned_data
        if d.get("recipient"):
            qs = qs.filter(recipient=d["recipient"])
        if d.get("adopted"):
            qs = qs.filter(adopted=d["adopted"] == "yes")
        if d.get("date_from"):
            qs = qs.filter(submitted_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(submitted_on__lte=d["date_to"])
        return qs
