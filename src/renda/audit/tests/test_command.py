"""``renda audit verify``, and the source recorded for writes made by management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.support import make_district, make_town, make_unit

from renda.audit import context
from renda.audit.models import AuditEvent
from renda.units.models import Unit
from renda.units.services import unit_update


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def town(db: None):
    town = make_town(district=make_district())
    make_unit(town)
    return town


def test_verify_reports_an_intact_chain(town):
    assert verify().strip() == "审计链完整: 3 条事件"


def test_verify_on_an_empty_trail(db: None):
    assert verify().strip() == "审计链完整: 0 条事件"


def test_verify_names_the_first_bad_event_and_exits_1(town):
    bad = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=bad.pk).update(verb="region.delete")
    with pytest.raises(CommandError) as exc:
        verify()
    assert exc.value.returncode == 1
    assert f"事件 #{bad.pk}" in str(exc.value)
    assert "被修改" in str(exc.value)


def test_verify_needs_a_subcommand(db: None):
    with pytest.raises(CommandError):
        call_command("audit")


def test_writes_outside_a_request_are_audited_as_command(town):
    assert set(AuditEvent.objects.values_list("source", flat=True)) == {"command"}
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {None}


def test_writes_in_a_request_carry_its_source_and_ip(town):
    unit = Unit.objects.get()
    with context.bind(request_id="r1", ip="10.0.0.7", source="web"):
        unit_update(actor=None, unit_id=unit.pk, contact_person="李四")
    e = AuditEvent.objects.order_by("-id").first()
    assert (e.source, e.ip, e.request_id) == ("web", "10.0.0.7", "r1")


def test_demo_command_writes_are_audited_as_one_command(db: None, settings):
    call_command("demo", verbosity=0)
    events = AuditEvent.objects.all()
    assert events.count() > 400
    assert set(events.values_list("source", flat=True)) == {"command"}
    assert events.values("request_id").distinct().count() == 1
    # The organization is built by the system; later demo steps replay users' own actions
    # (a unit replying, a deputy evaluating), so those events carry the users' names.
    org = events.filter(verb__regex=r"^(region|grid_worker|unit|deputy|contact_assignment|user)\.")
    assert org.exists()
    assert set(org.values_list("actor_label", flat=True)) == {"系统"}
    assert verify().strip() == f"审计链完整: {events.count()} 条事件"
