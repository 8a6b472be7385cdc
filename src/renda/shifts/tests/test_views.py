"""The roster pages: policy matrix (every page × every role, own and another town's shift),
constant query counts, generating a month (preview, confirm), swaps, attendance, exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from tests.support import World, make_deputy

from renda.core.roles import Role
from renda.shifts import services
from renda.shifts.models import DutyAssignment, DutyShift
from renda.shifts.tests.helpers import shift

ALL_ROLES = list(Role)
READERS = {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN}
ALL_TOWNS = {Role.DISTRICT_VIEWER, Role.ADMIN}
TODAY = timezone.localdate()


class Shifts:
    def __init__(self, world: World) -> None:
        self.own = shift(world, on=TODAY, deputies=[world.presidium_deputy, world.deputy])
        self.assignment = self.own.assignments.order_by("id").first()
        self.other = shift(world, town=world.other_town, on=TODAY, deputies=[world.other_deputy])
        self.other_assignment = self.other.assignments.get()


@pytest.fixture(scope="module")
def shared_shifts(shared_world: World, django_db_blocker: object) -> Shifts:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return Shifts(shared_world)


PAGES = ["roster", "roster_month", "summary", "summary_export", "export", "generate", "create", "day",
         "detail_own", "detail_other", "edit_own", "edit_other", "swap_own", "swap_other", "exchange_own",
         "exchange_other"]


def expected(page: str, role: Role) -> int:
    reader = role in READERS
    if page in {"roster", "roster_month", "summary", "summary_export", "export"}:
        return 200 if reader else 403
    if page in {"generate", "create", "day"}:
        return 200 if role == Role.STAFF else 403
    if page == "detail_own":
        return 200 if reader else 404
    if page == "detail_other":
        return 200 if role in ALL_TOWNS else 404
    if page.endswith("_own"):
        return 200 if role == Role.STAFF else (403 if reader else 404)
    if page.endswith("_other"):
        return 403 if role in ALL_TOWNS else 404
    raise AssertionError(page)


def url(s: Shifts, page: str) -> str:
    return {
        "roster": "/shifts/", "roster_month": "/shifts/?month=2023-01", "summary": "/shifts/summary/?month=2023-01",
        "summary_export": "/shifts/summary/?export=xlsx", "export": "/shifts/export/?month=2023-01",
        "generate": "/shifts/generate/", "create": "/shifts/new/", "day": f"/shifts/day/?date={TODAY.isoformat()}",
        "detail_own": f"/shifts/{s.own.pk}/", "detail_other": f"/shifts/{s.other.pk}/",
        "edit_own": f"/shifts/{s.own.pk}/edit/", "edit_other": f"/shifts/{s.other.pk}/edit/",
        "swap_own": f"/shifts/assignments/{s.assignment.pk}/swap/",
        "swap_other": f"/shifts/assignments/{s.other_assignment.pk}/swap/",
        "exchange_own": f"/shifts/assignments/{s.assignment.pk}/exchange/",
        "exchange_other": f"/shifts/assignments/{s.other_assignment.pk}/exchange/",
    }[page]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_matrix(shared_world: World, shared_shifts: Shifts, client: Client, page: str, role: Role) -> None:
    client.force_login(shared_world.users[role])
    response = client.get(url(shared_shifts, page))
    assert response.status_code == expected(page, role), (page, role, response.status_code)


POSTS = ["add", "remove", "attendance", "delete"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("post", POSTS)
def test_writes_on_another_towns_shift_are_404_and_read_only_roles_403(
        shared_world: World, shared_shifts: Shifts, client: Client, role: Role, post: str) -> None:
    s = shared_shifts
    client.force_login(shared_world.users[role])
    for target, own in ((s.other, False), (s.own, True)):
        a = s.other_assignment if not own else s.assignment
        path = {"add": f"/shifts/{target.pk}/add/", "remove": f"/shifts/assignments/{a.pk}/remove/",
                "attendance": f"/shifts/assignments/{a.pk}/attendance/", "delete": f"/shifts/{target.pk}/delete/"}[post]
        if own and role == Role.STAFF:
            continue  # staff's own writes are tested below
        state = client.post(path, {"state": "attended", "deputy": shared_world.plain_deputy.pk}).status_code
        want = (403 if role in READERS else 404) if own else (403 if role in ALL_TOWNS else 404)
        assert state == want, (post, role, own, state)
    assert DutyShift.objects.filter(pk=s.other.pk).exists()
    assert DutyAssignment.objects.get(pk=s.other_assignment.pk).state == "scheduled"


@pytest.mark.django_db
def test_roster_query_count_is_constant(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    shift(world, on=dt.date(2023, 3, 1))

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    pages = ["/shifts/?month=2023-03", "/shifts/summary/?month=2023-03", "/api/duty-shifts?month=2023-03"]
    few = [count(p) for p in pages]
    extra = [make_deputy(world.town, is_presidium=True) for _ in range(3)]
    for day in range(2, 20):
        s = shift(world, on=dt.date(2023, 3, day), deputies=[world.presidium_deputy, *extra[: day % 3 + 1]])
        a = s.assignments.order_by("id").first()
        assert a is not None
        services.assignment_record(actor=None, assignment_id=a.pk, state="attended")
        if day % 4 == 0:
            services.assignment_swap(actor=None, assignment_id=s.assignments.order_by("id").last().pk,  # type: ignore[union-attr]
                                     replacement=world.deputy)
    assert [count(p) for p in pages] == few


@pytest.mark.django_db
def test_roster_shows_people_totals_and_highlights_own_shifts(world: World, client: Client) -> None:
    s = shift(world, on=dt.date(2023, 3, 1), deputies=[world.presidium_deputy, world.deputy])
    a = s.assignments.get(deputy=world.presidium_deputy)
    services.assignment_record(actor=None, assignment_id=a.pk, state="attended")
    client.force_login(world.users[Role.DEPUTY])
    body = client.get("/shifts/?month=2023-03").content.decode()
    assert world.presidium_deputy.name in body and 'id="month-total">1<' in body
    assert "mine" in body and "生成本月排班" not in body
    client.force_login(world.users[Role.STAFF])
    body = client.get("/shifts/?month=2023-03").content.decode()
    assert "生成本月排班" in body and "mine" not in body
    client.force_login(world.users[Role.DISTRICT_VIEWER])
    assert world.presidium_deputy.name in client.get(f"/shifts/?month=2023-03&town={world.town.pk}").content.decode()
    assert client.get(f"/shifts/?town={world.other_town.pk}").status_code == 200
    client.force_login(world.users[Role.STAFF])
    assert client.get(f"/shifts/?town={world.other_town.pk}").status_code == 404


@pytest.mark.django_db
def test_generate_preview_then_confirm(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    data = {"month": "2023-01", "per_day": 1, "period": "full_day", "location": "信访接待室", "preview": "1"}
    body = client.post("/shifts/generate/", data).content.decode()
    assert 'id="plan"' in body and "确认生成 18 个班次" in body
    assert not DutyShift.objects.filter(town=world.town).exists()
    response = client.post("/shifts/generate/", {**data, "confirm": "1"})
    assert response.status_code == 302
    assert DutyShift.objects.filter(town=world.town).count() == 18
    data["per_day"] = 5
    body = client.post("/shifts/generate/", data).content.decode()
    assert "不能多于主席团成员人数" in body


@pytest.mark.django_db
def test_swap_exchange_attendance_and_day_pages(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    x = shift(world, on=dt.date(2023, 3, 1))
    y = shift(world, on=dt.date(2023, 3, 2), deputies=[world.deputy])
    a = x.assignments.get()
    assert client.post(f"/shifts/assignments/{a.pk}/swap/", {"replacement": world.plain_deputy.pk,
                                                             "note": "外出"}).status_code == 302
    new = DutyAssignment.objects.get(shift=x, deputy=world.plain_deputy)
    assert new.replaces_id == a.pk
    b = y.assignments.get()
    # Exchange with a past shift is offered from the earlier of the two days.
    assert client.post(f"/shifts/assignments/{new.pk}/exchange/", {"other": b.pk}).status_code == 302
    assert DutyAssignment.objects.get(shift=y, deputy=world.plain_deputy).replaces_id == b.pk
    c = DutyAssignment.objects.get(shift=x, deputy=world.deputy)
    assert client.post(f"/shifts/assignments/{c.pk}/attendance/", {"state": "attended"}).status_code == 302
    c.refresh_from_db()
    assert c.state == "attended"
    body = client.get("/shifts/day/?date=2023-03-01").content.decode()
    assert f'name="a{c.pk}"' in body and f'name="a{a.pk}"' not in body  # swapped rows are not listed
    assert client.post("/shifts/day/?date=2023-03-01", {f"a{c.pk}": "absent"}).status_code == 302
    c.refresh_from_db()
    assert c.state == "absent"
    body = client.get(f"/shifts/{x.pk}/").content.decode()
    assert "调班" in body and world.plain_deputy.name in body and 'id="timeline"' in body
    # A domain error is a message, not a crash.
    response = client.post(f"/shifts/assignments/{a.pk}/remove/", follow=True)
    assert "「已调换」的值班安排不能「移除」" in response.content.decode()


@pytest.mark.django_db
def test_create_and_edit_pages(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    response = client.post("/shifts/new/", {"date": "2023-03-06", "period": "morning", "location": "接待室",
                                            "deputies": [world.presidium_deputy.pk, world.plain_deputy.pk]})
    assert response.status_code == 302
    s = DutyShift.objects.get(town=world.town)
    assert s.period == "morning" and s.assignments.count() == 2
    body = client.post("/shifts/new/", {"date": "2023-03-06", "period": "morning", "location": "接待室"}).content
    assert "已有值班安排" in body.decode()
    assert client.post(f"/shifts/{s.pk}/edit/", {"location": "便民服务中心", "note": "x"}).status_code == 302
    s.refresh_from_db()
    assert s.location == "便民服务中心"
    assert client.post(f"/shifts/{s.pk}/add/", {"deputy": world.deputy.pk}).status_code == 302
    assert s.assignments.count() == 3
    assert client.post(f"/shifts/{s.pk}/delete/").status_code == 302
    assert not DutyShift.objects.filter(town=world.town).exists()


@pytest.mark.django_db
def test_exports_are_scoped_and_filtered(world: World, client: Client) -> None:
    shift(world, on=dt.date(2023, 3, 1))
    shift(world, on=dt.date(2023, 4, 3))
    shift(world, town=world.other_town, on=dt.date(2023, 3, 1), deputies=[world.other_deputy])

    def rows(c: Client, path: str) -> list[tuple[object, ...]]:
        response = c.get(path)
        assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)  # type: ignore[attr-defined]
        return list(wb.worksheets[0].iter_rows(values_only=True))

    client.force_login(world.users[Role.STAFF])
    assert len(rows(client, "/shifts/export/?month=2023-03")) == 2
    assert len(rows(client, "/shifts/export/?start=2023-01-01&end=2023-06-30")) == 3
    client.force_login(world.users[Role.DISTRICT_VIEWER])
    assert len(rows(client, "/shifts/export/?month=2023-03")) == 3
    assert len(rows(client, f"/shifts/export/?month=2023-03&town={world.town.pk}")) == 2
    summary = rows(client, "/shifts/summary/?start=2023-01-01&end=2023-06-30&export=xlsx")
    assert len(summary) == 3  # header, two people
