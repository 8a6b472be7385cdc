"""The demo's deputies and the presidium's contact assignments (steps ``deputies`` and
``contact_assignments``; see renda.core.demo).

XX镇 has 40 town deputies (the first five form the presidium: 主席, two 副主席, two members) and 8
district deputies; YY街道 has no town congress, only two district deputies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, partial

from renda.core.demo import OTHER_TOWN_CODE, TOWN_CODE, Demo, Names, names, step
from renda.people.models import ContactAssignment, Deputy, DeputyLevel
from renda.people.services import contact_assignment_create, deputy_create
from renda.places.demo import PlacesPart, PlacesPlan, places_plan, regions_by_code
from renda.units.demo import units_plan

PRESIDIUM_TITLES = ("主席", "副主席", "副主席", "主席团成员", "主席团成员")
TOWN_DEPUTIES = 40  # of whom the first len(PRESIDIUM_TITLES) form the presidium
DISTRICT_DEPUTIES = 8
YY_DISTRICT_DEPUTIES = 2
TOWN_TERM, DISTRICT_TERM = "第十八届", "第十三届"
SERVING_FROM = dt.date(2021, 11, 18)


@dataclass(frozen=True)
class DeputySpec:
    name: str
    phone: str
    level: str
    term: str
    constituency: str
    town_code: str
    village_code: str
    grid_codes: tuple[str, ...]
    title: str = ""  # 主席 / 副主席 / 主席团成员 for presidium members

    @property
    def is_presidium(self) -> bool:
        return bool(self.title)


@dataclass(frozen=True)
class PeoplePlan:
    deputies: tuple[DeputySpec, ...]
    contacts: tuple[tuple[int, int], ...]  # (presidium index, deputy index) into ``deputies``


def build_people(names: Names, places: PlacesPlan) -> PeoplePlan:
    """The demo's deputies and contact assignments as data (drawn from ``names`` after the units)."""
    xx_villages, yy_villages, grids_of = places.xx_villages, places.yy_villages, places.grids_of
    # XX镇's deputies: the presidium, the other town deputies, then the district deputies.
    # Deputy k lives in village k mod 17; each village's grids are shared round-robin among the
    # deputies living there, so every grid has a deputy and every deputy several grids.
    kinds = [(DeputyLevel.TOWN, title) for title in PRESIDIUM_TITLES]
    kinds += [(DeputyLevel.TOWN, "")] * (TOWN_DEPUTIES - len(PRESIDIUM_TITLES))
    kinds += [(DeputyLevel.DISTRICT, "")] * DISTRICT_DEPUTIES
    home = [xx_villages[k % len(xx_villages)] for k in range(len(kinds))]
    deputies = []
    for k, (level, title) in enumerate(kinds):
        village = home[k]
        neighbours = [j for j in range(len(kinds)) if home[j].code == village.code]
        mine = tuple(gc for g, gc in enumerate(grids_of[village.code]) if neighbours[g % len(neighbours)] == k)
        town_level = level == DeputyLevel.TOWN
        deputies.append(
            DeputySpec(
                name=names.person(),
                phone=names.mobile(),
                level=level,
                term=TOWN_TERM if town_level else DISTRICT_TERM,
                constituency=f"{village.name}选区" if town_level else f"XX镇第{k % 4 + 1}选区",
                town_code=TOWN_CODE,
                village_code=village.code,
                grid_codes=mine,
                title=title,
            )
        )
    # YY街道 has no town congress: its deputies are district deputies.
    for k in range(YY_DISTRICT_DEPUTIES):
        village = yy_villages[k % len(yy_villages)]
        deputies.append(
            DeputySpec(
                name=names.person(),
                phone=names.mobile(),
                level=DeputyLevel.DISTRICT,
                term=DISTRICT_TERM,
                constituency=f"YY街道第{k + 1}选区",
                town_code=OTHER_TOWN_CODE,
                village_code=village.code,
                grid_codes=tuple(grids_of[village.code]),
            )
        )

    # 主席团成员联系代表: the other XX镇 deputies dealt round-robin to the five members (8–9 each).
    n_presidium = len(PRESIDIUM_TITLES)
    others = range(n_presidium, len(kinds))
    contacts = tuple((j % n_presidium, d) for j, d in enumerate(others))
    return PeoplePlan(deputies=tuple(deputies), contacts=contacts)


@cache
def people_plan() -> PeoplePlan:
    units_plan()  # the grid workers and the units draw their names first
    return build_people(names(), places_plan())


class PeoplePart:
    """What the steps built (or found), for later steps (``demo.part(PeoplePart)``)."""

    def __init__(self) -> None:
        self.deputies: list[Deputy] = []  # XX镇
        self.presidium: list[Deputy] = []  # XX镇, 主席 first
        self.presidium_titles: dict[int, str] = {}  # deputy pk → 主席 / 副主席 / 主席团成员
        self.other_deputies: list[Deputy] = []  # YY街道


@step("deputies", order=400, labels={"deputy": "代表"})
def build_deputies(demo: Demo) -> None:
    w = demo.part(PeoplePart)
    specs = people_plan().deputies
    regions = regions_by_code({c for s in specs for c in (s.town_code, s.village_code, *s.grid_codes)})
    existing = {(d.name, d.phone): d for d in Deputy.objects.filter(phone__in=[s.phone for s in specs])}
    for s in specs:
        deputy = demo.ensure(
            "deputy",
            existing.get((s.name, s.phone)),
            partial(
                deputy_create,
                actor=None,
                name=s.name,
                phone=s.phone,
                level=s.level,
                town=regions[s.town_code],
                term=s.term,
                constituency=s.constituency,
                village=regions[s.village_code],
                is_presidium=s.is_presidium,
                serving_from=SERVING_FROM,
                grids=[regions[c] for c in s.grid_codes],
            ),
        )
        if s.town_code != TOWN_CODE:
            w.other_deputies.append(deputy)
            continue
        w.deputies.append(deputy)
        if s.is_presidium:
            w.presidium.append(deputy)
            w.presidium_titles[deputy.pk] = s.title
    counts = f"XX镇 {len(w.deputies)} 名（主席团成员 {len(w.presidium)} 名），YY街道 {len(w.other_deputies)} 名"
    demo.out(f"代表：{counts}")


@step("contact_assignments", order=500, labels={"contact_assignment": "联系代表安排"})
def build_contact_assignments(demo: Demo) -> None:
    w = demo.part(PeoplePart)
    town = demo.part(PlacesPart).town
    existing = set(ContactAssignment.objects.filter(town=town).values_list("presidium_member_id", "deputy_id"))
    for p, d in people_plan().contacts:
        member, deputy = w.deputies[p], w.deputies[d]
        if (member.pk, deputy.pk) not in existing:
            contact_assignment_create(actor=None, presidium_member=member, deputy=deputy)
            demo.created["contact_assignment"] += 1
    demo.out(f"联系代表安排：{len(people_plan().contacts)} 项")
