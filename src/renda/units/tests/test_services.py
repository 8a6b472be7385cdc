from __future__ import annotations

import pytest
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.errors import Forbidden, InvalidInput, NotFound
from renda.core.roles import Role
from renda.units import services


@pytest.mark.django_db
def test_unit_lifecycle(world: World) -> None:
    staff = world.users[Role.STAFF]
    unit = services.unit_create(actor=staff, town=world.town, name="镇经济发展中心", kind="town_department",
                                contact_person="李四", contact_phone="13800000000")
    assert AuditEvent.objects.filter(verb="unit.create", target_id=str(unit.pk), actor=staff).exists()
    with pytest.raises(InvalidInput, match="已有名为"):
        services.unit_create(actor=staff, town=world.town, name="镇经济发展中心", kind="other")
    with pytest.raises(InvalidInput, match="联系电话"):
        services.unit_update(actor=staff, unit_id=unit.pk, contact_phone="12345")
    unit, changed = services.unit_update(actor=staff, unit_id=unit.pk, contact_person="王五")
    assert changed and unit.contact_person == "王五"
    services.unit_deactivate(actor=staff, unit_id=unit.pk, reason="机构调整")
    unit.refresh_from_db()
    assert not unit.is_active


@pytest.mark.django_db
def test_unit_scoping(world: World) -> None:
    with pytest.raises(NotFound):
        services.unit_update(actor=world.users[Role.STAFF], unit_id=world.other_unit.pk, name="x")
    with pytest.raises(Forbidden):
        services.unit_update(actor=world.users[Role.UNIT], unit_id=world.unit.pk, name="x")
    with pytest.raises(Forbidden):
        services.unit_create(actor=world.users[Role.DISTRICT_VIEWER], town=world.town, name="x", kind="other")
