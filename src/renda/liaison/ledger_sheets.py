"""Ledger sheets of the liaison app: 代表小组 and 联系记录 (see docs/ledger.md).

代表小组, keyed by (所属镇街代码, 小组名称): the group's leader, members (deputy names of the
town) and the villages and grids it covers (region codes); created or updated through
``group_create`` / ``group_update``.

联系记录, keyed by (所属镇街代码, 类型, 联系日期, 代表, 主席团成员, 联系方式): a deputy's contact with
voters (类型 联系选民, 主席团成员 blank) or a presidium member's contact with a deputy (类型
主席团成员联系代表, which needs an active assignment); created through the services, an existing
row's 户数, 地点 and 内容 updated.

Both are imported after the organization sheets (deputies are named within their town).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from renda.core.ledger import cells
from renda.core.ledger.registry import (
    ORDER_CONTACTS,
    ORDER_DEPUTY_GROUPS,
    Action,
    ImportContext,
    Outcome,
    Resolved,
    Row,
    RowError,
    SheetSpec,
    changed_values,
    describe_changes,
    register,
)
from renda.liaison import services
from renda.liaison.models import ContactWay, DeputyGroup, PresidiumContact, VoterContact
from renda.people.models import Deputy
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Level, Region

GROUPS_SHEET, CONTACTS_SHEET = "代表小组", "联系记录"

VOTER, PRESIDIUM = "voter", "presidium"
KINDS = {"联系选民": VOTER, "主席团成员联系代表": PRESIDIUM}
_KIND_TEXT = {v: k for k, v in KINDS.items()}
WAYS = {str(label): value for value, label in ContactWay.choices}
_WAY_TEXT = {v: k for k, v in WAYS.items()}


def _deputy(town: Region, name: str, column: str) -> Deputy:
    found = list(Deputy.objects.filter(town=town, name=name)[:2])
    if not found:
        raise RowError(column, _("{town}没有名为「{name}」的代表").format(town=town.name, name=name))
    if len(found) > 1:
        raise RowError(column, _("{town}有多名代表名为「{name}」，无法区分").format(town=town.name, name=name))
    return found[0]


def _collect(problems: list[tuple[str, str]], fn: Any) -> Any:
    try:
        return fn()
    except RowError as exc:
        problems += exc.problems
        return None


# -- 代表小组 -------------------------------------------------------------------------------------


def _regions(town: Region, codes: list[str], column: str) -> list[Region]:
    found = {r.code: r for r in Region.objects.filter(code__in=codes, level__in=[Level.VILLAGE, Level.GRID],
                                                      town=town)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise RowError(column, _("{town}没有村社区或网格 {codes}").format(town=town.name, codes="、".join(missing)))
    return [found[c] for c in codes]


def _resolve_group(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    name: str = row["小组名称"]
    leader = _collect(problems, lambda: _deputy(town, row["组长"], "组长")) if row.get("组长") else None
    members = [m for n in row.get("组员") or [] if (m := _collect(problems, lambda n=n: _deputy(town, n, "组员")))]
    regions = _collect(problems, lambda: _regions(town, row.get("联系村社区网格") or [], "联系村社区网格")) or []
    if problems:
        raise RowError.many(problems)
    return Resolved(key=(town.code, name), town_code=town.code, label=name, values={
        "town": town, "name": name, "leader": leader, "members": members, "regions": regions,
        "note": row.get("备注") or "", "has": {h: row.has(h) for h in ("组长", "组员", "联系村社区网格", "备注")}})


def _apply_group(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    existing = DeputyGroup.objects.filter(town=v["town"], name=v["name"]).first()
    if existing is None:
        services.group_create(actor=ctx.actor, town=v["town"], name=v["name"], leader=v["leader"],
                              members=v["members"], regions=v["regions"], note=v["note"])
        return Outcome(Action.CREATED, r.label)
    has = v["has"]
    leader = v["leader"] if has["组长"] else existing.leader
    members = list(v["members"]) if has["组员"] else list(existing.members.all())
    if leader is not None and leader not in members:
        members = [leader, *members]
    note: str = v["note"] if has["备注"] else existing.note
    wanted: dict[str, Any] = {"leader": leader, "members": [m.pk for m in members],
              "regions": [g.pk for g in (v["regions"] if has["联系村社区网格"] else existing.regions.all())],
              "note": note}
    changes = changed_values(existing, wanted)
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    services.group_update(actor=ctx.actor, group_id=existing.pk, name=existing.name, leader=leader, members=members,
                          regions=list(v["regions"]) if has["联系村社区网格"] else list(existing.regions.all()),
                          note=note)
    return Outcome(Action.UPDATED, r.label, describe_changes(existing, changes))


def _export_groups(town: Region | None) -> Iterator[dict[str, Any]]:
    qs = DeputyGroup.objects.select_related("town", "leader").prefetch_related("members", "regions")
    if town is not None:
        qs = qs.filter(town=town)
    for g in sorted(qs, key=lambda g: (g.town.code, g.name)):
        yield {
            "小组名称": g.name, "所属镇街代码": g.town.code, "组长": g.leader.name if g.leader else "",
            "组员": sorted(d.name for d in g.members.all()),
            "联系村社区网格": sorted(r.code for r in g.regions.all()), "备注": g.note,
        }


DEPUTY_GROUPS = register(SheetSpec(
    name=GROUPS_SHEET, order=ORDER_DEPUTY_GROUPS, key=("所属镇街代码", "小组名称"),
    columns=(
        cells.text("小组名称", required=True, max_length=100),
        cells.region_code("所属镇街代码", required=True),
        cells.text("组长", max_length=50, help="本镇街代表的姓名（自动列为组员）"),
        cells.list_of("组员", help="本镇街代表（含居住在本镇的区人大代表）的姓名，用 ; 分隔"),
        cells.list_of("联系村社区网格", help="村社区区划代码或网格编码，用 ; 分隔"),
        cells.text("备注", max_length=2000),
    ),
    resolve=_resolve_group, apply=_apply_group, export=_export_groups,
    example={"小组名称": "东片代表小组", "所属镇街代码": "340302100000", "组长": "王五", "组员": "王五",
             "联系村社区网格": "340302100001;340302100001001", "备注": ""},
    town_column="所属镇街代码",
    field_columns={"name": "小组名称", "leader": "组长", "members": "组员", "regions": "联系村社区网格",
                   "note": "备注", "town": "所属镇街代码"},
))


# -- 联系记录 -------------------------------------------------------------------------------------


def _households(row: Row) -> int | None:
    raw = row.get("联系选民户数") or ""
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 10000:
        raise RowError("联系选民户数", _("应为 1 至 10000 的整数"))
    return int(raw)


def _resolve_contact(ctx: ImportContext, row: Row) -> Resolved:
    problems: list[tuple[str, str]] = []
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    kind: str = row["类型"]
    deputy = _collect(problems, lambda: _deputy(town, row["代表"], "代表"))
    member_name = row.get("主席团成员") or ""
    member = None
    if kind == PRESIDIUM:
        if not member_name:
            problems.append(("主席团成员", _("主席团成员联系代表须填写主席团成员")))
        else:
            member = _collect(problems, lambda: _deputy(town, member_name, "主席团成员"))
    elif member_name:
        problems.append(("主席团成员", _("联系选民记录不填主席团成员")))
    households = _collect(problems, lambda: _households(row))
    if kind == PRESIDIUM and not (row.get("内容") or ""):
        problems.append(("内容", _("请填写联系内容")))
    if problems:
        raise RowError.many(problems)
    on = row["联系日期"]
    label = f"{on.isoformat()} {_KIND_TEXT[kind]} {member_name + '→' if member_name else ''}{row['代表']}"
    return Resolved(key=(town.code, kind, on, row["代表"], member_name, row["联系方式"]), town_code=town.code,
                    label=label, values={
                        "town": town, "kind": kind, "on": on, "deputy": deputy, "member": member,
                        "way": row["联系方式"], "households": households, "place": row.get("地点") or "",
                        "content": row.get("内容") or "",
                        "has": {h: row.has(h) for h in ("联系选民户数", "地点", "内容")}})


def _apply_contact(ctx: ImportContext, r: Resolved) -> Outcome:
    v = r.values
    has = v["has"]
    if v["kind"] == PRESIDIUM:
        p = PresidiumContact.objects.filter(presidium_member=v["member"], deputy=v["deputy"], on=v["on"],
                                            way=v["way"]).first()
        if p is None:
            services.presidium_contact_create(actor=ctx.actor, presidium_member=v["member"], deputy=v["deputy"],
                                              on=v["on"], way=v["way"], content=v["content"])
            return Outcome(Action.CREATED, r.label)
        changes = changed_values(p, {"content": v["content"]}) if has["内容"] else {}
        if not changes:
            return Outcome(Action.UNCHANGED, r.label)
        services.presidium_contact_update(actor=ctx.actor, contact_id=p.pk, on=p.on, way=p.way,
                                          content=v["content"])
        return Outcome(Action.UPDATED, r.label, describe_changes(p, changes))
    c = VoterContact.objects.filter(deputy=v["deputy"], on=v["on"], way=v["way"]).first()
    if c is None:
        services.voter_contact_create(actor=ctx.actor, deputy=v["deputy"], on=v["on"], way=v["way"],
                                      households=v["households"] or 1, place=v["place"], issues=v["content"])
        return Outcome(Action.CREATED, r.label)
    wanted: dict[str, Any] = {}
    if has["联系选民户数"] and v["households"] is not None:
        wanted["households"] = v["households"]
    if has["地点"]:
        wanted["place"] = v["place"]
    if has["内容"]:
        wanted["issues"] = v["content"]
    changes = changed_values(c, wanted)
    if not changes:
        return Outcome(Action.UNCHANGED, r.label)
    current: dict[str, Any] = {"households": c.households, "place": c.place, "issues": c.issues} | changes
    services.voter_contact_update(actor=ctx.actor, contact_id=c.pk, on=c.on, way=c.way,
                                  households=current["households"], voters=list(c.voters.all()),
                                  place=current["place"], issues=current["issues"])
    return Outcome(Action.UPDATED, r.label, describe_changes(c, changes))


def _export_contacts(town: Region | None) -> Iterator[dict[str, Any]]:
    voters = VoterContact.objects.select_related("town", "deputy")
    presidium = PresidiumContact.objects.select_related("town", "deputy", "presidium_member")
    if town is not None:
        voters, presidium = voters.filter(town=town), presidium.filter(town=town)
    rows = [{"类型": _KIND_TEXT[VOTER], "所属镇街代码": c.town.code, "联系日期": c.on, "代表": c.deputy.name,
             "主席团成员": "", "联系方式": _WAY_TEXT[c.way], "联系选民户数": str(c.households), "地点": c.place,
             "内容": c.issues} for c in voters]
    rows += [{"类型": _KIND_TEXT[PRESIDIUM], "所属镇街代码": c.town.code, "联系日期": c.on, "代表": c.deputy.name,
              "主席团成员": c.presidium_member.name, "联系方式": _WAY_TEXT[c.way], "联系选民户数": "", "地点": "",
              "内容": c.content} for c in presidium]
    yield from sorted(rows, key=lambda x: (x["所属镇街代码"], x["类型"], x["联系日期"], x["代表"], x["主席团成员"],
                                           x["联系方式"]))


CONTACTS = register(SheetSpec(
    name=CONTACTS_SHEET, order=ORDER_CONTACTS,
    key=("所属镇街代码", "类型", "联系日期", "代表", "主席团成员", "联系方式"),
    columns=(
        cells.choice("类型", KINDS, required=True, help="联系选民 或 主席团成员联系代表"),
        cells.region_code("所属镇街代码", required=True),
        cells.date("联系日期", required=True),
        cells.text("代表", required=True, max_length=50, help="联系选民的代表，或被联系的代表"),
        cells.text("主席团成员", max_length=50, help="主席团成员联系代表时必填（须有联系安排）"),
        cells.choice("联系方式", WAYS, required=True, help="走访、电话、接待、座谈会 或 网络"),
        cells.text("联系选民户数", max_length=5, help="联系选民时的户数（默认 1）"),
        cells.text("地点", max_length=200),
        cells.text("内容", max_length=10000, help="联系选民：反映的问题；联系代表：联系内容"),
    ),
    resolve=_resolve_contact, apply=_apply_contact, export=_export_contacts,
    example={"类型": "联系选民", "所属镇街代码": "340302100000", "联系日期": "2023-03-01", "代表": "王五",
             "主席团成员": "", "联系方式": "走访", "联系选民户数": "3", "地点": "东湖村", "内容": "村道路灯损坏"},
    town_column="所属镇街代码",
    field_columns={"deputy": "代表", "presidium_member": "主席团成员", "on": "联系日期", "way": "联系方式",
                   "households": "联系选民户数", "place": "地点", "issues": "内容", "content": "内容",
                   "town": "所属镇街代码"},
))
