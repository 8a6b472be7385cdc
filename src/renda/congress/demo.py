"""Demo congress sessions (人代会) of XX镇, registered with ``renda demo`` (see ``renda.core.demo``).

The town's 18th people's congress (第十八届, elected in November 2021; the deputies serve from
2021-11-18):

- 第二次会议, 2022-01-13: the session that adopted the 2022 livelihood projects;
- 第三次会议, 2023-01-12/13: the first session of 2023 — the deputies due, all but two present
  (one on leave, one absent), quorum reached; its agenda holds the vote on the 2023 livelihood
  projects (``VOTE_AGENDA``) and the evaluation of the 2022 ones (``EVALUATE_AGENDA``): the
  ``projects`` step opens those rounds through ``congress.services``;
- 第四次会议, 2023-07-14: the mid-year session at which the presidium's half-year report
  (the source document) is given — 「（2023年7月14日在XX镇第十八届人民代表大会第四次会议上）」
  (``selectors.session_for_report(town, date)``).

Idempotent: a session is looked up by (town, term, number); an existing one is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from renda.congress import selectors, services
from renda.congress.models import Session
from renda.core.demo import Demo, step
from renda.places.demo import PlacesPart
from renda.places.models import Region

D = dt.date.fromisoformat
TERM = 18
#: The agenda items the ``projects`` demo step opens its rounds on.
VOTE_AGENDA = "票决2023年镇民生实事项目"
EVALUATE_AGENDA = "对2022年镇民生实事项目实施情况进行满意度测评"
VOTE_AGENDA_2022 = "票决2022年镇民生实事项目"


@dataclass(frozen=True)
class SessionSpec:
    number: int
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    agenda: tuple[tuple[str, bool], ...]
    absent: int = 0  # how many of the last deputies did not come: on leave first, then absent
    notes: str = ""


SESSIONS: tuple[SessionSpec, ...] = (
    SessionSpec(2, D("2022-01-13"), D("2022-01-14"), "镇政府三楼大会议室", (
        ("听取和审议镇人民政府工作报告", False),
        ("听取和审议镇人大主席团工作报告", False),
        ("审查和批准2022年镇财政预算", True),
        (VOTE_AGENDA_2022, True),
    ), absent=1),
    SessionSpec(3, D("2023-01-12"), D("2023-01-13"), "镇政府三楼大会议室", (
        ("听取和审议镇人民政府工作报告", False),
        ("听取和审议镇人大主席团工作报告", False),
        ("审查和批准2023年镇财政预算", True),
        (VOTE_AGENDA, True),
        (EVALUATE_AGENDA, True),
    ), absent=2, notes="民生实事项目候选名单由镇人民政府提出、主席团审议后提请大会票决。"),
    SessionSpec(4, D("2023-07-14"), D("2023-07-14"), "镇政府三楼大会议室", (
        ("听取和审议镇人大主席团2023年上半年工作报告", False),
        ("听取和审议镇人民政府2023年上半年工作情况报告", False),
        ("听取2023年镇民生实事项目实施情况报告", False),
    ), absent=1),
)


def _build(town: Region, spec: SessionSpec) -> Session:
    s = services.session_create(actor=None, town=town, term=TERM, number=spec.number,
                                starts_on=spec.starts_on, ends_on=spec.ends_on, venue=spec.venue, notes=spec.notes)
    deputies = list(selectors.town_deputies(s.town_id, s.starts_on).order_by("name", "id"))
    missing = deputies[len(deputies) - spec.absent:] if spec.absent else []
    for deputy in deputies:
        status = "present"
        if deputy in missing:
            status = "leave" if missing.index(deputy) == 0 else "absent"
        services.attendance_set(actor=None, session_id=s.pk, deputy_id=deputy.pk, status=status)
    for title, needs_vote in spec.agenda:
        services.agenda_add(actor=None, session_id=s.pk, title=title, needs_vote=needs_vote)
    return s


@step("congress", order=1350, labels={"congress_session": "人代会"})
def sessions(demo: Demo) -> None:
    town = demo.part(PlacesPart).town  # XX镇 (congress sits below accounts: not accounts.demo.org)
    for spec in SESSIONS:
        existing = Session.objects.filter(town=town, term=TERM, number=spec.number).first()
        demo.ensure("congress_session", existing, lambda spec=spec: _build(town, spec))  # type: ignore[misc]


def session(town: Region, number: int) -> Session | None:
    """A demo session of the town's 18th congress (for later demo steps)."""
    return Session.objects.filter(town=town, term=TERM, number=number).first()
