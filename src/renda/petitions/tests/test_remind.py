"""``renda petition_remind``: due-soon and overdue petitions are told to the office once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from tests.support import World

from renda.notifications.models import Notification
from renda.petitions.services import PetitionerData
from renda.petitions.tests.helpers import petition, staff

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_remind_once_a_day(world: World) -> None:
    petition(world, on=TODAY - dt.timedelta(days=20))  # acceptance overdue
    petition(world, on=TODAY - dt.timedelta(days=12), subject="另一件", content="x",
             petitioners=[PetitionerData(name="李四")])  # acceptance due within 7 days (or rolled)
    petition(world, on=TODAY, subject="今天的", content="y", petitioners=[PetitionerData(name="王五")])
    out = StringIO()
    call_command("petition_remind", stdout=out)
    notes = Notification.objects.filter(user=staff(world))
    assert set(notes.values_list("verb", flat=True)) <= {"petition.overdue", "petition.due_soon"}
    assert notes.filter(verb="petition.overdue").count() == 1
    assert notes.count() in {1, 2}
    assert not Notification.objects.filter(user=world.other_staff).exists()
    assert all("欧阳" not in n.text for n in notes)
    before = notes.count()
    call_command("petition_remind", stdout=StringIO())
    assert notes.count() == before
