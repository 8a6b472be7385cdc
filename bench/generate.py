"""Scale data for the benchmarks: a district of 20 towns with 1,000,000 suggestions and
200,000 petitions (``--scale 1``), loaded through bulk paths.

    python -m bench.generate --scale 0.01            # 10,000 suggestions, 2,000 petitions
    DATABASE_URL=postgres://… python -m bench.generate --scale 1

What goes through the services and what does not:

- The organisation (regions, grid workers, units, deputies incl. the presidium, categories,
  one login per role and town) is created through the services, with their checks and
  audit events, exactly as ``renda demo`` does.
- Suggestions and petitions, with their timelines (``Transition``), replies, evaluations
  and petitioners, are written in bulk: ``executemany`` on SQLite, ``COPY`` on PostgreSQL,
  in batches of ``--batch`` items. Each item's path through the workflow is built with the
  workflow table itself (``workflow.next_state``), so every transition is one the services
  would allow, and each date follows from the previous one the way the services compute it
  (deadlines from ``rules``; petitions' time limits from the working-day calendar).
  The database enforces every ``CheckConstraint``, unique constraint and foreign key of the
  models on these rows (SQLite with ``foreign_keys=ON``, both back ends check constraints on
  raw inserts); in addition every ``--check-every``-th item is rebuilt as a model instance
  and passed through ``full_clean()``. Not re-checked in bulk: policy (the loader acts as the
  system) and the similarity/repeat detection of registering (items are independent).
- Personal data is encrypted with ``renda.core.crypto.encrypt`` and the lookup hashes are the
  services' own (``phone_lookup_hash``, ``id_lookup_hash``).
- Audit: bulk-loaded history is marked as imported. Each batch appends ONE event to the hash
  chain (verb ``bench.bulk_import``, source ``import``, the id range and counts in ``after``),
  through ``audit.services.record``, so ``renda audit verify`` stays clean; the per-item
  timeline is in the ``Transition`` rows, not in per-item audit events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

START = dt.date(2022, 1, 1)
SUGGESTIONS_AT_SCALE_1 = 1_000_000
PETITIONS_AT_SCALE_1 = 200_000
DISTRICT_CODE = "340499000000"
PASSWORD = "bench-Renda-2026!"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    import django

    django.setup()


# --------------------------------------------------------------------------------------------
# The organisation, through the services
# --------------------------------------------------------------------------------------------


@dataclass
class Town:
    region: Any
    villages: list[Any] = field(default_factory=list)
    grids: dict[int, list[Any]] = field(default_factory=dict)  # village id -> grids
    units: list[Any] = field(default_factory=list)
    deputies: list[Any] = field(default_factory=list)
    presidium: list[Any] = field(default_factory=list)
    categories: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


@dataclass
class Org:
    district: Any
    towns: list[Town]
    admin: Any


TOWN_NAMES = ("城关镇", "河口镇", "桃园镇", "青山镇", "白马镇", "双河镇", "柳林镇", "新集镇", "三里镇", "石桥镇",
              "龙泉镇", "金塘镇", "杨庙镇", "高岭镇", "东湖街道", "西城街道", "南山镇", "北关镇", "永丰镇", "太平镇",
              "长安镇", "临河镇", "花园镇", "古城镇")
VILLAGE_NAMES = ("东风", "红旗", "前进", "胜利", "和平", "幸福", "光明", "团结", "新华", "建设", "民主", "丰收",
                 "友谊", "振兴", "新民", "永安")
UNIT_NAMES = ("镇经济发展中心", "村镇规划建设办公室", "镇农业农村办公室", "镇社会事务办公室", "镇综治中心",
              "镇财政所", "镇生态环境办公室", "镇应急管理办公室", "区交通运输局", "区住房和城乡建设局", "区水利局",
              "区教育体育局")


def build_org(*, towns: int, villages: int, grids: int, deputies: int, seed: int) -> Org:
    """The district through the services (checks and audit events as in ``renda demo``)."""
    from django.db import transaction

    from bench import phrases
    from renda.accounts.services import user_create
    from renda.audit import context
    from renda.core.demo import Names
    from renda.core.roles import Role
    from renda.people.services import deputy_create
    from renda.places.models import Kind, Level, Region, WorkerKind
    from renda.places.services import grid_worker_create, region_create
    from renda.suggestions.services import suggestion_category_create
    from renda.units.models import UnitKind
    from renda.units.services import unit_create

    names = Names(seed)
    phones = iter(range(10**7))

    def mobile() -> str:
        return f"138{next(phones):08d}"

    with context.bind(source="command"), transaction.atomic():
        district = Region.objects.filter(code=DISTRICT_CODE).first() or region_create(
            actor=None, code=DISTRICT_CODE, name="基准区", level=Level.DISTRICT, kind=Kind.DISTRICT)
        out: list[Town] = []
        for t in range(towns):
            code = f"{DISTRICT_CODE[:6]}{t + 101:03d}000"
            street = TOWN_NAMES[t % len(TOWN_NAMES)].endswith("街道")
            region = region_create(actor=None, code=code, name=TOWN_NAMES[t % len(TOWN_NAMES)] + (
                "" if t < len(TOWN_NAMES) else str(t)), level=Level.TOWN, kind=Kind.STREET if street else Kind.TOWN,
                parent=district)
            town = Town(region)
            for v in range(villages):
                community = v < villages // 5
                vname = VILLAGE_NAMES[v % len(VILLAGE_NAMES)] + ("社区" if community else "村")
                village = region_create(actor=None, code=f"{code[:9]}{v + 1:03d}", name=vname, level=Level.VILLAGE,
                                        kind=Kind.COMMUNITY if community else Kind.VILLAGE, parent=region)
                town.villages.append(village)
                town.grids[village.pk] = [
                    region_create(actor=None, code=f"{village.code}{g + 1:03d}", name=f"{vname}第{g + 1}网格",
                                  level=Level.GRID, kind=Kind.GRID, parent=village)
                    for g in range(grids)
                ]
                for g, grid in enumerate(town.grids[village.pk]):
                    grid_worker_create(actor=None, name=names.person(), phone=mobile(),
                                       kind=WorkerKind.FULL_TIME if g == 0 else WorkerKind.PART_TIME, town=region,
                                       grids=[grid])
            for u, uname in enumerate(UNIT_NAMES):
                town.units.append(unit_create(
                    actor=None, town=region, name=uname,
                    kind=UnitKind.DISTRICT_UNIT if uname.startswith("区") else UnitKind.TOWN_DEPARTMENT,
                    contact_person=names.person(), contact_phone=f"0552-7{t:02d}{u:04d}"))
            for d in range(deputies):
                village = town.villages[d % len(town.villages)]
                dep = deputy_create(actor=None, name=names.person(), phone=mobile(), level="town", town=region,
                                    term="第十八届", constituency=f"{village.name}选区", village=village,
                                    is_presidium=d < 5, serving_from=dt.date(2021, 11, 18),
                                    grids=town.grids[village.pk][:1])
                (town.presidium if d < 5 else town.deputies).append(dep)
            for cname in phrases.category_names():
                town.categories[cname] = suggestion_category_create(actor=None, town=region, name=cname)
            prefix = f"t{t + 1:02d}"
            town.users = {
                "staff": user_create(actor=None, username=f"{prefix}_staff", password=PASSWORD, role=Role.STAFF,
                                     display_name=f"{region.name}人大办", town=region, validate=False),
                "presidium": user_create(actor=None, username=f"{prefix}_presidium", password=PASSWORD,
                                         role=Role.PRESIDIUM, town=region, deputy=town.presidium[0], validate=False),
                "unit": user_create(actor=None, username=f"{prefix}_unit", password=PASSWORD, role=Role.UNIT,
                                    town=region, unit=town.units[0], validate=False),
                "deputy": user_create(actor=None, username=f"{prefix}_deputy", password=PASSWORD, role=Role.DEPUTY,
                                      town=region, deputy=town.deputies[0], validate=False),
            }
            out.append(town)
        admin = user_create(actor=None, username="bench_admin", password=PASSWORD, role=Role.ADMIN,
                            display_name="全区管理员", validate=False)
        user_create(actor=None, username="bench_district", password=PASSWORD, role=Role.DISTRICT_VIEWER,
                    display_name="区人大", validate=False)
    return Org(district, out, admin)


# --------------------------------------------------------------------------------------------
# Bulk writing: executemany on SQLite, COPY on PostgreSQL
# --------------------------------------------------------------------------------------------


class Writer:
    """Rows written by ``renda.core.bulk`` (executemany on SQLite, COPY on PostgreSQL), counted."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.rows_written = 0

    def write(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        from renda.core import bulk

        self.rows_written += bulk.write_rows(model, rows)

    def next_id(self, model: Any) -> int:
        from django.db.models import Max

        return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def fix_sequences(self, models_: Iterable[Any]) -> None:
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cur:
            for m in models_:
                table = m._meta.db_table
                cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))')

    def analyze(self) -> None:
        """Statistics for the planner; on PostgreSQL also the visibility map (``VACUUM``), as
        autovacuum leaves a table some time after a load: without it every count reads the
        heap (a town's count: 212 ms instead of an index-only scan)."""
        vacuum = self.connection.vendor == "postgresql" and not self.connection.in_atomic_block
        with self.connection.cursor() as cur:  # (VACUUM cannot run in a transaction: a test's)
            cur.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------


def _noon(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(4, 0), tzinfo=dt.UTC)  # 12:00 in Asia/Shanghai


def _day(rng: random.Random, days: int) -> dt.date:
    """A registration date in [START, START + days), more items in recent years."""
    x = rng.random() ** 0.8
    return START + dt.timedelta(days=int(x * days))


@dataclass
class Counters:
    suggestions: int = 0
    transitions: int = 0
    replies: int = 0
    evaluations: int = 0
    petitions: int = 0
    petitioners: int = 0
    checked: int = 0


def _person(rng: random.Random) -> str:
    from renda.core.demo import GIVEN, SURNAMES

    given = GIVEN[int(rng.random() * len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[int(rng.random() * len(GIVEN))]
    return SURNAMES[int(rng.random() * len(SURNAMES))] + given


def suggestion_rows(
    rng: random.Random, org: Org, *, first_id: int, count: int, today: dt.date, codes: dict[int, int],
    merge_targets: dict[int, list[int]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` items from id ``first_id``: (suggestions, transitions, replies, evaluations)."""
    from bench import phrases
    from renda.core import crypto
    from renda.suggestions import rules, workflow
    from renda.suggestions.models import Kind, ReplyClass, Result, Source
    from renda.suggestions.workflow import Action, State

    span = (today - START).days
    items, transitions, replies, evaluations = [], [], [], []
    public_sources = [Source.GRID_REPORTED, Source.LETTER, Source.VISIT, Source.PHONE, Source.ONLINE,
                      Source.CONTACT_STATION]
    deputy_sources = [Source.SESSION, Source.RECESS, Source.DEPUTY_COLLECTED]
    for i in range(count):
        pk = first_id + i
        town = org.towns[int(rng.random() * len(org.towns))]
        staff, unit_user = town.users["staff"], town.users["unit"]
        reg = _day(rng, span)
        cat_name, title, content = phrases.suggestion_text(rng)
        village = town.villages[int(rng.random() * len(town.villages))]
        grids = town.grids[village.pk]
        grid = grids[int(rng.random() * len(grids))] if rng.random() < 0.8 else None
        deputy = rng.random() < 0.25
        codes[reg.year] = codes.get(reg.year, 0) + 1
        s: dict[str, Any] = {
            "id": pk, "code": f"YJ{reg.year}-{codes[reg.year]:03d}",
            "kind": Kind.DEPUTY if deputy else Kind.PUBLIC, "town_id": town.region.pk, "village_id": village.pk,
            "grid_id": grid.pk if grid else None, "category_id": town.categories[cat_name].pk, "title": title,
            "content": content, "registered_at": reg, "tracking_code": secrets.token_urlsafe(12),
            "created_by_id": staff.pk, "created_at": _noon(reg), "updated_at": _noon(reg),
        }
        if deputy:
            lead = town.deputies[int(rng.random() * len(town.deputies))]
            s.update(lead_deputy_id=lead.pk, source=deputy_sources[int(rng.random() * 3)])
        else:
            s["source"] = public_sources[int(rng.random() * len(public_sources))]
            if rng.random() < 0.1:
                s["anonymous"] = True
            else:
                phone = f"13{int(rng.random() * 10**9):09d}"
                s.update(submitter_name=crypto.encrypt(_person(rng)), submitter_phone=crypto.encrypt(phone),
                         submitter_phone_hash=crypto.phone_lookup_hash(phone))
        state = State.REGISTERED
        steps: list[tuple[Action, dt.date, int | None, str]] = [(Action.REGISTER, reg, staff.pk, "")]

        def go(action: Action, on: dt.date, actor: Any, comment: str = "") -> None:
            nonlocal state
            state = workflow.next_state(state, action)  # the services' own table: only legal moves
            steps.append((action, on, actor.pk if actor is not None else None, comment))  # noqa: B023

        age = (today - reg).days
        r = rng.random()
        targets = merge_targets.setdefault(town.region.pk, [])
        if r < 0.03 and age > 3:
            on = reg + dt.timedelta(days=1 + int(rng.random() * 3))
            go(Action.DECLINE, on, staff, "不属于本级人大受理范围")
        elif r < 0.04 and deputy and age > 3:
            go(Action.WITHDRAW, reg + dt.timedelta(days=2), town.users["deputy"], "问题已自行解决")
        elif r < 0.05 and targets and age > 2:
            s["merged_into_id"] = targets[int(rng.random() * len(targets))]
            go(Action.MERGE, reg + dt.timedelta(days=1), staff, "与已登记事项内容相同")
        else:
            progress = min(1.0, age / 150) * (0.6 + 0.4 * rng.random()) + (0.25 if age > 400 else 0)
            on = reg + dt.timedelta(days=1 + int(rng.random() * 4))
            if progress > 0.05 and on <= today:
                unit = town.units[int(rng.random() * len(town.units))]
                deadline = rules.deadline_for(s["kind"], on)
                s.update(lead_unit_id=unit.pk, assigned_at=on, deadline=deadline, original_deadline=deadline)
                go(Action.ASSIGN, on, staff)
                on = on + dt.timedelta(days=int(rng.random() * 4))
                if progress > 0.15 and on <= today:
                    s["accepted_at"] = on
                    go(Action.ACCEPT, on, unit_user)
                    rounds = 2 if rng.random() < 0.04 else 1
                    for rnd in range(rounds):
                        on = on + dt.timedelta(days=3 + int(rng.random() * 32))
                        if not (progress > 0.4 and on <= today):
                            break
                        cls = ReplyClass.A if rng.random() < 0.6 else rng.choice(
                            [ReplyClass.B, ReplyClass.C, ReplyClass.D])
                        replies.append({"suggestion_id": pk, "reply_class": cls, "replied_at": on,
                                        "text": phrases.REPLY_TEXTS[int(rng.random() * len(phrases.REPLY_TEXTS))],
                                        "unit_id": unit.pk, "by_id": unit_user.pk, "created_at": _noon(on),
                                        "updated_at": _noon(on)})
                        go(Action.REPLY, on, unit_user)
                        on = on + dt.timedelta(days=2 + int(rng.random() * 15))
                        if not (progress > 0.6 and on <= today):
                            break
                        last = rnd == rounds - 1
                        result = (Result.DISSATISFIED if not last else
                                  Result.SATISFIED if rng.random() < 0.75 else Result.BASICALLY_SATISFIED)
                        evaluations.append({"suggestion_id": pk, "result": result, "evaluated_at": on,
                                            "by_id": staff.pk, "created_at": _noon(on), "updated_at": _noon(on)})
                        go(Action.EVALUATE, on, staff)
                        if not last:
                            go(Action.REHANDLE, on, staff, "第1次重新办理")
                            s["rehandle_count"] = 1
                            s["deadline"] = max(rules.rehandle_deadline(on), s["assigned_at"])
                            continue
                        on = on + dt.timedelta(days=1 + int(rng.random() * 5))
                        if progress > 0.75 and on <= today:
                            s["closed_at"] = on
                            go(Action.CLOSE, on, staff)
            if state == State.REGISTERED and len(targets) < 200:
                targets.append(pk)
        s["state"] = state.value
        s["version"] = sum(1 for k in range(1, len(steps)) if _changes(steps, k))
        prev = ""
        cur = State.REGISTERED.value
        for k, (action, on, actor_id, comment) in enumerate(steps):
            to = cur if k == 0 else workflow.next_state(cur, action).value
            actor_label = "人大办" if actor_id == staff.pk else ("承办单位" if actor_id == unit_user.pk else "代表")
            transitions.append({"suggestion_id": pk, "action": action.value, "from_state": prev, "to_state": to,
                                "actor_id": actor_id, "actor_label": actor_label, "on": on, "at": _noon(on),
                                "comment": comment})
            prev = cur = to
        s["updated_at"] = _noon(steps[-1][1])
        items.append(s)
    return items, transitions, replies, evaluations


def _changes(steps: Sequence[tuple[Any, ...]], k: int) -> bool:
    from renda.suggestions.workflow import Action

    return steps[k][0] not in {Action.REMIND, Action.SUPERVISE, Action.CO_OPINION}


# --------------------------------------------------------------------------------------------
# Petitions
# --------------------------------------------------------------------------------------------


def petition_rows(
    rng: random.Random, org: Org, *, first_id: int, count: int, today: dt.date, codes: dict[tuple[int, int], int],
    due: Callable[[Callable[..., dt.date], dt.date], dt.date],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    from bench import phrases
    from renda.core import crypto
    from renda.petitions import rules, workflow
    from renda.petitions.models import COMMON_CATEGORIES, Channel
    from renda.petitions.workflow import Action, State

    span = (today - START).days
    channels = [Channel.LETTER, Channel.VISIT, Channel.ONLINE, Channel.PHONE, Channel.REFERRED]
    petitions, people, transitions = [], [], []
    for i in range(count):
        pk = first_id + i
        town = org.towns[int(rng.random() * len(org.towns))]
        staff = town.users["staff"]
        reg = _day(rng, span)
        key = (town.region.pk, reg.year)
        codes[key] = codes.get(key, 0) + 1
        subject, content = phrases.petition_text(rng)
        village = town.villages[int(rng.random() * len(town.villages))]
        p: dict[str, Any] = {
            "id": pk, "code": f"XF{reg.year}-{codes[key]:03d}", "channel": channels[int(rng.random() * 5)],
            "town_id": town.region.pk, "village_id": village.pk, "category": rng.choice(COMMON_CATEGORIES),
            "subject": subject, "content": content, "head_count": 1 if rng.random() < 0.9 else 2,
            "registered_on": reg, "tracking_code": secrets.token_urlsafe(12), "created_by_id": staff.pk,
            "created_at": _noon(reg),
        }
        for pos in range(p["head_count"]):
            phone = f"15{int(rng.random() * 10**9):09d}"
            idn = f"340403{1950 + int(rng.random() * 50)}0101{int(rng.random() * 1000):03d}X"
            people.append({"petition_id": pk, "position": pos, "name": crypto.encrypt(_person(rng)),
                           "id_number": crypto.encrypt(idn), "phone": crypto.encrypt(phone),
                           "address": crypto.encrypt(f"{town.region.name}{village.name}{int(rng.random() * 99) + 1}号"),
                           "id_hash": crypto.id_lookup_hash(idn), "phone_hash": crypto.phone_lookup_hash(phone)})
        state = State.REGISTERED
        steps: list[tuple[Action, dt.date, str]] = [(Action.REGISTER, reg, "")]

        def go(action: Action, on: dt.date, comment: str = "") -> None:
            nonlocal state
            state = workflow.next_state(state, action)
            steps.append((action, on, comment))  # noqa: B023

        age = (today - reg).days
        p["deadline"] = due(rules.acceptance_due, reg)
        on = reg + dt.timedelta(days=1 + int(rng.random() * 10))
        if rng.random() < 0.08 and on <= today:
            p.update(declined_on=on, decline_reason="不属于信访受理范围", deadline=None)
            go(Action.DECLINE, on, p["decline_reason"])
        elif on <= today and age > 5:
            p.update(accepted_on=on, handling_due=due(rules.handling_due, on))
            p["deadline"] = p["handling_due"]
            go(Action.ACCEPT, on)
            on = on + dt.timedelta(days=5 + int(rng.random() * 60))
            if on <= today and rng.random() < 0.97:
                p.update(opinion_on=on, opinion=rng.choice(phrases.OPINIONS), deadline=None)
                go(Action.ISSUE_OPINION, on)
                on = on + dt.timedelta(days=3 + int(rng.random() * 25))
                if on <= today and rng.random() < 0.06:
                    p.update(review_requested_on=on, deadline=due(rules.answer_due, on))
                    go(Action.REQUEST_REVIEW, on)
                    on = on + dt.timedelta(days=5 + int(rng.random() * 20))
                    if on <= today:
                        p.update(review_answered_on=on, review_answer="经复查，维持原处理意见。", deadline=None)
                        go(Action.ANSWER_REVIEW, on)
        p["state"] = state.value
        p["version"] = len(steps) - 1
        p["updated_at"] = _noon(steps[-1][1])
        prev = ""
        for k, (action, on, comment) in enumerate(steps):
            to = State.REGISTERED.value if k == 0 else workflow.next_state(prev, action).value
            transitions.append({"petition_id": pk, "action": action.value, "from_state": prev, "to_state": to,
                                "actor_id": staff.pk, "actor_label": "人大办", "on": on, "at": _noon(on),
                                "comment": comment})
            prev = to
        petitions.append(p)
    return petitions, people, transitions


# --------------------------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------------------------


def _full_clean_sample(model: Any, row: dict[str, Any], exclude: Sequence[str] = ()) -> None:
    """Rebuild one bulk row as a model instance and run the model's own validation on it."""
    obj = model(**row)
    # validate_unique/constraints would look the row itself up once it is written: check it before.
    obj.full_clean(exclude=[*exclude, "tracking_code", "code"], validate_unique=False)


def _audit_batch(model: Any, first: int, last: int, counts: dict[str, int]) -> None:
    from renda.audit.services import record

    target = model.objects.get(pk=first)
    record(actor=None, verb="bench.bulk_import", target=target, before=None,
           after={"imported": True, "ids": f"{first}-{last}", **counts},
           comment=f"批量导入（基准测试数据）#{first}–#{last}")


def load(*, scale: float, towns: int = 20, villages: int = 15, grids: int = 3, deputies: int = 30,
         seed: int = 2026, batch: int = 5000, check_every: int = 1000, today: dt.date | None = None,
         out: Callable[[str], None] = print) -> dict[str, Any]:
    """Build the organisation and bulk-load the items; returns counts and timings."""
    from django.db import transaction
    from django.utils import timezone

    from renda.audit import context
    from renda.calendar_days.workdays import calendar
    from renda.petitions.models import Petition, Petitioner
    from renda.petitions.models import Transition as PTransition
    from renda.suggestions.models import Evaluation, Reply, Suggestion, Transition

    today = today or timezone.localdate()
    rng = random.Random(seed)
    t0 = time.perf_counter()
    org = build_org(towns=towns, villages=villages, grids=grids, deputies=deputies, seed=seed)
    t_org = time.perf_counter() - t0
    out(f"organisation: {towns} towns in {t_org:.1f}s")
    w = Writer()
    c = Counters()
    n_sugg = round(SUGGESTIONS_AT_SCALE_1 * scale)
    n_pet = round(PETITIONS_AT_SCALE_1 * scale)
    merge_targets: dict[int, list[int]] = {}
    codes: dict[int, int] = {}
    t1 = time.perf_counter()
    next_id = w.next_id(Suggestion)
    with context.bind(source="import"):
        done = 0
        while done < n_sugg:
            k = min(batch, n_sugg - done)
            items, trans, reps, evals = suggestion_rows(rng, org, first_id=next_id, count=k, today=today,
                                                        codes=codes, merge_targets=merge_targets)
            for j in range(0, k, check_every):
                _full_clean_sample(Suggestion, items[j], exclude=["co_deputies", "co_units"])
                c.checked += 1
            with transaction.atomic():
                w.write(Suggestion, items)
                w.write(Transition, trans)
                w.write(Reply, reps)
                w.write(Evaluation, evals)
                _audit_batch(Suggestion, next_id, next_id + k - 1,
                             {"suggestions": k, "transitions": len(trans), "replies": len(reps),
                              "evaluations": len(evals)})
            c.suggestions += k
            c.transitions += len(trans)
            c.replies += len(reps)
            c.evaluations += len(evals)
            next_id += k
            done += k
            if done % (batch * 20) == 0 or done == n_sugg:
                out(f"suggestions: {done:,}/{n_sugg:,} ({done / (time.perf_counter() - t1):,.0f}/s)")
        t_sugg = time.perf_counter() - t1
        t2 = time.perf_counter()
        cal = calendar()
        memo: dict[tuple[Any, dt.date], dt.date] = {}

        def due(fn: Callable[..., dt.date], on: dt.date) -> dt.date:
            key = (fn, on)
            if key not in memo:
                memo[key] = fn(on, cal=cal)
            return memo[key]

        pcodes: dict[tuple[int, int], int] = {}
        next_pid = w.next_id(Petition)
        done = 0
        while done < n_pet:
            k = min(batch, n_pet - done)
            pets, people, ptrans = petition_rows(rng, org, first_id=next_pid, count=k, today=today, codes=pcodes,
                                                 due=due)
            for j in range(0, k, check_every):
                _full_clean_sample(Petition, pets[j])
                c.checked += 1
            with transaction.atomic():
                w.write(Petition, pets)
                w.write(Petitioner, people)
                w.write(PTransition, ptrans)
                _audit_batch(Petition, next_pid, next_pid + k - 1,
                             {"petitions": k, "petitioners": len(people), "transitions": len(ptrans)})
            c.petitions += k
            c.petitioners += len(people)
            next_pid += k
            done += k
        t_pet = time.perf_counter() - t2
    w.fix_sequences([Suggestion, Transition, Reply, Evaluation, Petition, Petitioner, PTransition])
    t3 = time.perf_counter()
    w.analyze()
    t_an = time.perf_counter() - t3
    out(f"loaded {c.suggestions:,} suggestions in {t_sugg:.1f}s, {c.petitions:,} petitions in {t_pet:.1f}s, "
        f"{w.rows_written:,} rows; analyze {t_an:.1f}s")
    return {"counts": c.__dict__, "rows": w.rows_written, "seconds": {
        "organisation": round(t_org, 1), "suggestions": round(t_sugg, 1), "petitions": round(t_pet, 1),
        "analyze": round(t_an, 1)}, "towns": [t.region.code for t in org.towns]}


#: The table in the loaded database that says what was loaded (``make bench`` with ``--resume``
#: reuses a database only when it finds this row at the requested scale and seed). It is written
#: in the load's last step, so a load that was interrupted leaves no marker and is done again.
MARKER_TABLE = "bench_loaded"
#: The exit status of ``--resume`` when the database must be emptied and loaded again.
RELOAD = 3


def loaded_marker() -> dict[str, Any] | None:
    """What ``load`` recorded in this database (scale, seed, towns, counts), or None."""
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cur:
        cur.execute(f"SELECT scale, seed, towns, loaded_at, counts FROM {MARKER_TABLE}")  # noqa: S608
        row = cur.fetchone()
    if row is None:
        return None
    return {"scale": float(row[0]), "seed": int(row[1]), "towns": int(row[2]), "loaded_at": row[3],
            "counts": json.loads(row[4])}


def write_marker(*, scale: float, seed: int, towns: int, counts: dict[str, Any]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale REAL NOT NULL, seed INTEGER NOT NULL, "
                    "towns INTEGER NOT NULL, loaded_at TEXT NOT NULL, counts TEXT NOT NULL)")
        cur.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608
        cur.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                    [scale, seed, towns, timezone.now().isoformat(timespec="seconds"), json.dumps(counts)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bulk-load a benchmark district (see bench/README.md).")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 suggestions, 200,000 petitions")
    parser.add_argument("--towns", type=int, default=20)
    parser.add_argument("--villages", type=int, default=15, help="villages/communities per town")
    parser.add_argument("--grids", type=int, default=3, help="grids per village")
    parser.add_argument("--deputies", type=int, default=30, help="deputies per town (the first 5 presidium)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--json", help="write the counts and timings to this file")
    parser.add_argument("--resume", action="store_true",
                        help="if this database is already loaded at this scale and seed, only migrate it")
    parser.add_argument("--mark-only", action="store_true",
                        help="record that this database is loaded at --scale/--seed (a load made by hand)")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    if args.mark_only:
        from renda.suggestions.models import Suggestion

        write_marker(scale=args.scale, seed=args.seed, towns=args.towns,
                     counts={"suggestions": Suggestion.objects.count()})
        return 0
    marker = loaded_marker() if args.resume else None
    if marker is not None:
        if (marker["scale"], marker["seed"], marker["towns"]) != (args.scale, args.seed, args.towns):
            print(f"loaded at scale {marker['scale']}, seed {marker['seed']}, {marker['towns']} towns, not "
                  f"{args.scale}/{args.seed}/{args.towns}: start afresh (without --resume)", file=sys.stderr)
            return RELOAD
        print(f"already loaded at scale {args.scale} (seed {args.seed}, {marker['loaded_at']}): "
              "migrating only", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        return 0
    from renda.accounts.models import User

    if not args.no_migrate:
        call_command("migrate", verbosity=0, interactive=False)
    if User.objects.filter(username="bench_admin").exists():
        print("this database holds a load that did not finish: start afresh (a new data dir or database)",
              file=sys.stderr)
        return RELOAD
    result = load(scale=args.scale, towns=args.towns, villages=args.villages, grids=args.grids,
                  deputies=args.deputies, seed=args.seed, batch=args.batch,
                  out=lambda msg: print(msg, flush=True))
    write_marker(scale=args.scale, seed=args.seed, towns=args.towns, counts=result["counts"])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
