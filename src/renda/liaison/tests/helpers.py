"""Liaison records built through the services, for the tests of this app and the reliability tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.liaison import services
from renda.liaison.models import DeputyGroup, PresidiumContact, Reception, Station, Voter, VoterContact

D = dt.date.fromisoformat
VISITOR, VISITOR_PHONE = "欧阳明远", "13912345678"


def make_station(world: World, *, other: bool = False, name: str = "镇人大代表联络站") -> Station:
    town = world.other_town if other else world.town
    actor = world.other_staff if other else world.users[Role.STAFF]
    deputies = [world.other_deputy] if other else [world.deputy, world.presidium_deputy]
    return services.station_create(actor=actor, town=town, name=name, address="镇便民服务中心二楼",
                                   opening_hours="每月10日上午", cadence="monthly", deputies=deputies)


def make_group(world: World, *, other: bool = False) -> DeputyGroup:
    if other:
        return services.group_create(actor=world.other_staff, town=world.other_town, name="外镇代表小组",
                                     leader=world.other_deputy, regions=[world.other_village])
    return services.group_create(actor=world.users[Role.STAFF], town=world.town, name="东片代表小组",
                                 leader=world.deputy, members=[world.plain_deputy], regions=[world.village])


def make_voter(world: World, *, other: bool = False) -> Voter:
    deputy = world.other_deputy if other else world.deputy
    return services.voter_create(actor=None, deputy=deputy, name="张小三", phone="13812345678", address="东湖村3组12号")


def make_voter_contact(world: World, *, other: bool = False, on: dt.date = D("2023-03-01"), **kw: Any
                       ) -> VoterContact:
    deputy = world.other_deputy if other else world.deputy
    args: dict[str, Any] = {"deputy": deputy, "on": on, "way": "visit", "households": 2, "issues": "村道路灯损坏"}
    args.update(kw)
    return services.voter_contact_create(actor=None, **args)


def make_presidium_contact(world: World, *, other: bool = False, on: dt.date = D("2023-03-01")) -> PresidiumContact:
    if other:
        return services.presidium_contact_create(actor=None, presidium_member=world.other_presidium_deputy,
                                                 deputy=world.other_deputy, on=on, way="visit", content="了解履职情况")
    return services.presidium_contact_create(actor=None, presidium_member=world.presidium_deputy,
                                             deputy=world.plain_deputy, on=on, way="visit", content="了解履职情况")


def make_reception(world: World, station: Station, *, on: dt.date = D("2023-03-10"), **kw: Any) -> Reception:
    args: dict[str, Any] = {"station": station, "visitor": services.VisitorIn(VISITOR, VISITOR_PHONE),
                            "matter": "反映村道破损", "on": on}
    args.update(kw)
    return services.reception_register(actor=None, **args)
