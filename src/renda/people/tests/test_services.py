from __future__ import annotations

import datetime as dt

import pytest
from tests.support import World, make_deputy

from renda.audit.models import AuditEvent
from renda.core.errors import InvalidInput, NotFound
from renda.core.roles import Role
from renda.people import services
from renda.people.models import ContactAssignment


@pytest.mark.django_db
def test_deputy_validation(world: World) -> None:
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput, match="手机号"):
        services.deputy_create(actor=staff, name="赵六", phone="123", level="town", town=world.town)
    with pytest.raises(InvalidInput, match="不属于"):
        services.deputy_create(actor=staff, name="赵六", phone="13700000000", level="town", town=world.town,
                               grids=[world.other_grid])
    with pytest.raises(InvalidInput, match="同名同手机号"):
        services.deputy_create(actor=staff, name=world.deputy.name, phone=world.deputy.phone, level="town",
                               town=world.town)
    with pytest.raises(InvalidInput):
        services.deputy_create(actor=staff, name="赵六", phone="13700000000", level="town", town=world.town,
                               serving_from=dt.date(2023, 1, 1), serving_to=dt.date(2022, 1, 1))
    with pytest.raises(NotFound):
        services.deputy_update(actor=staff, deputy_id=world.other_deputy.pk, term="x")


@pytest.mark.django_db
def test_contact_assignments(world: World) -> None:
    staff = world.users[Role.STAFF]
    d = make_deputy(world.town)
    with pytest.raises(InvalidInput, match="不是主席团成员"):
        services.contact_assignment_create(actor=staff, presidium_member=d, deputy=world.deputy)
    with pytest.raises(InvalidInput, match="不能联系自己"):
        services.contact_assignment_create(actor=staff, presidium_member=world.presidium_deputy,
                                           deputy=world.presidium_deputy)
    with pytest.raises(InvalidInput, match="本镇街"):
        services.contact_assignment_create(actor=staff, presidium_member=world.presidium_deputy,
                                           deputy=world.other_deputy)
    a = services.contact_assignment_create(actor=staff, presidium_member=world.presidium_deputy, deputy=d)
    with pytest.raises(InvalidInput, match="已联系"):
        services.contact_assignment_create(actor=staff, presidium_member=world.presidium_deputy, deputy=d)
    # Deactivating the deputy ends the assignments, each one audited.
    services.deputy_deactivate(actor=staff, deputy_id=d.pk, reason="调离")
    assert not ContactAssignment.objects.get(pk=a.pk).is_active
    assert AuditEvent.objects.filter(verb="contact_assignment.deactivate", target_id=str(a.pk)).exists()


@pytest.mark.django_db
def test_presidium_flag_cannot_drop_with_active_contacts(world: World) -> None:
    with pytest.raises(InvalidInput, match="联系代表安排"):
        services.deputy_update(actor=world.users[Role.STAFF], deputy_id=world.presidium_deputy.pk,
                               is_presidium=False)
