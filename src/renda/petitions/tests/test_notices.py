"""The Word notices open with python-docx and state the right dates."""

from __future__ import annotations

import io

import pytest
from docx import Document
from tests.support import World

from renda.calendar_days.workdays import WorkCalendar
from renda.petitions import notices, services
from renda.petitions.tests.helpers import NAME, D, petition, staff

pytestmark = pytest.mark.django_db


def text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_notices_state_the_right_dates(world: World) -> None:
    u = staff(world)
    p = petition(world, on=D("2023-09-14"))
    services.petition_accept(actor=u, petition_id=p.pk, on=D("2023-09-20"))
    services.petition_extend(actor=u, petition_id=p.pk, days=30, reason="需委托鉴定", on=D("2023-11-10"))
    services.petition_issue_opinion(actor=u, petition_id=p.pk, opinion="经核实，补偿款已足额发放。",
                                    on=D("2023-12-15"))
    p.refresh_from_db()
    assert set(notices.available(p)) == {"accept", "extend", "opinion"}
    cal = WorkCalendar({})
    accept = text(notices.render(p, "accept", cal=cal))
    assert "受理告知书" in accept and NAME in accept and p.code in accept
    assert "2023年9月20日" in accept and "2023年11月20日" in accept  # 60 days → 11-19 (Sun) → 11-20
    extend = text(notices.render(p, "extend", cal=cal))
    assert "延期告知书" in extend and "30日" in extend and "2023年12月19日" in extend and "需委托鉴定" in extend
    opinion = text(notices.render(p, "opinion", cal=cal))
    assert "处理意见书" in opinion and "经核实，补偿款已足额发放。" in opinion
    # The right to review: within 30 days, i.e. until 2024-01-15 (01-14 is a Sunday).
    assert "30日内" in opinion and "2024年1月15日" in opinion and "复查" in opinion
    assert "2023年12月15日" in opinion


def test_decline_notice_and_file_name(world: World) -> None:
    p = petition(world, on=D("2023-03-01"))
    services.petition_decline(actor=staff(world), petition_id=p.pk, reason="属于诉讼途径解决的事项", on=D("2023-03-06"))
    p.refresh_from_db()
    assert set(notices.available(p)) == {"decline"}
    body = text(notices.render(p, "decline"))
    assert "不予受理告知书" in body and "属于诉讼途径解决的事项" in body and "2023年3月6日" in body
    name, content = services.petition_notice(actor=staff(world), petition_id=p.pk, kind="decline")
    assert name == f"不予受理告知书-{p.code}.docx" and content[:2] == b"PK"


def test_a_notice_not_yet_due_is_refused(world: World) -> None:
    from renda.core.errors import InvalidInput

    p = petition(world)
    with pytest.raises(InvalidInput):
        services.petition_notice(actor=staff(world), petition_id=p.pk, kind="opinion")
