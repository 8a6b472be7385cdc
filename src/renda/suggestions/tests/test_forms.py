"""The suggestion forms ask rather than assume (答复类别 has no pre-chosen class) and report
every problem of a submitted form at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.suggestions import forms
from renda.suggestions.models import Reply, Suggestion
from renda.suggestions.services import suggestion_accept
from renda.suggestions.tests.helpers import assigned, public_item


def errors(html: str) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)<', html)


@pytest.mark.django_db
def test_reply_class_is_not_chosen_in_advance(world: World) -> None:
    s = public_item(world)
    form = forms.ReplyForm(suggestion=s, user=world.users[Role.UNIT])
    html = str(form["reply_class"])
    assert 'value="" selected' in html and ">请选择</option>" in html
    assert re.search(r'value="A"[^>]*selected', html) is None
    assert form["reply_class"].value() in (None, "")


@pytest.mark.django_db
def test_reply_without_a_class_is_refused_with_a_clear_message(world: World, client: Client) -> None:
    s = assigned(world, public_item(world))
    unit = world.users[Role.UNIT]
    suggestion_accept(actor=unit, suggestion_id=s.pk)
    s.refresh_from_db()
    client.force_login(unit)
    response = client.post(f"/suggestions/{s.pk}/do/reply/", {
        "reply-version": s.version, "reply-reply_class": "", "reply-text": "已安排"})
    body = response.content.decode()
    assert "请选择答复类别" in errors(body)
    assert not Reply.objects.filter(suggestion=s).exists()
    s.refresh_from_db()
    assert s.state == "accepted"


@pytest.mark.django_db
def test_register_form_shows_all_its_errors_at_once(world: World, client: Client) -> None:
    """An empty public opinion: 标题 and 提出人 together (提出人 was a service rule that only
    appeared once the title was filled in); a bad phone with them."""
    client.force_login(world.users[Role.STAFF])
    response = client.post("/suggestions/new/", {"kind": "public", "title": "", "submitter_name": "",
                                                 "submitter_phone": "123"})
    found = errors(response.content.decode())
    assert "这个字段是必填项。" in found  # 标题
    assert "请填写提出人，或选择匿名" in found
    assert "联系电话格式不正确" in found
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_register_form_deputy_suggestion_needs_its_lead_deputy_with_the_title(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    response = client.post("/suggestions/new/", {"kind": "deputy", "title": "", "anonymous": "on"})
    found = errors(response.content.decode())
    assert "代表建议须有领衔代表" in found and "代表建议不能匿名" in found and "这个字段是必填项。" in found


@pytest.mark.django_db
def test_the_service_reports_every_register_problem_too(world: World) -> None:
    from renda.core.errors import InvalidInput
    from renda.suggestions.services import suggestion_register

    with pytest.raises(InvalidInput) as exc:
        suggestion_register(actor=world.users[Role.STAFF], town=world.town, kind="public", title="路灯",
                            submitter_name="", submitter_phone="123")
    assert set(exc.value.fields) == {"submitter_name", "submitter_phone"}
