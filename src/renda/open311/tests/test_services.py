"""Client keys (issued, hashed, compared, revoked; audited), the management command, and the
policy of the source panel."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.roles import Role
from renda.open311 import policy, selectors, services
from renda.open311.models import Client
from renda.open311.tests.helpers import form, make_setup, post
from renda.suggestions.models import Suggestion
from renda.suggestions.policy import can as may_view

pytestmark = pytest.mark.django_db


def test_a_key_is_issued_once_and_stored_hashed() -> None:
    client, raw = services.client_create(actor=None, name="  区12345热线 ")
    assert client.name == "区12345热线" and raw.startswith("o3_") and len(raw) > 40
    stored = Client.objects.get()
    assert raw not in (stored.key_hash, stored.prefix) and stored.key_hash == selectors.key_hash(raw)
    assert selectors.client_for_key(raw) == client
    for wrong in ("", raw[:-1], raw + "x", raw.upper(), "x" * 500, "长" * 10):
        assert selectors.client_for_key(wrong) is None
    event = AuditEvent.objects.get(verb="open311_client.create")
    assert "key_hash" not in event.after and raw not in str(event.after)
    with pytest.raises(Conflict):
        services.client_create(actor=None, name="区12345热线")
    with pytest.raises(InvalidInput):
        services.client_create(actor=None, name=" ")


def test_two_clients_sharing_a_prefix_are_told_apart() -> None:
    a, raw_a = services.client_create(actor=None, name="A")
    b, raw_b = services.client_create(actor=None, name="B")
    Client.objects.filter(pk=b.pk).update(prefix=a.prefix)  # both rows found by raw_a's prefix
    assert selectors.client_for_key(raw_a) == a
    Client.objects.filter(pk=a.pk).update(prefix=raw_b[:8])
    assert selectors.client_for_key(raw_b) is None  # b's row no longer under its prefix: not found


def test_revoking() -> None:
    _client, raw = services.client_create(actor=None, name="市民APP")
    services.client_revoke(actor=None, name="市民APP")
    assert selectors.client_for_key(raw) is None
    services.client_revoke(actor=None, name="市民APP")  # twice: nothing new recorded
    assert AuditEvent.objects.filter(verb="open311_client.revoke").count() == 1
    with pytest.raises(NotFound):
        services.client_revoke(actor=None, name="没有这个")


def test_the_command() -> None:
    out = io.StringIO()
    call_command("open311_key", "create", "区12345热线", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert selectors.client_for_key(raw) is not None
    out = io.StringIO()
    call_command("open311_key", "list", stdout=out)
    assert "区12345热线" in out.getvalue() and "有效" in out.getvalue() and raw not in out.getvalue()
    call_command("open311_key", "revoke", "区12345热线", stdout=io.StringIO())
    assert selectors.client_for_key(raw) is None
    out = io.StringIO()
    call_command("open311_key", "list", stdout=out)
    assert "已吊销" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("open311_key", "create", "区12345热线", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("open311_key", "revoke", stdout=io.StringIO())
    event = AuditEvent.objects.get(verb="open311_client.create")
    assert event.source == "command"


def test_a_client_revoked_between_the_check_and_the_write_gets_nothing(world: World) -> None:
    setup = make_setup(world)
    client = setup.client
    services.client_revoke(actor=None, name=client.name)
    with pytest.raises(NotFound):
        services.request_receive(actor=None, client=client, town=world.town,
                                 submission=services.Submission(category=setup.category, address_string="村口"))


def test_who_sees_the_source_panel(world: World) -> None:
    """The panel's policy matrix: every role, own and other town, as the suggestion's own view."""
    setup = make_setup(world)
    s = Suggestion.objects.get(code=post(HttpClient(), form(setup)).json()[0]["service_request_id"])
    for role in Role:
        user = world.users[role]
        assert policy.can(user, "view_source", s) == may_view(user, "view", s), role
        assert policy.can(user, "create_client") is False
    assert policy.can(world.users[Role.STAFF], "view_source", s) is True
    assert policy.can(world.users[Role.UNIT], "view_source", s) is False  # not assigned to the unit
    assert policy.can(world.other_staff, "view_source", s) is False
    assert policy.can(None, "create_client") is True
