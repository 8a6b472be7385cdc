"""``renda demo``: the report's numbers, one login per role, idempotent, ``--if-empty``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from tests.support import FAST_HASHER, built_once, make_district

from renda.accounts import demo as org_demo
from renda.accounts.models import User
from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain
from renda.core import demo
from renda.core.roles import Role
from renda.people.models import ContactAssignment, Deputy
from renda.places.models import GridWorker, Kind, Level, Region
from renda.units.models import Unit, UnitKind
from renda.units.selectors import units_visible_to

MODELS = (Region, GridWorker, Unit, Deputy, ContactAssignment, User, AuditEvent)


# Argon2 at production cost takes ~0.4 s per user; the demo's logic is the same with MD5.


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, built once for a class of read-only tests and rolled back after them."""
    yield from built_once(django_db_blocker, run_demo)


def test_the_plan_is_deterministic_and_names_and_phones_are_unique():
    a, b = org_demo.build_plan(), org_demo.build_plan()
    assert a == b
    workers, deputies = a.places.workers, a.people.deputies
    people = [w.name for w in workers] + [d.name for d in deputies] + [u.contact_person for u in a.units]
    phones = [w.phone for w in workers] + [d.phone for d in deputies] + [u.contact_phone for u in a.units]
    assert len(set(people)) == len(people)
    assert len(set(phones)) == len(phones)
    assert all(p.startswith("1390552") and len(p) == 11 for p in [w.phone for w in a.places.workers])


def test_the_steps_draw_the_plan_in_the_same_order_as_build_plan():
    """Each app's steps draw their names from one stream in step order (places, units, people,
    accounts): the organisation the steps build is exactly ``build_plan()``."""
    from renda.people.demo import people_plan
    from renda.places.demo import places_plan
    from renda.units.demo import units_plan

    plan = org_demo.build_plan()
    assert org_demo.users_plan() == (plan.staff_name, plan.district_viewer_name)
    assert places_plan() == plan.places
    assert units_plan() == plan.units
    assert people_plan() == plan.people


@pytest.mark.usefixtures("built", "db")
class TestBuilt:
    """Read-only checks of one demo build."""

    @pytest.mark.parametrize("spec", org_demo.LOGINS, ids=lambda s: s.username)
    def test_each_demo_login_lands_on_its_own_home(self, spec: org_demo.UserSpec, client) -> None:
        from renda.accounts.views import HOME_URLS

        response = client.post("/login/", {"username": spec.username, "password": demo.PASSWORD}, follow=True)
        assert response.status_code == 200
        home = response.redirect_chain[-1][0]
        assert home == reverse(HOME_URLS[Role(spec.role)]), (spec.username, response.redirect_chain)
        assert "<h1" in response.content.decode()

    def test_town_of_the_report(self):
        town = Region.objects.get(code=demo.TOWN_CODE)
        assert (town.name, town.level, town.kind) == ("XX镇", Level.TOWN, Kind.TOWN)
        assert town.parent == Region.objects.get(code=demo.DISTRICT_CODE, name="XX区", level=Level.DISTRICT)

        villages = Region.objects.filter(town=town, level=Level.VILLAGE)
        assert villages.count() == 17
        assert sorted(villages.values_list("code", flat=True)) == [f"340399100{i:03d}" for i in range(1, 18)]
        assert {v.kind for v in villages} == {Kind.VILLAGE, Kind.COMMUNITY}

        grids = Region.objects.filter(town=town, level=Level.GRID)
        assert grids.count() == 170
        assert all(len(g.code) == 15 and g.code[:12] == g.parent.code for g in grids.select_related("parent"))

        workers = GridWorker.objects.filter(town=town)
        assert workers.count() == 170
        assert set(workers.annotate(n=Count("grids")).values_list("n", flat=True)) == {1}
        assert set(grids.annotate(n=Count("grid_workers")).values_list("n", flat=True)) == {1}
        kinds = Counter(workers.values_list("kind", flat=True))
        assert kinds["full_time"] > 0 and kinds["part_time"] > 0

    def test_units_named_in_the_report(self):
        town = Region.objects.get(code=demo.TOWN_CODE)
        units = {u.name: u for u in Unit.objects.filter(town=town)}
        for name in ("镇经济发展中心", "村镇规划建设办公室", "市场所", "区人民检察院", "区司法局"):
            assert name in units
        assert units["区交通运输局"].kind == UnitKind.DISTRICT_UNIT
        assert units["镇综治中心"].kind == UnitKind.TOWN_DEPARTMENT
        assert all(u.contact_person and u.contact_phone for u in units.values())

    def test_deputies_presidium_and_contacts(self):
        town = Region.objects.get(code=demo.TOWN_CODE)
        deputies = Deputy.objects.filter(town=town)
        assert Counter(deputies.values_list("level", flat=True)) == {"district": 8, "town": 40}
        presidium = deputies.filter(is_presidium=True)
        assert presidium.count() == 5
        assert all(d.village_id is not None for d in deputies)

        # Deputies cover every grid of the town, each deputy several grids.
        assert not Region.objects.filter(town=town, level=Level.GRID, deputies=None).exists()
        assert min(deputies.annotate(n=Count("grids")).values_list("n", flat=True)) >= 2

        per_member = Counter(
            ContactAssignment.objects.filter(town=town).values_list("presidium_member_id", flat=True)
        )
        assert set(per_member) == set(presidium.values_list("pk", flat=True))
        assert set(per_member.values()) <= {8, 9}

    def test_one_login_per_role(self):
        users = {u.username: u for u in User.objects.all()}
        assert Counter(u.role for u in users.values()) == Counter(Role.values)
        town = Region.objects.get(code=demo.TOWN_CODE)
        assert users["admin"].role == Role.ADMIN and users["admin"].town is None
        assert users["district"].role == Role.DISTRICT_VIEWER and users["district"].town is None
        assert users["staff"].town == town
        assert users["presidium"].deputy.is_presidium
        assert "主席" in users["presidium"].display_name
        assert users["deputy"].deputy.level == "town" and not users["deputy"].deputy.is_presidium
        assert users["unit"].unit.name == "镇经济发展中心"
        # The demo deputy, the chair and the demo grid worker meet in one grid and one contact.
        grid = users["grid"].grid_worker.grids.get()
        assert users["deputy"].deputy.grids.filter(pk=grid.pk).exists()
        assert ContactAssignment.objects.filter(
            presidium_member=users["presidium"].deputy, deputy=users["deputy"].deputy
        ).exists()
        for user in users.values():
            assert user.check_password(demo.PASSWORD)
            validate_password(demo.PASSWORD, user)

    def test_second_town_shows_scoping(self):
        other = Region.objects.get(code=demo.OTHER_TOWN_CODE)
        assert (other.name, other.kind) == ("YY街道", Kind.STREET)
        assert Region.objects.filter(town=other, level=Level.VILLAGE).count() == 2
        # YY街道 has not divided its communities into grids yet: the district's grids are XX镇's 170.
        assert not Region.objects.filter(town=other, level=Level.GRID).exists()
        assert Region.objects.filter(level=Level.GRID).count() == 170
        other_unit = Unit.objects.get(town=other)
        staff = User.objects.get(username="staff")
        assert other_unit not in units_visible_to(staff)
        assert other_unit in units_visible_to(User.objects.get(username="district"))

    def test_second_run_changes_nothing(self):
        before = counts()
        last_event = AuditEvent.objects.order_by("-id").first()
        out = run_demo()
        assert counts() == before
        assert AuditEvent.objects.order_by("-id").first() == last_event
        assert "没有改动" in out
        assert verify_chain() is None

    def test_print_logins_lists_every_demo_login(self):
        before = counts()
        out = run_demo("--print-logins", "--url", "http://127.0.0.1:8000/")
        assert counts() == before
        assert out.count(demo.PASSWORD) == len(Role.values)
        for spec in org_demo.LOGINS:
            assert spec.username in out and spec.label_zh in out and spec.label_en in out


def test_if_empty_builds_an_empty_database(db: None):
    out = run_demo("--if-empty")
    assert Region.objects.filter(level=Level.GRID, town__code=demo.TOWN_CODE).count() == 170
    assert "演示数据已建立" in out


def test_if_empty_does_nothing_on_a_populated_database(db: None):
    make_district(code="340311000000", name="别的区")
    before = counts()
    out = run_demo("--if-empty")
    assert counts() == before
    assert "不建立演示数据" in out


def test_print_logins_prints_and_builds_nothing(db: None):
    out = run_demo("--print-logins", "--url", "http://renda.test:8000/")
    assert "http://renda.test:8000/" in out
    assert counts() == {m.__name__: 0 for m in MODELS}
