"""Secrecy by design: nothing links a deputy to a ballot's choices — not a table, not an export,
not an API response, not an audit event, not a page.

Two proofs:

1. by construction: the ballot table has no column that could name a deputy or order the
   ballots (no foreign key but the round, no timestamp, a random key), and the table of who has
   voted has nothing but the round and the deputy;
2. by permutation: the same round is run twice in one world, the second time with two deputies'
   choices swapped. Every audit event, API response, page and export the app produces — for every
   role — is the same both times (after removing the clock and CSRF tokens). What does not change
   when the choices of two deputies are swapped cannot tell who chose what.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from tests.support import World

from renda.audit.models import AuditEvent
from renda.congress import services
from renda.congress.models import Ballot, Voted
from renda.congress.tests.helpers import deputy_user, ids, make_session, open_round, staff, town_deputies
from renda.core.roles import Role

# --- 1. by construction ---------------------------------------------------------------------------


def test_ballot_has_no_person_no_time_no_sequence() -> None:
    fields = {f.name: f for f in Ballot._meta.concrete_fields}
    assert set(fields) == {"id", "round", "choices", "cast_on", "valid", "filled"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    assert [f.name for f in fields.values() if f.is_relation] == ["round"]
    assert type(fields["cast_on"]) is models.DateField   # a day, not a moment
    assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
    assert not Ballot._meta.ordering


def test_voted_holds_only_round_and_deputy() -> None:
    assert {f.name for f in Voted._meta.concrete_fields} == {"id", "round", "deputy"}


def test_no_model_of_the_app_links_a_person_to_choices() -> None:
    from django.apps import apps

    for model in apps.get_app_config("congress").get_models():
        names = {f.name for f in model._meta.concrete_fields}
        person = {f.name for f in model._meta.concrete_fields
                  if f.is_relation and f.related_model._meta.label in {"people.Deputy", "accounts.User"}}
        if person:
            assert not names & {"choices", "valid", "cast_on"}, model


def test_the_close_rewrites_ballots_and_voted_rows(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=2, seats=1, mode="phone")
    a = ids(r)[0]
    services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={a: "for"})
    before = set(Ballot.objects.filter(round=r).values_list("id", flat=True))
    voted_before = set(Voted.objects.filter(round=r).values_list("id", flat=True))
    services.round_close(actor=staff(world), round_id=r.pk)
    after = set(Ballot.objects.filter(round=r).values_list("id", flat=True))
    assert len(after) == len(before) == 3 and not before & after
    assert not voted_before & set(Voted.objects.filter(round=r).values_list("id", flat=True))
    assert Voted.objects.filter(round=r, deputy=world.deputy).exists()
    assert Ballot.objects.filter(round=r, filled=True).count() == 1


# --- 2. by permutation -----------------------------------------------------------------------------

CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?|\d{8}-\d{4}")
TOKEN = re.compile(r'(csrfmiddlewaretoken" value=|csrf-token" content=|nonce=|"X-CSRFToken": )"[^"]*"')


def _norm(text: str) -> str:
    return TOKEN.sub(r'\1""', CLOCK.sub("<t>", text))


def _xlsx(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return json.dumps([[list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets],
                      default=str, ensure_ascii=False)


def _docx(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for row in t.rows for c in row.cells])


def _restart_sequences() -> None:
    """PostgreSQL's sequences do not roll back: restart them at the tables' next free ids, so both
    runs number their rows alike (SQLite rolls its counters back with the transaction)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models_ = [*apps.get_app_config("congress").get_models(), *apps.get_app_config("audit").get_models(),
               *apps.get_app_config("notifications").get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def _run(world: World, swap: bool) -> dict[str, str]:
    """Run a phone round where deputy 1 votes for option 1 and deputy 2 for option 2 (or the
    other way round when ``swap``), close it, and collect everything the app shows about it."""
    first = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    s = make_session(world, total=4, number=7)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a, b, _c = ids(r)
    d1, d2 = world.users[Role.DEPUTY], world.users[Role.PRESIDIUM]
    third = deputy_user(world, world.plain_deputy)
    out: dict[str, str] = {}
    casts = [(d1, {a: "for"} if not swap else {b: "for"}), (d2, {b: "for"} if not swap else {a: "for"}),
             (third, {a: "against", b: "abstain"})]
    for user, choices in casts:
        c = Client()
        c.force_login(user)
        body = {"choices": [{"option_id": k, "choice": v} for k, v in choices.items()]}
        res = c.post(f"/api/congress/rounds/{r.pk}/ballot", body, content_type="application/json")
        assert res.status_code == 201, res.content
        out[f"cast {user.pk}"] = _norm(res.content.decode())
    views = {role: world.users[role] for role in (Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER,
                                                  Role.ADMIN)}
    views["third"] = third

    def collect(phase: str) -> None:
        for name, user in views.items():
            c = Client()
            c.force_login(user)
            for url in (f"/api/congress/rounds/{r.pk}", "/api/congress/rounds", f"/api/congress/sessions/{s.pk}",
                        "/api/congress/sessions", "/api/congress/rounds?open_for_me=true",
                        reverse("congress_rounds:detail", args=[r.pk]), reverse("congress:detail", args=[s.pk]),
                        reverse("congress:vote", args=[r.pk])):
                res = c.get(url)
                out[f"{phase} {name} {url}"] = f"{res.status_code} {_norm(res.content.decode())}"
            for url in (reverse("congress_rounds:list") + "?export=xlsx", reverse("congress:list") + "?export=xlsx"):
                res = c.get(url)
                out[f"{phase} {name} {url}"] = f"{res.status_code} " + (
                    _norm(_xlsx(b"".join(res.streaming_content))) if res.status_code == 200 else "")

    collect("open")
    services.round_close(actor=staff(world), round_id=r.pk)
    collect("closed")
    for name, user in views.items():
        c = Client()
        c.force_login(user)
        res = c.get(reverse("congress_rounds:sheet", args=[r.pk]))
        out[f"sheet {name}"] = f"{res.status_code} " + (_docx(res.content) if res.status_code == 200 else "")
    events = AuditEvent.objects.filter(id__gt=first).order_by("id")
    out["audit"] = json.dumps([{"verb": e.verb, "actor_id": e.actor_id, "target_type": e.target_type,
                                "target_id": e.target_id, "before": e.before, "after": e.after, "comment": e.comment}
                               for e in events], ensure_ascii=False, default=str)
    assert "choices" not in out["audit"]
    for ballot_id in Ballot.objects.filter(round=r).values_list("id", flat=True):
        assert not any(str(ballot_id) in v for v in out.values())
    return out


def test_swapping_two_deputies_choices_changes_nothing_shown(world: World) -> None:
    town_deputies(world, 4)  # made once: every name is the same in both runs
    runs: list[dict[str, Any]] = []
    for swap in (False, True):
        _restart_sequences()
        with transaction.atomic():
            runs.append(_run(world, swap))
            transaction.set_rollback(True)
    first, second = runs
    assert first.keys() == second.keys()
    differ = [k for k in first if first[k] != second[k]]
    assert differ == [], differ[:3]
    # and the tally is really there (the comparison is not of empty pages)
    closed = next(v for k, v in first.items() if re.fullmatch(r"closed staff /api/congress/rounds/\d+", k))
    assert re.findall(r'"for_": (\d+)', closed) == ["1", "1", "0"] and '"valid": 3' in closed

