"""Items built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion

D = dt.date.fromisoformat


def public_item(world: World, *, on: dt.date = D("2023-03-01"), **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": world.town, "kind": "public", "title": "修建公交车站台", "content": "村口无站台",
                            "source": "visit", "submitter_name": "张小三", "submitter_phone": "13812345678",
                            "grid": world.grid, "on": on}
    args.update(kw)
    return services.suggestion_register(actor=world.users[Role.STAFF], **args)


def deputy_item(world: World, *, on: dt.date = D("2023-03-01"), **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": world.town, "kind": "deputy", "title": "农田水利施工质量监督",
                            "lead_deputy": world.deputy, "co_deputies": [world.plain_deputy], "source": "session",
                            "on": on}
    args.update(kw)
    return services.suggestion_register(actor=world.users[Role.STAFF], **args)


def assigned(world: World, s: Suggestion, *, on: dt.date = D("2023-03-02")) -> Suggestion:
    return services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit, on=on)


def replied(world: World, s: Suggestion, *, reply_class: str = "A", on: dt.date = D("2023-03-10")) -> Suggestion:
    unit = world.users[Role.UNIT]
    if s.state == "registered":
        assigned(world, s)
    s.refresh_from_db()
    if s.state == "assigned":
        services.suggestion_accept(actor=unit, suggestion_id=s.pk, on=D("2023-03-03"))
    services.suggestion_reply(actor=unit, suggestion_id=s.pk, reply_class=reply_class, text="已建成", on=on)
    s.refresh_from_db()
    return s
