"""Region and grid worker services: validation in Chinese, audit events, no silent updates."""

from __future__ import annotations

import pytest
from tests.support import World, make_district, make_grid, make_town, make_village

from renda.audit.models import AuditEvent
from renda.core.errors import Forbidden, InvalidInput, NotFound
from renda.core.roles import Role
from renda.places import services
from renda.places.models import Level, Region


@pytest.mark.django_db
class TestRegionCodes:
    def test_town_points_at_itself(self) -> None:
        town = make_town(code="340399123000")
        assert town.town_id == town.pk and town.parent.level == Level.DISTRICT

    @pytest.mark.parametrize(
        ("level", "code", "message"),
        [
            ("village", "34039912300", "12位"),
            ("village", "340399123000", "末3位不能为000"),
            ("village", "340399124001", "前9位"),
            ("grid", "340399123001", "15位"),
            ("grid", "340399123002001", "前12位"),
            ("grid", "340399123001000", "末3位不能为000"),
        ],
    )
    def test_bad_codes_are_refused_with_a_reason(self, level: str, code: str, message: str) -> None:
        town = make_town(code="340399123000")
        village = make_village(town, code="340399123001")
        parent = town if level == "village" else village
        with pytest.raises(InvalidInput) as exc:
            services.region_create(actor=None, code=code, name="X", level=level, kind=level, parent=parent)
        assert message in exc.value.message

    def test_town_code_must_fit_district(self) -> None:
        district = make_district()
        with pytest.raises(InvalidInput, match="前6位"):
            services.region_create(actor=None, code="340311100000", name="X镇", level="town", kind="town",
                                   parent=district)

    def test_duplicate_code(self) -> None:
        town = make_town()
        with pytest.raises(InvalidInput, match="已存在"):
            services.region_create(actor=None, code=town.code, name="重复", level="town", kind="town",
                                   parent=town.parent)

    def test_grid_belongs_to_the_villages_town(self) -> None:
        town = make_town()
        grid = make_grid(make_village(town))
        assert grid.town_id == town.pk


@pytest.mark.django_db
def test_update_records_before_and_after_and_skips_no_change(world: World) -> None:
    staff = world.users[Role.STAFF]
    _region, changed = services.region_update(actor=staff, region_id=world.village.pk, name="新名称村")
    assert changed
    event = AuditEvent.objects.filter(verb="region.update").latest("id")
    assert event.before["name"] != "新名称村" and event.after["name"] == "新名称村"
    assert event.actor_id == staff.pk
    before = AuditEvent.objects.count()
    _obj, changed = services.region_update(actor=staff, region_id=world.village.pk, name="新名称村")
    assert not changed and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_policy_is_enforced_in_services(world: World) -> None:
    with pytest.raises(NotFound):
        services.region_update(actor=world.users[Role.STAFF], region_id=world.other_village.pk, name="x")
    with pytest.raises(Forbidden):
        services.region_update(actor=world.users[Role.PRESIDIUM], region_id=world.village.pk, name="x")
    with pytest.raises(Forbidden):
        services.region_update(actor=world.users[Role.STAFF], region_id=world.town.pk, name="x")


@pytest.mark.django_db
def test_deactivation_rules(world: World) -> None:
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput, match="下级"):
        services.region_deactivate(actor=staff, region_id=world.village.pk)
    with pytest.raises(InvalidInput, match="网格员"):
        services.region_deactivate(actor=staff, region_id=world.grid.pk)
    lone = make_grid(world.village)
    services.region_deactivate(actor=staff, region_id=lone.pk, reason="合并网格")
    lone.refresh_from_db()
    assert not lone.is_active
    assert AuditEvent.objects.filter(verb="region.deactivate", comment="合并网格").exists()
    with pytest.raises(InvalidInput, match="已经停用"):
        services.region_deactivate(actor=staff, region_id=lone.pk)
    services.region_activate(actor=staff, region_id=lone.pk)
    assert Region.objects.get(pk=lone.pk).is_active


@pytest.mark.django_db
def test_grid_worker_rules(world: World) -> None:
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput, match="至少选择一个"):
        services.grid_worker_create(actor=staff, name="张三", phone="13900000001", kind="full_time",
                                    town=world.town, grids=[])
    with pytest.raises(InvalidInput, match="不属于"):
        services.grid_worker_create(actor=staff, name="张三", phone="13900000001", kind="full_time",
                                    town=world.town, grids=[world.other_grid])
    with pytest.raises(InvalidInput, match="已被其他网格员使用"):
        services.grid_worker_create(actor=staff, name="张三", phone=world.grid_worker.phone, kind="full_time",
                                    town=world.town, grids=[world.grid])
    w = services.grid_worker_create(actor=staff, name="张三", phone="13900000001", kind="part_time",
                                    town=world.town, grids=[world.grid])
    grid2 = make_grid(world.village)
    w, changed = services.grid_worker_update(actor=staff, grid_worker_id=w.pk, grids=[world.grid, grid2])
    assert changed and set(w.grids.all()) == {world.grid, grid2}
    event = AuditEvent.objects.filter(verb="grid_worker.update").latest("id")
    assert len(event.after["grids"]) == 2 and len(event.before["grids"]) == 1
