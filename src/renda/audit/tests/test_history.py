"""History timelines render audit events in Chinese words."""

from __future__ import annotations

import pytest
from django.utils import translation
from tests.support import make_district, make_town

from renda.audit.selectors import Change, describe_changes, history_for
from renda.audit.verbs import describe
from renda.units.services import unit_create, unit_deactivate, unit_update


@pytest.fixture
def unit(db: None):
    town = make_town(district=make_district())
    unit = unit_create(
        actor=None,
        town=town,
        name="镇经济发展中心",
        kind="town_department",
        contact_person="王五",
        contact_phone="0552-6000001",
    )
    unit_update(actor=None, unit_id=unit.pk, contact_person="李四", kind="district_unit")
    unit_deactivate(actor=None, unit_id=unit.pk, reason="机构调整")
    return unit


def test_history_is_newest_first_with_verbs_in_chinese(unit):
    with translation.override("zh-hans"):
        entries = history_for(unit)
    assert [e.text for e in entries] == ["停用承办单位", "修改承办单位", "新增承办单位"]
    assert entries[0].event.comment == "机构调整"
    assert entries[0].event.actor_label == "系统"


def test_changes_use_field_labels_and_choice_labels(unit):
    with translation.override("zh-hans"):
        deactivate, update, create = history_for(unit)
    # In the order of the model's fields, choices shown by their labels.
    assert update.changes == [Change("类型", "镇直部门", "区直单位"), Change("联系人", "王五", "李四")]
    assert deactivate.changes == [Change("启用", "是", "否")]
    created = {c.field: c.after for c in create.changes}
    assert created["名称"] == "镇经济发展中心"
    assert created["类型"] == "镇直部门"
    assert created["联系电话"] == "0552-6000001"
    assert all(c.before == "" for c in create.changes)
    assert "所属镇街" not in created  # the town is implied by the page, never listed


def test_describe_changes_marks_emptied_values(unit):
    unit_update(actor=None, unit_id=unit.pk, contact_person="")
    event = history_for(unit)[0].event
    with translation.override("zh-hans"):
        assert describe_changes(event) == [Change("联系人", "李四", "（空）")]


def test_unknown_verbs_fall_back_to_the_code():
    assert describe("unit.create") == "新增承办单位"
    assert describe("something.new") == "something.new"
