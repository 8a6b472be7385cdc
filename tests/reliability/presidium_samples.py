"""The presidium app's sample records for the URL policy test (``kwargs.py``): found or created
through the services on first use, in each of the two towns of the sample World — a 2023 plan
with one task led by the World's presidium member (due 2023H1) and a link to the town's contact
targets, a division of duties of that member, an information item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from renda.liaison.models import LiaisonSettings
from renda.presidium import services
from renda.presidium.models import DutyDivision, InfoItem, Plan, PlanTask
from tests.reliability import liaison_samples
from tests.reliability.samples import Sample

D = dt.date.fromisoformat


def _town(s: Sample, other: bool) -> Any:
    return s.world.other_town if other else s.world.town


def _member(s: Sample, other: bool) -> Any:
    return s.world.other_presidium_deputy if other else s.world.presidium_deputy


def plan(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = Plan.objects.filter(town=town, year=2023).first()
    return (found or services.plan_create(actor=None, town=town, year=2023, title="2023年工作要点")).pk


def task(s: Sample, other: bool) -> int:
    p = Plan.objects.get(pk=plan(s, other))
    found = p.tasks.first()
    if found is None:
        found = services.task_create(actor=None, plan=p, area="代表工作", text="开展代表述职", lead=_member(s, other),
                                     due_half="2023H1")
        target = LiaisonSettings.objects.get(pk=liaison_samples.settings(s, other))
        services.task_link(actor=None, task=found, kind="contact_target", target=target)
    return found.pk


def link(s: Sample, other: bool) -> int:
    return int(PlanTask.objects.get(pk=task(s, other)).links.get().pk)


def division(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = DutyDivision.objects.filter(town=town, year=2023).first()
    return (found or services.division_create(actor=None, town=town, year=2023, member=_member(s, other),
                                              areas="代表联络站建设")).pk


def info(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = InfoItem.objects.filter(town=town).first()
    return (found or services.info_create(actor=None, town=town, title="我镇开展代表述职", submitted_on=D("2023-05-10"),
                                          recipient="district")).pk


def build(s: Sample) -> None:
    """Every presidium sample in both towns (the task form's plan choice needs one to exist)."""
    for other in (False, True):
        for pick in (plan, task, division, info):
            pick(s, other)
