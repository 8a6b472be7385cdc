"""API for duty shifts (信访值班) — thin over the same selectors, policy and services as the pages.

Reads come from ``selectors.shifts_visible_to`` (another town's shift is a 404); every write is
one endpoint calling one service. Errors are ``{"code", "message", "fields"}``.
"""


import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from renda.core.api import (
    ERRORS,
    ErrorOut,
    InSchema,
    Pagination,
    RefOut,
    RegionRefOut,
    actor,
    require_list,
    visible,
    visible_ref,
    visible_refs,
)
from renda.core.errors import InvalidInput
from renda.people.models import Deputy
from renda.places.models import Region
from renda.shifts import policy, rotation, selectors, services
from renda.shifts.models import DutyAssignment, DutyShift, Period

shifts_router: Router = Router(tags=["信访值班"])

#: Besides the usual errors, 409 for a move the assignment's state does not allow.
VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}
_STATE_HELP = "scheduled 已排班、attended 已到岗、absent 缺勤、swapped 已调换"
_PERIOD_HELP = "full_day 全天、morning 上午、afternoon 下午"


# -- output --------------------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int = Field(description="ID")
    deputy: RefOut = Field(description="值班人员（代表）")
    is_presidium: bool = Field(description="是否主席团成员")
    state: str = Field(description=f"状态：{_STATE_HELP}；只有 attended 计入值班人次")
    state_label: str = Field(description="状态（中文）")
    replaces_id: int | None = Field(description="所替换的值班安排 ID（调班时）")
    replaces_name: str | None = Field(description="所替换的人员姓名（调班时）")
    note: str = Field(description="备注")

    @staticmethod
    def resolve_is_presidium(obj: DutyAssignment) -> bool:
        return obj.deputy.is_presidium

    @staticmethod
    def resolve_state_label(obj: DutyAssignment) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_replaces_name(obj: DutyAssignment) -> str | None:
        return obj.replaces.deputy.name if obj.replaces_id and obj.replaces else None


class ShiftOut(Schema):
    id: int = Field(description="ID")
    town: RegionRefOut = Field(description="所属镇街")
    date: dt.date = Field(description="值班日期")
    period: str = Field(description=f"时段：{_PERIOD_HELP}")
    period_label: str = Field(description="时段（中文）")
    location: str = Field(description="地点")
    note: str = Field(description="备注")
    attended: int = Field(description="本班次到岗人次")
    assignments: list[AssignmentOut] = Field(description="值班人员（含已调换、缺勤者）")

    @staticmethod
    def resolve_period_label(obj: DutyShift) -> str:
        return str(obj.get_period_display())

    @staticmethod
    def resolve_assignments(obj: DutyShift) -> list[DutyAssignment]:
        return list(obj.assignments.all())

    @staticmethod
    def resolve_attended(obj: DutyShift) -> int:
        return sum(1 for a in obj.assignments.all() if a.state == "attended")


class PersonTimesOut(Schema):
    deputy: RefOut = Field(description="值班人员")
    is_presidium: bool = Field(description="是否主席团成员")
    town: str = Field(description="所属镇街")
    attended: int = Field(description="到岗人次")
    absent: int = Field(description="缺勤次数")
    swapped: int = Field(description="调出次数")
    scheduled: int = Field(description="待值班次数")


# -- input ------------------------------------------------------------------------------------------


class ShiftFilters(Schema):
    town_id: int | None = Field(None, description="所属镇街 ID（区级用户使用）")
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM")
    date_from: dt.date | None = Field(None, description="值班日期起（含）")
    date_to: dt.date | None = Field(None, description="值班日期止（含）")
    deputy_id: int | None = Field(None, description="只列出有该人员的班次")


class RangeFilters(Schema):
    town_id: int | None = Field(None, description="所属镇街 ID（区级用户使用）")
    date_from: dt.date | None = Field(None, description="值班日期起（含）")
    date_to: dt.date | None = Field(None, description="值班日期止（含）")


class ShiftIn(InSchema):
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    date: dt.date = Field(description="值班日期")
    period: Period = Field(Period.FULL_DAY, description=f"时段：{_PERIOD_HELP}")
    location: str = Field("", max_length=100, description="地点（默认 信访接待室）")
    note: str = Field("", max_length=2000, description="备注")
    deputy_ids: list[int] = Field(default_factory=list, description="值班人员（本镇街代表）ID 列表")


class AssignmentIn(InSchema):
    deputy_id: int = Field(description="值班人员（本镇街代表）ID")
    note: str = Field("", max_length=200, description="备注")


class SwapIn(InSchema):
    replacement_id: int | None = Field(description="替班人员（本镇街代表）ID；null 表示仅标记调出")
    note: str = Field("", max_length=200, description="调班原因")
    on: dt.date | None = Field(None, description="调班日期（默认今天）")


class ExchangeIn(InSchema):
    other_assignment_id: int = Field(description="与之互换的另一人的值班安排 ID（本镇街另一班次）")
    note: str = Field("", max_length=200, description="调班原因")


class AttendanceIn(InSchema):
    state: Literal["attended", "absent", "scheduled"] = Field(
        description="attended 到岗、absent 缺勤、scheduled 撤销登记（值班日期未到不能登记到岗或缺勤）")
    note: str | None = Field(None, max_length=200, description="备注（不填则不变）")

    @field_validator("note")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None


# -- helpers ------------------------------------------------------------------------------------------


def _shifts(request: HttpRequest) -> QuerySet[DutyShift]:
    return selectors.with_people(selectors.shifts_visible_to(actor(request)))


def _shift(request: HttpRequest, shift_id: int) -> DutyShift:
    return visible(request, _shifts(request), shift_id)


def _assignment(request: HttpRequest, assignment_id: int, action: str) -> DutyAssignment:
    a = visible(request, selectors.assignments_visible_to(actor(request)), assignment_id)
    policy.require(actor(request), action, a)
    return a


def _deputies(shift_or_town_id: int) -> QuerySet[Deputy]:
    return Deputy.objects.filter(town_id=shift_or_town_id)


def _town(request: HttpRequest, town_id: int | None) -> Region:
    user = actor(request)
    town = visible_ref(selectors.towns_visible_to(user), town_id if town_id is not None else user.town_id, "town_id")
    if town is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    return town


# -- reads --------------------------------------------------------------------------------------------


@shifts_router.get("", response={200: list[ShiftOut], **ERRORS}, summary="值班班次列表")
@paginate(Pagination)
def list_shifts(request: HttpRequest, filters: Query[ShiftFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = _shifts(request)
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    if filters.month:
        year, month = rotation.parse_month(filters.month, timezone.localdate())
        qs = qs.filter(date__range=rotation.month_bounds(year, month))
    qs = selectors.in_range(qs, filters.date_from, filters.date_to)
    if filters.deputy_id is not None:
        # A subquery, not a join and DISTINCT: PostgreSQL refuses a DISTINCT ordered by an
        # expression with parameters (the period's rank) that are bound on the server.
        qs = qs.filter(pk__in=DutyAssignment.objects.filter(deputy_id=filters.deputy_id).values("shift_id"))
    return qs.annotate(period_rank=selectors.period_rank()).order_by("town__code", "date", "period_rank", "id")


@shifts_router.get("/person-times", response={200: list[PersonTimesOut], **ERRORS}, summary="值班人次统计")
def person_times(request: HttpRequest, filters: Query[RangeFilters]) -> list[dict[str, Any]]:
    user = actor(request)
    policy.require(user, "summary")
    town = _town(request, filters.town_id) if filters.town_id is not None or user.town_id else None
    rows = selectors.person_times(user, town=town, start=filters.date_from, end=filters.date_to)
    return [{"deputy": {"id": r["deputy_id"], "name": r["deputy__name"]}, "is_presidium": r["deputy__is_presidium"],
             "town": r["shift__town__name"], "attended": r["attended"], "absent": r["absent"],
             "swapped": r["swapped"], "scheduled": r["scheduled"]} for r in rows]


@shifts_router.get("/{int:shift_id}", response={200: ShiftOut, **ERRORS}, summary="值班班次详情")
def get_shift(request: HttpRequest, shift_id: int) -> DutyShift:
    return _shift(request, shift_id)


# -- writes -------------------------------------------------------------------------------------------


@shifts_router.post("", response={201: ShiftOut, **VERB_ERRORS}, summary="新增值班班次")
def create_shift(request: HttpRequest, payload: ShiftIn) -> Status[DutyShift]:
    user = actor(request)
    policy.require(user, "create")
    town = _town(request, payload.town_id)
    deputies = visible_refs(_deputies(town.pk), payload.deputy_ids, "deputy_ids")
    shift = services.shift_create(actor=user, town=town, date=payload.date, period=payload.period,
                                  location=payload.location, note=payload.note, deputies=deputies)
    return Status(201, _shift(request, shift.pk))


@shifts_router.post("/{int:shift_id}/assignments", response={201: ShiftOut, **VERB_ERRORS}, summary="增加值班人员")
def add_assignment(request: HttpRequest, shift_id: int, payload: AssignmentIn) -> Status[DutyShift]:
    user = actor(request)
    shift = _shift(request, shift_id)
    policy.require(user, "change", shift)
    deputy = visible_ref(_deputies(shift.town_id), payload.deputy_id, "deputy_id")
    assert deputy is not None
    services.assignment_add(actor=user, shift_id=shift.pk, deputy=deputy, note=payload.note)
    return Status(201, _shift(request, shift.pk))


@shifts_router.delete("/assignments/{int:assignment_id}", response={204: None, **VERB_ERRORS},
                      summary="移除值班人员（仅已排班、未被替换的）")
def remove_assignment(request: HttpRequest, assignment_id: int) -> Status[None]:
    a = _assignment(request, assignment_id, "change")
    services.assignment_remove(actor=actor(request), assignment_id=a.pk)
    return Status(204, None)


@shifts_router.post("/assignments/{int:assignment_id}/swap", response={200: ShiftOut, **VERB_ERRORS},
                    summary="调班：由他人替换本班次")
def swap_assignment(request: HttpRequest, assignment_id: int, payload: SwapIn) -> DutyShift:
    a = _assignment(request, assignment_id, "change")
    replacement = visible_ref(_deputies(a.shift.town_id), payload.replacement_id, "replacement_id")
    services.assignment_swap(actor=actor(request), assignment_id=a.pk, replacement=replacement, note=payload.note,
                             on=payload.on)
    return _shift(request, a.shift_id)


@shifts_router.post("/assignments/{int:assignment_id}/exchange", response={200: list[ShiftOut], **VERB_ERRORS},
                    summary="互换班次：两人交换各自的班次")
def exchange_assignment(request: HttpRequest, assignment_id: int, payload: ExchangeIn) -> list[DutyShift]:
    a = _assignment(request, assignment_id, "change")
    b = visible(request, selectors.assignments_visible_to(actor(request)), payload.other_assignment_id)
    services.assignment_exchange(actor=actor(request), assignment_id=a.pk, other_id=b.pk, note=payload.note)
    return [_shift(request, a.shift_id), _shift(request, b.shift_id)]


@shifts_router.post("/assignments/{int:assignment_id}/attendance", response={200: ShiftOut, **VERB_ERRORS},
                    summary="登记考勤（到岗/缺勤/撤销）")
def record_attendance(request: HttpRequest, assignment_id: int, payload: AttendanceIn) -> DutyShift:
    a = _assignment(request, assignment_id, "change")
    services.assignment_record(actor=actor(request), assignment_id=a.pk, state=payload.state, note=payload.note)
    return _shift(request, a.shift_id)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/duty-shifts", shifts_router)]
