"""Demo livelihood projects (民生实事), registered with ``renda demo`` (after congress' step).

1. **The 2023 vote**: the town's rules (2 projects, 差额 at least 2), the collection window of
   autumn 2022 and the excluded kinds; six ideas collected from deputies, departments and the
   public — one of an excluded kind (楼堂馆所) rejected at screening — five on the candidate list
   the presidium submits to the first session of 2023, put to a secret ballot (paper ballots
   entered by the office through congress) that adopts the town's two projects.
2. **The two projects in the state the half-year report describes** (July 2023):
   XX镇XXX路、XX路绿化亮化工程 — tender done, bid price known, contractor on site (construction);
   XXX提升改造项目 — planning, design and budget done, tender under way at 蚌埠市公共资源交易中心.
   Deputies' inspections, supervision notes, progress reports with (generated) photos.
3. **A 2022 project** completed in November 2022 and graded 满意 by the 2023 session's evaluation.

Idempotent: nothing is done when the town already has 2023 candidates.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.accounts.demo import org
from renda.congress import selectors as congress_selectors
from renda.congress import services as congress_services
from renda.congress.models import Session, VoteRound
from renda.core.demo import Demo, step
from renda.projects import services
from renda.projects.models import Candidate, CandidateList, Project

D = dt.date.fromisoformat
YEAR = 2023
GREENING = "XX镇XXX路、XX路绿化亮化工程"
UPGRADE = "XXX提升改造项目"
PLATFORM = "蚌埠市公共资源交易中心"


def png(width: int = 96, height: int = 64, rgb: tuple[int, int, int] = (76, 140, 74)) -> bytes:
    """A small valid PNG (a plain colour with a darker band): the demo's site photo."""
    rows = []
    for y in range(height):
        colour = rgb if y < height * 2 // 3 else (90, 90, 90)
        rows.append(b"\x00" + bytes(colour) * width)
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def photo(name: str, rgb: tuple[int, int, int] = (76, 140, 74)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(rgb=rgb), content_type="image/png")


def _session(w: Any) -> Session:
    """The first session of 2023 (congress' demo builds it; made here if it is not there), with
    quorum reached."""
    s = Session.objects.filter(town=w.town, starts_on__gte=D("2023-01-01"), starts_on__lte=D("2023-03-31")
                               ).order_by("starts_on").first()
    if s is None:
        s = congress_services.session_create(actor=None, town=w.town, term=18, number=3, starts_on=D("2023-01-12"),
                                             ends_on=D("2023-01-14"), venue="镇政府三楼会议室")
    if not congress_selectors.session_quorum(s).reached:
        for a in s.attendance.all():
            congress_services.attendance_set(actor=None, session_id=s.pk, deputy_id=a.deputy_id, status="present")
    return s


def _agenda(session: Session, words: str) -> int | None:
    """The session's agenda item that needs a vote and names ``words`` (congress' demo puts them there)."""
    item = session.agenda.filter(needs_vote=True, title__contains=words).order_by("order").first()
    return item.pk if item is not None else None


def _cast(r: VoteRound, ballots: list[dict[int, str]]) -> None:
    for choices in ballots:
        congress_services.ballot_enter(actor=None, round_id=r.pk, choices=choices)
    congress_services.round_close(actor=None, round_id=r.pk)


IDEAS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # (title, content, kind, source, estimate, proposed unit)
    (GREENING, "XXX路、XX路两侧绿化补植，新建路灯 126 盏，改造人行道", "绿化亮化", "deputy", "3150000.00",
     "村镇规划建设办公室"),
    (UPGRADE, "镇区XXX片区道路、排水、立面及公共活动场地提升改造", "人居环境", "department", "4680000.00",
     "村镇规划建设办公室"),
    ("镇区农贸市场改造", "改造市场大棚、排水及冷链摊位，规范周边停车", "市场建设", "public", "1860000.00", "市场所"),
    ("村级饮水管网改造", "更换老旧供水管网 12 公里，解决高峰期水压不足", "饮水安全", "public", "2200000.00",
     "镇农业农村办公室"),
    ("镇敬老院适老化改造", "增设无障碍设施、呼叫系统和康复活动室", "养老服务", "deputy", "960000.00",
     "镇社会事务办公室"),
    ("镇政府办公楼外立面装修", "办公楼外墙翻新", "楼堂馆所", "department", "1500000.00", "村镇规划建设办公室"),
)


@step("projects", order=1450, labels={"project_candidate": "民生实事候选项目", "project": "民生实事项目"})
def build_projects(demo: Demo) -> None:
    w = org(demo)
    if Candidate.objects.filter(town=w.town, year=YEAR).exists():
        demo.out("民生实事：已存在，跳过")
        return
    units = w.units
    chair = w.presidium[0]
    services.settings_set(actor=None, town=w.town, seats=2, min_surplus=2)
    services.window_set(actor=None, town=w.town, year=YEAR, opens_on=D("2022-10-08"), closes_on=D("2022-12-20"))
    for name in ("楼堂馆所", "形象工程"):
        services.excluded_kind_create(actor=None, town=w.town, name=name)

    # 1. candidates, screening, the list, the vote
    listed = []
    for i, (title, content, kind, source, estimate, unit_name) in enumerate(IDEAS):
        c = services.candidate_collect(
            actor=None, town=w.town, year=YEAR, title=title, content=content, kind=kind, source=source,
            deputy=w.deputies[3 + i] if source == "deputy" else None,
            unit=units[unit_name] if source == "department" else None,
            source_note="2022年10月代表、群众意见征集会" if source == "public" else "",
            on=D("2022-10-20") + dt.timedelta(days=7 * i))
        demo.created["project_candidate"] += 1
        c = services.candidate_screen(actor=None, candidate_id=c.pk, feasible=True,
                                      feasibility="符合镇级财力和规划，可行", estimate=Decimal(estimate),
                                      proposed_unit=units[unit_name], on=D("2022-12-28"))
        if c.state == "screened":
            listed.append(c)
    session = _session(w)
    cl = services.candidate_list_create(actor=None, town=w.town, year=YEAR, session=session)
    services.candidate_list_set(actor=None, list_id=cl.pk, candidate_ids=[c.pk for c in listed])
    services.candidate_list_submit(actor=None, list_id=cl.pk, on=D("2023-01-05"), submitted_by=chair)
    r = services.candidate_list_vote(actor=None, list_id=cl.pk, session_id=session.pk,
                                     chief_scrutineer="刘志文", scrutineers="王丽、陈强",
                                     agenda_item_id=_agenda(session, "票决"))
    opt = dict(r.options.values_list("ref_id", "pk"))
    a, b, c3, c4, c5 = (opt[c.pk] for c in listed)
    k, all_count = r.issued, congress_selectors.session_quorum(session).all
    ballots = [{a: "for", b: "for"}] * (k - 4) + [{a: "for", c3: "for"}] * 2 + [{b: "for", c4: "for"},
                                                                               {c3: "for", c5: "for"}]
    if (k - 3) * 2 <= all_count:  # keep the two projects over half of all deputies
        ballots = [{a: "for", b: "for"}] * k
    _cast(r, ballots)
    cl = CandidateList.objects.get(pk=cl.pk)
    greening = Project.objects.get(town=w.town, year=YEAR, title=GREENING)
    upgrade = Project.objects.get(town=w.town, year=YEAR, title=UPGRADE)
    demo.created["project"] += 2
    group = [d for d in w.deputies if not d.is_presidium][:6]

    # 2. the greening and lighting works: tender done, contractor on site
    services.project_plan(
        actor=None, project_id=greening.pk, lead_unit=units["村镇规划建设办公室"],
        targets="两条道路绿化补植 2.1 万平方米，新建 LED 路灯 126 盏，改造人行道 3.4 公里", deadline=D("2023-11-30"),
        funding_source="镇财政资金、区级以奖代补资金", funding_amount=Decimal("3150000.00"), supervisor=chair,
        deputies=group[:3])
    services.project_start(actor=None, project_id=greening.pk, on=D("2023-01-20"))
    for stage, ps, pe, as_, ae in (
        ("initiation", "2023-01-20", "2023-02-10", "2023-01-20", "2023-02-08"),
        ("design", "2023-02-10", "2023-03-15", "2023-02-09", "2023-03-18"),
        ("budget", "2023-03-15", "2023-04-05", "2023-03-18", "2023-04-03"),
        ("tender", "2023-04-06", "2023-05-10", "2023-04-06", "2023-05-12"),
        ("construction", "2023-05-15", "2023-10-31", "2023-05-22", None),
        ("acceptance", "2023-11-01", "2023-11-20", None, None),
        ("final_audit", "2023-11-21", "2024-03-31", None, None),
    ):
        services.project_stage_set(actor=None, project_id=greening.pk, stage=stage, planned_start=D(ps),
                                   planned_end=D(pe), actual_start=D(as_) if as_ else None,
                                   actual_end=D(ae) if ae else None)
    services.project_money_set(
        actor=None, project_id=greening.pk, budget=Decimal("3126500.00"), tender_ceiling=Decimal("3050000.00"),
        bid_price=Decimal("2876412.35"), contract_price=Decimal("2876412.35"), paid=Decimal("862923.71"),
        procurement="public_tender", platform=PLATFORM, contractor="安徽XX建设工程有限公司")
    services.project_report_progress(
        actor=None, project_id=greening.pk, on=D("2023-06-15"), public=True,
        text="施工单位已进场，完成XXX路段绿化补植约 40%，路灯基础浇筑 58 处",
        files=[photo("XXX路施工现场.png")])
    x = services.project_inspect(actor=None, project_id=greening.pk, on=D("2023-06-08"), deputies=[chair, *group[:3]],
                                 findings="部分路段施工围挡不规范，夜间照明不足，建议加强安全管理并加快进度",
                                 files=[photo("代表视察.png", (120, 120, 160))])
    services.project_note(actor=None, project_id=greening.pk, on=D("2023-06-20"), deputy=chair,
                          text="主席团督办：要求施工单位 7 月底前完成XX路段路灯安装")
    del x

    # 3. the upgrading project: planning, design, budget done; tender under way
    services.project_plan(
        actor=None, project_id=upgrade.pk, lead_unit=units["村镇规划建设办公室"],
        targets="片区道路白改黑 2.6 公里、雨污分流管网 3.1 公里、立面整治及口袋公园 2 处", deadline=D("2024-06-30"),
        end_year=2024, funding_source="专项债券资金、镇财政配套", funding_amount=Decimal("4680000.00"),
        supervisor=w.presidium[1] if len(w.presidium) > 1 else chair, deputies=group[3:6],
        year_targets=[services.YearTargetIn(2023, "完成招标并开工，完成管网工程", "2000000"),
                      services.YearTargetIn(2024, "完成道路、立面及口袋公园并验收", "2680000")])
    services.project_start(actor=None, project_id=upgrade.pk, on=D("2023-01-25"))
    for stage, ps, pe, as_, ae in (
        ("initiation", "2023-01-25", "2023-02-20", "2023-01-25", "2023-02-18"),
        ("design", "2023-02-20", "2023-04-30", "2023-02-20", "2023-05-06"),
        ("budget", "2023-05-01", "2023-05-31", "2023-05-08", "2023-06-02"),
        ("tender", "2023-06-05", "2023-07-31", "2023-06-12", None),
        ("construction", "2023-08-15", "2024-05-31", None, None),
    ):
        services.project_stage_set(actor=None, project_id=upgrade.pk, stage=stage, planned_start=D(ps),
                                   planned_end=D(pe), actual_start=D(as_) if as_ else None,
                                   actual_end=D(ae) if ae else None)
    services.project_money_set(actor=None, project_id=upgrade.pk, budget=Decimal("4652800.00"),
                               tender_ceiling=Decimal("4560000.00"), procurement="public_tender", platform=PLATFORM)
    services.project_report_progress(actor=None, project_id=upgrade.pk, on=D("2023-06-28"), public=True,
                                     text=f"施工图设计和预算编制已完成，已在{PLATFORM}发布招标公告",
                                     files=[photo("招标公告.png", (200, 170, 90))])

    # 4. a 2022 project, completed, graded at the 2023 session
    old = services.project_adopt(actor=None, town=w.town, year=2022, title="2022年XX村组道路硬化工程",
                                 adopted_on=D("2022-01-14"), lead_unit=units["镇农业农村办公室"],
                                 budget=Decimal("1380000.00"))
    demo.created["project"] += 1
    services.project_plan(actor=None, project_id=old.pk, lead_unit=units["镇农业农村办公室"],
                          targets="硬化村组道路 6.8 公里", deadline=D("2022-11-30"), supervisor=chair,
                          deputies=group[:2])
    services.project_start(actor=None, project_id=old.pk, on=D("2022-02-10"))
    for stage, s_, e_ in (("initiation", "2022-02-10", "2022-02-28"), ("design", "2022-03-01", "2022-03-31"),
                          ("budget", "2022-04-01", "2022-04-20"), ("tender", "2022-04-21", "2022-05-25"),
                          ("construction", "2022-06-01", "2022-10-31"), ("acceptance", "2022-11-05", "2022-11-25")):
        services.project_stage_set(actor=None, project_id=old.pk, stage=stage, planned_start=D(s_), planned_end=D(e_),
                                   actual_start=D(s_), actual_end=D(e_))
    services.project_money_set(actor=None, project_id=old.pk, tender_ceiling=Decimal("1350000.00"),
                               bid_price=Decimal("1268900.00"), contract_price=Decimal("1268900.00"),
                               paid=Decimal("1205455.00"), procurement="public_tender", platform=PLATFORM,
                               contractor="蚌埠XX路桥工程有限公司")
    services.project_complete(actor=None, project_id=old.pk, on=D("2022-11-30"),
                              report="村组道路硬化 6.8 公里已全部完工并通过验收，群众出行条件明显改善")
    r = services.project_evaluation_open(actor=None, session_id=session.pk, project_ids=[old.pk],
                                         chief_scrutineer="刘志文", scrutineers="王丽、陈强",
                                         agenda_item_id=_agenda(session, "测评"))
    (o,) = r.options.values_list("pk", flat=True)
    k = r.issued
    grades = ["satisfied"] * (k - k // 4) + ["basically_satisfied"] * (k // 4 - 1) + ["dissatisfied"]
    _cast(r, [{o: g} for g in grades[:k]])
    demo.out(f"民生实事：候选项目 {len(IDEAS)} 个，票决确定 2 个，2022 年项目测评 "
             f"{Project.objects.get(pk=old.pk).get_grade_display()}")
