"""Open work in a grid, built through each app's services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.petitions import services as petitions
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.places.models import Region
from renda.risks.models import Risk
from renda.risks.tests.helpers import make_risk
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import public_item

NAME, ID_NUMBER, PHONE = "李秀英", "11010519491231002X", "13912345678"


def petition(world: World, *, grid: Region | None = None, town: Region | None = None, actor: Any = None,
             on: dt.date | None = None, subject: str = "宅基地确权争议") -> Petition:
    town = town or world.town
    grid = grid or world.grid
    return petitions.petition_register(
        actor=actor or world.users[Role.STAFF], town=town, channel="visit", subject=subject,
        content=f"{subject}，请求处理{grid.code}", village=grid.parent, grid=grid,
        petitioners=[PetitionerData(name=NAME, id_number=ID_NUMBER, phone=PHONE)], on=on)


def open_work(world: World, grid: Region | None = None, *, petitions_n: int = 1, risks_n: int = 1,
              suggestions_n: int = 1) -> tuple[list[Petition], list[Risk], list[Suggestion]]:
    grid = grid or world.grid
    ps = [petition(world, grid=grid, subject=f"信访事项{i}{grid.code}") for i in range(petitions_n)]
    rs = [make_risk(world, grid=grid, title=f"矛盾纠纷{i}") for i in range(risks_n)]
    ss = [public_item(world, grid=grid, title=f"意见{i}{grid.code}") for i in range(suggestions_n)]
    return ps, rs, ss
