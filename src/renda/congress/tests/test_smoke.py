from tests.support import World

from renda.congress import selectors, services
from renda.congress.tests.helpers import enter, ids, make_session, open_round, staff


def test_smoke(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=3, seats=1)
    a, b, _c = ids(r)
    for _i in range(5):
        enter(world, r, {a: "for", b: "against"})
    for _i in range(4):
        enter(world, r, {b: "for"})
    r = services.round_close(actor=staff(world), round_id=r.pk)
    res = selectors.round_result(r)
    assert [o.label for o in res.elected] == ["候选项目1"]
    assert res.valid == 9
