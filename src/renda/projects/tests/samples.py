"""The projects part of the reliability sample (tests/reliability/samples.py): in each town a
project (led by the town's unit, supervised by the presidium member with the deputy in its
group, with a public photo and an inspection), a screened candidate, a candidate list and an
excluded kind — built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from tests.support import World

from renda.core.roles import Role
from renda.projects import services

D = dt.date.fromisoformat
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def _town(world: World, town: Any, actor: Any, unit: Any, supervisor: Any, deputy: Any, tag: str) -> dict[str, Any]:
    services.window_set(actor=actor, town=town, year=2023, opens_on=D("2022-10-01"), closes_on=D("2022-12-31"))
    kind = services.excluded_kind_create(actor=actor, town=town, name="楼堂馆所")
    c = services.candidate_collect(actor=actor, town=town, year=2023, title=f"村道亮化{tag}", source="public",
                                   on=D("2022-11-01"))
    c = services.candidate_screen(actor=actor, candidate_id=c.pk, feasible=True, estimate=Decimal("500000"),
                                  proposed_unit=unit, on=D("2022-12-01"))
    cl = services.candidate_list_create(actor=actor, town=town, year=2023)
    p = services.project_adopt(actor=actor, town=town, year=2023, title=f"XX路绿化亮化工程{tag}",
                               adopted_on=D("2023-01-13"), budget=Decimal("2860000.00"))
    services.project_plan(actor=actor, project_id=p.pk, lead_unit=unit, targets="路灯120盏", deadline=D("2023-12-31"),
                          supervisor=supervisor, deputies=[deputy])
    r = services.project_report_progress(actor=actor, project_id=p.pk, text="已进场施工", on=D("2023-05-10"),
                                         files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
                                         public=True)
    x = services.project_inspect(actor=actor, project_id=p.pk, on=D("2023-06-01"), deputies=[deputy],
                                 findings="照度不足")
    return {"project": p, "candidate": c, "list": cl, "photo": r.attachments.get(), "inspection": x, "kind": kind}


def build(world: World) -> dict[str, Any]:
    own = _town(world, world.town, world.users[Role.STAFF], world.unit, world.presidium_deputy, world.deputy, "")
    other = _town(world, world.other_town, world.other_staff, world.other_unit, world.other_presidium_deputy,
                  world.other_deputy, "（外镇）")
    return {**own, **{f"other_{k}": v for k, v in other.items()}}
