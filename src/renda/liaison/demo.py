"""Demo liaison records (联系群众), registered with ``renda demo`` (see ``renda.core.demo``).

XX镇 in the first half of 2023, at the level the report admits (镇人大主席团联系代表还不够):

- the town's targets (the defaults: 10 voter contacts a deputy a year, each assigned deputy
  contacted once a quarter, a group meeting a quarter);
- six deputy groups by village area, each with a leader; every group met in the first quarter,
  only three in the second;
- three voter households per deputy (fictional, encrypted);
- voter contacts: a few deputies at or above the pro-rata target (5 in the half year), most
  below it;
- presidium contacts: about half the assignments had a contact in the half year, so several
  deputies had none;
- the town's contact station (monthly reception day, the 10th) and two village rooms (weekly),
  with their roster for the half year and around today, and receptions in every state — one
  matter for the courts turned away with the route given, one transferred as a suggestion.

Everything is built through the services, dated by ``on``. Idempotent: groups, stations,
receptions (编号) and meetings are looked up by natural keys; the contact records of the half
year are written only when the town has none.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from renda.accounts.demo import org
from renda.core.demo import Demo, Names, step
from renda.liaison import services
from renda.liaison.models import (
    DeputyGroup,
    GroupMeeting,
    LiaisonSettings,
    PresidiumContact,
    Reception,
    Station,
    Voter,
    VoterContact,
)
from renda.people.models import ContactAssignment, Deputy

D = dt.date.fromisoformat
SEED = 20230630
GROUPS = 6
TOPICS = ("学习贯彻代表法，交流履职体会", "收集辖区群众对乡村振兴的意见建议", "视察村级道路和农田水利设施建设",
          "走访困难群众，了解防返贫监测落实情况", "讨论代表建议办理情况，开展满意度测评")
ISSUES = ("村道路灯损坏，夜间出行不便", "灌溉渠道淤塞，影响春耕用水", "希望增设农村公交站点",
          "反映村卫生室药品不全", "建议加强农贸市场周边交通秩序管理", "", "")
WAYS = ("visit", "visit", "phone", "meeting", "reception", "online")
# (days into 2023, matter, (action, days after, text)...)
RECEPTIONS: tuple[tuple[str, str, tuple[tuple[str, int, str], ...]], ...] = (
    ("2023-01-10", "反映村组道路破损严重，雨天积水", (
        ("propose", 1, "转镇农业农村办核实，列入农村公路养护计划"), ("transfer", 2, "镇农业农村办"),
        ("chase", 30, "电话督促镇农业农村办落实修补"), ("feedback", 45, "已完成路面修补，向来访人反馈"),
        ("file", 50, ""))),
    ("2023-02-10", "反映与邻居的宅基地确权纠纷已经法院一审判决，对判决不服", (
        ("turn_away", 0, "属涉诉事项，已告知来访人在法定期限内向上一级人民法院提起上诉"),)),
    ("2023-03-10", "希望在集镇增设公共厕所", (
        ("propose", 1, "作为群众意见建议交镇城建办办理"), ("transfer", 3, "镇城建办"))),
    ("2023-04-10", "反映劳动合同纠纷，用人单位未支付经济补偿", (
        ("turn_away", 0, "属劳动争议，已告知来访人向区劳动人事争议仲裁委员会申请仲裁"),)),
    ("2023-05-10", "反映小区物业收费不透明", (
        ("propose", 2, "由接待代表约谈物业公司，督促公开收支"), ("feedback", 20, "物业公司已公示收支明细"))),
    ("2023-06-10", "希望增加老年人助餐点", (("propose", 3, "转镇社会事务办研究"),)),
    ("2023-06-10", "反映村内河道垃圾漂浮", ()),
)


def _date(year_day: int) -> dt.date:
    return dt.date(2023, 1, 1) + dt.timedelta(days=year_day)


@step("liaison", order=1500, labels={"deputy_group": "代表小组", "voter_contact": "联系选民记录",
                                      "presidium_contact": "联系代表记录", "reception": "接待记录"})
def build_liaison(demo: Demo) -> None:
    w = org(demo)
    town, staff = w.town, w.users["staff"]
    names = Names(SEED)
    if not LiaisonSettings.objects.filter(town=town).exists():
        services.settings_set(actor=staff, town=town, voter_contacts_per_year=10, presidium_contacts_per_quarter=1,
                              group_meetings_per_quarter=1)
    deputies = list(w.deputies)
    _groups(demo, w, deputies)
    _voters(names, deputies)
    _voter_contacts(demo, w, deputies)
    _presidium_contacts(demo, w)
    _stations(demo, w)
    h1 = (D("2023-01-01"), D("2023-06-30"))
    from renda.liaison import selectors

    demo.out(f"联系群众：代表小组 {DeputyGroup.objects.filter(town=town).count()} 个，"
             f"2023年上半年联系选民 {VoterContact.objects.filter(town=town, on__range=h1).count()} 次、"
             f"主席团成员联系代表 {PresidiumContact.objects.filter(town=town, on__range=h1).count()} 次，"
             f"无主席团成员联系的代表 {selectors.deputies_without_contact(town, *h1).count()} 名，"
             f"联络站接待 {Reception.objects.filter(town=town, on__range=h1).count()} 件")


def _groups(demo: Demo, w: object, deputies: list[Deputy]) -> None:
    town, staff, villages = w.town, w.users["staff"], w.villages  # type: ignore[attr-defined]
    size = -(-len(villages) // GROUPS)
    for g in range(GROUPS):
        area = villages[g * size:(g + 1) * size]
        if not area:
            continue
        name = f"{area[0].name}片区代表小组"
        group = DeputyGroup.objects.filter(town=town, name=name).first()
        members = [d for d in deputies if d.village_id in {v.pk for v in area}]
        if group is None:
            leader = next((d for d in members if not d.is_presidium), members[0] if members else None)
            group = services.group_create(actor=staff, town=town, name=name, leader=leader, members=members,
                                          regions=area, note="按村（社区）片区划分")
            demo.created["deputy_group"] += 1
        dates = [D("2023-03-15") + dt.timedelta(days=g)]
        if g % 2 == 0:
            dates.append(D("2023-06-12") + dt.timedelta(days=g))
        for k, on in enumerate(dates):
            if not GroupMeeting.objects.filter(group=group, on=on).exists():
                services.meeting_create(actor=staff, group=group, on=on, place=f"{area[0].name}村委会会议室",
                                        topics=TOPICS[(g + k) % len(TOPICS)],
                                        attendees=members[: max(1, len(members) - 1)])


def _voters(names: Names, deputies: list[Deputy]) -> None:
    for d in deputies:
        drawn = [(names.person(), names.mobile(), names.below(9) + 1) for _ in range(3)]
        if Voter.objects.filter(deputy=d).exists():
            continue
        for name, phone, group_no in drawn:
            services.voter_create(actor=None, deputy=d, name=name, phone=phone,
                                  address=f"{d.village.name if d.village else ''}{group_no}组", village=d.village)


def _voter_contacts(demo: Demo, w: object, deputies: list[Deputy]) -> None:
    town = w.town  # type: ignore[attr-defined]
    if VoterContact.objects.filter(town=town, on__lte=D("2023-06-30")).exists():
        return
    for i, d in enumerate(deputies):
        # one deputy in five meets the pro-rata target (5 in the half year); the others fall short
        n = 5 + i % 2 if i % 5 == 0 else i % 4
        voters = list(Voter.objects.filter(deputy=d))
        for k in range(n):
            on = _date(10 + (i * 7 + k * 33) % 170)
            services.voter_contact_create(
                actor=None, deputy=d, on=on, way=WAYS[(i + k) % len(WAYS)], households=1 + (i + k) % 4,
                voters=voters[: 1 + k % len(voters)] if voters else [], place=d.village.name if d.village else "",
                issues=ISSUES[(i + k) % len(ISSUES)])
            demo.created["voter_contact"] += 1
    # around today: the demo deputy's latest contacts
    today = timezone.localdate()
    deputy = w.users["deputy"].deputy  # type: ignore[attr-defined]
    if deputy is not None:
        services.voter_contact_create(actor=None, deputy=deputy, on=today - dt.timedelta(days=20), way="visit",
                                      households=2, issues="反映村口路段缺少减速带")
        demo.created["voter_contact"] += 1


def _presidium_contacts(demo: Demo, w: object) -> None:
    town = w.town  # type: ignore[attr-defined]
    if PresidiumContact.objects.filter(town=town, on__lte=D("2023-06-30")).exists():
        return
    assignments = list(ContactAssignment.objects.filter(town=town, is_active=True).select_related(
        "presidium_member", "deputy").order_by("presidium_member__name", "deputy__name"))
    for i, a in enumerate(assignments):
        if i % 2:
            continue  # the report: 镇人大主席团联系代表还不够 — half the deputies had no contact
        quarters = [_date(20 + i * 3 % 60)] + ([_date(100 + i * 5 % 60)] if i % 4 == 0 else [])
        for on in quarters:
            services.presidium_contact_create(
                actor=None, presidium_member=a.presidium_member, deputy=a.deputy, on=on,
                way="visit" if i % 3 else "phone", content="了解代表履职情况，听取对主席团工作的意见建议")
            demo.created["presidium_contact"] += 1


def _stations(demo: Demo, w: object) -> None:
    town, staff, villages = w.town, w.users["staff"], w.villages  # type: ignore[attr-defined]
    deputies = list(w.deputies)  # type: ignore[attr-defined]
    specs = [("XX镇人大代表联络站", "station", None, "XX镇政府便民服务中心二楼", "每月10日 上午9:00—12:00", "monthly",
              deputies[:8]),
             (f"{villages[0].name}代表联系群众活动室", "room", villages[0], f"{villages[0].name}党群服务中心",
              "每周三 下午2:30—5:00", "weekly", [d for d in deputies if d.village_id == villages[0].pk][:4]),
             (f"{villages[1].name}代表联系群众活动室", "room", villages[1], f"{villages[1].name}党群服务中心",
              "每周五 上午9:00—11:30", "weekly", [d for d in deputies if d.village_id == villages[1].pk][:4])]
    stations = []
    for name, kind, village, address, hours, cadence, members in specs:
        s = Station.objects.filter(town=town, name=name).first()
        if s is None:
            s = services.station_create(actor=staff, town=town, name=name, kind=kind, village=village,
                                        address=address, opening_hours=hours, cadence=cadence, deputies=members)
        stations.append(s)
    main = stations[0]
    members = list(main.deputies.all())
    services.roster_plan(actor=staff, station=main, start=D("2023-01-10"), end=D("2023-06-30"), deputies=members[:2])
    today = timezone.localdate()
    services.roster_plan(actor=staff, station=main, start=today.replace(day=10) if today.day <= 10 else today,
                         end=today + dt.timedelta(days=62), deputies=members[2:4])
    for room in stations[1:]:
        soon = today + dt.timedelta(days=2)
        services.roster_plan(actor=staff, station=room, start=soon, end=soon + dt.timedelta(days=28),
                             deputies=list(room.deputies.all())[:1])
    names = Names(SEED + 1)
    for i, (on_text, matter, steps) in enumerate(RECEPTIONS, start=1):
        visitor = services.VisitorIn(name=names.person(), phone=names.mobile())
        code = f"JD2023-{i:03d}"
        if Reception.objects.filter(code=code).exists():
            continue
        on = D(on_text)
        r = services.reception_register(actor=staff, station=main, visitor=visitor, matter=matter, on=on,
                                        deputies=members[:2], code=code)
        for action, days, text in steps:
            when = on + dt.timedelta(days=days)
            if action == "propose":
                services.reception_propose(actor=staff, reception_id=r.pk, proposal=text, on=when)
            elif action == "transfer":
                services.reception_transfer(actor=staff, reception_id=r.pk, to=text, on=when,
                                            title=matter)
            elif action == "chase":
                services.reception_chase(actor=staff, reception_id=r.pk, note=text, on=when)
            elif action == "feedback":
                services.reception_feedback(actor=staff, reception_id=r.pk, feedback=text, on=when)
            elif action == "file":
                services.reception_file(actor=staff, reception_id=r.pk, on=when)
            elif action == "turn_away":
                services.reception_turn_away(actor=staff, reception_id=r.pk, route=text, on=when)
        demo.created["reception"] += 1
