"""The demo's regions and grid workers (steps ``regions`` and ``grid_workers``; see renda.core.demo).

XX镇 has 17 villages and communities with 170 grids and one grid worker each, as in the report;
YY街道 has two communities and no grids yet, so that town scoping is visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial

from renda.core.demo import DISTRICT_CODE, OTHER_TOWN_CODE, TOWN_CODE, Demo, Names, names, step
from renda.places.models import GridWorker, Kind, Level, Region, WorkerKind
from renda.places.services import grid_worker_create, region_create

#: (name, kind, grids) of XX镇's villages and communities; 170 grids in all, as in the report.
XX_VILLAGES: tuple[tuple[str, str, int], ...] = (
    ("振兴社区", Kind.COMMUNITY, 12),
    ("和平社区", Kind.COMMUNITY, 10),
    ("新街社区", Kind.COMMUNITY, 8),
    ("东湖村", Kind.VILLAGE, 11),
    ("西岗村", Kind.VILLAGE, 9),
    ("南塘村", Kind.VILLAGE, 13),
    ("北山村", Kind.VILLAGE, 10),
    ("青林村", Kind.VILLAGE, 7),
    ("柳河村", Kind.VILLAGE, 11),
    ("杏园村", Kind.VILLAGE, 9),
    ("桥头村", Kind.VILLAGE, 10),
    ("丰收村", Kind.VILLAGE, 12),
    ("双庙村", Kind.VILLAGE, 8),
    ("高庄村", Kind.VILLAGE, 10),
    ("前营村", Kind.VILLAGE, 9),
    ("后楼村", Kind.VILLAGE, 11),
    ("望湖村", Kind.VILLAGE, 10),
)
#: YY街道 has not divided its communities into grids yet (网格划分尚未完成), so the district's
#: grid counts are XX镇's — the report's 170 grids and 170 grid workers (issue 4's "Done when"
#: runs ``renda stats`` on the whole demo district).
YY_VILLAGES: tuple[tuple[str, str, int], ...] = (
    ("朝阳社区", Kind.COMMUNITY, 0),
    ("滨河社区", Kind.COMMUNITY, 0),
)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None


@dataclass(frozen=True)
class WorkerSpec:
    name: str
    phone: str
    kind: str
    town_code: str
    grid_code: str


@dataclass(frozen=True)
class PlacesPlan:
    regions: tuple[RegionSpec, ...]
    workers: tuple[WorkerSpec, ...]
    xx_villages: tuple[RegionSpec, ...]
    yy_villages: tuple[RegionSpec, ...]
    grids_of: dict[str, list[str]]  # village code → its grid codes


def _town_regions(
    town_code: str, villages: Sequence[tuple[str, str, int]]
) -> tuple[list[RegionSpec], list[RegionSpec], dict[str, list[str]]]:
    village_specs, grid_specs, grids_of = [], [], {}
    for i, (name, kind, n_grids) in enumerate(villages, start=1):
        code = f"{town_code[:9]}{i:03d}"
        village_specs.append(RegionSpec(code, name, Level.VILLAGE, kind, town_code))
        grids_of[code] = [f"{code}{g:03d}" for g in range(1, n_grids + 1)]
        grid_specs += [
            RegionSpec(gc, f"{name}第{g}网格", Level.GRID, Kind.GRID, code)
            for g, gc in enumerate(grids_of[code], start=1)
        ]
    return village_specs, grid_specs, grids_of


def build_places(names: Names) -> PlacesPlan:
    """The demo's regions and grid workers as data (the first draws of ``names``)."""
    regions = [
        RegionSpec(DISTRICT_CODE, "XX区", Level.DISTRICT, Kind.DISTRICT, None),
        RegionSpec(TOWN_CODE, "XX镇", Level.TOWN, Kind.TOWN, DISTRICT_CODE),
        RegionSpec(OTHER_TOWN_CODE, "YY街道", Level.TOWN, Kind.STREET, DISTRICT_CODE),
    ]
    xx_villages, xx_grids, xx_grids_of = _town_regions(TOWN_CODE, XX_VILLAGES)
    yy_villages, yy_grids, yy_grids_of = _town_regions(OTHER_TOWN_CODE, YY_VILLAGES)
    regions += xx_villages + xx_grids + yy_villages + yy_grids

    # One grid worker per grid: full-time in communities and in each village's first grid,
    # part-time elsewhere (the report's 专兼职网格员).
    workers = []
    for town_code, villages, grids_of in (
        (TOWN_CODE, xx_villages, xx_grids_of),
        (OTHER_TOWN_CODE, yy_villages, yy_grids_of),
    ):
        for v in villages:
            for g, grid_code in enumerate(grids_of[v.code]):
                full = v.kind == Kind.COMMUNITY or g == 0
                kind = WorkerKind.FULL_TIME if full else WorkerKind.PART_TIME
                workers.append(WorkerSpec(names.person(), names.mobile(), kind, town_code, grid_code))
    return PlacesPlan(
        regions=tuple(regions),
        workers=tuple(workers),
        xx_villages=tuple(xx_villages),
        yy_villages=tuple(yy_villages),
        grids_of={**xx_grids_of, **yy_grids_of},
    )


@cache
def places_plan() -> PlacesPlan:
    return build_places(names())


class PlacesPart:
    """What these steps built (or found), for later steps (``demo.part(PlacesPart)``)."""

    district: Region
    town: Region  # XX镇, the town of the report
    other_town: Region  # YY街道, so that town scoping is visible

    def __init__(self) -> None:
        self.villages: list[Region] = []
        self.grids: list[Region] = []
        self.grid_workers: list[GridWorker] = []
        self.grid_worker_of: dict[str, GridWorker] = {}  # grid code → its worker


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    return Region.objects.in_bulk(list(codes), field_name="code")


@step("regions", order=100, labels={"region": "区划"})
def build_regions(demo: Demo) -> None:
    w = demo.part(PlacesPart)
    specs = places_plan().regions
    by_code = Region.objects.in_bulk([s.code for s in specs], field_name="code")
    for s in specs:
        parent = by_code[s.parent_code] if s.parent_code else None
        by_code[s.code] = demo.ensure(
            "region",
            by_code.get(s.code),
            partial(
                region_create,
                actor=None,
                code=s.code,
                name=s.name,
                level=s.level,
                kind=s.kind,
                parent=parent,
            ),
        )
    w.district, w.town, w.other_town = by_code[DISTRICT_CODE], by_code[TOWN_CODE], by_code[OTHER_TOWN_CODE]
    xx = [by_code[s.code] for s in specs if s.code.startswith(TOWN_CODE[:9]) and s.level != Level.TOWN]
    w.villages = [r for r in xx if r.level == Level.VILLAGE]
    w.grids = [r for r in xx if r.level == Level.GRID]
    demo.out(f"区划：{len(by_code)}（其中 XX镇 村社区 {len(w.villages)} 个、网格 {len(w.grids)} 个）")


@step("grid_workers", order=200, labels={"grid_worker": "网格员"})
def build_grid_workers(demo: Demo) -> None:
    w = demo.part(PlacesPart)
    specs = places_plan().workers
    regions = regions_by_code({s.town_code for s in specs} | {s.grid_code for s in specs})
    existing = GridWorker.objects.in_bulk([s.phone for s in specs], field_name="phone")
    for s in specs:
        worker = demo.ensure(
            "grid_worker",
            existing.get(s.phone),
            partial(
                grid_worker_create,
                actor=None,
                name=s.name,
                phone=s.phone,
                kind=s.kind,
                town=regions[s.town_code],
                grids=[regions[s.grid_code]],
            ),
        )
        w.grid_worker_of[s.grid_code] = worker
        if s.town_code == TOWN_CODE:
            w.grid_workers.append(worker)
    demo.out(f"网格员：XX镇 {len(w.grid_workers)} 名")
