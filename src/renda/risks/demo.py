"""Demo risks (信访隐患 / 矛盾纠纷), registered with ``renda demo`` (see ``renda.core.demo``).

1. **XX镇, first half of 2023**: 12 risks found by grid workers and deputies, 11 of them resolved
   by 2023-06-30 with district and town deputies taking part (each deputy's part written) —
   among them the dispute after a fatal accident at a driving school (地矿驾校亡人事件),
   settled by mediated compensation; one (a group wage arrears case) escalated to the district
   petitions bureau.
2. **Around today**: open risks for the demo logins — one the grid worker reported in their grid,
   one the deputy is resolving, one escalated, one high-level risk just registered by the office.

All people are fictional. Everything is built through the services, dated by ``on``.
Idempotent: a 2023 risk is looked up by its 编号, a recent one by its title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from renda.accounts.demo import org
from renda.core.demo import Demo, Names, step
from renda.people.models import Deputy, DeputyLevel
from renda.places.models import Region
from renda.risks import services
from renda.risks.models import Risk, Source
from renda.risks.services import ParticipantIn, PersonIn

D = dt.date.fromisoformat
#: Seed of the fictional people involved (the organisation uses core.demo.SEED).
PEOPLE_SEED = 20230701


@dataclass(frozen=True)
class Spec:
    registered: dt.date
    title: str
    description: str
    level: str
    village: int  # index into the town's villages
    #: (district deputies, town deputies) taking part: indexes into each list; and their parts.
    district: tuple[int, ...] = ()
    town: tuple[int, ...] = ()
    parts: tuple[str, ...] = ()
    roles: tuple[str, ...] = ("申请人", "被申请人")
    steps: tuple[tuple[int, str], ...] = ()  # (days after registration, text)
    resolved: dt.date | None = None
    deputies_role: str = ""
    escalated: tuple[dt.date, str, str] | None = None  # (date, to, reason)
    extra: dict[str, str] = field(default_factory=dict)


DRIVING_SCHOOL = "地矿驾校学员训练亡人事件引发的赔偿纠纷"

HALF_YEAR: tuple[Spec, ...] = (
    Spec(D("2023-01-06"), "征地补偿款分配纠纷",
        "南塘村部分村民对道路建设征地补偿款的组内分配方案有异议，多次到村委会反映。",
         "medium", 5, district=(0,), town=(0,),
         parts=("列席村民小组会议，解释征地补偿政策，推动按户籍和承包地面积重新公示分配方案",
                "逐户走访有异议的村民，收集意见并反馈镇经济发展中心"),
         steps=((2, "网格员走访村民，了解分配方案争议点"), (9, "代表列席村民小组会议，宣讲征地补偿政策"),
                (20, "重新公示分配方案，村民无异议")),
         resolved=D("2023-02-10"), deputies_role="代表宣讲政策、参与方案公示，推动分配方案经村民小组会议通过"),
    Spec(D("2023-01-12"), "邻里宅基地界址纠纷", "东湖村两户村民因翻建房屋对宅基地界址各执一词，发生口角。",
         "low", 3, town=(1,), parts=("会同村调解委员会现场丈量，依据原宅基地使用证划定界址，促成双方签订调解协议",),
         steps=((3, "村调解委员会与代表现场丈量界址"), (10, "双方签订人民调解协议")),
         resolved=D("2023-01-28"), deputies_role="代表参与现场调解"),
    Spec(D("2023-01-16"), "建筑工地拖欠农民工工资", "某建筑工地14名农民工反映年前工资未结清，涉及金额约28万元。",
         "high", 0, district=(1,), town=(2,),
         parts=("约谈施工企业负责人，督促落实工资支付保证金，推动春节前足额支付",
                "联系镇综治中心和区人社局劳动监察大队，协助农民工整理用工和考勤证据"),
         steps=((1, "网格员报告后，镇综治中心当日受理"), (3, "代表约谈施工企业负责人"),
                (6, "企业支付全部拖欠工资，农民工签字确认")),
         resolved=D("2023-01-20"), deputies_role="代表督促企业春节前结清工资", roles=("农民工代表", "施工企业负责人")),
    Spec(D("2023-02-08"), DRIVING_SCHOOL,
         "一名学员在地矿驾校训练场练车时发生事故身亡，家属对事故责任和赔偿金额与驾校存在较大分歧，"
         "情绪激动，有聚集上访苗头。",
         "high", 1, district=(2,), town=(3, 4),
         parts=("全程参与调解，协调交警部门出具事故认定说明，向家属解释赔偿法律依据，推动双方达成赔偿协议",
                "陪同家属处理善后事宜，做好情绪疏导，防止矛盾激化",
                "协调驾校所在单位和保险公司，推动赔偿款按协议及时到位"),
         roles=("死者家属", "死者家属", "驾校负责人"),
         steps=((1, "网格员发现家属聚集苗头，报告镇综治中心和人大主席团"),
                (3, "人大代表与司法所、派出所召开联席会议，制定调解方案"),
                (10, "第一次调解：双方就责任认定达成一致"),
                (24, "第二次调解：达成赔偿协议，驾校一次性赔偿"),
                (30, "赔偿款全部到位，家属出具息诉罢访承诺")),
         resolved=D("2023-03-12"),
         deputies_role="区、镇人大代表全程参与调解，疏导家属情绪，推动赔偿协议达成并及时履行，避免了一起群体性上访"),
    Spec(D("2023-02-20"), "养殖场异味污染投诉", "西岗村村民反映村东养猪场粪污处理不到位，异味影响周边居民生活。",
         "medium", 4, district=(3,), town=(5,),
         parts=("会同区生态环境分局现场查看，督促养殖场限期整改粪污处理设施", "跟踪整改进度，组织村民代表回访"),
         steps=((4, "代表和环保部门现场查看"), (25, "养殖场完成干湿分离设施改造"), (40,
             "组织村民代表回访，无异味投诉")),
         resolved=D("2023-04-05"), deputies_role="代表推动环保部门督促整改并组织回访", roles=("投诉村民",
             "养殖场业主")),
    Spec(D("2023-03-02"), "拆迁安置房分配纠纷", "和平社区部分拆迁户对安置房选房顺序有异议。",
         "high", 1, district=(4,), town=(6,),
         parts=("查阅拆迁协议和选房规则，向拆迁户逐条解释，监督选房过程公开公正", "参与安置房选房现场监督"),
         steps=((5, "代表查阅拆迁协议和选房规则"), (20, "召开拆迁户座谈会"), (35,
             "公开摇号确定选房顺序，全程代表监督")),
         resolved=D("2023-04-20"), deputies_role="代表监督选房过程，拆迁户认可结果", roles=("拆迁户", "拆迁户")),
    Spec(D("2023-03-15"), "土地流转租金拖欠纠纷", "丰收村30余户村民反映种植大户拖欠土地流转租金。",
         "medium", 11, district=(5,), town=(7,),
         parts=("约谈种植大户，协调分期支付租金方案", "督促村委会完善土地流转合同备案"),
         steps=((3, "代表约谈种植大户"), (15, "签订分期支付协议"), (50, "租金全部付清")),
         resolved=D("2023-05-10"), deputies_role="代表协调达成分期支付方案", roles=("流转农户代表", "种植大户")),
    Spec(D("2023-03-28"), "小区物业服务纠纷",
        "振兴社区某小区业主与物业公司因物业费上涨和服务质量发生纠纷，部分业主拒交物业费。",
         "medium", 0, district=(6,), town=(8,),
         parts=("组织业主、物业公司和社区三方座谈，推动物业公司公开收支、改进服务", "参与业主委员会换届指导"),
         steps=((7, "三方座谈会"), (30, "物业公司公示收支明细并承诺整改"), (55, "业主满意度回访")),
         resolved=D("2023-05-30"), deputies_role="代表组织三方座谈，推动物业公开收支", roles=("业主代表",
             "物业公司经理")),
    Spec(D("2023-04-10"), "农村道路施工占地补偿纠纷", "北山村道路拓宽施工占用部分农户自留地，农户要求补偿。",
         "low", 6, town=(9,), parts=("协调施工单位和村委会，按标准核算青苗补偿并当场兑付",),
         steps=((5, "代表与施工单位现场核算占地面积"), (12, "青苗补偿款兑付到户")),
         resolved=D("2023-04-25"), deputies_role="代表协调补偿款兑付"),
    Spec(D("2023-04-26"), "赡养老人家庭纠纷", "桥头村一位八旬老人的三名子女因赡养费分摊问题互相推诿。",
         "low", 10, town=(10,), parts=("上门做子女思想工作，促成三方签订赡养协议",),
         roles=("老人", "长子", "次子"),
         steps=((2, "代表上门走访老人"), (9, "召集三名子女调解，签订赡养协议")),
         resolved=D("2023-05-08"), deputies_role="代表参与家庭调解"),
    Spec(D("2023-05-12"), "企业欠薪群体讨薪隐患", "某服装厂停产，60余名职工工资和社保未结清，有集体讨薪苗头。",
         "high", 2, district=(7,), town=(11,),
         parts=("向区人社局反映情况，推动启动欠薪应急周转金", "与职工代表沟通，引导依法维权"),
         roles=("职工代表", "企业法定代表人"),
         steps=((2, "代表与职工代表座谈"), (8, "镇综治中心牵头协调，企业资产处置尚需时日")),
         escalated=(D("2023-05-25"), "区信访局", "涉及金额大、人数多，需区级协调欠薪应急周转金")),
    Spec(D("2023-05-22"), "鱼塘承包合同到期纠纷", "望湖村鱼塘承包合同到期，原承包人不愿退塘，与村集体发生争议。",
         "medium", 16, district=(0,), town=(12,),
         parts=("向原承包人解释合同约定和村集体资产管理规定", "协调村集体给予原承包人适当的鱼苗损失补偿，促成按期退塘"),
         roles=("原承包人", "村集体代表"),
         steps=((4, "代表与原承包人座谈"), (18, "达成退塘协议")),
         resolved=D("2023-06-16"), deputies_role="代表参与协商，促成按期退塘"),
)


def _ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def _people(names: Names, roles: tuple[str, ...], village: Region) -> list[PersonIn]:
    out = []
    for i, role in enumerate(roles):
        birth = dt.date(1955, 1, 1) + dt.timedelta(days=names.below(15000))
        out.append(PersonIn(name=names.person(), id_number=_id_number(village.code[:6], birth, names.below(999)),
                            phone=names.mobile(), address=f"XX镇{village.name}{names.below(9) + 1}组{i + 1}号",
                            role=role))
    return out


def _id_number(area: str, birth: dt.date, seq: int) -> str:
    from renda.core.validators import id_number_check_digit

    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_digit(first17)


@step("risks", order=1300, labels={"risk": "信访隐患"})
def build_risks(demo: Demo) -> None:
    w = org(demo)
    staff = w.users["staff"]
    names = Names(PEOPLE_SEED)
    district = [d for d in w.deputies if d.level == DeputyLevel.DISTRICT]
    town = [d for d in w.deputies if d.level == DeputyLevel.TOWN]
    existing = set(Risk.objects.values_list("code", flat=True))
    for i, spec in enumerate(HALF_YEAR, start=1):
        code = f"YH2023-{i:03d}"
        village = w.villages[spec.village % len(w.villages)]
        people = _people(names, spec.roles, village)  # drawn even when skipped: stable names
        if code in existing:
            continue
        grid = next(g for g in w.grids if g.parent_id == village.pk)
        worker = w.grid_worker_of.get(grid.code)
        deputies = [district[k % len(district)] for k in spec.district] + [town[k % len(town)] for k in spec.town]
        participants = [ParticipantIn(deputy=d, part=spec.parts[j] if j < len(spec.parts) else "")
                        for j, d in enumerate(deputies)]
        if worker is not None:
            participants.append(ParticipantIn(grid_worker=worker, part="排查发现并报告隐患，跟踪化解进展"))
        r = services.risk_register(
            actor=staff, town=w.town, title=spec.title, level=spec.level, description=spec.description,
            grid=grid, people=people, participants=participants, code=code, source=Source.GRID_WORKER,
            on=spec.registered)
        services.risk_start(actor=staff, risk_id=r.pk, on=spec.registered + dt.timedelta(days=1))
        for days, text in spec.steps:
            services.risk_log_step(actor=staff, risk_id=r.pk, text=text, on=spec.registered + dt.timedelta(days=days))
        if spec.resolved is not None:
            services.risk_resolve(actor=staff, risk_id=r.pk, resolved_on=spec.resolved,
                                  deputies_role=spec.deputies_role, comment=spec.deputies_role)
        elif spec.escalated is not None:
            on, to, reason = spec.escalated
            services.risk_escalate(actor=staff, risk_id=r.pk, to=to, reason=reason, on=on)
        demo.created["risk"] += 1
    _recent(demo, names)
    qs = Risk.objects.filter(town=w.town)
    h1 = qs.resolved_between(D("2023-01-01"), D("2023-06-30"))
    demo.out(f"信访隐患：XX镇 {qs.count()} 件（2023年上半年化解 {h1.count()} 件，其中代表参与 "
             f"{h1.with_deputies().count()} 件；目前未化解 {qs.open().count()} 件）")


def _recent(demo: Demo, names: Names) -> None:
    """Open risks around today for the demo logins."""
    w = org(demo)
    today = timezone.localdate()
    staff, grid_user, deputy_user = w.users["staff"], w.users["grid"], w.users["deputy"]
    worker = grid_user.grid_worker
    deputy: Deputy | None = deputy_user.deputy
    assert worker is not None and deputy is not None
    grid = worker.grids.order_by("code").first()
    assert grid is not None
    village = grid.parent
    assert village is not None
    taken = set(Risk.objects.filter(town=w.town).values_list("title", flat=True))

    def new(title: str) -> bool:
        return title not in taken

    t1 = "村民因排水沟堵塞引发邻里纠纷"
    people = _people(names, ("反映人", "相邻户"), village)
    if new(t1):
        services.risk_register(
            actor=grid_user, town=w.town, title=t1, level="low", grid=grid, people=people,
            description="雨季前排水沟堵塞，两户村民互相指责，网格员排查发现。",
            participants=[ParticipantIn(grid_worker=worker, part="排查发现并上报")], on=_ago(today, 3))
        demo.created["risk"] += 1
    t2 = "农户承包地边界纠纷"
    people = _people(names, ("申请人", "被申请人"), village)
    if new(t2):
        r = services.risk_register(
            actor=staff, town=w.town, title=t2, level="medium", grid=grid, people=people,
            description="两户农户对承包地边界存在争议，影响春耕准备。",
            participants=[ParticipantIn(deputy=deputy, part="走访双方当事人，调阅承包合同"),
                          ParticipantIn(grid_worker=worker)], on=_ago(today, 12))
        services.risk_start(actor=staff, risk_id=r.pk, on=_ago(today, 11))
        services.risk_log_step(actor=deputy_user, risk_id=r.pk, text="代表走访双方当事人，调阅土地承包合同",
                               on=_ago(today, 8))
        demo.created["risk"] += 1
    t3 = "物流园区停工后务工人员工资结算隐患"
    people = _people(names, ("务工人员代表", "企业负责人"), w.villages[0])
    if new(t3):
        r = services.risk_register(
            actor=staff, town=w.town, title=t3, level="high", village=w.villages[0], people=people,
            description="物流园区项目停工，20余名务工人员工资结算存在争议。",
            participants=[ParticipantIn(deputy=w.deputies[0], part="与务工人员代表座谈")], on=_ago(today, 20))
        services.risk_start(actor=staff, risk_id=r.pk, on=_ago(today, 19))
        services.risk_escalate(actor=staff, risk_id=r.pk, to="区信访局", reason="涉及区级重点项目，需区级协调",
                               on=_ago(today, 6))
        demo.created["risk"] += 1
    t4 = "老旧小区加装电梯意见分歧"
    people = _people(names, ("高层住户代表", "低层住户代表"), w.villages[1])
    if new(t4):
        grid4 = next(g for g in w.grids if g.parent_id == w.villages[1].pk)
        services.risk_register(
            actor=staff, town=w.town, title=t4, level="medium", grid=grid4, people=people,
            description="高层住户希望加装电梯，一楼住户担心采光和噪音，矛盾有激化苗头。", on=_ago(today, 1))
        demo.created["risk"] += 1
