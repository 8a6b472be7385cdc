"""不满意办结 (#13 item 10): after at least one re-handling, the office or the presidium closes an
item whose latest evaluation is 不满意, with a reason — the service, the page, the API, the audit
and the timeline; the ledger imports a row with 不满意 and 办结日期 as that history, with the same
``renda stats`` as the history entered through the services."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.ledger.importer import import_workbook
from renda.suggestions import policy, services
from renda.suggestions.models import Suggestion, Transition
from renda.suggestions.tests.helpers import D, public_item
from renda.suggestions.tests.test_ledger import row, sheet
from renda.suggestions.workflow import Action

pytestmark = pytest.mark.django_db

DEADLINE = D("2023-04-01")


def _dissatisfied_once(world: World) -> Suggestion:
    """Assigned, answered, evaluated 不满意: back with the unit for its first re-handling."""
    staff, unit = world.users[Role.STAFF], world.users[Role.UNIT]
    s = public_item(world)
    services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, deadline=DEADLINE,
                               on=D("2023-03-02"))
    services.suggestion_accept(actor=unit, suggestion_id=s.pk, on=D("2023-03-03"))
    services.suggestion_reply(actor=unit, suggestion_id=s.pk, reply_class="D", text="暂不具备条件", on=D("2023-03-10"))
    services.suggestion_evaluate(actor=staff, suggestion_id=s.pk, result="dissatisfied", on=D("2023-03-15"))
    s.refresh_from_db()
    return s


def _rehandled_once(world: World) -> Suggestion:
    """…re-handled: answered again, and evaluated 不满意 again."""
    staff, unit = world.users[Role.STAFF], world.users[Role.UNIT]
    s = _dissatisfied_once(world)
    services.suggestion_reply(actor=unit, suggestion_id=s.pk, reply_class="D", text="已再次研究，仍暂不具备条件",
                              on=D("2023-04-10"))
    services.suggestion_evaluate(actor=staff, suggestion_id=s.pk, result="dissatisfied", on=D("2023-04-15"))
    s.refresh_from_db()
    return s


def test_zero_rehandlings_is_refused_with_the_reason(world: World) -> None:
    s = _dissatisfied_once(world)
    assert (s.state, s.rehandle_count) == ("accepted", 1)  # the re-handling has only just started
    assert Action.CLOSE_DISSATISFIED not in policy.available_actions(world.users[Role.STAFF], s)
    with pytest.raises(IllegalTransition) as info:
        services.suggestion_close_dissatisfied(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                               reason="提出人仍不满意", on=D("2023-03-20"))
    assert "尚未重新办理过" in info.value.message
    s.refresh_from_db()
    assert s.state == "accepted" and s.closed_at is None


def test_one_rehandling_then_the_office_closes_with_a_reason(world: World) -> None:
    s = _rehandled_once(world)
    staff = world.users[Role.STAFF]
    assert Action.CLOSE_DISSATISFIED in policy.available_actions(staff, s)
    services.suggestion_close_dissatisfied(actor=staff, suggestion_id=s.pk, reason="因规划限制暂不能解决，已说明",
                                           on=D("2023-04-20"), expected_version=s.version)
    s.refresh_from_db()
    assert (s.state, s.closed_at) == ("closed", D("2023-04-20"))
    last = Transition.objects.filter(suggestion=s).order_by("-id").first()
    assert last is not None
    assert (last.action, last.from_state, last.to_state, last.comment) == (
        "close_dissatisfied", "accepted", "closed", "因规划限制暂不能解决，已说明")
    event = AuditEvent.objects.filter(verb="suggestion.close_dissatisfied", target_id=str(s.pk)).get()
    assert event.comment == "因规划限制暂不能解决，已说明"
    assert policy.available_actions(staff, s) == []


def test_the_presidium_may_close_too(world: World) -> None:
    s = _rehandled_once(world)
    services.suggestion_close_dissatisfied(actor=world.users[Role.PRESIDIUM], suggestion_id=s.pk,
                                           reason="主席团研究决定办结", on=D("2023-04-20"))
    s.refresh_from_db()
    assert s.state == "closed"


def test_an_empty_reason_is_refused(world: World) -> None:
    s = _rehandled_once(world)
    with pytest.raises(InvalidInput) as info:
        services.suggestion_close_dissatisfied(actor=world.users[Role.STAFF], suggestion_id=s.pk, reason="  ",
                                               on=D("2023-04-20"))
    assert info.value.message == "请填写不满意办结的理由" and "reason" in info.value.fields
    s.refresh_from_db()
    assert s.state == "accepted"


@pytest.mark.parametrize("role", [Role.UNIT, Role.DEPUTY, Role.GRID_WORKER, Role.DISTRICT_VIEWER])
def test_a_wrong_role_is_refused(world: World, role: Role) -> None:
    s = _rehandled_once(world)
    user = world.users[role]
    assert Action.CLOSE_DISSATISFIED not in policy.available_actions(user, s)
    with pytest.raises((Forbidden, NotFound)):  # 403 for the unit and the district; 404 for who may not see it
        services.suggestion_close_dissatisfied(actor=user, suggestion_id=s.pk, reason="办结", on=D("2023-04-20"))
    s.refresh_from_db()
    assert s.state == "accepted"


def test_not_before_the_latest_evaluation(world: World) -> None:
    s = _rehandled_once(world)
    with pytest.raises(InvalidInput):
        services.suggestion_close_dissatisfied(actor=world.users[Role.STAFF], suggestion_id=s.pk, reason="办结",
                                               on=D("2023-04-12"))


def test_from_the_detail_page(world: World, client: Client) -> None:
    s = _rehandled_once(world)
    client.force_login(world.users[Role.PRESIDIUM])
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="action-close_dissatisfied"' in page and "不满意办结的理由" in page
    empty = client.post(f"/suggestions/{s.pk}/do/close_dissatisfied/",
                        {"closedissatisfied-version": s.version, "closedissatisfied-reason": "",
                         "closedissatisfied-confirm": "on"})
    assert empty.status_code == 200 and "不满意办结的理由" in empty.content.decode()
    s.refresh_from_db()
    assert s.state == "accepted"
    r = client.post(f"/suggestions/{s.pk}/do/close_dissatisfied/",
                    {"closedissatisfied-version": s.version, "closedissatisfied-reason": "提出人仍不满意，经研究办结",
                     "closedissatisfied-confirm": "on"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.state == "closed"
    timeline = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert "不满意办结" in timeline and "提出人仍不满意，经研究办结" in timeline


def test_from_the_api(world: World, client: Client) -> None:
    s = _dissatisfied_once(world)
    client.force_login(world.users[Role.STAFF])
    url = f"/api/suggestions/{s.pk}/close-dissatisfied"
    refused = client.post(url, {"version": s.version, "reason": "仍不满意"}, content_type="application/json")
    assert refused.status_code == 409 and "尚未重新办理过" in refused.json()["message"]
    s = _rehandled_once(world)
    assert "close_dissatisfied" in client.get(f"/api/suggestions/{s.pk}").json()["allowed_actions"]
    r = client.post(f"/api/suggestions/{s.pk}/close-dissatisfied", {"version": s.version, "reason": "仍不满意，办结"},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "closed" and r.json()["allowed_actions"] == []


# --- the ledger ---------------------------------------------------------------------------------


def _ledger_row(world: World, **values: Any) -> list[Any]:
    v = {"主办单位": world.unit.name, "交办日期": "2023-03-02", "办理期限": DEADLINE.isoformat(),
         "答复日期": "2023-04-10", "答复类别": "D", "答复内容": "已再次研究，仍暂不具备条件",
         "测评结果": "不满意", "测评日期": "2023-04-15", "办结日期": "2023-04-20", "登记日期": "2023-03-01"}
    v.update(values)
    return row(world, **v)


def test_a_ledger_row_with_dissatisfied_and_a_close_date_imports_as_that_history(world: World) -> None:
    result = import_workbook(sheet(_ledger_row(world)))
    assert result.ok, result.error_lines()
    s = Suggestion.objects.get(code="YJ2023-001")
    assert (s.state, s.closed_at, s.rehandle_count) == ("closed", D("2023-04-20"), 1)
    steps = list(Transition.objects.filter(suggestion=s).order_by("on", "id").values_list("action", "on"))
    assert steps == [("register", D("2023-03-01")), ("assign", D("2023-03-02")), ("accept", D("2023-03-02")),
                     ("reply", D("2023-04-10")), ("evaluate", D("2023-04-15")), ("rehandle", D("2023-04-15")),
                     ("close_dissatisfied", D("2023-04-20"))]
    closing = Transition.objects.get(suggestion=s, action="close_dissatisfied")
    assert closing.comment == services.LEDGER_CLOSE_DISSATISFIED_REASON
    again = import_workbook(sheet(_ledger_row(world)))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"


def test_a_ledger_row_closed_later_closes_the_item_it_left_in_rehandling(world: World) -> None:
    first = import_workbook(sheet(_ledger_row(world, 办结日期=None)))
    assert first.ok, first.error_lines()
    assert Suggestion.objects.get(code="YJ2023-001").state == "accepted"
    second = import_workbook(sheet(_ledger_row(world)))
    assert second.ok, second.error_lines()
    assert Suggestion.objects.get(code="YJ2023-001").state == "closed"


def _stats(world: World) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", "--period", "2023", "--as-of", "2023-12-31", "--town", world.town.code, "--format", "json",
                 stdout=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def test_import_and_the_same_history_through_the_services_give_the_same_stats(world: World) -> None:
    with transaction.atomic():
        s = _rehandled_once(world)
        services.suggestion_close_dissatisfied(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                               reason="提出人仍不满意，经研究办结", on=D("2023-04-20"))
        through_services = _stats(world)
        transaction.set_rollback(True)
    assert not Suggestion.objects.exists()
    result = import_workbook(sheet(_ledger_row(world)))
    assert result.ok, result.error_lines()
    imported = _stats(world)
    assert imported == through_services
    numbers = imported["suggestions"]
    assert (numbers["received"], numbers["closed"], numbers["closed_dissatisfied"], numbers["rehandled"],
            numbers["evaluated"], numbers["satisfaction"]["dissatisfied"]) == (1, 1, 1, 1, 1, 1)
