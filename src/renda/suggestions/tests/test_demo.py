"""The suggestions part of ``renda demo``: the first half of 2023 as the town's report tells it,
a spread of items around today for every login's queues, idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q
from tests.support import FAST_HASHER, built_once

from renda.accounts.models import User
from renda.audit.models import AuditEvent
from renda.suggestions import selectors
from renda.suggestions.demo import BUS_STOP
from renda.suggestions.models import Evaluation, Suggestion, Transition
from renda.suggestions.workflow import Action, State

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


def received() -> Q:
    return Q(registered_at__range=H1) & ~Q(state__in=[State.WITHDRAWN, State.MERGED])


@pytest.mark.usefixtures("built", "db")
class TestHalfYear:
    def test_renda_stats_prints_the_reports_numbers(self) -> None:
        """Issue 3's "Done when": `renda stats --period 2023H1 --format json` on the demo."""
        import json

        out = StringIO()
        call_command("stats", "--period", "2023H1", "--format", "json", stdout=out)
        suggestions = json.loads(out.getvalue())["suggestions"]
        assert (suggestions["received"], suggestions["closed"], suggestions["open"]) == (38, 37, 1)
        assert suggestions["key_supervised"] == 7
        assert sum(suggestions["satisfaction"].values()) == suggestions["evaluated"]

    def test_38_received_37_closed_by_june_30_the_bus_stop_still_open(self) -> None:
        s = Suggestion.objects.filter(received())
        assert s.count() == 38
        closed = s.filter(closed_at__isnull=False, closed_at__lte=H1[1])
        assert closed.count() == 37
        (still_open,) = s.exclude(pk__in=closed)
        assert still_open.title == BUS_STOP
        assert still_open.replies.filter(replied_at__lte=H1[1]).get().reply_class == "C"
        # … and closed later, so the as-of rule matters.
        assert still_open.state == State.CLOSED and still_open.closed_at > H1[1]

    def test_seven_key_suggestions_led_by_presidium_members_each_evaluated(self) -> None:
        key = Suggestion.objects.filter(received(), key_supervision=True)
        assert key.count() == 7
        titles = set(key.values_list("title", flat=True))
        assert "加强农田水利等基础设施施工质量监督" in titles
        assert "实施XXX路绿化亮化工程" in titles
        for s in key:
            assert s.supervisor is not None and s.supervisor.is_presidium
            assert Evaluation.objects.filter(suggestion=s, evaluated_at__lte=H1[1]).exists()

    def test_units_kinds_categories_and_reply_classes_are_a_realistic_mix(self) -> None:
        s = Suggestion.objects.filter(received())
        units = set(s.values_list("lead_unit__name", flat=True))
        assert {"镇经济发展中心", "村镇规划建设办公室", "市场所", "区交通运输局"} <= units
        assert set(s.values_list("kind", flat=True)) == {"public", "deputy"}
        cats = set(s.values_list("category__name", flat=True))
        assert {"城乡建设", "交通出行", "农业农村", "市场监管", "社会事务"} <= cats
        classes = [x.replies.order_by("-replied_at", "-id").first().reply_class for x in s]
        assert classes.count("A") > len(classes) // 2 and {"B", "C"} <= set(classes)
        assert s.filter(rehandle_count__gt=0).exists()
        assert Suggestion.objects.filter(state=State.MERGED, registered_at__range=H1).count() == 1

    def test_history_is_dated_by_the_business_dates(self) -> None:
        s = Suggestion.objects.get(title="加强农田水利等基础设施施工质量监督")
        steps = list(Transition.objects.filter(suggestion=s).order_by("on", "id").values_list("action", "on"))
        assert steps[0] == (Action.REGISTER, s.registered_at)
        assert steps[-1] == (Action.CLOSE, s.closed_at)
        assert all(on <= H1[1] for _a, on in steps)


@pytest.mark.usefixtures("built", "db")
class TestQueues:
    def user(self, name: str) -> User:
        return User.objects.get(username=name)

    def test_every_office_queue_has_something(self) -> None:
        queues = selectors.office_queue(self.user("staff"))
        for name, qs in queues.items():
            assert qs.exists(), name

    def test_every_unit_queue_has_something(self) -> None:
        queues = selectors.unit_inbox(self.user("unit"))
        for name in ("to_accept", "handling", "due_soon", "overdue"):
            assert queues[name].exists(), name

    def test_the_deputy_has_suggestions_and_one_to_evaluate(self) -> None:
        deputy = self.user("deputy")
        assert selectors.deputy_items(deputy).filter(kind="deputy").count() >= 3
        assert selectors.deputy_to_evaluate(deputy).count() == 1

    def test_the_grid_worker_sees_their_report(self) -> None:
        grid = self.user("grid")
        assert selectors.suggestions_visible_to(grid).filter(created_by=grid, source="grid_reported").exists()


@pytest.mark.django_db
def test_second_run_creates_nothing(settings) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    run_demo()
    counts = (Suggestion.objects.count(), Transition.objects.count(), AuditEvent.objects.count())
    assert "演示数据已存在" in run_demo()
    assert (Suggestion.objects.count(), Transition.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.usefixtures("built", "db")
def test_demo_motions_one_adopted_and_followed_up_one_treated_as_a_suggestion() -> None:
    """The motions step (renda.motions.demo) on the same demo run: the 2023 first session's joint
    motion adopted and finished, the mid-year one a deputy suggestion (outside the half year, which
    keeps its 38); ``renda stats`` counts them. Here so that the demo is built once."""
    import json

    from renda.motions.demo import ROADS, WATER
    from renda.motions.models import Motion

    water, roads = Motion.objects.get(title=WATER), Motion.objects.get(title=ROADS)
    assert water.state == "finished" and water.signatures.count() == 6 and water.agenda_item is not None
    assert water.finished_on == dt.date(2023, 6, 20) and water.follow_units.count() == 2
    assert roads.state == "suggestion" and roads.suggestion is not None
    assert roads.suggestion.co_deputies.count() == 4 and roads.suggestion.registered_at == dt.date(2023, 7, 14)
    for period, expected in (("2023H1", {"submitted": 1, "on_agenda": 1, "as_suggestions": 0, "resolved": 1}),
                             ("2023", {"submitted": 2, "on_agenda": 1, "as_suggestions": 1, "resolved": 1})):
        out = StringIO()
        call_command("stats", "--period", period, "--format", "json", stdout=out)
        assert json.loads(out.getvalue())["motions"] == expected
