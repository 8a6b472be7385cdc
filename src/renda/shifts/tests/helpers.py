"""Shifts built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.shifts import services
from renda.shifts.models import DutyShift

D = dt.date.fromisoformat


def shift(world: World, *, on: dt.date = D("2023-03-01"), town: Any = None, deputies: Any = None,
          **kw: Any) -> DutyShift:
    town = town or world.town
    people = deputies if deputies is not None else ([world.presidium_deputy] if town == world.town else [])
    actor = world.users[Role.STAFF] if town == world.town else world.other_staff
    return services.shift_create(actor=actor, town=town, date=on, deputies=people, **kw)
