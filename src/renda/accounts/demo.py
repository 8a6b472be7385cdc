"""The demo's logins, one per role (step ``users``; see renda.core.demo), the table that
``renda demo --print-logins`` prints, and ``org(demo)``: the whole demo organisation as later
apps' steps read it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from renda.accounts.models import User
from renda.accounts.services import user_create
from renda.core.demo import PASSWORD, SEED, Demo, Names, names, step
from renda.core.roles import Role
from renda.people.demo import PeoplePart, PeoplePlan, build_people, people_plan
from renda.people.models import Deputy, DeputyLevel
from renda.places.demo import PlacesPart, PlacesPlan, build_places
from renda.places.models import GridWorker, Region
from renda.units.demo import UnitsPart, UnitSpec, build_units
from renda.units.models import Unit


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
    """The whole demo organisation as data (no database)."""

    places: PlacesPlan
    units: tuple[UnitSpec, ...]
    people: PeoplePlan
    staff_name: str
    district_viewer_name: str


def build_plan(seed: int = SEED) -> Plan:
    """The whole demo organisation as data, drawn in the steps' order; the same for the same seed."""
    stream = Names(seed)
    places = build_places(stream)
    units = build_units(stream)
    people = build_people(stream, places)
    return Plan(places=places, units=units, people=people, staff_name=stream.person(),
                district_viewer_name=stream.person())


@cache
def users_plan() -> tuple[str, str]:
    """The names of the demo's office staff member and district viewer (after the deputies')."""
    people_plan()
    stream = names()
    return stream.person(), stream.person()


class UsersPart:
    def __init__(self) -> None:
        self.users: dict[str, User] = {}  # demo username → user


class OrgWorld:
    """What the organisation steps built (or found), as later apps' demo steps read it."""

    def __init__(self, demo: Demo) -> None:
        places, units, people = demo.part(PlacesPart), demo.part(UnitsPart), demo.part(PeoplePart)
        self.district: Region = places.district
        self.town: Region = places.town  # XX镇, the town of the report
        self.other_town: Region = places.other_town  # YY街道, so that town scoping is visible
        self.villages: list[Region] = places.villages
        self.grids: list[Region] = places.grids
        self.grid_workers: list[GridWorker] = places.grid_workers
        self.grid_worker_of: dict[str, GridWorker] = places.grid_worker_of  # grid code → its worker
        self.units: dict[str, Unit] = units.units  # name → unit of XX镇
        self.deputies: list[Deputy] = people.deputies  # XX镇
        self.presidium: list[Deputy] = people.presidium  # XX镇, 主席 first
        self.presidium_titles: dict[int, str] = people.presidium_titles  # deputy pk → 主席 / 副主席 / 主席团成员
        self.other_deputies: list[Deputy] = people.other_deputies  # YY街道
        self.users: dict[str, User] = demo.part(UsersPart).users  # demo username → user


def org(demo: Demo) -> OrgWorld:
    """The demo organisation built so far in this run."""
    return OrgWorld(demo)


@step("users", order=900, labels={"user": "用户"})
def build_users(demo: Demo) -> None:
    w = org(demo)
    p = people_plan()
    staff_name, district_viewer_name = users_plan()
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
        "staff": {"display_name": staff_name, "town": w.town},
        "presidium": {
            "display_name": f"{chair.name}（{w.presidium_titles[chair.pk]}）",
            "town": w.town,
            "deputy": chair,
        },
        "deputy": {"display_name": deputy.name, "town": w.town, "deputy": deputy},
        "unit": {"display_name": f"{unit.name} {unit.contact_person}", "town": w.town, "unit": unit},
        "grid": {"display_name": worker.name, "town": w.town, "grid_worker": worker},
        "district": {"display_name": f"区人大 {district_viewer_name}"},
    }
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=[s.username for s in LOGINS])}
    for s in LOGINS:
        demo.part(UsersPart).users[s.username] = demo.ensure(
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
