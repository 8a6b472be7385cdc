"""The liaison app's sample records for the URL policy test (``kwargs.py``): found or created
through the services on first use, in each of the two towns of the sample World — a group led
by the World's deputy, its meeting, a voter of the deputy and a contact, a presidium contact of
the World's assignment, a station the deputy serves, a (published) reception day and a reception."""

from __future__ import annotations

import datetime as dt
from typing import Any

from renda.liaison import services
from renda.liaison.models import (
    DeputyGroup,
    GroupMeeting,
    LiaisonSettings,
    PresidiumContact,
    Reception,
    ReceptionDay,
    Station,
    Voter,
    VoterContact,
)
from tests.reliability.samples import Sample

D = dt.date.fromisoformat


def _town(s: Sample, other: bool) -> Any:
    return s.world.other_town if other else s.world.town


def _deputy(s: Sample, other: bool) -> Any:
    return s.world.other_deputy if other else s.world.deputy


def settings(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = LiaisonSettings.objects.filter(town=town).first()
    return (found or services.settings_set(actor=None, town=town, voter_contacts_per_year=10,
                                           presidium_contacts_per_quarter=1, group_meetings_per_quarter=1)[0]).pk


def group(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = DeputyGroup.objects.filter(town=town, name="样例代表小组").first()
    return (found or services.group_create(actor=None, town=town, name="样例代表小组", leader=_deputy(s, other))).pk


def meeting(s: Sample, other: bool) -> int:
    g = DeputyGroup.objects.get(pk=group(s, other))
    found = GroupMeeting.objects.filter(group=g).first()
    return (found or services.meeting_create(actor=None, group=g, on=D("2023-03-15"), place="村委会",
                                             topics="学习代表法", attendees=[_deputy(s, other)])).pk


def voter(s: Sample, other: bool) -> int:
    deputy = _deputy(s, other)
    found = Voter.objects.filter(deputy=deputy).first()
    return (found or services.voter_create(actor=None, deputy=deputy, name="张小三", phone="13812345678")).pk


def voter_contact(s: Sample, other: bool) -> int:
    deputy = _deputy(s, other)
    found = VoterContact.objects.filter(deputy=deputy).first()
    return (found or services.voter_contact_create(actor=None, deputy=deputy, on=D("2023-03-01"), way="visit",
                                                   issues="村道路灯损坏")).pk


def presidium_contact(s: Sample, other: bool) -> int:
    w = s.world
    member, deputy = ((w.other_presidium_deputy, w.other_deputy) if other else (w.presidium_deputy, w.plain_deputy))
    found = PresidiumContact.objects.filter(presidium_member=member, deputy=deputy).first()
    return (found or services.presidium_contact_create(actor=None, presidium_member=member, deputy=deputy,
                                                       on=D("2023-03-01"), way="visit", content="了解履职情况")).pk


def station(s: Sample, other: bool) -> int:
    town = _town(s, other)
    found = Station.objects.filter(town=town, name="样例联络站").first()
    deputies = [_deputy(s, other)] + ([] if other else [s.world.presidium_deputy])
    return (found or services.station_create(actor=None, town=town, name="样例联络站", address="便民服务中心",
                                             deputies=deputies)).pk


def reception_day(s: Sample, other: bool) -> int:
    st = Station.objects.get(pk=station(s, other))
    found = ReceptionDay.objects.filter(station=st).first()
    return (found or services.reception_day_create(actor=None, station=st, on=D("2023-03-10"))).pk


def reception(s: Sample, other: bool) -> int:
    st = Station.objects.get(pk=station(s, other))
    found = Reception.objects.filter(station=st).first()
    return (found or services.reception_register(actor=None, station=st, matter="反映村道破损", on=D("2023-03-10"),
                                                 visitor=services.VisitorIn("欧阳明远", "13912345678"))).pk


def deputy(s: Sample, other: bool) -> int:
    return int(_deputy(s, other).pk)


def build(s: Sample) -> None:
    """Every liaison sample in both towns (the create pages' choices need them to exist)."""
    for other in (False, True):
        for pick in (settings, group, meeting, voter, voter_contact, presidium_contact, station, reception_day,
                     reception):
            pick(s, other)
