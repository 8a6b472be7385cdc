"""Risks built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.risks import services
from renda.risks.models import Risk
from renda.risks.services import ParticipantIn, PersonIn

D = dt.date.fromisoformat
NAME, ID_NUMBER, PHONE, ADDRESS = "张小三", "11010519491231002X", "13812345678", "XX镇东湖村3组12号"


def person(**kw: Any) -> PersonIn:
    args: dict[str, Any] = {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS,
                            "role": "申请人"}
    args.update(kw)
    return PersonIn(**args)


def make_risk(world: World, *, on: dt.date = D("2023-03-01"), actor: Any = None, **kw: Any) -> Risk:
    args: dict[str, Any] = {"town": world.town, "title": "宅基地界址纠纷", "description": "两户村民因翻建房屋发生争议",
                            "level": "medium", "grid": world.grid, "people": [person()], "on": on,
                            "participants": [ParticipantIn(deputy=world.deputy, part="现场调解"),
                                             ParticipantIn(grid_worker=world.grid_worker)]}
    args.update(kw)
    return services.risk_register(actor=actor or world.users[Role.STAFF], **args)


def other_town_risk(world: World) -> Risk:
    return services.risk_register(actor=world.other_staff, town=world.other_town, title="别镇的纠纷",
                                  grid=world.other_grid, people=[person(name="王大五", phone="13900001111")],
                                  on=D("2023-03-01"))
