"""Duty activities and reports built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.duties import services
from renda.duties.models import Activity

D = dt.date.fromisoformat


def make_activity(world: World, *, on: dt.date = D("2023-03-01"), actor: Any = None, **kw: Any) -> Activity:
    args: dict[str, Any] = {"town": world.town, "type": "judicial_witness", "title": "区检察院案件公开听证",
                            "on": on, "starts_at": dt.time(9, 0), "ends_at": dt.time(11, 0),
                            "place": "区检察院听证室", "organizer": "区人民检察院", "organizer_kind": "procuratorate",
                            "deputies": [world.deputy, world.presidium_deputy]}
    args.update(kw)
    return services.activity_plan(actor=actor or world.users[Role.STAFF], **args)


def other_town_activity(world: World, **kw: Any) -> Activity:
    args: dict[str, Any] = {"town": world.other_town, "type": "study", "title": "别镇学习会", "on": D("2023-03-01"),
                            "deputies": [world.other_deputy]}
    args.update(kw)
    return services.activity_plan(actor=world.other_staff, **args)
