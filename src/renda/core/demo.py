"""Demo data (演示数据): the step registry and the fictional-name generator.

The demo is a fictional district and town built only through the services; its numbers follow
the town's real half-year report (170 grids, 170 grid workers, the handling units it names, a
five-member presidium); every name and phone number is made up.

``renda demo`` runs the registered *steps* in order inside one transaction. Each step looks up
what already exists by a natural key (region code, phone, unit name, username …) and creates
only what is missing, so a second run writes nothing — no rows, no audit events.

Every app adds its part by registering a step in a ``demo.py`` module of its own (found by
autodiscovery). The organisation's steps (orders below 1000) live in ``places/demo.py``,
``units/demo.py``, ``people/demo.py`` and ``accounts/demo.py``; later apps read what they built
through ``renda.accounts.demo.org(demo)``::

    from renda.accounts.demo import org
    from renda.core.demo import Demo, step

    @step("suggestions", order=1000)
    def suggestions(demo: Demo) -> None:
        staff = org(demo).users["staff"]
        ...

Each step keeps what it built for later steps in a *part* of the run (``demo.part(SomePart)``);
this module knows no app.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from renda.audit import context

T = TypeVar("T")
P = TypeVar("P")


#: The one password of every demo login (passes the configured password validators).
PASSWORD = "renda2026!demo"
#: Seed of the name and phone generator: the same data on every run, on every machine.
SEED = 2023

#: The demo district and its two towns (XX镇, the town of the report; YY街道, to show town scoping).
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
#: What ``renda demo`` calls each kind of record it counts (``demo.created[key]``).
LABELS: dict[str, str] = {}


def step(name: str, *, order: int, labels: dict[str, str] | None = None) -> Callable[[StepFn], StepFn]:
    """Register ``fn`` as the demo step ``name``; steps run by ascending ``order``. ``labels``
    names the kinds of record the step counts in ``demo.created``, for the command's summary."""

    def register(fn: StepFn) -> StepFn:
        _STEPS[name] = Step(name=name, order=order, fn=fn)
        LABELS.update(labels or {})
        return fn

    return register


def steps() -> list[Step]:
    """Every registered step, after importing each installed app's ``demo`` module."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


@dataclass
class Demo:
    """One run of the demo: the world built so far and what this run created."""

    out: Callable[[str], None] = lambda _line: None
    created: Counter[str] = field(default_factory=Counter)
    parts: dict[type[Any], Any] = field(default_factory=dict)

    def part(self, kind: type[P]) -> P:
        """What the steps of one app built in this run (``kind()`` on first use), for later steps."""
        if kind not in self.parts:
            self.parts[kind] = kind()
        found: P = self.parts[kind]
        return found

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


@cache
def names() -> Names:
    """The one stream of demo names of this process: the organisation's steps draw from it in
    their order (grid workers, units, deputies, users), so every run finds the same people."""
    return Names(SEED)
