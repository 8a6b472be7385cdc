"""登记信访件 reports every problem of the form at once: a missing 标题 together with a wrong
身份证号 and 联系电话 (the petitioners' checks ran only after the form's own)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.support import World

from renda.core.errors import InvalidInput
from renda.core.roles import Role
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData, clean_petitioners


@pytest.mark.django_db
def test_register_form_shows_all_its_errors_at_once(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    response = client.post("/petitions/new/", {"channel": "visit", "name": "李四", "subject": "",
                                               "id_number": "110101199003071234", "phone": "123"})
    found = re.findall(r'invalid-feedback d-block">([^<]*)<', response.content.decode())
    assert "这个字段是必填项。" in found  # 标题
    assert "身份证号码不正确" in found and "格式不正确" in found
    assert not Petition.objects.exists()


def test_clean_petitioners_reports_every_petitioner() -> None:
    with pytest.raises(InvalidInput) as exc:
        clean_petitioners([PetitionerData(name="李四", id_number="110101199003071234", phone=""),
                           PetitionerData(name="王五", id_number="", phone="123")])
    assert "第1位信访人的身份证号码不正确" in exc.value.message
    assert "第2位信访人的联系电话格式不正确" in exc.value.message
    assert set(exc.value.fields) == {"id_number", "phone"}
