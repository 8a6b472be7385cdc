"""Demo suggestions (意见建议), registered with ``renda demo`` (see ``renda.core.demo``).

Two parts, both built only through the suggestions services with the business dates as ``on``:

1. **The first half of 2023 in XX镇**, as the town's half-year report tells it: 38 opinions and
   suggestions registered between January and June, 37 of them closed by 2023-06-30; the one
   still open then is the bus-stop suggestion (建设XX镇域内公交车站台), answered C (列入计划)
   in June and closed in October. They were handled by 镇经济发展中心, 村镇规划建设办公室,
   市场所, other town offices and district units. Seven key suggestions (重点建议) — among
   them 农田水利等基础设施施工质量监督 and the XXX路 greening and lighting works — were each led
   by a presidium member and evaluated for satisfaction. A duplicate report of the bus stops
   was merged into it (not counted as received).
2. **Work around today** (``timezone.localdate()`` of the first build), so that every queue of
   every demo login has something: the office's new, to-assign, returned, due-soon, overdue and
   to-close items; the unit login's (镇经济发展中心) to-accept, handling, due-soon and overdue
   items; the deputy login's own suggestions, one awaiting their evaluation; the grid login's
   report.

Idempotent: an item is looked up by its 编号 (and, for the items dated around today, also by
its title, since their 编号 carry the year of a date computed from the day of the first build),
and an existing one is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from renda.accounts.demo import org
from renda.accounts.models import User
from renda.core.demo import Demo, Names, step
from renda.people.models import Deputy
from renda.places.models import Region
from renda.suggestions import services
from renda.suggestions.models import Kind, Suggestion, SuggestionCategory
from renda.suggestions.workflow import State
from renda.units.models import Unit

D = dt.date.fromisoformat
#: Seed of the submitters' fictional names and phones (the organisation uses core.demo.SEED).
SUBMITTER_SEED = 20230630

CATEGORIES = ("城乡建设", "交通出行", "农业农村", "市场监管", "社会事务", "生态环境", "社会治理")

E, P, M = "镇经济发展中心", "村镇规划建设办公室", "市场所"
A, S, Z = "镇农业农村办公室", "镇社会事务办公室", "镇综治中心"
T, H = "区交通运输局", "区住房和城乡建设局"

BUS_STOP = "建设XX镇域内公交车站台"


@dataclass(frozen=True)
class Spec:
    """One demo item and how far it went. Dates are absolute (2023) or days before today."""

    registered: dt.date
    kind: str
    source: str
    category: str
    title: str
    content: str = ""
    unit: str = ""
    co_units: tuple[str, ...] = ()
    assigned: dt.date | None = None
    accepted: dt.date | None = None
    #: (date, class, text) of each reply, in order.
    replies: tuple[tuple[dt.date, str, str], ...] = ()
    #: (date, result) of each evaluation, in order; 不满意 sends the item back at once.
    evaluations: tuple[tuple[dt.date, str], ...] = ()
    closed: dt.date | None = None
    #: index into the presidium (0 = 主席) of the member leading key supervision, and the date.
    supervisor: int | None = None
    supervised: dt.date | None = None
    #: deputy suggestions: indexes into the town's deputies (the first leads); -1 = the demo deputy.
    deputies: tuple[int, ...] = ()
    anonymous: bool = False
    village: int = 0
    returned: tuple[dt.date, str] | None = None  # (date, reason), after ``assigned``
    reminded: dt.date | None = None  # a manual reminder by the office
    merge_into: str = ""  # title of the item this one is merged into
    merged: dt.date | None = None
    by_grid_worker: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _d(s: str) -> dt.date:
    return D(s)


def _closed(reg: str, cat: str, title: str, unit: str, *, kind: str = Kind.PUBLIC, source: str = "visit",
            reply: str = "A", days: int = 15, result: str | None = "satisfied", co: tuple[str, ...] = (),
            deputies: tuple[int, ...] = (), village: int = 0, anonymous: bool = False, content: str = "",
            text: str = "") -> Spec:
    """An item of the first half of 2023 handled the usual way: assigned two days after it was
    registered, accepted the next day, replied ``days`` after registration, evaluated five days
    later (unless ``result`` is None), closed three days after that."""
    r = _d(reg)
    assigned = r + dt.timedelta(days=2)
    replied = r + dt.timedelta(days=days)
    evaluated = replied + dt.timedelta(days=5) if result else None
    closed = (evaluated or replied) + dt.timedelta(days=3)
    answer = text or {"A": "已办理完成，问题已解决。", "B": "正在组织实施，预计年内完成。",
                      "C": "已列入明年工作计划，逐步解决。"}[reply]
    return Spec(
        registered=r, kind=kind, source=source, category=cat, title=title, content=content or title + "。",
        unit=unit, co_units=co, assigned=assigned, accepted=assigned + dt.timedelta(days=1),
        replies=((replied, reply, answer),), evaluations=((evaluated, result),) if evaluated and result else (),
        closed=closed, deputies=deputies, village=village, anonymous=anonymous,
    )


def _key(reg: str, cat: str, title: str, unit: str, supervisor: int, deputies: tuple[int, ...], *,
         co: tuple[str, ...] = (), reply_on: str, result: str = "satisfied", text: str,
         village: int = 0) -> Spec:
    """A key suggestion (重点建议) made at the town congress in January, led by a presidium member."""
    r = _d(reg)
    replied = _d(reply_on)
    evaluated = replied + dt.timedelta(days=6)
    return Spec(
        registered=r, kind=Kind.DEPUTY, source="session", category=cat, title=title, content=title + "。",
        unit=unit, co_units=co, assigned=r + dt.timedelta(days=5), accepted=r + dt.timedelta(days=6),
        replies=((replied, "A", text),), evaluations=((evaluated, result),),
        closed=evaluated + dt.timedelta(days=4), supervisor=supervisor, supervised=r + dt.timedelta(days=12),
        deputies=deputies, village=village,
    )


# Deputy indexes: 0-4 the presidium, 5-39 the other town deputies, 40-47 district deputies;
# -1 is the demo deputy login.
HALF_YEAR: tuple[Spec, ...] = (
    # The seven key suggestions (重点建议), made at the session in January.
    _key("2023-01-06", "农业农村", "加强农田水利等基础设施施工质量监督", A, 0, (6, 11, 17), co=(P,),
         reply_on="2023-04-10", village=5,
         text="已会同村镇规划建设办公室对在建农田水利工程开展质量巡查，整改问题12处。"),
    _key("2023-01-06", "城乡建设", "实施XXX路绿化亮化工程", P, 1, (7, 12), co=(E,), reply_on="2023-04-25",
         text="XXX路、XX路绿化亮化工程已完成招投标，中标单位已进场施工。"),
    _key("2023-01-06", "生态环境", "整治农村人居环境，规范生活垃圾集中清运", A, 2, (8, 21), reply_on="2023-03-28",
         text="已在各村增设垃圾收集点，实行定时清运。", village=8),
    _key("2023-01-07", "农业农村", "发展壮大村级集体经济", E, 3, (9, 14, 22), reply_on="2023-04-18",
         text="已制定村级集体经济发展方案，扶持3个村发展特色种植。", village=11),
    _key("2023-01-07", "市场监管", "规范镇区集贸市场经营秩序", M, 4, (10, 15), reply_on="2023-03-20",
         text="已开展集贸市场专项整治，划定临时摊位，规范经营。"),
    _key("2023-01-07", "城乡建设", "改造XX路老旧供水管网", H, 1, (13, 40), co=(P,), reply_on="2023-05-16",
         result="basically_satisfied", text="老旧供水管网改造已完成主干管铺设，支管改造正在推进。"),
    _key("2023-01-08", "社会事务", "加强防返贫动态监测和帮扶", S, 2, (16, 23), reply_on="2023-04-06",
         text="已建立防返贫监测台账，对监测户逐户落实帮扶措施。", village=13),
    # Other deputy suggestions.
    _closed("2023-01-09", "交通出行", "修缮东湖村至西岗村村道破损路面", P, kind=Kind.DEPUTY, source="session",
            deputies=(-1, 18), days=60, village=3),
    _closed("2023-01-09", "社会事务", "增设镇区老年人日间照料场所", S, kind=Kind.DEPUTY, source="session",
            deputies=(19,), days=75, reply="B", result="basically_satisfied"),
    _closed("2023-01-10", "社会事务", "改善镇卫生院就医环境", S, kind=Kind.DEPUTY,
            source="session", deputies=(20, 24), days=55),
    _closed("2023-02-14", "农业农村", "加强春季农田灌溉用水保障", A, kind=Kind.DEPUTY, source="recess",
            deputies=(25,), days=20, village=6),
    _closed("2023-03-02", "城乡建设", "加快振兴社区老旧小区改造", H, kind=Kind.DEPUTY, source="recess",
            deputies=(26, -1), co=(P,), days=70, reply="C", result="basically_satisfied"),
    _closed("2023-03-15", "市场监管", "加强校园周边食品安全检查", M, kind=Kind.DEPUTY, source="recess",
            deputies=(-1,), days=25, village=1),
    _closed("2023-04-11", "社会治理", "在各村设立矛盾纠纷调解室", Z, kind=Kind.DEPUTY, source="contact_station",
            deputies=(27,), days=40),
    _closed("2023-05-05", "生态环境", "治理柳河村沟渠淤塞", A, kind=Kind.DEPUTY, source="recess",
            deputies=(41,), days=28, village=8),
    # Opinions of the public, collected by deputies, grid workers, letters, visits and calls.
    _closed("2023-01-12", "城乡建设", "和平社区部分路灯损坏", P, source="deputy_collected", days=10, village=1),
    _closed("2023-01-16", "社会事务", "申请临时困难救助", S, source="visit", days=12),
    _closed("2023-01-30", "市场监管", "超市出售过期食品", M, source="phone", days=6, result=None, anonymous=True),
    _closed("2023-02-06", "农业农村", "南塘村灌溉泵站维修", A, source="grid_reported", days=14, village=5),
    _closed("2023-02-13", "交通出行", "桥头村路口缺少减速带", P, source="grid_reported", days=18, village=10),
    _closed("2023-02-20", "生态环境", "北山村河道垃圾清理", A, source="deputy_collected", days=9, village=6),
    _closed("2023-02-27", "社会治理", "邻里宅基地纠纷调解", Z, source="visit", days=16, village=12),
    _closed("2023-03-06", "市场监管", "农资店化肥价格不透明", M, source="letter", days=15,
            result="basically_satisfied"),
    _closed("2023-03-13", "城乡建设", "新街社区雨污管道堵塞", P, source="grid_reported", days=8, village=2),
    _closed("2023-03-20", "社会事务", "残疾人补贴发放咨询", S, source="phone", days=5, result=None),
    _closed("2023-03-27", "农业农村", "丰收村土地流转合同规范", E, source="deputy_collected", days=21, village=11),
    _closed("2023-04-03", "交通出行", "镇区学校门口上下学交通拥堵", T, source="online", days=25, co=(Z,)),
    _closed("2023-04-10", "生态环境", "养殖场异味扰民", A, source="letter", days=19, reply="B",
            result="basically_satisfied", village=14),
    _closed("2023-04-17", "市场监管", "集市缺斤短两", M, source="contact_station", days=7, result=None,
            anonymous=True),
    _closed("2023-04-24", "城乡建设", "杏园村文化广场健身器材损坏", E, source="grid_reported", days=12, village=9),
    _closed("2023-05-04", "社会事务", "高龄津贴申领材料简化", S, source="deputy_collected", days=10),
    _closed("2023-05-15", "交通出行", "望湖村桥梁护栏缺失", P, source="grid_reported", days=16, village=16),
    _closed("2023-05-22", "农业农村", "夏粮收购价格信息公开", E, source="online", days=11),
    _closed("2023-06-01", "社会治理", "出租房屋消防安全隐患", Z, source="grid_reported", days=8, village=0),
    _closed("2023-06-08", "市场监管", "电动车充电桩收费不规范", M, source="phone", days=6,
            result="basically_satisfied"),
    # Answered B, followed up, answered again A; and one evaluated 不满意, re-handled, then 满意.
    Spec(registered=_d("2023-02-08"), kind=Kind.PUBLIC, source="deputy_collected", category="城乡建设",
         title="青林村自来水水压不足", content="青林村地势较高，用水高峰期水压不足。", unit=P, co_units=(H,),
         assigned=_d("2023-02-10"), accepted=_d("2023-02-11"),
         replies=((_d("2023-02-28"), "B", "已完成管网勘察，正在加装增压设备。"),
                  (_d("2023-04-12"), "A", "增压设备已投入使用，水压恢复正常。")),
         evaluations=((_d("2023-04-18"), "satisfied"),), closed=_d("2023-04-20"), village=7),
    Spec(registered=_d("2023-02-21"), kind=Kind.PUBLIC, source="visit", category="交通出行",
         title="后楼村公交停靠点无遮雨棚", content="村民雨天候车无处避雨。", unit=P,
         assigned=_d("2023-02-23"), accepted=_d("2023-02-24"),
         replies=((_d("2023-03-10"), "A", "已协调安装临时遮雨设施。"),
                  (_d("2023-04-07"), "A", "已安装永久候车遮雨棚。")),
         evaluations=((_d("2023-03-15"), "dissatisfied"), (_d("2023-04-12"), "satisfied")),
         closed=_d("2023-04-14"), village=15),
    # The one not closed by 2023-06-30: answered C in June, answered again A and closed in October.
    Spec(registered=_d("2023-04-18"), kind=Kind.DEPUTY, source="recess", category="交通出行", title=BUS_STOP,
         content="镇域内多个村无公交车站台，群众候车不便、存在安全隐患，建议统一规划建设公交车站台。",
         unit=T, co_units=(P,), assigned=_d("2023-04-20"), accepted=_d("2023-04-21"),
         replies=((_d("2023-06-16"), "C", "已列入区公交站点建设计划，按计划逐步实施。"),),
         deputies=(42, 28, 29)),
    # A grid worker's report of the same, merged into it (every submitter is answered with it).
    Spec(registered=_d("2023-05-10"), kind=Kind.PUBLIC, source="grid_reported", category="交通出行",
         title="村口没有公交车站台，群众候车不便", content="村民反映村口公交车无固定停靠站台。", village=4,
         merge_into=BUS_STOP, merged=_d("2023-05-11")),
)


#: What happened to the bus-stop suggestion after the half year (built after the duplicate report
#: was merged into it, which needs it still open).
BUS_STOP_LATER: tuple[tuple[str, dt.date, str, str], ...] = (
    ("reply", _d("2023-10-20"), "A", "镇域内12处公交车站台已建成投入使用。"),
    ("evaluate", _d("2023-10-26"), "satisfied", ""),
    ("close", _d("2023-10-31"), "", ""),
)


def _ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def recent_specs(today: dt.date) -> tuple[Spec, ...]:
    """Items dated around ``today``, so that every queue of every demo login has something."""
    t = today

    def ago(n: int) -> dt.date:
        return _ago(t, n)

    return (
        # Office: new (two), and one returned by the unit it was assigned to.
        Spec(registered=t, kind=Kind.PUBLIC, source="phone", category="城乡建设",
             title="振兴社区小区路灯损坏夜间出行不便",
             content="小区内多盏路灯不亮，老人夜间出行不便。"),
        Spec(registered=ago(1), kind=Kind.PUBLIC, source="online", category="市场监管", title="菜市场周边占道经营",
             content="早市摊贩占用机动车道。", anonymous=True),
        Spec(registered=ago(6), kind=Kind.PUBLIC, source="visit", category="城乡建设", title="东湖村危旧房屋改造咨询",
             content="咨询危房改造补助政策和申请办法。", unit=M, assigned=ago(5),
             returned=(ago(4), "该事项属于村镇规划建设办公室职责，请重新交办。"), village=3),
        # Unit 镇经济发展中心: to accept (the demo deputy's suggestion), handling (the grid login's
        # report), due soon, overdue (with a reminder from the office).
        Spec(registered=ago(3), kind=Kind.DEPUTY, source="recess", category="农业农村",
             title="扶持家庭农场发展特色种植", content="建议对家庭农场给予技术和资金扶持。", unit=E, assigned=ago(2),
             deputies=(-1,)),
        Spec(registered=ago(12), kind=Kind.PUBLIC, source="grid_reported", category="农业农村",
             title="网格内农户反映农产品销售渠道少", content="多户农户的农产品滞销，希望帮助对接销售渠道。", unit=E,
             assigned=ago(11), accepted=ago(10), by_grid_worker=True),
        Spec(registered=ago(27), kind=Kind.PUBLIC, source="deputy_collected", category="农业农村",
             title="小微企业用工招聘信息发布", content="希望镇里统一发布企业招聘信息。", unit=E, assigned=ago(26),
             accepted=ago(25)),
        Spec(registered=ago(45), kind=Kind.PUBLIC, source="letter", category="社会事务",
             title="返乡创业补贴申请进度", content="去年申请的返乡创业补贴至今未发放。", unit=E, assigned=ago(44),
             accepted=ago(43), reminded=ago(3)),
        # Other units: overdue under key supervision led by the chair; due soon, not yet accepted.
        Spec(registered=ago(102), kind=Kind.DEPUTY, source="recess", category="城乡建设",
             title="整治镇区主干道沿街违章搭建", content="镇区主干道两侧违章搭建影响通行和市容。", unit=P,
             assigned=ago(100), accepted=ago(99), supervisor=0, supervised=ago(20), deputies=(30, 31)),
        Spec(registered=ago(25), kind=Kind.PUBLIC, source="phone", category="交通出行",
             title="镇区至区城公交班次少", content="早晚高峰公交班次少、等车时间长。", unit=T, assigned=ago(24)),
        # Office: to close (evaluated); a B answer being followed up.
        Spec(registered=ago(30), kind=Kind.PUBLIC, source="grid_reported", category="生态环境",
             title="双庙村沟塘水体发黑", content="村内沟塘水体发黑发臭。", unit=A, assigned=ago(28), accepted=ago(27),
             replies=((ago(8), "A", "已完成清淤和水体治理。"),), evaluations=((ago(3), "satisfied"),), village=12),
        Spec(registered=ago(35), kind=Kind.PUBLIC, source="visit", category="社会事务",
             title="村卫生室药品不全", content="常用药品经常缺货。", unit=S, assigned=ago(33), accepted=ago(32),
             replies=((ago(15), "B", "已协调镇卫生院定期配送，正在完善药品目录。"),), village=10),
        # The demo deputy: one answered and awaiting their evaluation; one co-signed and closed.
        Spec(registered=ago(40), kind=Kind.DEPUTY, source="contact_station", category="交通出行",
             title="完善农村客运站点候车设施", content="建议为农村客运站点配备座椅和遮阳棚。", unit=E, co_units=(T,),
             assigned=ago(38), accepted=ago(37), replies=((ago(2), "A", "已为8处农村客运站点配备候车设施。"),),
             deputies=(-1, 32)),
        Spec(registered=ago(70), kind=Kind.DEPUTY, source="recess", category="社会治理",
             title="加强农村留守儿童关爱服务", content="建议在各村设立儿童之家。", unit=S, assigned=ago(68),
             accepted=ago(67), replies=((ago(30), "A", "已在10个村建成儿童之家。"),),
             evaluations=((ago(25), "satisfied"),), closed=ago(22), deputies=(33, -1)),
    )


class _Builder:
    def __init__(self, demo: Demo) -> None:
        w = org(demo)
        self.demo, self.town = demo, w.town
        self.users: dict[str, User] = w.users
        self.staff = w.users["staff"]
        self.units: dict[str, Unit] = w.units
        self.villages: list[Region] = w.villages
        self.deputies: list[Deputy] = w.deputies
        self.presidium: list[Deputy] = w.presidium
        self.names = Names(SUBMITTER_SEED)
        self.categories: dict[str, SuggestionCategory] = {
            c.name: c for c in SuggestionCategory.objects.filter(town=w.town)
        }
        self.by_title: dict[str, Suggestion] = {s.title: s for s in Suggestion.objects.filter(town=w.town)}

    # -- who acts ---------------------------------------------------------------------------

    def unit_actor(self, unit: Unit) -> Any:
        login = self.users.get("unit")
        return login if login is not None and login.unit_id == unit.pk else None

    def deputy_actor(self, deputy: Deputy | None) -> Any:
        login = self.users.get("deputy")
        return login if login is not None and deputy is not None and login.deputy_id == deputy.pk else None

    def deputy(self, index: int) -> Deputy:
        if index == -1:
            login = self.users["deputy"]
            assert login.deputy is not None
            return login.deputy
        return self.deputies[index]

    def category(self, name: str) -> SuggestionCategory:
        if name not in self.categories:
            self.categories[name] = services.suggestion_category_create(actor=self.staff, town=self.town, name=name)
            self.demo.created["意见建议类别"] += 1
        return self.categories[name]

    # -- one item ----------------------------------------------------------------------------

    def build(self, spec: Spec, code: str) -> Suggestion:
        deputies = [self.deputy(i) for i in spec.deputies]
        village = self.villages[spec.village % len(self.villages)]
        grid: Region | None = Region.objects.filter(parent=village).order_by("code").first()
        actor: User = self.staff
        if spec.by_grid_worker:
            actor = self.users["grid"]
            worker = actor.grid_worker
            assert worker is not None  # the demo grid worker's login
            grid = worker.grids.order_by("code").first()
            assert grid is not None and grid.parent is not None
            village = grid.parent
        elif deputies and self.deputy_actor(deputies[0]) is not None:
            actor = self.deputy_actor(deputies[0])
        name = phone = ""
        if spec.kind == Kind.PUBLIC and not spec.anonymous:
            name, phone = self.names.person(), self.names.mobile()
        s = services.suggestion_register(
            actor=actor, town=self.town, kind=spec.kind, title=spec.title, content=spec.content, source=spec.source,
            village=village, grid=grid, category=self.category(spec.category), submitter_name=name,
            submitter_phone=phone, anonymous=spec.anonymous, lead_deputy=deputies[0] if deputies else None,
            co_deputies=deputies[1:], code=code, on=spec.registered,
        )
        self.demo.created["意见建议"] += 1
        self.by_title[s.title] = s
        pk, staff = s.pk, self.staff
        if spec.merge_into:
            services.suggestion_merge(actor=staff, suggestion_id=pk, into_id=self.by_title[spec.merge_into].pk,
                                      on=spec.merged, comment="同一事项，合并办理、一并答复")
            return s
        if spec.assigned is None:
            return s
        unit = self.units[spec.unit]
        services.suggestion_assign(actor=staff, suggestion_id=pk, lead_unit=unit,
                                   co_units=[self.units[u] for u in spec.co_units], on=spec.assigned)
        if spec.returned is not None:
            services.suggestion_return(actor=self.unit_actor(unit), suggestion_id=pk, reason=spec.returned[1],
                                       on=spec.returned[0])
            return s
        if spec.supervisor is not None:
            member = self.presidium[spec.supervisor]
            presidium_login = self.users.get("presidium")
            by = presidium_login if presidium_login is not None and presidium_login.deputy_id == member.pk else staff
            services.suggestion_set_key_supervision(actor=by, suggestion_id=pk, supervisor=member,
                                                    on=spec.supervised, comment="主席团成员带队集中督办")
        if spec.accepted is not None:
            services.suggestion_accept(actor=self.unit_actor(unit), suggestion_id=pk, on=spec.accepted)
        for co in spec.co_units:
            if spec.replies:
                services.suggestion_co_opinion(actor=None, suggestion_id=pk, unit=self.units[co],
                                               opinion="同意主办单位的办理意见，积极配合。",
                                               on=spec.accepted or spec.assigned)
        if spec.reminded is not None:
            services.suggestion_remind(actor=staff, suggestion_id=pk, note="请抓紧办理并答复", on=spec.reminded)
        evaluator = self.deputy_actor(deputies[0]) if deputies else staff
        steps = sorted([(d, 0, (c, t)) for d, c, t in spec.replies] + [(d, 1, (r, "")) for d, r in spec.evaluations])
        for on, what, (value, text) in steps:
            if what == 0:
                services.suggestion_reply(actor=self.unit_actor(unit), suggestion_id=pk, reply_class=value,
                                          text=text, on=on)
            else:
                services.suggestion_evaluate(actor=evaluator, suggestion_id=pk, result=value, on=on)
        if spec.closed is not None:
            services.suggestion_close(actor=staff, suggestion_id=pk, on=spec.closed)
        return s

    def finish_bus_stop(self) -> None:
        s = Suggestion.objects.get(pk=self.by_title[BUS_STOP].pk)
        unit = s.lead_unit
        assert unit is not None
        for what, on, value, text in BUS_STOP_LATER:
            if what == "reply":
                services.suggestion_reply(actor=self.unit_actor(unit), suggestion_id=s.pk, reply_class=value,
                                          text=text, on=on)
            elif what == "evaluate":
                services.suggestion_evaluate(actor=self.deputy_actor(s.lead_deputy), suggestion_id=s.pk,
                                             result=value, on=on)
            else:
                services.suggestion_close(actor=self.staff, suggestion_id=s.pk, on=on)


def _codes(specs: Sequence[Spec], used_numbers: dict[int, int]) -> list[str]:
    """编号 in order of registration date within each year: YJ2023-001 …"""
    codes = []
    for spec in specs:
        year = spec.registered.year
        used_numbers[year] = used_numbers.get(year, 0) + 1
        codes.append(f"YJ{year}-{used_numbers[year]:03d}")
    return codes


def _by_date(specs: Sequence[Spec]) -> list[Spec]:
    # Stable: items of one day keep their listed order; a merge target comes before its duplicate.
    return sorted(specs, key=lambda s: s.registered)


@step("suggestions", order=1000)
def build_suggestions(demo: Demo) -> None:
    b = _Builder(demo)
    existing = set(Suggestion.objects.values_list("code", flat=True))
    half = _by_date(HALF_YEAR)
    made: set[str] = set()
    for spec, code in zip(half, _codes(half, {}), strict=True):
        if code not in existing:
            b.build(spec, code)
            made.add(spec.title)
    if BUS_STOP in made:
        b.finish_bus_stop()
    recent = _by_date(recent_specs(timezone.localdate()))
    numbers = {2023: len(half)}
    for spec, code in zip(recent, _codes(recent, numbers), strict=True):
        if code not in existing and spec.title not in b.by_title:
            b.build(spec, code)
    total = Suggestion.objects.filter(town=org(demo).town).count()
    open_now = Suggestion.objects.filter(town=org(demo).town).exclude(
        state__in=[State.CLOSED, State.DECLINED, State.WITHDRAWN, State.MERGED]).count()
    demo.out(f"意见建议：XX镇 {total} 件（2023年上半年 {len(half)} 件，目前未办结 {open_now} 件）")
