"""Candidates, lists and projects built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.projects import services
from renda.projects.models import Candidate, CandidateList, Project

D = dt.date.fromisoformat
YEAR = 2023


def staff(world: World) -> Any:
    return world.users[Role.STAFF]


def presidium(world: World) -> Any:
    return world.users[Role.PRESIDIUM]


def window(world: World, year: int = YEAR, town: Any = None) -> None:
    actor = staff(world) if town is None else world.other_staff
    services.window_set(actor=actor, town=town or world.town, year=year, opens_on=D(f"{year - 1}-10-01"),
                        closes_on=D(f"{year - 1}-12-31"))


def candidate(world: World, title: str = "村道亮化", *, screened: bool = True, estimate: str = "1200000.00",
              kind: str = "道路", **kw: Any) -> Candidate:
    args: dict[str, Any] = {"town": world.town, "year": YEAR, "title": title, "source": "public",
                            "kind": kind, "on": D(f"{YEAR - 1}-11-01")}
    args.update(kw)
    actor = staff(world) if args["town"] == world.town else world.other_staff
    c = services.candidate_collect(actor=actor, **args)
    if screened:
        c = services.candidate_screen(actor=actor, candidate_id=c.pk, feasible=True, feasibility="可行",
                                      estimate=Decimal(estimate), proposed_unit=world.unit if args["town"] == world.town
                                      else world.other_unit, on=D(f"{YEAR - 1}-12-15"))
    return c


def candidates(world: World, n: int) -> list[Candidate]:
    if not services.CollectionWindow.objects.filter(town=world.town, year=YEAR).exists():
        window(world)
    return [candidate(world, f"候选项目{i + 1}") for i in range(n)]


def submitted_list(world: World, n: int = 4, **kw: Any) -> CandidateList:
    cs = candidates(world, n)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR, **kw)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    return services.candidate_list_submit(actor=presidium(world), list_id=cl.pk, on=D(f"{YEAR}-01-05"))


def project(world: World, title: str = "XX路绿化亮化工程", *, town: Any = None, **kw: Any) -> Project:
    town = town or world.town
    actor = staff(world) if town == world.town else world.other_staff
    args: dict[str, Any] = {"town": town, "year": YEAR, "title": title, "adopted_on": D(f"{YEAR}-01-13"),
                            "budget": Decimal("2860000.00")}
    args.update(kw)
    return services.project_adopt(actor=actor, **args)
