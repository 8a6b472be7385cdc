"""One text-cleaning rule at the edge (``core.validators``, applied by ``core.services``): the
same input is refused or cleaned the same way through a service, the API and a form — control
characters, zero-width-only titles, one length limit per field, dates in a sane window, ID
numbers with impossible birth dates, counts and 编号 of safe characters."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.support import World

from renda.core.errors import InvalidInput
from renda.core.privacy import PersonalData
from renda.core.roles import Role
from renda.core.validators import TEXT_MAX_LENGTH, id_number_check_digit, is_id_number
from renda.petitions import services as petitions
from renda.suggestions import services as suggestions
from renda.suggestions.models import Suggestion

ZW_ONLY = "\u200b\u200b\ufeff "
HOSTILE_CODE = '../../evil";x=.exe'


def register(world: World, **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": world.town, "kind": "public", "title": "修路", "source": "visit",
                            "submitter_name": "张三", **kw}
    return suggestions.suggestion_register(actor=world.users[Role.STAFF], **args)


def refused(world: World, **kw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as exc:
        register(world, **kw)
    return exc.value


def id_born(born: dt.date) -> str:
    first = f"340302{born:%Y%m%d}123"
    return first + id_number_check_digit(first)


def test_control_characters(world: World) -> None:
    assert "控制字符" in refused(world, title="a\x00b").message
    assert "控制字符" in refused(world, title="a\x1bb").message
    assert register(world, content="x\x01y\x0bz\x00").content == "xy\nz"  # pasted text: stripped
    assert register(world, title=" 修\t路\n").title == "修 路"


def test_a_title_of_invisible_characters_only_is_blank(world: World) -> None:
    refused(world, title=ZW_ONLY)
    assert register(world, title="\u200b修路\u200b").title == "修路"


def test_one_length_limit(world: World) -> None:
    assert len(register(world, title="路" * 200).title) == 200
    assert "200" in refused(world, title="路" * 201).message
    assert len(register(world, content="字" * TEXT_MAX_LENGTH).content) == TEXT_MAX_LENGTH
    assert str(TEXT_MAX_LENGTH) in refused(world, content="字" * (TEXT_MAX_LENGTH + 1)).message


def test_a_text_is_checked_once_until_it_changes(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The edge rule notes the texts it passed: the ``full_clean`` after registering (or after a step)
    does not clean them again, but a text changed since is checked, and dates always are."""
    from django.core.exceptions import ValidationError

    from renda.core import services, validators

    item = Suggestion(code="YJ2023-900", kind="public", town=world.town, title=" 修路 ", content="内容",
                      state="registered", registered_at=dt.date(2023, 1, 5))
    calls: list[str] = []
    real = validators.clean_text

    def counted(value: str, **kw: Any) -> str:
        calls.append(value)
        return real(value, **kw)

    monkeypatch.setattr(validators, "clean_text", counted)
    services.edge_rule(item)
    assert item.title == "修路" and "修路" not in calls and " 修路 " in calls
    calls.clear()
    services.edge_rule(item)
    assert calls == []
    item.title = "a\x00b"
    item.registered_at = dt.date(1900, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.edge_rule(item)
    assert calls == ["a\x00b"] and set(exc.value.message_dict) == {"title", "registered_at"}


def test_dates_within_a_sane_window(world: World) -> None:
    # a ledger is history: back to 1949 is fine, 1948 is not
    assert register(world, on=dt.date(1949, 1, 1)).registered_at == dt.date(1949, 1, 1)
    assert "1949-01-01" in refused(world, on=dt.date(1948, 12, 31)).message
    refused(world, on=dt.date(1, 1, 1))
    year = timezone.localdate().year
    assert register(world, on=dt.date(year + 1, 12, 31)).registered_at.year == year + 1
    refused(world, on=dt.date(year + 2, 1, 1))


def test_a_deadline_within_a_few_years(world: World) -> None:
    s = register(world)
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput):
        suggestions.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit,
                                      deadline=dt.date(9999, 12, 31))
    ok = suggestions.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit,
                                       deadline=timezone.localdate() + dt.timedelta(days=365 * 3))
    assert ok.deadline is not None


def test_id_number_birth_dates() -> None:
    today = timezone.localdate()
    assert is_id_number(id_born(today)) and is_id_number(id_born(dt.date(1950, 2, 28)))
    assert not is_id_number(id_born(today + dt.timedelta(days=1)))
    assert not is_id_number(id_born(dt.date(2099, 1, 1)))
    first = "34030219990230123"  # 30 February
    assert not is_id_number(first + id_number_check_digit(first))


def test_petition_counts_and_birth_dates(world: World) -> None:
    staff = world.users[Role.STAFF]

    def petition(**kw: Any) -> Any:
        args: dict[str, Any] = {"town": world.town, "channel": "visit", "subject": "反映问题",
                                "petitioners": [PersonalData(name="王五")], **kw}
        return petitions.petition_register(actor=staff, **args)

    with pytest.raises(InvalidInput):
        petition(head_count=1_000_000_000)
    assert petition(head_count=petitions.MAX_HEAD_COUNT).head_count == petitions.MAX_HEAD_COUNT
    with pytest.raises(InvalidInput):
        petition(petitioners=[PersonalData(name="王五", id_number=id_born(dt.date(2099, 1, 1)))])
    with pytest.raises(InvalidInput):
        petition(subject="a\x00b")
    with pytest.raises(InvalidInput):
        petition(petitioners=[PersonalData(name="王\x00五")])


def test_a_hostile_code_is_refused(world: World) -> None:
    assert "编号" in refused(world, code=HOSTILE_CODE).message
    assert register(world, code="YJ2026-901").code == "YJ2026-901"


def _api(world: World, body: dict[str, Any]) -> Any:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    payload = {"kind": "public", "title": "修路", "source": "visit", "submitter_name": "张三", **body}
    return c.post("/api/suggestions", data=json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("body", [
    {"title": "a\x00b"}, {"title": ZW_ONLY}, {"title": "路" * 201}, {"content": "字" * (TEXT_MAX_LENGTH + 1)},
    {"on": "1948-12-31"}, {"on": "0001-01-01"}, {"code": HOSTILE_CODE},
])
def test_the_api_refuses_the_same(world: World, body: dict[str, Any]) -> None:
    r = _api(world, body)
    assert r.status_code in (400, 422), (r.status_code, r.content[:300])
    assert not Suggestion.objects.exists()


def test_the_api_accepts_the_edges(world: World) -> None:
    r = _api(world, {"title": "路" * 200, "content": "x\x01y", "on": "1949-01-01"})
    assert r.status_code == 201, r.content[:300]
    assert Suggestion.objects.get().content == "xy"


def test_the_form_refuses_the_same(world: World) -> None:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    base = {"kind": "public", "title": "修路", "source": "visit", "submitter_name": "张三", "town": world.town.pk}
    page = c.get(reverse("suggestions:create")).content.decode()
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in page
    for bad in ({"title": "a\x00b"}, {"title": ZW_ONLY}, {"content": "字" * (TEXT_MAX_LENGTH + 1)}):
        r = c.post(reverse("suggestions:create"), {**base, **bad})
        assert r.status_code in (200, 400, 422), bad
        assert not Suggestion.objects.exists(), bad
    assert c.post(reverse("suggestions:create"), {**base, "content": "字" * TEXT_MAX_LENGTH}).status_code == 302
