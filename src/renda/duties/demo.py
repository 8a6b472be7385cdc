"""Demo duty activities (履职活动), registered with ``renda demo`` (see ``renda.core.demo``).

1. **XX镇, first half of 2023**, as the half-year report tells it: study sessions (学习), the
   presidium's research on 党建+人大代表+信访, the inspection of the monitoring against falling
   back into poverty (防返贫监测), the reports heard on new agricultural business entities
   (新型农业经营主体) and rural tourism (乡村旅游), exactly 4 judicial witness activities (the
   district procuratorate's public case hearings ×3 and the justice bureau's review ×1), 1
   symposium with the procuratorate and the comments gathered on the 民法典 draft — each with
   district and town deputies attending.
2. **Around today**: one activity planned for today that the demo deputy takes part in (to sign
   in through its QR code), and a report to voters in draft for the demo deputy.

Only this step creates duty activities (no other step makes judicial_witness ones). Idempotent:
a 2023 activity is looked up by its 编号, a recent one by its title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from renda.accounts.demo import org
from renda.core.demo import Demo, step
from renda.duties import services
from renda.duties.models import Activity, Attendance, SignInVia, VoterReport
from renda.people.models import Deputy, DeputyLevel

D = dt.date.fromisoformat
T = dt.time


@dataclass(frozen=True)
class Spec:
    on: dt.date
    type: str
    title: str
    organizer: str
    organizer_kind: str
    place: str
    starts: dt.time
    ends: dt.time
    #: (district deputies, town deputies) invited: how many of each list; the last one is on leave
    district: int
    town: int
    content: str = ""
    outcome: str = ""


PRESIDIUM = "XX镇人大主席团"
PROCURATORATE = "区人民检察院"

HALF_YEAR: tuple[Spec, ...] = (
    Spec(D("2023-01-10"), "study", "学习贯彻党的二十大精神专题学习会", PRESIDIUM, "presidium", "镇政府三楼会议室",
         T(9), T(11, 30), 1, 6, "集中学习党的二十大报告中关于发展全过程人民民主的论述",
         "主席团成员和代表交流学习体会"),
    Spec(D("2023-02-16"), "study", "学习省、市、区人大工作会议精神", PRESIDIUM, "presidium", "镇政府三楼会议室",
         T(14, 30), T(16, 30), 1, 5, "传达学习省、市、区人大工作会议精神"),
    Spec(D("2023-02-23"), "judicial_witness", "区检察院案件公开听证（邻里纠纷引发的轻伤害案）", PROCURATORATE,
         "procuratorate", "区人民检察院听证室", T(9), T(11), 1, 1, "人大代表作为听证员参加案件公开听证",
         "代表发表听证意见，同意检察机关拟作出的不起诉决定"),
    Spec(D("2023-03-08"), "research", "党建+人大代表+信访专题调研", PRESIDIUM, "presidium", "各村（社区）",
         T(9), T(17), 0, 4, "主席团成员围绕党建引领、代表参与信访化解开展专题调研",
         "形成《关于党建+人大代表+信访工作机制的调研报告》"),
    Spec(D("2023-03-15"), "law_comment", "民法典修订意见征集", PRESIDIUM, "presidium", "镇人大代表之家",
         T(9), T(11), 1, 6, "组织代表逐条学习并征集对民法典相关编修订的意见", "汇总代表意见8条报区人大常委会"),
    Spec(D("2023-03-22"), "inspection", "实地检查防返贫监测各项政策落实情况", PRESIDIUM, "presidium",
         "南塘村、东湖村", T(8, 30), T(12), 1, 5, "实地查看监测户帮扶措施落实情况，听取镇乡村振兴办汇报",
         "提出加强动态监测、落实帮扶责任人的意见"),
    Spec(D("2023-04-12"), "hearing", "听取审议新型农业经营主体发展情况报告", PRESIDIUM, "presidium",
         "镇政府三楼会议室", T(9), T(11, 30), 0, 7, "听取镇农业农村办关于新型农业经营主体发展情况的报告",
         "代表提出加大家庭农场和合作社扶持力度的审议意见"),
    Spec(D("2023-04-18"), "judicial_witness", "区检察院案件公开听证（拒不支付劳动报酬案）", PROCURATORATE,
         "procuratorate", "区人民检察院听证室", T(14, 30), T(16, 30), 1, 1),
    Spec(D("2023-05-10"), "hearing", "听取审议乡村旅游发展情况报告", PRESIDIUM, "presidium", "镇政府三楼会议室",
         T(9), T(11, 30), 0, 7, "听取镇文旅办关于乡村旅游发展情况的报告", "代表建议打造精品民宿和研学线路"),
    Spec(D("2023-05-25"), "judicial_witness", "区司法局行政执法评议", "区司法局", "justice", "区司法局会议室",
         T(9), T(11), 1, 1, "代表参加对区直部门行政执法工作的评议"),
    Spec(D("2023-06-08"), "judicial_witness", "区检察院案件公开听证（行政争议实质性化解案）", PROCURATORATE,
         "procuratorate", "区人民检察院听证室", T(9), T(11), 0, 2),
    Spec(D("2023-06-15"), "symposium", "区检察院人大代表座谈会", PROCURATORATE, "procuratorate",
         "区人民检察院会议室", T(14, 30), T(17), 1, 1, "听取区检察院工作通报，代表提出意见建议"),
)


def _invited(spec: Spec, district: list[Deputy], town: list[Deputy], i: int) -> list[Deputy]:
    """Rotating through the lists so that the archive of every deputy holds something."""
    chosen = [district[(i + k) % len(district)] for k in range(min(spec.district, len(district)))]
    chosen += [town[(i * 2 + k) % len(town)] for k in range(min(spec.town, len(town)))]
    return list(dict.fromkeys(chosen))


@step("duties", order=1400, labels={"duty_activity": "履职活动", "voter_report": "述职评议"})
def build_duties(demo: Demo) -> None:
    w = org(demo)
    staff = w.users["staff"]
    district = [d for d in w.deputies if d.level == DeputyLevel.DISTRICT]
    town = [d for d in w.deputies if d.level == DeputyLevel.TOWN]
    demo_deputy = w.users["deputy"].deputy
    existing = set(Activity.objects.values_list("code", flat=True))
    for i, spec in enumerate(HALF_YEAR, start=1):
        code = f"HD2023-{i:03d}"
        if code in existing:
            continue
        invited = _invited(spec, district, town, i)
        if demo_deputy is not None and i % 3 == 1 and demo_deputy not in invited:
            invited.append(demo_deputy)
        a = services.activity_plan(
            actor=staff, town=w.town, type=spec.type, title=spec.title, on=spec.on, starts_at=spec.starts,
            ends_at=spec.ends, place=spec.place, organizer=spec.organizer, organizer_kind=spec.organizer_kind,
            content=spec.content, deputies=invited, code=code)
        for k, d in enumerate(invited):
            on_leave = len(invited) > 3 and k == len(invited) - 1
            services.activity_set_attendance(
                actor=staff, activity_id=a.pk, deputy=d, note="因公请假" if on_leave else "", via=SignInVia.IMPORT,
                attendance=Attendance.LEAVE if on_leave else Attendance.ATTENDED)
        services.activity_hold(actor=staff, activity_id=a.pk, outcome=spec.outcome, on=spec.on)
        services.activity_archive(actor=staff, activity_id=a.pk, on=spec.on + dt.timedelta(days=7))
        demo.created["duty_activity"] += 1
    _recent(demo)
    h1 = Activity.objects.filter(town=w.town, on__gte=D("2023-01-01"), on__lte=D("2023-06-30"))
    demo.out(f"履职活动：XX镇 2023年上半年 {h1.count()} 次（司法见证 {h1.filter(type='judicial_witness').count()} 次，"
             f"座谈会 {h1.filter(type='symposium').count()} 次）")


def _recent(demo: Demo) -> None:
    w = org(demo)
    staff = w.users["staff"]
    deputy = w.users["deputy"].deputy
    if deputy is None:
        return
    today = timezone.localdate()
    title = "代表小组活动：走访联系选民"
    if not Activity.objects.filter(town=w.town, title=title, on=today).exists():
        invited = list(dict.fromkeys([deputy, *[d for d in w.deputies if d.level == DeputyLevel.TOWN][:3]]))
        services.activity_plan(actor=staff, town=w.town, type="group_meeting", title=title, on=today,
                               starts_at=dt.time(8, 0), ends_at=dt.time(17, 0), place="镇人大代表之家",
                               organizer="第一代表小组", organizer_kind="group", group_name="第一代表小组",
                               content="代表小组集中走访联系选民，收集意见建议", deputies=invited)
        demo.created["duty_activity"] += 1
    year = today.year
    if not VoterReport.objects.filter(deputy=deputy, year=year).exists():
        services.report_draft(actor=staff, deputy=deputy, year=year)
        demo.created["voter_report"] += 1
