"""Two users acting on the same item at once: one wins, the other gets a clear error, and
nothing is lost."""

from __future__ import annotations

import pytest
from tests.support import World, at_once, make_unit

from renda.core.errors import ApplicationError, Conflict, IllegalTransition
from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion, Transition
from renda.suggestions.tests.helpers import D, public_item


@pytest.mark.django_db
def test_stale_form_is_refused(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = public_item(world)
    seen_state, seen_version = s.state, s.version  # both users opened the form
    services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=D("2023-03-02"),
                               expected_state=seen_state, expected_version=seen_version)
    with pytest.raises(Conflict, match="该事项已被他人处理，请刷新后重试"):
        services.suggestion_decline(actor=staff, suggestion_id=s.pk, reason="x", expected_state=seen_state)
    # Returned and reassigned: the state is "assigned" again, but the version tells it apart.
    services.suggestion_return(actor=world.users[Role.UNIT], suggestion_id=s.pk, reason="非本单位职责",
                               on=D("2023-03-03"))
    services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=D("2023-03-04"))
    with pytest.raises(Conflict):
        services.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=s.pk, expected_state="assigned",
                                   expected_version=seen_version + 1)
    # Without a form version the second actor meets the workflow instead.
    with pytest.raises(IllegalTransition, match="「已交办」的事项不能「不予受理」"):
        services.suggestion_decline(actor=staff, suggestion_id=s.pk, reason="x")


@pytest.mark.django_db(transaction=True)
def test_two_threads_assign_the_same_item() -> None:
    world = World()
    staff = world.users[Role.STAFF]
    other_unit = make_unit(world.town)
    s = public_item(world)
    outcomes: dict[str, object] = {}
    units = {"a": world.unit.pk, "b": other_unit.pk}

    def act(i: int) -> None:
        from renda.units.models import Unit

        name = "ab"[i]
        unit = Unit.objects.get(pk=units[name])
        try:
            services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=unit, on=D("2023-03-02"))
            outcomes[name] = "ok"
        except ApplicationError as exc:
            outcomes[name] = exc

    errors = at_once(act, 2, timeout=60)
    assert not errors, errors
    assert sorted(map(type, outcomes.values()), key=lambda c: c.__name__) == [IllegalTransition, str]
    loser = next(v for v in outcomes.values() if isinstance(v, IllegalTransition))
    assert "不能「交办」" in loser.message
    s.refresh_from_db()
    winner_unit = world.unit if outcomes["a"] == "ok" else other_unit
    assert (s.state, s.lead_unit, s.version) == ("assigned", winner_unit, 1)
    assert Transition.objects.filter(suggestion=s, action="assign").count() == 1
    assert Suggestion.objects.filter(pk=s.pk, lead_unit=winner_unit).exists()


@pytest.mark.django_db(transaction=True)
def test_registrations_at_once_number_their_items_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations in four threads at once (each its own connection, the year's counter row not
    there yet) take consecutive 编号, each taken once: they wait for one another on the counter row
    (PostgreSQL needs no lock of its own), so none takes a 编号 again after meeting one in use."""
    world = World()
    staff = world.users[Role.STAFF]
    threads_n, each = 4, 6
    taken: list[str] = []
    numbering = services.next_code

    def counted(year: int) -> str:
        code = numbering(year)
        taken.append(code)
        return code

    monkeypatch.setattr(services, "next_code", counted)

    def register(i: int) -> None:
        for n in range(each):
            services.suggestion_register(actor=staff, town=world.town, kind="public", title=f"同时登记{i}-{n}",
                                         anonymous=True, on=D("2023-03-01"))

    errors = at_once(register, threads_n, timeout=120)
    assert not errors, errors
    expected = [f"YJ2023-{n:03d}" for n in range(1, threads_n * each + 1)]
    assert sorted(taken) == expected  # none taken twice, none skipped
    assert sorted(Suggestion.objects.filter(town=world.town).values_list("code", flat=True)) == expected
