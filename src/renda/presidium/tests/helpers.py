"""Plans, tasks and information items built through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.support import World

from renda.core.roles import Role
from renda.presidium import services
from renda.presidium.models import InfoItem, Plan, PlanTask

D = dt.date.fromisoformat


def make_plan(world: World, *, other: bool = False, year: int = 2023) -> Plan:
    town = world.other_town if other else world.town
    actor = world.other_staff if other else world.users[Role.STAFF]
    return services.plan_create(actor=actor, town=town, year=year, title=f"{year}年人大主席团工作要点",
                                goals="围绕中心、服务大局")


def make_task(world: World, plan: Plan | None = None, *, other: bool = False, due_half: str = "2023H1",
              **kw: Any) -> PlanTask:
    plan = plan or make_plan(world, other=other)
    lead = world.other_presidium_deputy if plan.town_id == world.other_town.pk else world.presidium_deputy
    args: dict[str, Any] = {"area": "代表工作", "text": "开展代表述职评议", "lead": lead, "due_half": due_half}
    args.update(kw)
    return services.task_create(actor=None, plan=plan, **args)


def make_info(world: World, *, other: bool = False, **kw: Any) -> InfoItem:
    args: dict[str, Any] = {"town": world.other_town if other else world.town, "title": "我镇开展代表述职",
                            "submitted_on": D("2023-05-10"), "recipient": "district"}
    args.update(kw)
    return services.info_create(actor=None, **args)
