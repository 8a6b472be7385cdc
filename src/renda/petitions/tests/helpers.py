"""Petitions built through the services, and the personal data the PII tests look for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.core.validators import id_number_check_digit
from renda.petitions import services
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData

D = dt.date.fromisoformat

NAME = "欧阳明远"
ID_NUMBER = "34030219850512123" + id_number_check_digit("34030219850512123")
PHONE = "13912345678"
ADDRESS = "测试镇幸福村5组18号"
PII = (NAME, ID_NUMBER, PHONE, ADDRESS)


def other_id(seed: int) -> str:
    first = f"340302197001{seed % 10 + 1:02d}{seed % 1000:03d}"
    return first + id_number_check_digit(first)


def petition(world: World, *, on: dt.date = D("2023-03-01"), actor: Any = None, **kw: Any) -> Petition:
    args: dict[str, Any] = {
        "town": world.town, "channel": "letter", "subject": "反映征地补偿款未足额发放",
        "content": "去年征地补偿款至今未足额发放到户，请求核实。", "grid": world.grid,
        "petitioners": [PetitionerData(name=NAME, id_number=ID_NUMBER, phone=PHONE, address=ADDRESS)],
        "respondent": "某村民委员会", "on": on,
    }
    args.update(kw)
    return services.petition_register(actor=actor or world.users[Role.STAFF], **args)


def staff(world: World) -> Any:
    return world.users[Role.STAFF]


def through(world: World, p: Petition, stage: str, *, start: dt.date = D("2023-03-01")) -> Petition:
    """Take ``p`` (registered on ``start``) to ``stage`` with dates a few days apart."""
    u = staff(world)
    order = ["handling", "closed", "review", "reviewed", "rereview", "final"]
    steps = {
        "handling": lambda: services.petition_accept(actor=u, petition_id=p.pk, on=start + dt.timedelta(days=2)),
        "closed": lambda: services.petition_issue_opinion(actor=u, petition_id=p.pk, opinion="已解决",
                                                          on=start + dt.timedelta(days=20)),
        "review": lambda: services.petition_request_review(actor=u, petition_id=p.pk,
                                                           on=start + dt.timedelta(days=30)),
        "reviewed": lambda: services.petition_answer_review(actor=u, petition_id=p.pk, answer="维持",
                                                            on=start + dt.timedelta(days=40)),
        "rereview": lambda: services.petition_request_rereview(actor=u, petition_id=p.pk,
                                                               on=start + dt.timedelta(days=50)),
        "final": lambda: services.petition_answer_rereview(actor=u, petition_id=p.pk, answer="维持",
                                                           on=start + dt.timedelta(days=60)),
    }
    for name in order[: order.index(stage) + 1]:
        steps[name]()
    p.refresh_from_db()
    return p
