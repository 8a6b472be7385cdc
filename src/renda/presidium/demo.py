"""Demo of the presidium's records (主席团工作), registered with ``renda demo``.

XX镇's 2023 work plan (年度工作要点) as the half-year report tells it: the tasks of the first half,
reviewed at its end (2023-06-30), and those of the second half (the report's 下半年工作安排 and
规范化建设: 抓好重点建议督办, 开展代表述职, 推进民生实事项目, 规范代表联系群众活动室 …), each led by a
presidium member and linked to the records that show its progress where the earlier steps made
them; the division of duties (职责分工) of the presidium members; the information items of the
first half; the July 2023 honour 「全区人大信息工作先进单位」 of the office.

Runs after the suggestions, duties, projects and liaison steps (it links their records when they
exist). Idempotent: the plan by (town, year), a task by its number, a division by its member, an
information item and the honour by their title.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Model

from renda.accounts.demo import org
from renda.core.demo import Demo, step
from renda.duties import services as duty_services
from renda.duties.models import Activity, Award
from renda.liaison.models import LiaisonSettings
from renda.places.models import Region
from renda.presidium import services
from renda.presidium.models import DutyDivision, InfoItem, LinkKind, Plan
from renda.projects.models import Project
from renda.suggestions.models import Suggestion

D = dt.date.fromisoformat
REVIEWED_ON = D("2023-06-30")

#: (area, text, lead: index into the presidium, due half, H1 review (status, note) or None,
#:  links: (kind, activity title | "key" | "projects" | "targets"))
TASKS: tuple[tuple[str, str, int, str, tuple[str, str] | None, tuple[tuple[str, str], ...]], ...] = (
    ("政治引领", "落实第一议题学习、理论学习中心组学习制度，组织主席团成员和代表学习党的XX大精神", 0, "2023H1",
     ("done", "上半年组织集中学习2次"), (("activity", "学习贯彻党的二十大精神专题学习会"),)),
    ("政治引领", "围绕党建+人大代表+信访开展专题调研，形成调研成果", 1, "2023H1",
     ("done", "形成《关于党建+人大代表+信访工作机制的调研报告》"), (("activity", "党建+人大代表+信访专题调研"),)),
    ("中心大局", "实地检查防返贫监测各项政策落实情况，听取审议新型农业经营主体、乡村旅游发展情况报告", 2, "2023H1",
     ("done", "检查1次，听取审议报告2项"), (("activity", "实地检查防返贫监测各项政策落实情况"),
                                       ("activity", "听取审议乡村旅游发展情况报告"))),
    ("代表履职", "抓好重点建议督办：选定重点建议由主席团成员带队集中督办，并开展满意度测评", 1, "2023H1",
     ("under_way", "已选定7件重点建议，6件办结，建设镇域公交站台的建议仍在协调"), (("suggestion", "key"),)),
    ("自身建设", "制定年度工作任务和目标，明确主席团成员职责分工，完善主席团联系代表、代表联系选民制度", 0,
     "2023H1", ("done", "职责分工已印发，联系代表和联系选民目标已设定"), (("contact_target", "targets"),)),
    ("政治引领", "加强人大宣传和信息报送工作", 1, "2023H1", ("done", "上半年报送信息6条，被采用4条"), ()),
    ("代表履职", "认真督促2023年民生实事项目落实，组织代表视察项目进展", 2, "2023H2", None, (("project", "projects"),)),
    ("代表履职", "开展代表述职活动，并认真组织评议", 1, "2023H2", None, ()),
    ("自身建设", "大力推进代表联系群众活动室规范化建设，丰富代表联系群众的内容和形式", 3, "2023H2", None,
     (("contact_target", "targets"),)),
    ("践行全过程人民民主", "持续完善人大信访工作机制，坚持主席团批办重要信访件、参加信访接待等制度", 0, "2023H2",
     None, ()),
    ("自身建设", "加强代表培训，推进闭会期间代表履职活动常态化", 3, "2023H2", None, ()),
    ("中心大局", "改进视察、调研等监督形式，围绕完善机制、增强实效加强监督", 2, "2023H2", None, ()),
)

#: (index into the presidium, areas, responsibilities)
DIVISION: tuple[tuple[int, str, str], ...] = (
    (0, "主持镇人大主席团全面工作", "负责人代会筹备、主席团会议召集，分管信访工作机制和重要信访件批办"),
    (1, "代表工作、建议督办、信息宣传", "负责代表建议交办督办、代表述职评议组织、人大信息报送和宣传"),
    (2, "监督工作、民生实事项目", "负责民生实事项目票决后的监督、视察调研和听取审议专项工作报告"),
    (3, "代表联系群众、代表联络站建设", "负责代表联系群众活动室规范化建设、代表培训和闭会期间代表活动"),
)

#: (title, submitted on, adopted on or None, published in)
INFO: tuple[tuple[str, dt.date, dt.date | None, str], ...] = (
    ("XX镇人大组织代表学习党的二十大精神", D("2023-01-12"), D("2023-01-18"), "区人大工作动态第2期"),
    ("XX镇探索党建+人大代表+信访工作机制", D("2023-03-20"), D("2023-04-03"), "区人大常委会门户网站"),
    ("XX镇人大代表参与民法典修订意见征集", D("2023-03-17"), None, ""),
    ("XX镇人大实地检查防返贫监测政策落实", D("2023-03-24"), D("2023-04-10"), "区人大工作动态第6期"),
    ("XX镇人大听取审议乡村旅游发展情况报告", D("2023-05-12"), None, ""),
    ("XX镇人大代表参加司法见证活动", D("2023-06-09"), D("2023-06-21"), "区人大常委会微信公众号"),
)
HONOUR = ("全区人大信息工作先进单位", "区人大常委会", D("2023-07-12"))


@step("presidium", order=1600, labels={"plan": "年度工作要点", "plan_task": "工作任务", "duty_division": "职责分工",
                                       "info_item": "信息报送", "honour": "荣誉"})
def build_presidium(demo: Demo) -> None:
    w = org(demo)
    staff = w.users["staff"]
    members = w.presidium
    plan = Plan.objects.filter(town=w.town, year=2023).first()
    if plan is None:
        plan = services.plan_create(actor=staff, town=w.town, year=2023, title="XX镇人大主席团2023年工作要点",
                                    goals="坚持党的全面领导，围绕促进XX发展这个目标，依法履行宪法和法律赋予的职权，"
                                          "充分发挥代表主体作用，全面加强自身建设。")
        demo.created["plan"] += 1
    for n, (area, text, lead, due, review, links) in enumerate(TASKS, start=1):
        task = plan.tasks.filter(ordinal=n).first()
        if task is None:
            task = services.task_create(actor=staff, plan=plan, ordinal=n, area=area, text=text,
                                        lead=members[lead % len(members)], due_half=due, supporters=[staff])
            demo.created["plan_task"] += 1
        for kind, key in links:
            for target in _targets(w.town, kind, key):
                if not task.links.filter(**{kind: target}).exists():
                    services.task_link(actor=staff, task=task, kind=kind, target=target)
        if review is not None and not task.reviews.filter(half="2023H1").exists():
            services.task_review(actor=staff, task=task, half="2023H1", status=review[0], note=review[1],
                                 on=REVIEWED_ON)
    for i, areas, duties in DIVISION:
        if i >= len(members) or DutyDivision.objects.filter(town=w.town, year=2023, member=members[i]).exists():
            continue
        regions = w.villages[i::len(DIVISION)]
        services.division_create(actor=staff, town=w.town, year=2023, member=members[i], areas=areas,
                                 responsibilities=duties, regions=regions)
        demo.created["duty_division"] += 1
    for title, submitted, adopted, published in INFO:
        if InfoItem.objects.filter(town=w.town, title=title).exists():
            continue
        services.info_create(actor=staff, town=w.town, title=title, submitted_on=submitted, recipient="district",
                             adopted=adopted is not None, adopted_on=adopted, published_in=published, author=staff)
        demo.created["info_item"] += 1
    title, body, on = HONOUR
    if not Award.objects.filter(town=w.town, title=title).exists():
        duty_services.award_create(actor=staff, recipient="office", town=w.town, title=title, body=body, on=on)
        demo.created["honour"] += 1


def _targets(town: Region, kind: str, key: str) -> list[Model]:
    """The records a demo task links to, where the earlier steps made them."""
    if kind == LinkKind.ACTIVITY:
        return list(Activity.objects.filter(town=town, title=key)[:1])
    if kind == LinkKind.SUGGESTION:
        return list(Suggestion.objects.filter(town=town, key_supervision=True).order_by("pk")[:3])
    if kind == LinkKind.PROJECT:
        return list(Project.objects.filter(town=town, year=2023).order_by("pk")[:2])
    return list(LiaisonSettings.objects.filter(town=town)[:1])
