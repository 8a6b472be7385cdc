"""Test helpers shared by every app's tests (they sit above every app, so they may use them all):
factories that go through the real services,
role users, query counting, and the checks of the actions a detail page offers. Import from tests only."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.test import Client, override_settings

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.roles import Role
from renda.people.models import Deputy
from renda.people.services import contact_assignment_create, deputy_create
from renda.places.models import GridWorker, Kind, Level, Region
from renda.places.services import grid_worker_create, region_create
from renda.units.models import Unit
from renda.units.services import unit_create

PASSWORD = "Renda-Test-2026!"
_seq = itertools.count(1)


def n() -> int:
    return next(_seq)


def make_district(code: str = "340399000000", name: str = "测试区") -> Region:
    existing = Region.objects.filter(code=code).first()
    return existing or region_create(actor=None, code=code, name=name, level=Level.DISTRICT, kind=Kind.DISTRICT)


def make_town(*, district: Region | None = None, code: str | None = None, name: str | None = None) -> Region:
    district = district or make_district()
    i = n()
    code = code or f"{district.code[:6]}{(i % 899) + 100:03d}000"
    return region_create(actor=None, code=code, name=name or f"测试{i}镇", level=Level.TOWN, kind=Kind.TOWN,
                         parent=district)


def make_village(town: Region, *, code: str | None = None, name: str | None = None) -> Region:
    i = n()
    code = code or f"{town.code[:9]}{(i % 899) + 100:03d}"
    return region_create(actor=None, code=code, name=name or f"测试{i}村", level=Level.VILLAGE, kind=Kind.VILLAGE,
                         parent=town)


def make_grid(village: Region, *, code: str | None = None, name: str | None = None) -> Region:
    i = n()
    code = code or f"{village.code}{(i % 998) + 1:03d}"
    return region_create(actor=None, code=code, name=name or f"第{i}网格", level=Level.GRID, kind=Kind.GRID,
                         parent=village)


def make_unit(town: Region, *, name: str | None = None, kind: str = "town_department") -> Unit:
    return unit_create(actor=None, town=town, name=name or f"测试单位{n()}", kind=kind, contact_person="王五",
                       contact_phone="0552-1234567")


def phone() -> str:
    return f"139{n():08d}"


def make_deputy(town: Region, *, name: str | None = None, is_presidium: bool = False, level: str = "town",
                grids: list[Region] | None = None, village: Region | None = None) -> Deputy:
    return deputy_create(actor=None, name=name or f"代表{n()}", phone=phone(), level=level, town=town,
                         term="第十八届", is_presidium=is_presidium, grids=grids or [], village=village)


def make_grid_worker(town: Region, grids: list[Region], *, name: str | None = None) -> GridWorker:
    return grid_worker_create(actor=None, name=name or f"网格员{n()}", phone=phone(), kind="full_time", town=town,
                              grids=grids)


def make_user(role: str, town: Region | None = None, **links: Any) -> User:
    """A user of ``role``; creates the deputy, unit or grid worker it needs in ``town``."""
    if role in {Role.DEPUTY, Role.PRESIDIUM} and "deputy" not in links:
        assert town is not None
        links["deputy"] = make_deputy(town, is_presidium=role == Role.PRESIDIUM)
    if role == Role.UNIT and "unit" not in links:
        assert town is not None
        links["unit"] = make_unit(town)
    if role == Role.GRID_WORKER and "grid_worker" not in links:
        assert town is not None
        grid = make_grid(make_village(town))
        links["grid_worker"] = make_grid_worker(town, [grid])
    return user_create(actor=None, username=f"{role}{n()}", password=PASSWORD, role=role,
                       display_name=f"{Role(role).label}{n()}", town=town, validate=False, **links)


class World:
    """Two towns with a village, a grid, a unit, deputies and one user per role in each,
    plus district-wide users — the fixture the policy matrices use."""

    def __init__(self) -> None:
        self.district = make_district()
        self.town = make_town(district=self.district)
        self.other_town = make_town(district=self.district)
        self.village = make_village(self.town)
        self.grid = make_grid(self.village)
        self.other_village = make_village(self.other_town)
        self.other_grid = make_grid(self.other_village)
        self.unit = make_unit(self.town)
        self.other_unit = make_unit(self.other_town)
        self.deputy = make_deputy(self.town, grids=[self.grid])
        self.presidium_deputy = make_deputy(self.town, is_presidium=True)
        self.other_deputy = make_deputy(self.other_town)
        self.grid_worker = make_grid_worker(self.town, [self.grid])
        self.other_grid_worker = make_grid_worker(self.other_town, [self.other_grid])
        self.users: dict[str, User] = {
            Role.PRESIDIUM: make_user(Role.PRESIDIUM, self.town, deputy=self.presidium_deputy),
            Role.STAFF: make_user(Role.STAFF, self.town),
            Role.DEPUTY: make_user(Role.DEPUTY, self.town, deputy=self.deputy),
            Role.UNIT: make_user(Role.UNIT, self.town, unit=self.unit),
            Role.GRID_WORKER: make_user(Role.GRID_WORKER, self.town, grid_worker=self.grid_worker),
            Role.DISTRICT_VIEWER: make_user(Role.DISTRICT_VIEWER),
            Role.ADMIN: make_user(Role.ADMIN),
        }
        self.other_staff = make_user(Role.STAFF, self.other_town)
        self.plain_deputy = make_deputy(self.town, village=self.village)
        self.other_presidium_deputy = make_deputy(self.other_town, is_presidium=True)
        self.contact = contact_assignment_create(actor=None, presidium_member=self.presidium_deputy,
                                                 deputy=self.plain_deputy)
        self.other_contact = contact_assignment_create(actor=None, presidium_member=self.other_presidium_deputy,
                                                       deputy=self.other_deputy)
        self.extra_user = make_user(Role.DEPUTY, self.town, deputy=self.plain_deputy)


# --- the actions a detail page offers (#13 item 6) ------------------------------------------------

A = TypeVar("A")

#: The id of an action's form or button on a detail page: ``action-<action>``, or
#: ``action-<action>-<row pk>`` on a page with a row of actions per record (a shift's people).
ACTION_ID = re.compile(r'id="action-([a-z_]+)(?:-(\d+))?"')


def offered_on_page(html: str, parse: Callable[[str], A], *, row: int | None = None) -> set[A]:
    """The actions a page offers, from the ids of their forms and buttons (those of one ``row``)."""
    return {parse(a) for a, pk in ACTION_ID.findall(html) if (int(pk) if pk else None) == row}


def from_the_table(table: Iterable[tuple[Any, A]], state: Any, *, may: Callable[[A], bool] = lambda a: True,
                   refusal: Callable[[A], str | None] = lambda a: None) -> set[A]:
    """What a page should offer, computed from the workflow table itself: the actions of ``state``
    in ``table`` (its ``(state, action)`` keys) that the user ``may`` take and no guard rules out
    (``refusal`` None)."""
    return {a for s, a in table if s == state and may(a) and refusal(a) is None}


def row_of(obj: Model) -> dict[str, Any]:
    """Every column of ``obj``'s row as stored now (a deleted row fails here)."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()  # type: ignore[no-any-return]


def assert_refused(client: Client, url: str, data: Mapping[str, Any], obj: Model, *, may: bool, status: Collection[int],
                   reason: str | None, why: object = None) -> None:
    """Post an action the page does not offer: ``obj``'s row does not change; a user who may never
    take the action gets 403/404, the others ``status`` (of the first answer, before following a
    redirect to the page) and ``reason`` in words on the page they end on."""
    before = row_of(obj)
    r = client.post(url, data, follow=True)
    first = r.redirect_chain[0][1] if r.redirect_chain else r.status_code
    assert row_of(obj) == before, ("changed", why)
    if not may:
        assert first in {403, 404}, (first, why)
        return
    assert first in status, (first, why)
    if reason is not None:
        assert reason in r.content.decode(), (reason, why)


# --- the demo, built once for a module's tests (the test_demo modules) ------------------------------

#: Passwords hashed fast while a fixture builds users (the demo makes hundreds).
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo_steps(names: Collection[str]) -> Any:
    """The steps of ``renda demo`` named ``names`` (the organisation's and an app's), in their
    order, as the command runs them; returns the ``Demo`` they filled."""
    from renda.audit import context
    from renda.core.demo import Demo, steps

    demo = Demo()
    with context.bind(source="command"):
        for s in steps():
            if s.name in names:
                s.fn(demo)
    return demo


def built_once(django_db_blocker: Any, build: Callable[[], Any]) -> Iterator[None]:
    """For a module- or class-scoped fixture: ``build()`` once, in a transaction rolled back when
    the scope's tests are done (``yield from built_once(django_db_blocker, run_demo)``)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        try:
            build()
            yield
        finally:
            transaction.set_rollback(True)


def at_once(work: Callable[[int], None], threads: int, *, timeout: float = 300) -> list[BaseException]:
    """``work(i)`` in ``threads`` threads started together (a barrier), each with its own database
    connection (closed when it is done); what they raised, for the test to assert on."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(i)
        except BaseException as exc:  # everything, even a failed assert, is the test's to report
            errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join(timeout=timeout)
    return errors
