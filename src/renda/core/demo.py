"""Demo data (演示数据): a fictional district and town built only through the services.

The numbers follow the town's real half-year report (170 grids, 170 grid workers, the handling
units it names, a five-member presidium); every name and phone number is made up.

``renda demo`` runs the registered *steps* in order inside one transaction. Each step looks up
what already exists by a natural key (region code, phone, unit name, username …) and creates
only what is missing, so a second run writes nothing — no rows, no audit events.

Later apps add their part by registering a step in a ``demo.py`` module of their own (found by
autodiscovery), reading the organisation built here from ``demo.world``::

    from renda.core.demo import Demo, step

    @step("suggestions", order=1000)
    def suggestions(demo: Demo) -> None:
        staff = demo.world.users["staff"]
        ...

Orders below 1000 belong to the organisation (places, units, people, accounts).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, TypeVar

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.audit import context
from renda.core.roles import Role
from renda.people.models import ContactAssignment, Deputy, DeputyLevel
from renda.people.services import contact_assignment_create, deputy_create
from renda.places.models import GridWorker, Kind, Level, Region, WorkerKind
from renda.places.services import grid_worker_create, region_create
from renda.units.models import Unit, UnitKind
from renda.units.services import unit_create

T = TypeVar("T")

#: The one password of every demo login (passes the configured password validators).
PASSWORD = "renda2026!demo"
#: Seed of the name and phone generator: the same data on every run, on every machine.
SEED = 2023

DISTRICT_CODE = "340399000000"
TOWN_CODE = "340399100000"
OTHER_TOWN_CODE = "340399200000"


# --------------------------------------------------------------------------------------------
# Step registry
# --------------------------------------------------------------------------------------------

StepFn = Callable[["Demo"], None]


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    fn: StepFn


_STEPS: dict[str, Step] = {}


def step(name: str, *, order: int) -> Callable[[StepFn], StepFn]:
    """Register ``fn`` as the demo step ``name``; steps run by ascending ``order``."""

    def register(fn: StepFn) -> StepFn:
        _STEPS[name] = Step(name=name, order=order, fn=fn)
        return fn

    return register


def steps() -> list[Step]:
    """Every registered step, after importing each installed app's ``demo`` module."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


class DemoWorld:
    """What the organisation steps built (or found), for later steps to build on."""

    district: Region
    town: Region  # XX镇, the town of the report
    other_town: Region  # YY街道, so that town scoping is visible

    def __init__(self) -> None:
        self.villages: list[Region] = []
        self.grids: list[Region] = []
        self.grid_workers: list[GridWorker] = []
        self.grid_worker_of: dict[str, GridWorker] = {}  # grid code → its worker
        self.units: dict[str, Unit] = {}  # name → unit of XX镇
        self.deputies: list[Deputy] = []  # XX镇
        self.presidium: list[Deputy] = []  # XX镇, 主席 first
        self.presidium_titles: dict[int, str] = {}  # deputy pk → 主席 / 副主席 / 主席团成员
        self.other_deputies: list[Deputy] = []  # YY街道
        self.users: dict[str, User] = {}  # demo username → user


@dataclass
class Demo:
    """One run of the demo: the world built so far and what this run created."""

    out: Callable[[str], None] = lambda _line: None
    world: DemoWorld = field(default_factory=DemoWorld)
    created: Counter[str] = field(default_factory=Counter)

    def ensure(self, label: str, existing: T | None, create: Callable[[], T]) -> T:
        """``existing`` if there is one; else ``create()`` it and count it under ``label``."""
        if existing is not None:
            return existing
        obj = create()
        self.created[label] += 1
        return obj


def run(*, out: Callable[[str], None] | None = None) -> Demo:
    """Run every step in one transaction, as the system, under one request id so that the
    audit trail shows the run as one command."""
    demo = Demo(out=out or (lambda _line: None))
    with context.bind(request_id=uuid.uuid4().hex, source="command"), transaction.atomic():
        for s in steps():
            s.fn(demo)
    return demo


# --------------------------------------------------------------------------------------------
# Fictional names and phone numbers
# --------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文海云辉林春晓燕成亮东峰斌"
    "俊鹏波宁欣婷雪梅琴飞鑫浩宇凯健萍丹玲新利清荣德立永先庆长家学金福忠兵晨阳振胜翠凤"
)


class Names:
    """Deterministic fictional names and phone numbers, each used once.

    Only ``random.random()`` is used: Python guarantees its sequence for a given seed across
    versions, so the same names come out on every machine and a re-run finds them again.
    """

    def __init__(self, seed: int = SEED) -> None:
        self._rng = random.Random(seed)
        self._names: set[str] = set()
        self._phones: set[str] = set()

    def below(self, n: int) -> int:
        return min(int(self._rng.random() * n), n - 1)

    def person(self) -> str:
        while True:
            given = GIVEN[self.below(len(GIVEN))]
            if self.below(10) < 6:
                given += GIVEN[self.below(len(GIVEN))]
            name = SURNAMES[self.below(len(SURNAMES))] + given
            if name not in self._names:
                self._names.add(name)
                return name

    def mobile(self) -> str:
        """139 0552 xxxx: a fictional mobile number."""
        while True:
            phone = f"1390552{self.below(10000):04d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def landline(self) -> str:
        while True:
            phone = f"0552-60{self.below(100000):05d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone


# --------------------------------------------------------------------------------------------
# The plan: what the demo organisation looks like (pure data, no database)
# --------------------------------------------------------------------------------------------

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

PRESIDIUM_TITLES = ("主席", "副主席", "副主席", "主席团成员", "主席团成员")
TOWN_DEPUTIES = 40  # of whom the first len(PRESIDIUM_TITLES) form the presidium
DISTRICT_DEPUTIES = 8
YY_DISTRICT_DEPUTIES = 2
TOWN_TERM, DISTRICT_TERM = "第十八届", "第十三届"
SERVING_FROM = dt.date(2021, 11, 18)


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
class UnitSpec:
    town_code: str
    name: str
    kind: str
    contact_person: str
    contact_phone: str


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
class UserSpec:
    username: str
    role: str
    label_zh: str
    label_en: str


#: The demo logins, one per role, in the order they are printed.
LOGINS: tuple[UserSpec, ...] = (
    UserSpec("admin", Role.ADMIN, "系统管理员(全区)", "administrator (district-wide)"),
    UserSpec("staff", Role.STAFF, "人大办工作人员(XX镇)", "congress office staff"),
    UserSpec("presidium", Role.PRESIDIUM, "主席团成员(主席)", "presidium member (chair)"),
    UserSpec("deputy", Role.DEPUTY, "镇人大代表", "town deputy"),
    UserSpec("unit", Role.UNIT, "承办单位(镇经济发展中心)", "handling unit"),
    UserSpec("grid", Role.GRID_WORKER, "网格员", "grid worker"),
    UserSpec("district", Role.DISTRICT_VIEWER, "区人大(只读)", "district viewer (read-only)"),
)


@dataclass(frozen=True)
class Plan:
    regions: tuple[RegionSpec, ...]
    workers: tuple[WorkerSpec, ...]
    units: tuple[UnitSpec, ...]
    deputies: tuple[DeputySpec, ...]
    contacts: tuple[tuple[int, int], ...]  # (presidium index, deputy index) into ``deputies``
    staff_name: str
    district_viewer_name: str


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


def build_plan(seed: int = SEED) -> Plan:
    """The whole demo organisation as data; the same for the same seed."""
    names = Names(seed)
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

    units = [UnitSpec(TOWN_CODE, n, k, names.person(), names.landline()) for n, k in XX_UNITS]
    units += [UnitSpec(OTHER_TOWN_CODE, n, k, names.person(), names.landline()) for n, k in YY_UNITS]

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
        mine = tuple(
            gc for g, gc in enumerate(xx_grids_of[village.code]) if neighbours[g % len(neighbours)] == k
        )
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
                grid_codes=tuple(yy_grids_of[village.code]),
            )
        )

    # 主席团成员联系代表: the other XX镇 deputies dealt round-robin to the five members (8–9 each).
    n_presidium = len(PRESIDIUM_TITLES)
    others = range(n_presidium, len(kinds))
    contacts = tuple((j % n_presidium, d) for j, d in enumerate(others))
    return Plan(
        regions=tuple(regions),
        workers=tuple(workers),
        units=tuple(units),
        deputies=tuple(deputies),
        contacts=contacts,
        staff_name=names.person(),
        district_viewer_name=names.person(),
    )


@cache
def plan() -> Plan:
    """The demo plan, computed once per process."""
    return build_plan()


# --------------------------------------------------------------------------------------------
# The organisation steps
# --------------------------------------------------------------------------------------------


@step("regions", order=100)
def build_regions(demo: Demo) -> None:
    w = demo.world
    specs = plan().regions
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


def _regions(codes: Iterable[str]) -> dict[str, Region]:
    return Region.objects.in_bulk(list(codes), field_name="code")


@step("grid_workers", order=200)
def build_grid_workers(demo: Demo) -> None:
    w = demo.world
    specs = plan().workers
    regions = _regions({s.town_code for s in specs} | {s.grid_code for s in specs})
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


@step("units", order=300)
def build_units(demo: Demo) -> None:
    w = demo.world
    specs = plan().units
    towns = _regions({s.town_code for s in specs})
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


@step("deputies", order=400)
def build_deputies(demo: Demo) -> None:
    w = demo.world
    specs = plan().deputies
    regions = _regions({c for s in specs for c in (s.town_code, s.village_code, *s.grid_codes)})
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
    counts = (
        f"XX镇 {len(w.deputies)} 名（主席团成员 {len(w.presidium)} 名），YY街道 {len(w.other_deputies)} 名"
    )
    demo.out(f"代表：{counts}")


@step("contact_assignments", order=500)
def build_contact_assignments(demo: Demo) -> None:
    w = demo.world
    existing = set(
        ContactAssignment.objects.filter(town=w.town).values_list("presidium_member_id", "deputy_id")
    )
    for p, d in plan().contacts:
        member, deputy = w.deputies[p], w.deputies[d]
        if (member.pk, deputy.pk) not in existing:
            contact_assignment_create(actor=None, presidium_member=member, deputy=deputy)
            demo.created["contact_assignment"] += 1
    demo.out(f"联系代表安排：{len(plan().contacts)} 项")


@step("users", order=900)
def build_users(demo: Demo) -> None:
    w = demo.world
    p = plan()
    chair = w.presidium[0]
    chair_contacts = {d for m, d in p.contacts if m == 0}
    # The demo deputy: a town deputy whom the chair contacts and who has grids; the demo grid
    # worker works in one of that deputy's grids, so the three logins see the same grid.
    k = next(
        d
        for d in sorted(chair_contacts)
        if p.deputies[d].level == DeputyLevel.TOWN and p.deputies[d].grid_codes
    )
    deputy = w.deputies[k]
    worker = w.grid_worker_of[p.deputies[k].grid_codes[0]]
    unit = w.units["镇经济发展中心"]
    links: dict[str, dict[str, Any]] = {
        "admin": {"display_name": "系统管理员"},
        "staff": {"display_name": p.staff_name, "town": w.town},
        "presidium": {
            "display_name": f"{chair.name}（{w.presidium_titles[chair.pk]}）",
            "town": w.town,
            "deputy": chair,
        },
        "deputy": {"display_name": deputy.name, "town": w.town, "deputy": deputy},
        "unit": {"display_name": f"{unit.name} {unit.contact_person}", "town": w.town, "unit": unit},
        "grid": {"display_name": worker.name, "town": w.town, "grid_worker": worker},
        "district": {"display_name": f"区人大 {p.district_viewer_name}"},
    }
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=[s.username for s in LOGINS])}
    for s in LOGINS:
        w.users[s.username] = demo.ensure(
            "user",
            existing.get(s.username),
            partial(
                user_create,
                actor=None,
                username=s.username,
                password=PASSWORD,
                role=s.role,
                **links[s.username],
            ),
        )
    demo.out(f"演示账号：{len(w.users)} 个")


# --------------------------------------------------------------------------------------------
# The login table printed by ``renda demo --print-logins``
# --------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in {"W", "F"} else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(specs: Sequence[UserSpec] = LOGINS) -> list[str]:
    """The demo logins as aligned lines: role (中文 / English), username, password."""
    header = ("角色 / role", "用户名 / username", "密码 / password")
    rows = [(f"{s.label_zh} / {s.label_en}", s.username, PASSWORD) for s in specs]
    widths = [max(_width(r[i]) for r in (header, *rows)) for i in range(3)]
    lines = []
    for i, row in enumerate((header, *rows)):
        lines.append("  ".join(_pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
