"""The demo's handling units (step ``units``; see renda.core.demo): those the report names and
the town and district departments an office assigns to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial

from renda.core.demo import OTHER_TOWN_CODE, TOWN_CODE, Demo, Names, names, step
from renda.places.demo import places_plan, regions_by_code
from renda.units.models import Unit, UnitKind
from renda.units.services import unit_create

#: (name, kind) of XX镇's handling units; the first three are those the report names.
XX_UNITS: tuple[tuple[str, str], ...] = (
    ("镇经济发展中心", UnitKind.TOWN_DEPARTMENT),
    ("村镇规划建设办公室", UnitKind.TOWN_DEPARTMENT),
    ("市场所", UnitKind.OTHER),  # the district market regulator's office in the town
    ("镇农业农村办公室", UnitKind.TOWN_DEPARTMENT),
    ("镇社会事务办公室", UnitKind.TOWN_DEPARTMENT),
    ("镇综治中心", UnitKind.TOWN_DEPARTMENT),
    ("区交通运输局", UnitKind.DISTRICT_UNIT),
    ("区住房和城乡建设局", UnitKind.DISTRICT_UNIT),
    ("区人民检察院", UnitKind.DISTRICT_UNIT),
    ("区司法局", UnitKind.DISTRICT_UNIT),
)
YY_UNITS: tuple[tuple[str, str], ...] = (("街道城市管理办公室", UnitKind.TOWN_DEPARTMENT),)


@dataclass(frozen=True)
class UnitSpec:
    town_code: str
    name: str
    kind: str
    contact_person: str
    contact_phone: str


def build_units(names: Names) -> tuple[UnitSpec, ...]:
    """The demo's units as data (drawn from ``names`` after the grid workers)."""
    units = [UnitSpec(TOWN_CODE, n, k, names.person(), names.landline()) for n, k in XX_UNITS]
    units += [UnitSpec(OTHER_TOWN_CODE, n, k, names.person(), names.landline()) for n, k in YY_UNITS]
    return tuple(units)


@cache
def units_plan() -> tuple[UnitSpec, ...]:
    places_plan()  # the grid workers draw their names first
    return build_units(names())


class UnitsPart:
    """What the step built (or found): XX镇's units by name (``demo.part(UnitsPart)``)."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}


@step("units", order=300, labels={"unit": "承办单位"})
def build_units_step(demo: Demo) -> None:
    w = demo.part(UnitsPart)
    specs = units_plan()
    towns = regions_by_code({s.town_code for s in specs})
    existing = {(u.town_id, u.name): u for u in Unit.objects.filter(town__in=towns.values())}
    for s in specs:
        town = towns[s.town_code]
        unit = demo.ensure(
            "unit",
            existing.get((town.pk, s.name)),
            partial(
                unit_create,
                actor=None,
                town=town,
                name=s.name,
                kind=s.kind,
                contact_person=s.contact_person,
                contact_phone=s.contact_phone,
            ),
        )
        if s.town_code == TOWN_CODE:
            w.units[s.name] = unit
    demo.out(f"承办单位：XX镇 {len(w.units)} 个")
