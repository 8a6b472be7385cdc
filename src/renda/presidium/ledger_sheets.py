"""Ledger sheets of the presidium app: 工作要点, 信息报送 and 荣誉 (see docs/ledger.md).

工作要点, keyed by (所属镇街代码, 年度, 序号): one row per task of the town's plan for the year (the
plan is created from the first row's 工作要点标题 if the town has none for that year), with its
reviews of the plan year's two halves; written through ``plan_create``, ``task_create`` /
``task_update`` and ``task_review``. The progress links and reviews of later years stay in the
app.

信息报送, keyed by (所属镇街代码, 报送日期, 信息标题): ``info_create`` / ``info_update``.

荣誉, keyed by (所属镇街代码, 获奖对象, 代表, 荣誉名称, 授予日期): ``duties.services.award_create``; an
existing row's 授予单位 is updated through ``award_update``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_HONOURS,
    ORDER_INFO_ITEMS,
    ORDER_PLAN_TASKS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    changed_values,
    describe_changes,
    register,
)
from renda.core.roles import Role
from renda.duties import services as duty_services
from renda.duties.models import Award, AwardRecipient
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region
from renda.presidium import halves, services
from renda.presidium.models import InfoItem, Plan, PlanTask, PlanTaskReview, Recipient, ReviewStatus

TASKS_SHEET, INFO_SHEET, HONOURS_SHEET = "工作要点", "信息报送", "荣誉"
STATUSES = {str(label): value for value, label in ReviewStatus.choices}
_STATUS_TEXT = {v: k for k, v in STATUSES.items()}
RECIPIENTS = {str(label): value for value, label in Recipient.choices}
_RECIPIENT_TEXT = {v: k for k, v in RECIPIENTS.items()}
AWARDEES = {str(label): value for value, label in AwardRecipient.choices}
_AWARDEE_TEXT = {v: k for k, v in AWARDEES.items()}
#: (status column, note column) of each half of the plan year
HALF_COLUMNS = {1: ("上半年进展", "上半年进展说明"), 2: ("下半年进展", "下半年进展说明")}


def _int(row: Row, header: str, low: int, high: int) -> int:
    raw = row[header]
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise RowError(header, _("应为 {a} 至 {b} 的整数").format(a=low, b=high))
    return int(raw)


def _member(town: Region, name: str, column: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name, is_presidium=True)[:2])
    if len(found) != 1:
        raise RowError(column, _("{town}没有名为「{name}」的主席团成员").format(town=town.name, name=name) if not found
                       else _("{town}有多名主席团成员名为「{name}」，无法区分").format(town=town.name, name=name))
    return found[0]


def _staff(town: Region, name: str, column: str) -> User:
    found = [u for u in User.objects.filter(town=town, role=Role.STAFF, is_active=True) if str(u) == name][:2]
    if len(found) != 1:
        message = _("{town}人大办没有名为「{name}」的工作人员") if not found else _(
            "{town}人大办有多名工作人员名为「{name}」，无法区分")
        raise RowError(column, message.format(town=town.name, name=name))
    return found[0]


# -- 工作要点 -------------------------------------------------------------------------------------


def _resolve_task(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")

    def collect(fn: Any) -> Any:
        try:
            return fn()
        except RowError as exc:
            problems.extend(exc.problems)
            return None

    year = collect(lambda: _int(row, "年度", 2000, 2100))
    ordinal = collect(lambda: _int(row, "序号", 1, 999))
    lead = collect(lambda: _member(town, row["牵头主席团成员"], "牵头主席团成员"))
    supporters = [u for n in row.get("配合工作人员") or []
                  if (u := collect(lambda n=n: _staff(town, n, "配合工作人员")))]
    due = (row["完成时限"] or "").upper()
    if halves.parse(due) is None:
        problems.append(("完成时限", _("半年度格式应为 2023H1 或 2023H2")))
    reviews: dict[int, tuple[str, str] | None] = {}
    for half, (status_col, note_col) in HALF_COLUMNS.items():
        status = row.get(status_col) or ""
        if status:
            reviews[half] = (status, row.get(note_col) or "")
        elif row.get(note_col):
            problems.append((status_col, _("填写了进展说明，请选择进展情况")))
    if problems:
        raise RowError.many(problems)
    return Resolved(key=(town.code, year, ordinal), town_code=town.code, label=f"{year}-{ordinal}", values={
        "town": town, "year": year, "ordinal": ordinal, "plan_title": row.get("工作要点标题") or "",
        "area": row["工作板块"], "text": row["任务内容"], "lead": lead, "supporters": supporters,
        "due_half": due, "due_on": row.get("完成日期"), "reviews": reviews,
        "has": {h: row.has(h) for h in ("配合工作人员", "完成日期")}})


def _plan(ctx: ImportContext, v: dict[str, Any]) -> Plan:
    plan = Plan.objects.filter(town=v["town"], year=v["year"]).first()
    if plan is None:
        if not v["plan_title"]:
            raise RowError("工作要点标题", _("{year}年度还没有工作要点，请填写工作要点标题").format(year=v["year"]))
        plan = services.plan_create(actor=ctx.actor, town=v["town"], year=v["year"], title=v["plan_title"])
    return plan


def _apply_reviews(ctx: ImportContext, task: PlanTask, reviews: dict[int, tuple[str, str] | None]) -> list[str]:
    done = []
    for half, wanted in reviews.items():
        if wanted is None:
            continue
        code = halves.code(task.plan.year, half)
        current = PlanTaskReview.objects.filter(task=task, half=code).first()
        if current is not None and (current.status, current.note) == wanted:
            continue
        on = min(halves.bounds(code)[1], timezone.localdate())
        services.task_review(actor=ctx.actor, task=task, half=code, status=wanted[0], note=wanted[1], on=on)
        done.append(_("{half}进展").format(half=halves.label(code)))
    return done


def _apply_task(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    plan = _plan(ctx, v)
    existing = plan.tasks.filter(ordinal=v["ordinal"]).first()
    if existing is None:
        task = services.task_create(actor=ctx.actor, plan=plan, ordinal=v["ordinal"], area=v["area"], text=v["text"],
                                    lead=v["lead"], supporters=v["supporters"], due_half=v["due_half"],
                                    due_on=v["due_on"])
        _apply_reviews(ctx, task, v["reviews"])
        return Outcome(Action.CREATED, r.label)
    has = v["has"]
    supporters = v["supporters"] if has["配合工作人员"] else list(existing.supporters.all())
    due_on = v["due_on"] if has["完成日期"] else existing.due_on
    wanted: dict[str, Any] = {"area": v["area"], "text": v["text"], "lead": v["lead"], "due_half": v["due_half"],
                              "due_on": due_on, "supporters": [u.pk for u in supporters]}
    changes = changed_values(existing, wanted)
    if changes:
        services.task_update(actor=ctx.actor, task_id=existing.pk, area=v["area"], text=v["text"], lead=v["lead"],
                             supporters=supporters, due_half=v["due_half"], due_on=due_on)
    reviewed = _apply_reviews(ctx, existing, v["reviews"])
    if not changes and not reviewed:
        return Outcome(Action.UNCHANGED, r.label)
    detail = "；".join(x for x in (describe_changes(existing, changes) if changes else "", "、".join(reviewed)) if x)
    return Outcome(Action.UPDATED, r.label, detail)


def _export_tasks(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = PlanTask.objects.select_related("plan", "town", "lead").prefetch_related("supporters", "reviews")
    if town is not None:
        qs = qs.filter(town=town)
    for t in sorted(qs, key=lambda t: (t.town.code, t.plan.year, t.ordinal)):
        reviews = {r.half: r for r in t.reviews.all()}
        row: dict[str, Any] = {
            "所属镇街代码": t.town.code, "年度": str(t.plan.year), "工作要点标题": t.plan.title, "序号": str(t.ordinal),
            "工作板块": t.area, "任务内容": t.text, "牵头主席团成员": t.lead.name,
            "配合工作人员": sorted(str(u) for u in t.supporters.all()), "完成时限": t.due_half, "完成日期": t.due_on}
        for half, (status_col, note_col) in HALF_COLUMNS.items():
            review = reviews.get(halves.code(t.plan.year, half))
            row[status_col] = _STATUS_TEXT[review.status] if review else ""
            row[note_col] = review.note if review else ""
        yield row


PLAN_TASKS = register(SheetSpec(
    name=TASKS_SHEET, order=ORDER_PLAN_TASKS, key=("所属镇街代码", "年度", "序号"),
    columns=(
        cells.region_code("所属镇街代码", required=True),
        cells.text("年度", required=True, max_length=4),
        cells.text("工作要点标题", max_length=200, help="该年度还没有工作要点时必填，据此新建"),
        cells.text("序号", required=True, max_length=3),
        cells.text("工作板块", required=True, max_length=100),
        cells.text("任务内容", required=True, max_length=10000),
        cells.text("牵头主席团成员", required=True, max_length=50, help="本镇街主席团成员的姓名"),
        cells.list_of("配合工作人员", help="本镇街人大办工作人员的姓名，用 ; 分隔"),
        cells.text("完成时限", required=True, max_length=6, help="半年度，如 2023H1、2023H2"),
        cells.date("完成日期", help="有具体日期时填写，应在完成时限的半年度内"),
        cells.choice("上半年进展", STATUSES, help="该年度上半年的进展评估"),
        cells.text("上半年进展说明", max_length=10000),
        cells.choice("下半年进展", STATUSES, help="该年度下半年的进展评估"),
        cells.text("下半年进展说明", max_length=10000),
    ),
    resolve=_resolve_task, apply=_apply_task, export=_export_tasks,
    example={"所属镇街代码": "340302100000", "年度": "2023", "工作要点标题": "XX镇人大主席团2023年工作要点",
             "序号": "1", "工作板块": "代表工作", "任务内容": "开展代表述职活动，并认真组织评议",
             "牵头主席团成员": "王五",
             "配合工作人员": "", "完成时限": "2023H1", "完成日期": "", "上半年进展": "已完成", "上半年进展说明": "",
             "下半年进展": "", "下半年进展说明": ""},
    town_column="所属镇街代码",
    field_columns={"title": "工作要点标题", "year": "年度", "ordinal": "序号", "area": "工作板块", "text": "任务内容",
                   "lead": "牵头主席团成员", "supporters": "配合工作人员", "due_half": "完成时限", "due_on": "完成日期",
                   "half": "完成时限", "note": "上半年进展说明", "status": "上半年进展", "town": "所属镇街代码"},
))


# -- 信息报送 -------------------------------------------------------------------------------------


def _resolve_info(ctx: ImportContext, row: Row) -> Resolved:
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    on: dt.date = row["报送日期"]
    return Resolved(key=(town.code, on, row["信息标题"]), town_code=town.code, label=row["信息标题"], values={
        "town": town, "title": row["信息标题"], "submitted_on": on, "recipient": row["报送对象"],
        "recipient_other": row.get("其他报送对象") or "", "adopted": bool(row.get("是否采用")),
        "adopted_on": row.get("采用日期"), "published_in": row.get("刊发载体") or "", "note": row.get("备注") or ""})


def _apply_info(ctx: ImportContext, r: Resolved) -> Outcome:
    v = dict(r.values)
    town = v.pop("town")
    existing = InfoItem.objects.filter(town=town, submitted_on=v["submitted_on"], title=v["title"]).first()
    if existing is None:
        services.info_create(actor=ctx.actor, town=town, **v)
        return Outcome(Action.CREATED, r.label)
    fields = ("recipient", "recipient_other", "adopted", "adopted_on", "published_in", "note")
    changes = changed_values(existing, {k: v[k] for k in fields})
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    services.info_update(actor=ctx.actor, item_id=existing.pk, author=existing.author, **v)
    return Outcome(Action.UPDATED, r.label, describe_changes(existing, changes))


def _export_info(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = InfoItem.objects.select_related("town")
    if town is not None:
        qs = qs.filter(town=town)
    for i in sorted(qs, key=lambda i: (i.town.code, i.submitted_on, i.title)):
        yield {"信息标题": i.title, "所属镇街代码": i.town.code, "报送日期": i.submitted_on,
               "报送对象": _RECIPIENT_TEXT[i.recipient], "其他报送对象": i.recipient_other,
               "是否采用": "是" if i.adopted else "否", "采用日期": i.adopted_on, "刊发载体": i.published_in,
               "备注": i.note}


INFO_ITEMS = register(SheetSpec(
    name=INFO_SHEET, order=ORDER_INFO_ITEMS, key=("所属镇街代码", "报送日期", "信息标题"),
    columns=(
        cells.text("信息标题", required=True, max_length=200),
        cells.region_code("所属镇街代码", required=True),
        cells.date("报送日期", required=True),
        cells.choice("报送对象", RECIPIENTS, required=True),
        cells.text("其他报送对象", max_length=100, help="报送对象为“其他”时必填"),
        cells.yes_no("是否采用"),
        cells.date("采用日期", help="已采用时必填，不早于报送日期"),
        cells.text("刊发载体", max_length=200),
        cells.text("备注", max_length=10000),
    ),
    resolve=_resolve_info, apply=_apply_info, export=_export_info,
    example={"信息标题": "XX镇人大代表参加司法见证活动", "所属镇街代码": "340302100000", "报送日期": "2023-06-09",
             "报送对象": "区人大常委会", "其他报送对象": "", "是否采用": "是", "采用日期": "2023-06-21",
             "刊发载体": "区人大常委会微信公众号", "备注": ""},
    town_column="所属镇街代码",
    field_columns={"title": "信息标题", "submitted_on": "报送日期", "recipient": "报送对象",
                   "recipient_other": "其他报送对象", "adopted": "是否采用", "adopted_on": "采用日期",
                   "published_in": "刊发载体", "note": "备注", "town": "所属镇街代码"},
))


# -- 荣誉 -----------------------------------------------------------------------------------------


def _resolve_honour(ctx: ImportContext, row: Row) -> Resolved:
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    kind: str = row["获奖对象"]
    name = row.get("代表") or ""
    deputy = None
    if kind == AwardRecipient.DEPUTY:
        if not name:
            raise RowError("代表", _("获奖对象为代表时请填写代表姓名"))
        found = list(Deputy.objects.filter(town=town, name=name)[:2])
        if len(found) != 1:
            raise RowError("代表", _("{town}没有名为「{name}」的代表").format(town=town.name, name=name) if not found
                           else _("{town}有多名代表名为「{name}」，无法区分").format(town=town.name, name=name))
        deputy = found[0]
    elif name:
        raise RowError("代表", _("获奖对象为主席团或人大办时不填代表"))
    on: dt.date = row["授予日期"]
    return Resolved(key=(town.code, kind, name, row["荣誉名称"], on), town_code=town.code, label=row["荣誉名称"],
                    values={"town": town, "recipient": kind, "deputy": deputy, "title": row["荣誉名称"],
                            "body": row["授予单位"], "on": on})


def _apply_honour(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing = Award.objects.filter(town=v["town"], recipient=v["recipient"], deputy=v["deputy"], title=v["title"],
                                    on=v["on"]).first()
    if existing is None:
        duty_services.award_create(actor=ctx.actor, **v)
        return Outcome(Action.CREATED, r.label)
    changes = changed_values(existing, {"body": v["body"]})
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    duty_services.award_update(actor=ctx.actor, award_id=existing.pk, recipient=v["recipient"], deputy=v["deputy"],
                               title=v["title"], body=v["body"], on=v["on"])
    return Outcome(Action.UPDATED, r.label, describe_changes(existing, changes))


def _export_honours(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = Award.objects.select_related("town", "deputy")
    if town is not None:
        qs = qs.filter(town=town)
    for a in sorted(qs, key=lambda a: (a.town.code, a.on, a.recipient, a.deputy.name if a.deputy else "", a.title)):
        yield {"荣誉名称": a.title, "所属镇街代码": a.town.code, "获奖对象": _AWARDEE_TEXT[a.recipient],
               "代表": a.deputy.name if a.deputy else "", "授予单位": a.body, "授予日期": a.on}


HONOURS = register(SheetSpec(
    name=HONOURS_SHEET, order=ORDER_HONOURS, key=("所属镇街代码", "获奖对象", "代表", "荣誉名称", "授予日期"),
    columns=(
        cells.text("荣誉名称", required=True, max_length=200),
        cells.region_code("所属镇街代码", required=True),
        cells.choice("获奖对象", AWARDEES, required=True),
        cells.text("代表", max_length=50, help="获奖对象为代表时填写本镇街代表的姓名，否则不填"),
        cells.text("授予单位", required=True, max_length=100),
        cells.date("授予日期", required=True),
    ),
    resolve=_resolve_honour, apply=_apply_honour, export=_export_honours,
    example={"荣誉名称": "全区人大信息工作先进单位", "所属镇街代码": "340302100000", "获奖对象": "人大办", "代表": "",
             "授予单位": "区人大常委会", "授予日期": "2023-07-12"},
    town_column="所属镇街代码",
    field_columns={"title": "荣誉名称", "recipient": "获奖对象", "deputy": "代表", "body": "授予单位", "on": "授予日期",
                   "town": "所属镇街代码"},
))
