"""The only writers of the presidium's records: one keyword-only function per verb, each atomic,
row-locked where it changes a row, checked by ``policy`` and audited (verbs on the AppConfig)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record
from renda.core.errors import Conflict, InvalidInput
from renda.core.roles import Role
from renda.core.services import actor_user, clean_text, create_audited, full_clean, lock, required_text, update_audited
from renda.core.types import Actor
from renda.duties.models import Activity
from renda.liaison.models import DeputyGroup, LiaisonSettings
from renda.people.models import Deputy
from renda.places.models import Level, Region
from renda.presidium import halves, policy
from renda.presidium.models import (
    LINK_FIELDS,
    DutyDivision,
    InfoItem,
    LinkKind,
    Plan,
    PlanTask,
    PlanTaskLink,
    PlanTaskReview,
    Recipient,
    ReviewStatus,
)
from renda.projects.models import Project
from renda.suggestions.models import Suggestion

YEAR_MIN, YEAR_MAX = 2000, 2100


def _today() -> dt.date:
    return timezone.localdate()


def _year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput(_("年度应在 {a} 至 {b} 之间").format(a=YEAR_MIN, b=YEAR_MAX), fields={"year": _("超出范围")})
    return year


def _member(member: Deputy | None, town_id: int, field: str) -> Deputy:
    """A presidium member of the town, serving (active)."""
    if member is None:
        raise InvalidInput(_("请选择主席团成员"), fields={field: _("必填")})
    if member.town_id != town_id:
        raise InvalidInput(_("「{name}」不是本镇街的主席团成员").format(name=member.name),
                           fields={field: _("不属于该镇街")})
    if not member.is_presidium:
        raise InvalidInput(_("「{name}」不是主席团成员").format(name=member.name), fields={field: _("不是主席团成员")})
    if not member.is_active:
        raise InvalidInput(_("「{name}」已停用").format(name=member.name), fields={field: _("已停用")})
    return member


def _supporters(users: Sequence[Any], town_id: int) -> list[Any]:
    out: list[Any] = []
    for u in users:
        if u.role != Role.STAFF or u.town_id != town_id or not u.is_active:
            raise InvalidInput(_("「{name}」不是本镇街人大办的工作人员").format(name=u),
                               fields={"supporters": _("不符合")})
        if u not in out:
            out.append(u)
    return out


def _half(value: str, field: str) -> str:
    code = (value or "").strip().upper()
    if halves.parse(code) is None:
        raise InvalidInput(_("半年度格式应为 2023H1 或 2023H2"), fields={field: _("格式不正确")})
    return code


def _not_future(on: dt.date | None, field: str) -> dt.date:
    on = on or _today()
    if on > _today():
        raise InvalidInput(_("日期不能晚于今天"), fields={field: _("不能晚于今天")})
    return on


# --- the plan (年度工作要点) ------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Actor, town: Region, year: int, title: str, goals: str = "") -> Plan:
    """新建年度工作要点 (one per town and year)."""
    plan = Plan(town=town, year=_year(year), title=required_text(title, "title", _("请填写标题"), max_length=200),
                goals=clean_text(goals, "goals", multiline=True))
    policy.require(actor, "create", plan)
    if Plan.objects.filter(town=town, year=year).exists():
        raise Conflict(_("{town}已有{year}年度工作要点").format(town=town.name, year=year), code="duplicate",
                       fields={"year": _("已存在")})
    return create_audited(plan, actor=actor, verb="plan.create")


@transaction.atomic
def plan_update(*, actor: Actor, plan_id: int, title: str, goals: str = "") -> tuple[Plan, bool]:
    plan = lock(Plan, plan_id)
    policy.require(actor, "change", plan)
    return update_audited(plan, actor=actor, verb="plan.update", changes={
        "title": required_text(title, "title", _("请填写标题"), max_length=200),
        "goals": clean_text(goals, "goals", multiline=True)})


def _task_fields(plan: Plan, *, area: str, text: str, lead: Deputy | None, supporters: Sequence[Any],
                 due_half: str, due_on: dt.date | None) -> tuple[dict[str, Any], list[Any]]:
    due_half = _half(due_half, "due_half")
    if halves.key(due_half)[0] != plan.year:
        raise InvalidInput(_("完成时限应在{year}年度内").format(year=plan.year), fields={"due_half": _("不在本年度")})
    if due_on is not None and halves.of(due_on) != due_half:
        raise InvalidInput(_("完成日期应在{half}内").format(half=halves.label(due_half)),
                           fields={"due_on": _("不在该半年度")})
    body = clean_text(text, "text", multiline=True)
    if not body:
        raise InvalidInput(_("请填写任务内容"), fields={"text": _("必填")})
    return ({"area": required_text(area, "area", _("请填写工作板块"), max_length=100), "text": body,
             "lead": _member(lead, plan.town_id, "lead"), "due_half": due_half, "due_on": due_on},
            _supporters(supporters, plan.town_id))


@transaction.atomic
def task_create(*, actor: Actor, plan: Plan, area: str, text: str, lead: Deputy | None, due_half: str,
                supporters: Sequence[Any] = (), due_on: dt.date | None = None, ordinal: int | None = None) -> PlanTask:
    """新增工作任务: numbered after the plan's last task unless ``ordinal`` is given."""
    plan = lock(Plan, plan.pk)
    policy.require(actor, "change", plan)
    fields, people = _task_fields(plan, area=area, text=text, lead=lead, supporters=supporters, due_half=due_half,
                                  due_on=due_on)
    if ordinal is None:
        last = plan.tasks.order_by("-ordinal").values_list("ordinal", flat=True).first()
        ordinal = (last or 0) + 1
    elif not 1 <= ordinal <= 999:
        raise InvalidInput(_("序号应在 1 至 999 之间"), fields={"ordinal": _("超出范围")})
    elif plan.tasks.filter(ordinal=ordinal).exists():
        raise InvalidInput(_("本工作要点已有序号为 {n} 的任务").format(n=ordinal), fields={"ordinal": _("重复")})
    task = PlanTask(plan=plan, town_id=plan.town_id, ordinal=ordinal, **fields)
    return create_audited(task, actor=actor, verb="plan_task.create", m2m={"supporters": people})


@transaction.atomic
def task_update(*, actor: Actor, task_id: int, area: str, text: str, lead: Deputy | None, due_half: str,
                supporters: Sequence[Any] = (), due_on: dt.date | None = None) -> tuple[PlanTask, bool]:
    task = lock(PlanTask, task_id)
    policy.require(actor, "change", task)
    fields, people = _task_fields(task.plan, area=area, text=text, lead=lead, supporters=supporters,
                                  due_half=due_half, due_on=due_on)
    first_review = task.reviews.order_by("half").values_list("half", flat=True)
    reviewed = sorted(first_review, key=halves.key)
    if reviewed and halves.key(fields["due_half"]) > halves.key(reviewed[0]):
        raise InvalidInput(_("该任务已有{half}的进展评估，完成时限不能晚于该半年度").format(
                           half=halves.label(reviewed[0])),
                           fields={"due_half": _("晚于已有评估")})
    return update_audited(task, actor=actor, verb="plan_task.update", changes=fields, m2m={"supporters": people})


# --- links to the records that show progress ---------------------------------------------------


_TARGET_TYPES: dict[LinkKind, type[Model]] = {LinkKind.SUGGESTION: Suggestion, LinkKind.ACTIVITY: Activity,
                                              LinkKind.PROJECT: Project, LinkKind.CONTACT_TARGET: LiaisonSettings}


@transaction.atomic
def task_link(*, actor: Actor, task: PlanTask, kind: str, target: Model) -> PlanTaskLink:
    """关联进展记录: a key-supervision suggestion, a duty activity, a livelihood project or the
    town's contact targets — of the task's own town; each record once per task."""
    task = lock(PlanTask, task.pk)
    policy.require(actor, "link", task)
    try:
        k = LinkKind(kind)
    except ValueError:
        raise InvalidInput(_("请选择关联记录的类别"), fields={"kind": _("不正确")}) from None
    if not isinstance(target, _TARGET_TYPES[k]) or target.pk is None:
        raise InvalidInput(_("关联记录与类别不符"), fields={"target": _("不符合")})
    if getattr(target, "town_id", None) != task.town_id:
        raise InvalidInput(_("只能关联本镇街的记录"), fields={"target": _("不属于该镇街")})
    if k == LinkKind.SUGGESTION and not getattr(target, "key_supervision", False):
        raise InvalidInput(_("只能关联列入重点督办的意见建议"), fields={"target": _("不是重点督办")})
    field = LINK_FIELDS[k]
    if task.links.filter(**{field: target}).exists():
        raise InvalidInput(_("已关联该记录"), fields={"target": _("重复")})
    link = PlanTaskLink(task=task, kind=k.value, **{field: target})
    full_clean(link)
    link.save(force_insert=True)
    record(actor=actor, verb="plan_task.link", target=task, comment=str(link))
    return link


@transaction.atomic
def task_unlink(*, actor: Actor, link_id: int) -> None:
    link = lock(PlanTaskLink, link_id)
    task = lock(PlanTask, link.task_id)
    policy.require(actor, "unlink", task)
    text = str(link)
    link.delete()
    record(actor=actor, verb="plan_task.unlink", target=task, comment=text)


# --- half-year reviews (半年进展评估) ---------------------------------------------------------


def reviewable_halves(task: PlanTask, today: dt.date | None = None) -> list[str]:
    """The halves a task may be reviewed for: from its due half to the current one."""
    now = halves.of(today or _today())
    out, h = [], task.due_half
    while halves.key(h) <= halves.key(now):
        out.append(h)
        h = halves.following(h)
    return out


@transaction.atomic
def task_review(*, actor: Actor, task: PlanTask, half: str, status: str, note: str = "",
                on: dt.date | None = None) -> tuple[PlanTaskReview, bool]:
    """半年进展评估: the task's status at a half (done / under way / not started, with a note) —
    only for the half it is due in or a later one that has begun; one per task and half (a second
    review of the same half corrects the first). Returns the review and whether anything changed."""
    task = lock(PlanTask, task.pk)
    policy.require(actor, "review", task)
    half = _half(half, "half")
    if halves.key(half) < halves.key(task.due_half):
        raise InvalidInput(_("该任务的完成时限为{due}，不能评估{half}的进展").format(
            due=halves.label(task.due_half), half=halves.label(half)), fields={"half": _("早于完成时限")})
    on = _not_future(on, "on")
    if halves.bounds(half)[0] > on:
        raise InvalidInput(_("{half}尚未开始，不能评估").format(half=halves.label(half)),
                           fields={"half": _("尚未开始")})
    if status not in ReviewStatus.values:
        raise InvalidInput(_("请选择进展情况"), fields={"status": _("不正确")})
    note = clean_text(note, "note", multiline=True)
    if status != ReviewStatus.DONE and not note:
        raise InvalidInput(_("未完成的任务请填写进展说明"), fields={"note": _("必填")})
    existing = PlanTaskReview.objects.select_for_update().filter(task=task, half=half).first()
    if existing is None:
        review = PlanTaskReview(task=task, town_id=task.town_id, half=half, status=status, note=note,
                                by=actor_user(actor), on=on)
        return create_audited(review, actor=actor, verb="plan_task.review", comment=str(task)), True
    return update_audited(existing, actor=actor, verb="plan_task.review", comment=str(task),
                          changes={"status": status, "note": note, "by": actor_user(actor), "on": on})


# --- division of duties (职责分工) ------------------------------------------------------------


def _division_fields(town: Region, *, areas: str, responsibilities: str, regions: Sequence[Region],
                     groups: Sequence[DeputyGroup]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    for r in regions:
        if r.level not in {Level.VILLAGE, Level.GRID} or r.town_id != town.pk:
            raise InvalidInput(_("「{name}」不是{town}的村社区或网格").format(name=r.name, town=town.name),
                               fields={"regions": _("不属于该镇街")})
    for g in groups:
        if g.town_id != town.pk:
            raise InvalidInput(_("代表小组「{name}」不属于{town}").format(name=g.name, town=town.name),
                               fields={"groups": _("不属于该镇街")})
    return ({"areas": required_text(areas, "areas", _("请填写分管工作"), max_length=200),
             "responsibilities": clean_text(responsibilities, "responsibilities", multiline=True)},
            {"regions": list(dict.fromkeys(regions)), "groups": list(dict.fromkeys(groups))})


@transaction.atomic
def division_create(*, actor: Actor, town: Region, year: int, member: Deputy | None, areas: str,
                    responsibilities: str = "", regions: Sequence[Region] = (),
                    groups: Sequence[DeputyGroup] = ()) -> DutyDivision:
    """登记职责分工: one row per presidium member and year."""
    member = _member(member, town.pk, "member")
    fields, m2m = _division_fields(town, areas=areas, responsibilities=responsibilities, regions=regions,
                                   groups=groups)
    division = DutyDivision(town=town, year=_year(year), member=member, **fields)
    policy.require(actor, "create", division)
    if DutyDivision.objects.filter(town=town, year=year, member=member).exists():
        raise InvalidInput(_("{name}{year}年度已有职责分工").format(name=member.name, year=year),
                           fields={"member": _("已存在")})
    return create_audited(division, actor=actor, verb="duty_division.create", m2m=m2m)


@transaction.atomic
def division_update(*, actor: Actor, division_id: int, areas: str, responsibilities: str = "",
                    regions: Sequence[Region] = (), groups: Sequence[DeputyGroup] = ()) -> tuple[DutyDivision, bool]:
    division = lock(DutyDivision, division_id)
    policy.require(actor, "change", division)
    fields, m2m = _division_fields(division.town, areas=areas, responsibilities=responsibilities, regions=regions,
                                   groups=groups)
    return update_audited(division, actor=actor, verb="duty_division.update", changes=fields, m2m=m2m)


# --- information items (信息报送) ---------------------------------------------------------------


def _info_fields(*, title: str, submitted_on: dt.date, recipient: str, recipient_other: str, adopted: bool,
                 adopted_on: dt.date | None, published_in: str, note: str, author: Any,
                 town_id: int) -> dict[str, Any]:
    submitted_on = _not_future(submitted_on, "submitted_on")
    if recipient not in Recipient.values:
        raise InvalidInput(_("请选择报送对象"), fields={"recipient": _("不正确")})
    other = clean_text(recipient_other, "recipient_other", max_length=100)
    if recipient == Recipient.OTHER and not other:
        raise InvalidInput(_("报送对象为“其他”时请填写报送对象名称"), fields={"recipient_other": _("必填")})
    if recipient != Recipient.OTHER:
        other = ""
    if adopted:
        adopted_on = _not_future(adopted_on, "adopted_on") if adopted_on else None
        if adopted_on is None:
            raise InvalidInput(_("已采用的信息请填写采用日期"), fields={"adopted_on": _("必填")})
        if adopted_on < submitted_on:
            raise InvalidInput(_("采用日期不能早于报送日期"), fields={"adopted_on": _("早于报送日期")})
    else:
        adopted_on = None
    if author is not None and (author.town_id != town_id or author.role not in {Role.STAFF, Role.PRESIDIUM}):
        raise InvalidInput(_("撰稿人应为本镇街人大办或主席团的人员"), fields={"author": _("不符合")})
    return {"title": required_text(title, "title", _("请填写信息标题"), max_length=200), "submitted_on": submitted_on,
            "recipient": recipient, "recipient_other": other, "adopted": adopted, "adopted_on": adopted_on,
            "published_in": clean_text(published_in, "published_in", max_length=200),
            "note": clean_text(note, "note", multiline=True), "author": author}


@transaction.atomic
def info_create(*, actor: Actor, town: Region, title: str, submitted_on: dt.date, recipient: str,
                recipient_other: str = "", adopted: bool = False, adopted_on: dt.date | None = None,
                published_in: str = "", note: str = "", author: Any = None) -> InfoItem:
    """登记信息报送."""
    item = InfoItem(town=town, **_info_fields(
        title=title, submitted_on=submitted_on, recipient=recipient, recipient_other=recipient_other,
        adopted=adopted, adopted_on=adopted_on, published_in=published_in, note=note, author=author,
        town_id=town.pk))
    policy.require(actor, "create", item)
    return create_audited(item, actor=actor, verb="info_item.create")


@transaction.atomic
def info_update(*, actor: Actor, item_id: int, title: str, submitted_on: dt.date, recipient: str,
                recipient_other: str = "", adopted: bool = False, adopted_on: dt.date | None = None,
                published_in: str = "", note: str = "", author: Any = None) -> tuple[InfoItem, bool]:
    item = lock(InfoItem, item_id)
    policy.require(actor, "change", item)
    return update_audited(item, actor=actor, verb="info_item.update", changes=_info_fields(
        title=title, submitted_on=submitted_on, recipient=recipient, recipient_other=recipient_other,
        adopted=adopted, adopted_on=adopted_on, published_in=published_in, note=note, author=author,
        town_id=item.town_id))

