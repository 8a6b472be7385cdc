"""Sessions and rounds built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World, make_deputy, make_user

from renda.congress import services
from renda.congress.models import OptionSpec, Session, VoteRound
from renda.core.roles import Role
from renda.people.models import Deputy

D = dt.date.fromisoformat
STARTS = D("2023-01-12")


def staff(world: World) -> Any:
    return world.users[Role.STAFF]


def town_deputies(world: World, total: int) -> list[Deputy]:
    """The town's town-level deputies topped up to ``total`` (the World has three)."""
    have = list(Deputy.objects.filter(town=world.town, level="town").order_by("pk"))
    have += [make_deputy(world.town) for _i in range(total - len(have))]
    return have


def make_session(world: World, *, total: int = 9, present: int | None = None, **kw: Any) -> Session:
    """A session of ``total`` deputies of whom ``present`` (all by default) are marked present;
    the World's deputy and presidium member are present first."""
    deputies = town_deputies(world, total)
    first = [world.deputy, world.presidium_deputy]
    ordered = first + [d for d in deputies if d not in first]
    args: dict[str, Any] = {"town": world.town, "term": 18, "number": 3, "starts_on": STARTS,
                            "ends_on": STARTS + dt.timedelta(days=1), "venue": "镇政府三楼会议室"}
    args.update(kw)
    s = services.session_create(actor=staff(world), **args)
    for d in ordered[: total if present is None else present]:
        services.attendance_set(actor=staff(world), session_id=s.pk, deputy_id=d.pk, status="present")
    return s


def options(n: int, kind: str = "project_candidate") -> list[OptionSpec]:
    return [OptionSpec(kind, 100 + i, f"候选项目{i + 1}") for i in range(n)]


def open_round(world: World, session: Session, *, n: int = 4, seats: int = 2, kind: str = "select",
               mode: str = "paper", **kw: Any) -> VoteRound:
    return services.round_open(actor=staff(world), session_id=session.pk, kind=kind, title="民生实事项目票决",
                               options=options(n), seats=seats if kind == "select" else None, mode=mode,
                               chief_scrutineer="张总监", scrutineers="李监票、王监票", **kw)


def ids(r: VoteRound) -> list[int]:
    return list(r.options.order_by("order").values_list("pk", flat=True))


def enter(world: World, r: VoteRound, marks: dict[int, str]) -> None:
    services.ballot_enter(actor=staff(world), round_id=r.pk, choices=marks)


def deputy_user(world: World, deputy: Deputy) -> Any:
    if deputy == world.deputy:
        return world.users[Role.DEPUTY]
    if deputy == world.presidium_deputy:
        return world.users[Role.PRESIDIUM]
    if deputy == world.plain_deputy:
        return world.extra_user
    return make_user(Role.DEPUTY, world.town, deputy=deputy)
