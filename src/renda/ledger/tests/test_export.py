from __future__ import annotations

import io

import pytest
from django.db import transaction
from tests.support import World

from renda.ledger import registry
from renda.ledger.exporter import export_workbook, template_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import GOOD, read, workbook
from renda.people.models import Deputy
from renda.places.models import Region

pytestmark = pytest.mark.django_db


def export_bytes(town: Region | None = None) -> bytes:
    buf = io.BytesIO()
    export_workbook(buf, town=town)
    return buf.getvalue()


class Rollback(Exception):
    pass


def test_round_trip_export_import_into_empty_export_is_identical() -> None:
    # Build a populated instance inside a block that is rolled back afterwards.
    try:
        with transaction.atomic():
            world = World()
            assert import_workbook(workbook(GOOD)).ok
            first = export_bytes()
            town_code = world.town.code
            raise Rollback
    except Rollback:
        pass
    assert not Region.objects.exists() and not Deputy.objects.exists()

    result = import_workbook(io.BytesIO(first))
    assert result.ok, result.error_lines()
    second = export_bytes()
    a, b = read(first), read(second)
    # The organization sheets first, in import order, then the sheets later apps register.
    assert list(a)[:6] == ["镇街", "村社区", "网格", "网格员", "承办单位", "代表"]
    assert list(a) == [spec.name for spec in registry.sheets()]
    assert a == b
    assert any(row[0] == town_code for row in a["镇街"])
    assert len(a["代表"]) > 5
    # …and importing the export again changes nothing.
    assert import_workbook(io.BytesIO(second)).summary == "新增 0 条, 更新 0 条"


def test_export_for_one_town(world: World) -> None:
    data = read(export_bytes(world.town))
    assert [r[0] for r in data["镇街"][1:]] == [world.town.code]
    assert all(r[3] == world.town.code for r in data["村社区"][1:])
    assert {r[2] for r in data["承办单位"][1:]} == {world.town.code}
    assert {r[5] for r in data["代表"][1:]} == {world.town.code}
    phones = {r[1] for r in data["网格员"][1:]}
    assert world.grid_worker.phone in phones and world.other_grid_worker.phone not in phones
    assert data["镇街"][0] == ("区划代码", "名称", "所属区县")


def test_template_has_headers_and_one_example_row_that_imports() -> None:
    buf = io.BytesIO()
    write_workbook(buf, template_sheets())
    data = read(buf.getvalue())
    for spec in registry.sheets():
        assert data[spec.name][0] == tuple(spec.headers)
        assert len(data[spec.name]) == 2
    result = import_workbook(io.BytesIO(buf.getvalue()))
    assert result.ok, result.error_lines()
    # One row per sheet, plus the district named by 所属区县 (and whatever a sheet's example
    # row brings with it, such as a new suggestion category).
    assert result.created >= len(registry.sheets()) + 1
    assert result.updated == 0
