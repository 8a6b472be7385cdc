"""Two ballots of the same deputy cast at once: one wins, the other is refused, one ballot filled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from tests.support import World

from renda.congress import services
from renda.congress.models import Ballot, Voted
from renda.congress.tests.helpers import ids, make_session, open_round
from renda.core.errors import ApplicationError, Conflict
from renda.core.roles import Role


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_casts_of_one_deputy() -> None:
    world = World()
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a, b, _c = ids(r)
    deputy = world.users[Role.DEPUTY]
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def cast(name: str, option: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.ballot_cast(actor=deputy, round_id=r.pk, choices={option: "for"})
            outcomes[name] = "ok"
        except ApplicationError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=("a", a)), threading.Thread(target=cast, args=("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(map(type, outcomes.values()), key=lambda c: c.__name__) == [Conflict, str]
    loser = next(v for v in outcomes.values() if isinstance(v, Conflict))
    assert "已投过票" in loser.message
    assert Voted.objects.filter(round=r).count() == 1
    filled = list(Ballot.objects.filter(round=r, filled=True).values_list("choices", flat=True))
    assert len(filled) == 1
    r.refresh_from_db()
    assert r.returned == 1
