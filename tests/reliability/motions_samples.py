"""The motions app's sample records for the URL policy test (``kwargs.py``): in each of the two
towns, a motion at a session of its own, adopted, its follow-up carried by the World's unit of
that town (so the unit sees it), led by the town's deputy."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from renda.congress import services as congress_services
from renda.congress.models import Session
from renda.motions import services
from renda.motions.models import Motion
from tests.reliability.samples import Sample

D = dt.date.fromisoformat


def motion(s: Sample, other: bool) -> int:
    w = s.world
    town, unit = (w.other_town, w.other_unit) if other else (w.town, w.unit)
    found = Motion.objects.filter(town=town).order_by("pk").first()
    if found is not None:
        return found.pk
    session = Session.objects.filter(town=town, term=18, number=9).first() or congress_services.session_create(
        actor=None, town=town, term=18, number=9, starts_on=D("2023-01-16"), ends_on=D("2023-01-17"))
    at = timezone.make_aware(dt.datetime(2023, 1, 16, 9))
    lead = w.other_deputy if other else w.deputy
    m = services.motion_create(actor=None, session=session, title="关于农村饮水安全巩固提升的议案",
                               submitted_by="presidium", lead_deputy=lead, at=at)
    services.motion_submit(actor=None, motion_id=m.pk, at=at)
    services.motion_put_on_agenda(actor=None, motion_id=m.pk, on=D("2023-01-16"))
    services.motion_adopt(actor=None, motion_id=m.pk, resolution="大会通过", on=D("2023-01-17"), units=[unit])
    return m.pk


def build(s: Sample) -> None:
    for other in (False, True):
        motion(s, other)
