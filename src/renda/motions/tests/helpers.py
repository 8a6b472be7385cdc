"""Sessions and motions built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.support import World, make_deputy

from renda.congress import services as congress_services
from renda.congress.models import Session
from renda.core.roles import Role
from renda.motions import services
from renda.motions.models import Motion
from renda.people.models import Deputy

D = dt.date.fromisoformat
STARTS = D("2023-01-12")


def at(day: str, hm: str = "10:00") -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} {hm}"))


def staff(world: World) -> Any:
    return world.users[Role.STAFF]


def presidium(world: World) -> Any:
    return world.users[Role.PRESIDIUM]


def session(world: World, *, town: Any = None, number: int = 3, starts_on: dt.date = STARTS) -> Session:
    town = town or world.town
    actor = staff(world) if town == world.town else world.other_staff
    return congress_services.session_create(actor=actor, town=town, term=18, number=number, starts_on=starts_on,
                                            ends_on=starts_on + dt.timedelta(days=1), venue="镇政府三楼会议室")


def deputies(world: World, total: int) -> list[Deputy]:
    """The town's town-level deputies topped up to ``total``; the World's deputy first."""
    have = [world.deputy, *Deputy.objects.filter(town=world.town, level="town").exclude(pk=world.deputy.pk)
            .order_by("pk")]
    have += [make_deputy(world.town) for _i in range(total - len(have))]
    return have[:total]


def motion(world: World, s: Session | None = None, *, signers: int = 5,
           title: str = "关于加快农村饮水安全巩固提升的议案", **kw: Any) -> Motion:
    """A draft joint motion led by the World's deputy, signed by ``signers`` deputies (lead included)."""
    s = s or session(world)
    ds = deputies(world, max(signers, 1))
    args: dict[str, Any] = {"session": s, "title": title, "reasons": "部分村组自来水水压不足，旱季断水。",
                            "proposal": "实施管网改造，新建加压泵站。", "lead_deputy": ds[0],
                            "at": at("2023-01-12", "09:00")}
    args.update(kw)
    m = services.motion_create(actor=staff(world), **args)
    for d in ds[1:signers]:
        services.motion_sign(actor=staff(world), motion_id=m.pk, deputy=d, at=at("2023-01-12", "09:30"))
    return m


def submitted(world: World, s: Session | None = None, **kw: Any) -> Motion:
    m = motion(world, s, **kw)
    return services.motion_submit(actor=staff(world), motion_id=m.pk, at=at("2023-01-12", "15:00"))
