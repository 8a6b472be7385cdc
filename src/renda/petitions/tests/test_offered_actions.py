"""Only the actions that make sense in the petition's state are offered (#13 item 6): in every
state the detail page offers what the workflow table allows the user (``workflow.allowed_actions``
for their parts, less the data rules of ``policy.available_actions``), and posting an action it
does not offer is refused with the table's reason, changing nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World, assert_refused, from_the_table, offered_on_page

from renda.core.roles import Role
from renda.petitions import policy, services, views, workflow
from renda.petitions.models import Petition
from renda.petitions.tests.helpers import petition, staff, through
from renda.petitions.workflow import Action

pytestmark = pytest.mark.django_db

STAGES = ["registered", "handling", "closed", "review", "reviewed", "rereview", "final", "declined"]


def _make(world: World, stage: str) -> Petition:
    p = petition(world)
    if stage == "declined":
        services.petition_decline(actor=staff(world), petition_id=p.pk, reason="不属于受理范围")
    elif stage != "registered":
        through(world, p, stage)
    p.refresh_from_db()
    assert p.state == stage
    return p


@pytest.mark.parametrize("stage", STAGES)
def test_the_page_offers_the_table_and_refuses_the_rest(world: World, client: Client, stage: str) -> None:
    p = _make(world, stage)
    for role in (Role.STAFF, Role.PRESIDIUM):
        user = world.users[role]
        client.force_login(user)
        roles = policy.roles_on(user, p)
        table = from_the_table(workflow.TABLE, p.state, may=lambda a: bool(roles & workflow.ROLES_FOR_ACTION[a]))
        offered = set(policy.available_actions(user, p))
        assert offered <= table
        html = client.get(f"/petitions/{p.pk}/").content.decode()
        assert offered_on_page(html, Action) == offered & set(views.ACTIONS)
        for action in sorted(set(views.ACTIONS) - offered):
            may = policy.can(user, action, p)
            assert_refused(client, f"/petitions/{p.pk}/do/{action.value}/", {"version": p.version}, p, may=may,
                           status={400}, reason=workflow.refusal_for(p.state, action), why=(stage, role, action))
