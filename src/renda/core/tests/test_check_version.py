"""The one stale-form check (``core.services.check_version``) at its edges, and the options of
``insert_coded`` that the suggestions' numbering uses."""

from __future__ import annotations

import pytest
from django.db import transaction
from tests.support import World, make_town, make_village

from renda.core.errors import Conflict, InvalidInput
from renda.core.services import check_version, insert_coded, lock
from renda.places.models import Kind, Level, Region
from renda.suggestions.tests.helpers import public_item

STALE_RECORD = "该记录已被他人修改，请刷新页面，核对后重新保存。"


@pytest.mark.django_db
def test_same_version_passes_one_before_or_after_is_a_conflict(world: World) -> None:
    s = public_item(world)
    with transaction.atomic():
        locked = lock(type(s), s.pk)
        check_version(locked, locked.version)  # the form was filled in from this very version
        for stale in (locked.version - 1, locked.version + 1):
            with pytest.raises(Conflict) as exc:
                check_version(locked, stale)
            assert (exc.value.status, exc.value.code, exc.value.message) == (409, "stale", STALE_RECORD)


@pytest.mark.django_db
def test_no_version_sent_is_not_checked_and_the_app_names_its_message(world: World) -> None:
    s = public_item(world)
    check_version(s, None)
    with pytest.raises(Conflict, match=r"^该事项已被他人处理，请刷新后重试$"):
        check_version(s, s.version + 1, message="该事项已被他人处理，请刷新后重试")


@pytest.mark.django_db
def test_the_version_may_be_any_value_of_the_record(world: World) -> None:
    """The generic edit pages compare the record's last change time; a workflow may compare its state."""
    s = public_item(world)
    stamp = s.updated_at.isoformat()
    check_version(s, stamp, of=lambda o: o.updated_at.isoformat())
    check_version(s, "registered", of=lambda o: o.state)
    with pytest.raises(Conflict):
        check_version(s, "assigned", of=lambda o: o.state)
    with pytest.raises(Conflict):
        check_version(s, stamp + "0", of=lambda o: o.updated_at.isoformat())


def _village(town: Region) -> Region:
    return Region(name="新村", level=Level.VILLAGE, kind=Kind.VILLAGE, parent=town, town=town)


@pytest.mark.django_db
def test_insert_coded_leaves_a_generated_code_to_the_index_and_the_retry() -> None:
    town = make_town()
    taken = make_village(town, code=f"{town.code[:9]}901")
    free = f"{town.code[:9]}902"
    # Validated first (the default), a generated code already taken is refused by the validation.
    with pytest.raises(InvalidInput):
        insert_coded(_village(town), code=None, next_code=iter([taken.code, free]).__next__)
    # Left to the unique index, it is generated again.
    village = insert_coded(
        _village(town), code=None, next_code=iter([taken.code, free]).__next__, check_generated=False
    )
    assert village.pk is not None and village.code == free


@pytest.mark.django_db
def test_insert_coded_names_its_error_when_every_attempt_is_taken() -> None:
    town = make_town()
    taken = make_village(town, code=f"{town.code[:9]}903")
    with pytest.raises(Conflict, match=r"^编号「.*」已被使用，请重试$"):
        insert_coded(
            _village(town),
            code=None,
            next_code=lambda: taken.code,
            attempts=2,
            check_generated=False,
            taken=lambda code: Conflict(f"编号「{code}」已被使用，请重试"),
        )
    with pytest.raises(Conflict) as exc:
        insert_coded(_village(town), code=None, next_code=lambda: taken.code, attempts=2, check_generated=False)
    assert exc.value.fields == {"code": ["已被使用"]}
    assert Region.objects.filter(name="新村").count() == 0


@pytest.mark.django_db
def test_the_generic_edit_page_refuses_a_form_filled_in_before_another_save(world: World) -> None:
    import re

    from django.test import Client

    from renda.accounts.models import Role
    from renda.units.services import unit_update

    unit = world.unit
    client = Client()
    client.force_login(world.users[Role.STAFF])
    html = client.get(f"/units/{unit.pk}/edit/").content.decode()
    match = re.search(r'name="_version" value="([^"]*)"', html)
    assert match, "the edit form carries the record's version"
    form = {
        "_version": match.group(1),
        "name": unit.name,
        "kind": unit.kind,
        "contact_person": "李四",
        "contact_phone": unit.contact_phone,
    }
    unit_update(actor=None, unit_id=unit.pk, contact_person="王五改")  # someone else saves first
    stale = client.post(f"/units/{unit.pk}/edit/", form)
    assert stale.status_code == 409 and STALE_RECORD in stale.content.decode()
    unit.refresh_from_db()
    assert unit.contact_person == "王五改"
    fresh = re.search(r'name="_version" value="([^"]*)"', client.get(f"/units/{unit.pk}/edit/").content.decode())
    assert fresh
    assert client.post(f"/units/{unit.pk}/edit/", {**form, "_version": fresh.group(1)}).status_code == 302
    unit.refresh_from_db()
    assert unit.contact_person == "李四"


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "check_generated", "numbered"),
                         [(True, True, 0), (True, False, 0), (False, True, 1), (False, False, 1)])
def test_insert_coded_validates_a_given_code_before_any_numbering(
        given: bool, check_generated: bool, numbered: int) -> None:
    """Numbering locks the series' counter until the transaction ends: a record with its 编号 given
    that fails its validation does not take it; one to be numbered is validated with its 编号."""
    town = make_town()
    calls: list[str] = []

    def next_code() -> str:
        calls.append("numbered")
        return f"{town.code[:9]}904"

    bad = _village(town)
    bad.name = ""  # required
    code = f"{town.code[:9]}905" if given else None
    if code:
        bad.code = code
    with pytest.raises(InvalidInput) as exc:
        insert_coded(bad, code=code, next_code=next_code, check_generated=check_generated)
    assert "name" in exc.value.fields
    assert len(calls) == numbered
    assert not Region.objects.filter(parent=town, level=Level.VILLAGE).exists()
