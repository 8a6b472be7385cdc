"""Demo motions (议案) of XX镇, registered with ``renda demo`` (after congress' step).

At the first session of 2023 (第十八届第三次会议, 2023-01-12/13; the office set the time limit to
the first day, 17:00):

1. **关于加快农村饮水安全巩固提升的议案** — jointly by six deputies, submitted on the first day,
   put on the agenda by the presidium, adopted on the second day with its resolution; the follow-up
   (镇农业农村办公室, 镇经济发展中心) reported in March and finished on 2023-06-20;
2. **关于加快推进村组道路硬化的议案** — jointly by five deputies at the mid-year session
   (第四次会议, 2023-07-14; no limit set: the end of its first day); the presidium treats it as a
   deputy suggestion (registered through the suggestions app, linked both ways). It is dated in
   July so that the half year keeps the report's 38 suggestions received.

So ``renda stats --period 2023H1`` shows ``motions``: 1 submitted, on the agenda and resolved;
``--period 2023``: 2 submitted, 1 on the agenda, 1 treated as a suggestion, 1 resolved.
Idempotent: nothing is done when the first session already has motions.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from renda.accounts.demo import org
from renda.congress import selectors as congress_selectors
from renda.congress.demo import session as demo_session
from renda.congress.models import Session
from renda.core.demo import Demo, step
from renda.motions import services
from renda.motions.models import Motion
from renda.people.models import Deputy

D = dt.date.fromisoformat
WATER = "关于加快农村饮水安全巩固提升的议案"
ROADS = "关于加快推进村组道路硬化的议案"


def _at(day: str, hm: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} {hm}"))


@step("motions", order=1420, labels={"motion": "议案"})
def motions(demo: Demo) -> None:
    w = org(demo)
    s, mid_year = demo_session(w.town, 3), demo_session(w.town, 4)
    if s is None or mid_year is None or Motion.objects.filter(session=s).exists():
        return
    staff, presidium = w.users.get("staff"), w.users.get("presidium")
    deputies = list(congress_selectors.town_deputies(w.town.pk, s.starts_on).order_by("name", "id"))
    if len(deputies) < 11:
        return
    services.limit_set(actor=staff, session=s, deadline=_at("2023-01-12", "17:00"))

    def joint(session: Session, title: str, reasons: str, proposal: str, signers: list[Deputy], at: str) -> Motion:
        day = session.starts_on.isoformat()

        def build() -> Motion:
            lead, *others = signers
            m = services.motion_create(actor=staff, session=session, title=title, reasons=reasons,
                                       proposal=proposal, lead_deputy=lead, at=_at(day, "09:10"))
            for d in others:
                services.motion_sign(actor=staff, motion_id=m.pk, deputy=d, at=_at(day, "10:30"))
            return services.motion_submit(actor=staff, motion_id=m.pk, at=_at(day, at))
        return demo.ensure("motion", None, build)

    water = joint(
        s, WATER,
        "我镇部分村组地处岗丘，供水管网老化、水压不足，夏季用水高峰时段时常断水，群众反映强烈。"
        "巩固提升农村饮水安全是民生实事，也是乡村振兴的基础工作。",
        "一、对老化管网分年度实施改造，优先解决高岗片区；二、新建加压泵站，保障高峰时段水压；"
        "三、建立村级管水员制度，落实日常巡查和维修经费。",
        deputies[:6], "14:20")
    services.motion_put_on_agenda(actor=presidium, motion_id=water.pk, on=D("2023-01-12"),
                                  reason="符合提出议案的条件，属于本级人民代表大会职权范围")
    units = [w.units[name] for name in ("镇农业农村办公室", "镇经济发展中心") if name in w.units]
    services.motion_adopt(actor=staff, motion_id=water.pk, on=D("2023-01-13"), units=units,
                          resolution="大会审议通过《关于加快农村饮水安全巩固提升的决议》，要求镇人民政府在2023年6月底前"
                                     "完成高岗片区管网改造和加压泵站建设，并向镇人大主席团报告落实情况。")
    services.motion_progress(actor=staff, motion_id=water.pk, on=D("2023-03-20"),
                             note="管网改造工程已完成招标，施工队伍进场；加压泵站完成选址。")
    services.motion_finish(actor=staff, motion_id=water.pk, on=D("2023-06-20"),
                           summary="改造供水管网12.6公里，新建加压泵站2座，高岗片区1300余户群众用水得到保障；"
                                   "各村均已明确管水员。")

    roads = joint(
        mid_year, ROADS,
        "部分自然村通组道路仍为砂石路，雨天泥泞，群众出行和农产品运输不便。",
        "将未硬化的通组道路纳入年度计划，争取上级“四好农村路”资金，分批实施硬化。",
        deputies[6:11], "11:40")
    services.motion_to_suggestion(actor=presidium, motion_id=roads.pk, on=D("2023-07-14"),
                                  reason="所提事项属于镇人民政府日常工作，作为代表建议交有关单位办理")
