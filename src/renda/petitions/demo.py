"""Demo petitions (信访件), registered with ``renda demo`` after suggestions and duty shifts.

Built only through the petitions services, with the business dates as ``on``:

1. **XX镇, the first half of 2023**: letters, visits, online, phone and referred petitions.
   Exactly **9 letters**, each routed to a presidium member and instructed (阅批) within the half
   year — the report's "阅批群众来信9件" (``petitions.letters_reviewed``). Visits are linked to
   the duty shift of their day when the duty-shift demo has made one. Most petitions got their
   handling opinion; one was extended, one declined, one went through review (复查) and
   re-review (复核) to the end, after which the same petitioner came again on the same facts
   and was refused (不再受理) at registration; another petitioner came back within the year
   (a repeat petition).
2. **Around today** (``timezone.localdate()`` of the run): a petition in every queue of the
   office (to decide, handling, due soon, overdue, review and re-review to answer), a letter
   waiting for the demo presidium login's instruction, and one a grid worker registered in the
   grid the demo deputy and grid-worker logins share.

Petitioners are fictional (``core.demo.Names``) with fictional but well-formed ID numbers.
Idempotent: a petition is looked up by its town and title; an existing one is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from renda.accounts.demo import org
from renda.core.demo import Demo, Names, step
from renda.core.types import Actor
from renda.core.validators import id_number_check_digit
from renda.people.models import Deputy
from renda.petitions import services
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.places.models import Region
from renda.shifts import selectors as shifts

D = dt.date.fromisoformat
PETITIONER_SEED = 20230701


@dataclass(frozen=True)
class Spec:
    """One demo petition and how far it went; dates are absolute or (around today) computed."""

    registered: dt.date
    channel: str
    category: str
    subject: str
    content: str
    respondent: str = ""
    village: int = 0
    people: int = 1
    head_count: int | None = None
    accepted: dt.date | None = None
    declined: tuple[dt.date, str] | None = None
    extended: tuple[dt.date, int, str] | None = None
    opinion: tuple[dt.date, str] | None = None
    review: tuple[dt.date, dt.date | None, str] | None = None
    rereview: tuple[dt.date, dt.date | None, str] | None = None
    #: (presidium index, routed on, instructed on or None, text)
    instruction: tuple[int, dt.date, dt.date | None, str] | None = None
    #: the subject of an earlier demo petition whose petitioner comes again
    same_petitioner_as: str = ""
    by_grid_worker: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


OPINION = "经调查核实，已责成相关单位依法依规处理，并将处理结果答复信访人。"

LETTERS: tuple[Spec, ...] = (
    Spec(D("2023-01-09"), "letter", "土地征收", "反映东湖村征地补偿款未足额发放",
         "2022年东湖村部分土地被征收，补偿款至今未足额发放到户。", "东湖村村民委员会", village=3,
         accepted=D("2023-01-12"), opinion=(D("2023-02-24"), "经核实，补偿款已于2月足额发放到户。"),
         instruction=(0, D("2023-01-10"), D("2023-01-11"), "请镇经济发展中心会同东湖村核实，依法依规处理。")),
    Spec(D("2023-01-30"), "letter", "劳动社保", "反映某建筑工地拖欠农民工工资",
         "在镇区某建筑工地务工，工程完工后工资被拖欠三个月。", "某建筑公司", village=0,
         accepted=D("2023-02-01"), opinion=(D("2023-03-10"), "经协调，拖欠工资已全部支付。"),
         instruction=(1, D("2023-01-31"), D("2023-02-02"), "请镇综治中心牵头，联合劳动监察督促支付。")),
    Spec(D("2023-02-15"), "letter", "城乡建设", "反映西岗村道路破损影响出行",
         "西岗村主干道多处破损，雨天积水，群众出行不便。", "", village=4,
         accepted=D("2023-02-17"), opinion=(D("2023-04-07"), "已纳入年度农村道路维修计划，4月底前完成修补。"),
         instruction=(0, D("2023-02-16"), D("2023-02-17"), "请村镇规划建设办公室实地查看，提出维修方案。")),
    Spec(D("2023-03-06"), "letter", "环境保护", "反映南塘村养殖场污水直排",
         "南塘村某养殖场污水未经处理直接排入河塘，气味难闻。", "某养殖场", village=5,
         accepted=D("2023-03-08"), extended=(D("2023-04-28"), 30, "需委托第三方检测水质并限期整改"),
         opinion=(D("2023-05-30"), "经检测并督促整改，养殖场已建成污水处理设施并通过验收。"),
         instruction=(2, D("2023-03-07"), D("2023-03-09"), "请生态环境部门依法调查处理，主席团跟踪督办。")),
    Spec(D("2023-03-20"), "letter", "农业农村", "反映北山村灌溉渠年久失修",
         "北山村灌溉渠渗漏严重，影响春耕用水。", "", village=6,
         accepted=D("2023-03-22"), opinion=(D("2023-04-25"), "灌溉渠已完成防渗修复，保障春耕用水。"),
         instruction=(3, D("2023-03-21"), D("2023-03-23"), "请镇农业农村办公室尽快组织维修。")),
    Spec(D("2023-04-10"), "letter", "社会事务", "反映低保资格认定不公",
         "认为本人家庭困难，申请低保未获批准，认定过程不公开。", "", village=7,
         accepted=D("2023-04-12"), opinion=(D("2023-05-22"), "经复核家庭收入情况，符合条件，已纳入低保。"),
         instruction=(4, D("2023-04-11"), D("2023-04-13"), "请镇社会事务办公室重新核查，公开认定过程。")),
    Spec(D("2023-04-24"), "letter", "城乡建设", "反映柳河村安置房漏水问题",
         "柳河村安置房多户屋顶漏水，多次反映未得到维修。", "某物业公司", village=8,
         accepted=D("2023-04-26"), opinion=(D("2023-06-02"), "已督促施工单位履行保修责任，完成维修。"),
         instruction=(0, D("2023-04-25"), D("2023-04-27"), "请村镇规划建设办公室督促施工单位限期维修。")),
    Spec(D("2023-05-15"), "letter", "邻里纠纷", "反映邻居违规搭建影响采光",
         "邻居在宅基地上违规加盖二层，严重影响本户采光。", "", village=9,
         accepted=D("2023-05-17"), opinion=(D("2023-06-26"), "经调解，双方达成协议，违规部分已拆除。"),
         instruction=(1, D("2023-05-16"), D("2023-05-18"), "请镇综治中心组织调解，依法处理违建。")),
    Spec(D("2023-06-05"), "letter", "交通出行", "反映镇区学校门口交通拥堵安全隐患",
         "上下学时段学校门口车辆乱停，存在安全隐患。", "", village=1,
         accepted=D("2023-06-07"), opinion=(D("2023-07-18"), "已在上下学时段安排警力和志愿者疏导，设置临时停车区。"),
         instruction=(2, D("2023-06-06"), D("2023-06-08"), "请派出所和交警中队加强上下学时段疏导。")),
)

FINAL_SUBJECT = "反映宅基地确权面积有误"
FINAL_CONTENT = "本户宅基地确权登记面积比实际少20平方米，要求更正。"

OTHERS: tuple[Spec, ...] = (
    Spec(D("2023-01-10"), "visit", "土地征收", FINAL_SUBJECT, FINAL_CONTENT, "高庄村村民委员会", village=13,
         accepted=D("2023-01-12"), opinion=(D("2023-02-20"), "经实地测量，确权面积与档案一致，维持原登记。"),
         review=(D("2023-03-01"), D("2023-03-27"), "复查认为原处理意见认定事实清楚，予以维持。"),
         rereview=(D("2023-04-10"), D("2023-05-08"), "复核认为原处理意见和复查意见正确，予以维持。")),
    Spec(D("2023-01-17"), "visit", "劳动社保", "集体反映企业停产后社保断缴",
         "某企业停产后未为职工续缴社保，职工集体来访。", "某机械厂", village=2, people=3, head_count=12,
         accepted=D("2023-01-18"), opinion=(D("2023-03-15"), "经协调，企业已补缴欠缴社保费。")),
    Spec(D("2023-02-07"), "phone", "市场监管", "反映农贸市场缺斤短两",
         "在镇农贸市场购买蔬菜多次被缺斤短两。", "农贸市场个体经营户", village=0,
         accepted=D("2023-02-08"), opinion=(D("2023-02-28"), "市场所已开展专项检查，查处计量违法行为。")),
    Spec(D("2023-02-21"), "online", "生态环境", "反映夜间施工噪声扰民",
         "镇区某工地夜间施工，噪声影响居民休息。", "某建设项目部", village=1,
         accepted=D("2023-02-22"), opinion=(D("2023-03-20"), "已责令施工单位停止夜间施工。")),
    Spec(D("2023-03-14"), "referred", "涉法涉诉", "区信访局转交：反映民间借贷纠纷",
         "因民间借贷纠纷要求政府出面追讨欠款。", "", village=10,
         declined=(D("2023-03-17"), "属于应当通过诉讼途径解决的民事纠纷，依据《信访工作条例》不予受理，"
                                    "请依法向人民法院起诉。")),
    Spec(D("2023-04-04"), "visit", "社会事务", "反映残疾人补贴发放不及时",
         "残疾人两项补贴连续两个月未到账。", "", village=11,
         accepted=D("2023-04-06"), opinion=(D("2023-04-28"), "补贴已补发到位。")),
    Spec(D("2023-05-09"), "visit", "劳动社保", "再次反映企业停产后社保断缴",
         "企业补缴后仍有两名职工社保未续上，再次来访。", "某机械厂", village=2,
         accepted=D("2023-05-10"), opinion=(D("2023-06-16"), "两名职工社保已续缴到位。"),
         same_petitioner_as="集体反映企业停产后社保断缴"),
    Spec(D("2023-06-06"), "visit", "土地征收", FINAL_SUBJECT + "（再次来访）", FINAL_CONTENT, "高庄村村民委员会",
         village=13, same_petitioner_as=FINAL_SUBJECT),
    Spec(D("2023-06-13"), "phone", "交通出行", "反映乡村公交班次减少",
         "通往前营村的公交班次减少，群众出行不便。", "区交通运输局", village=14,
         accepted=D("2023-06-14"), opinion=(D("2023-08-04"), "经协调区交通运输局，已恢复原班次。")),
)


def around_today(today: dt.date) -> tuple[Spec, ...]:
    """Open petitions in every queue, dated back from ``today``."""
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    return (
        Spec(ago(1), "visit", "邻里纠纷", "反映相邻宅基地排水纠纷", "邻居改建后雨水排向本户院内。", village=3),
        Spec(ago(11), "online", "城乡建设", "反映小区路灯长期不亮", "小区内多盏路灯损坏，夜间出行不便。", village=0),
        Spec(ago(22), "phone", "市场监管", "反映超市销售过期食品", "在镇区某超市购买到过期食品。", "某超市",
             village=1),
        Spec(ago(20), "visit", "劳动社保", "反映工伤认定进展缓慢", "工伤认定申请提交两个月未有结果。",
             village=2, accepted=ago(18)),
        Spec(ago(57), "online", "农业农村", "反映农机购置补贴未发放", "去年购买农机的补贴至今未发放。",
             village=5, accepted=ago(55)),
        Spec(ago(75), "visit", "土地征收", "反映青苗补偿标准偏低", "道路拓宽占用耕地，青苗补偿标准偏低。",
             "某道路建设指挥部", village=7, accepted=ago(72)),
        Spec(ago(70), "referred", "城乡建设", "区信访局转交：反映老旧小区改造质量",
             "老旧小区改造后外墙出现裂缝。", village=0, accepted=ago(68),
             opinion=(ago(40), "已督促施工单位维修，并纳入保修期跟踪。"), review=(ago(10), None, "")),
        Spec(ago(140), "visit", "社会事务", "反映养老服务补贴核定有误", "养老服务补贴核定等级低于实际情况。",
             village=8, accepted=ago(135), opinion=(ago(80), "经重新评估，维持原核定等级。"),
             review=(ago(65), ago(40), "复查维持原处理意见。"), rereview=(ago(12), None, "")),
        Spec(ago(3), "letter", "交通出行", "来信反映村道急弯缺少警示标志", "村道急弯处缺少警示标志，曾发生多起事故。",
             village=6, instruction=(0, ago(2), None, "")),
        Spec(ago(2), "visit", "生态环境", "反映网格内秸秆焚烧", "网格内有农户焚烧秸秆，烟雾影响居民。",
             by_grid_worker=True),
    )


def _id_number(names: Names, born: int) -> str:
    first17 = f"340399{born}{names.below(12) + 1:02d}{names.below(28) + 1:02d}{names.below(1000):03d}"
    return first17 + id_number_check_digit(first17)


class _Builder:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        w = org(demo)
        self.town: Region = w.town
        self.villages = list(w.villages) or list(Region.objects.filter(town=w.town, level="village").order_by("code"))
        self.presidium: list[Deputy] = list(w.presidium)
        self.staff = w.users.get("staff")
        self.presidium_login = w.users.get("presidium")
        self.grid_login = w.users.get("grid")
        self.names = Names(PETITIONER_SEED)
        self.by_subject = {p.subject: p for p in Petition.objects.filter(town=w.town)}

    def people(self, spec: Spec) -> list[PetitionerData]:
        if spec.same_petitioner_as and spec.same_petitioner_as in self.by_subject:
            first = self.by_subject[spec.same_petitioner_as].petitioners.order_by("position", "id").first()
            if first is not None:
                return [PetitionerData(name=first.name, id_number=first.id_number, phone=first.phone,
                                       address=first.address)]
        out = []
        for _i in range(spec.people):
            village = self.villages[spec.village % len(self.villages)].name if self.villages else ""
            born = 1950 + self.names.below(50)
            out.append(PetitionerData(
                name=self.names.person(), id_number=_id_number(self.names, born), phone=self.names.mobile(),
                address=f"{self.town.name}{village}{self.names.below(9) + 1}组"))
        return out

    def build(self, spec: Spec) -> Petition:
        staff = self.staff
        village = self.villages[spec.village % len(self.villages)] if self.villages else None
        grid = Region.objects.filter(parent=village).order_by("code").first() if village is not None else None
        actor: Actor = staff
        if spec.by_grid_worker and self.grid_login is not None and self.grid_login.grid_worker is not None:
            actor = self.grid_login
            grid = self.grid_login.grid_worker.grids.order_by("code").first()
            village = grid.parent if grid is not None else None
        shift = None
        if spec.channel == "visit":
            shift = shifts.first_shift_on(self.town.pk, spec.registered)
        p = services.petition_register(
            actor=actor, town=self.town, channel=spec.channel, subject=spec.subject, content=spec.content,
            petitioners=self.people(spec), head_count=spec.head_count, village=village, grid=grid,
            category=spec.category, respondent=spec.respondent, duty_shift=shift, on=spec.registered)
        self.demo.created["信访件"] += 1
        self.by_subject[p.subject] = p
        pk = p.pk
        if spec.instruction is not None:
            index, routed, instructed, text = spec.instruction
            member = self.presidium[index % len(self.presidium)]
            ri = services.petition_route(actor=staff, petition_id=pk, presidium_member=member, on=routed)
            if instructed is not None:
                by = self.presidium_login if self.presidium_login is not None and \
                    self.presidium_login.deputy_id == member.pk else None
                services.petition_instruct(actor=by, instruction_id=ri.pk, text=text, on=instructed)
        if spec.declined is not None:
            services.petition_decline(actor=staff, petition_id=pk, reason=spec.declined[1], on=spec.declined[0])
        if spec.accepted is not None:
            services.petition_accept(actor=staff, petition_id=pk, on=spec.accepted)
        if spec.extended is not None:
            on, days, reason = spec.extended
            services.petition_extend(actor=staff, petition_id=pk, days=days, reason=reason, on=on)
        if spec.opinion is not None:
            services.petition_issue_opinion(actor=staff, petition_id=pk, opinion=spec.opinion[1], on=spec.opinion[0])
        for stage in ("review", "rereview"):
            value = getattr(spec, stage)
            if value is None:
                continue
            requested, answered, text = value
            request = services.petition_request_review if stage == "review" else services.petition_request_rereview
            answer = services.petition_answer_review if stage == "review" else services.petition_answer_rereview
            request(actor=staff, petition_id=pk, on=requested)
            if answered is not None:
                answer(actor=staff, petition_id=pk, answer=text, on=answered)
        return p


@step("petitions", order=1200)
def build_petitions(demo: Demo) -> None:
    b = _Builder(demo)
    half = sorted(LETTERS + OTHERS, key=lambda s: s.registered)
    for spec in half:
        if spec.subject not in b.by_subject:
            b.build(spec)
    for spec in sorted(around_today(timezone.localdate()), key=lambda s: s.registered):
        if spec.subject not in b.by_subject:
            b.build(spec)
    qs = Petition.objects.filter(town=org(demo).town)
    demo.out(f"信访件：XX镇 {qs.count()} 件（2023年上半年 {len(half)} 件，来信阅批 {len(LETTERS)} 件，"
             f"目前待办 {qs.open().count()} 件）")
