"""The only writers of suggestions: one keyword-only, typed function per verb.

Each runs in one transaction and: locks the item (``SELECT … FOR UPDATE``); checks the policy
(404/403); refuses a stale form (``expected_state`` / ``expected_version``) with ``Conflict``;
asks the workflow table for the next state (``IllegalTransition``); writes the change, a
``Transition`` row (the timeline) and an audit event with before/after snapshots — through the
shared helpers of ``core.services`` (``lock``, ``check_version``, ``commit_transition``,
``record_transition``, ``insert_coded`` …), as every app's services do.

``on`` is the business date of the step (登记/交办/答复… 日期); it defaults to today and may be
earlier, so that imports and the demo can write history. ``version`` counts state changes, so
a form rendered before another user moved the item on is refused even if the state came back
to the same value (e.g. returned and re-assigned).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.services import record, snapshot
from renda.calendar_days import workdays
from renda.core import attachments, bulk, crypto, sequences, uploads
from renda.core import policy as base_policy
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.privacy import record_reveal
from renda.core.roles import Role
from renda.core.services import (
    actor_user,
    business_date,
    check_edges,
    check_version,
    commit_transition,
    create_audited,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
    set_active,
    update_audited,
)
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.people.models import Deputy
from renda.places.models import Level, Region
from renda.places.services import check_places
from renda.suggestions import documents, notify, policy, rules, selectors, workflow
from renda.suggestions.models import (
    Attachment,
    DeputyFollowUp,
    Evaluation,
    Extension,
    ExtensionStatus,
    Kind,
    Reminder,
    ReminderKind,
    Reply,
    ReplyClass,
    Result,
    Source,
    Suggestion,
    SuggestionCategory,
    SuggestionCoUnit,
    Transition,
)
from renda.suggestions.workflow import Action, State
from renda.units.models import Unit

if TYPE_CHECKING:
    from renda.suggestions.bulk import Draft

STALE = _("该事项已被他人处理，请刷新后重试")
#: Snapshot fields that hold personal data (masked in the audit trail) or secrets (left out).
_MASKED = {"submitter_name": crypto.mask_name, "submitter_phone": crypto.mask_phone}
_HIDDEN = {"submitter_phone_hash", "tracking_code"}
#: The values of the choices the steps check (``Kind.values`` builds its list on every call).
_KINDS, _SOURCES = frozenset(Kind.values), frozenset(Source.values)
_REPLY_CLASSES, _RESULTS = frozenset(ReplyClass.values), frozenset(Result.values)


# --- helpers ------------------------------------------------------------------------------


def _snap(s: Suggestion) -> dict[str, Any]:
    """The audit snapshot of an item, with personal data masked and secrets left out."""
    data = snapshot(s)
    for name, mask in _MASKED.items():
        if name in data:
            data[name] = mask(s.submitter_name if name == "submitter_name" else s.submitter_phone)
    for name in _HIDDEN:
        data.pop(name, None)
    return data


def _open(
    *, actor: Actor, suggestion_id: int, action: Action, expected_state: str | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """The item, locked; the actor allowed; the caller's view of it still current."""
    s = lock(Suggestion, suggestion_id)
    policy.require(actor, action, s)
    check_version(s, expected_state, of=attrgetter("state"), message=STALE)
    check_version(s, expected_version, message=STALE)
    return s


def _history(
    s: Suggestion, *, action: Action, actor: Actor, on: dt.date, from_state: str, comment: str = ""
) -> Transition:
    return record_transition(Transition, suggestion=s, action=action, from_state=from_state, to_state=s.state,
                             actor=actor, on=on, comment=comment)


def bump_version(s: Suggestion, from_state: str) -> None:
    """``version`` counts the changes of state."""
    if s.state != from_state:
        s.version += 1


def _commit(
    s: Suggestion, *, action: Action, actor: Actor, on: dt.date, from_state: str, before: dict[str, Any],
    comment: str = "",
) -> Suggestion:
    """Validate and save ``s``, then write its timeline row and audit event; ``version`` counts
    the changes of state."""
    bump_version(s, from_state)
    return commit_transition(s, history=_history, snap=_snap, verb=f"suggestion.{action.value}", action=action,
                             actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def _last_reply(s: Suggestion) -> Reply | None:
    return s.replies.order_by("-replied_at", "-id").first()


def _last_evaluation(s: Suggestion) -> Evaluation | None:
    return s.evaluations.order_by("-evaluated_at", "-id").first()


CODE_PREFIX = "YJ"


def code_series(year: int) -> sequences.CodeSeries:
    """编号 is unique across the whole instance (it is the ledger's key), so the series runs per
    year over every town of the instance; in the usual one-town instance that is per town and year."""
    return sequences.CodeSeries(f"suggestion:{year}", f"{CODE_PREFIX}{year}-", Suggestion.objects.all())


def next_code(year: int) -> str:
    """The next 编号 of ``year``: YJ2023-001, YJ2023-002 … (``core.sequences``: O(1)). Not looked
    for first: registering inserts it and, should a hand-given 编号 hold it, takes the next
    (``insert_coded``), so the registration's locked section runs one query fewer."""
    return code_series(year).next(looked_up=False)


def _note_hand_code(code: str) -> None:
    m = re.match(rf"^{CODE_PREFIX}(\d{{4}})-", code)
    if m:
        code_series(int(m.group(1))).note(code)


# --- categories ---------------------------------------------------------------------------


@transaction.atomic
def suggestion_category_create(*, actor: Actor, town: Region, name: str) -> SuggestionCategory:
    category = SuggestionCategory(town=town, name=required_text(name, "name", _("请填写类别名称")))
    policy.require(actor, "create", category)
    if town.level != Level.TOWN:
        raise InvalidInput(_("类别必须属于一个镇街"), fields={"town": _("不是镇街")})
    if SuggestionCategory.objects.filter(town=town, name=category.name).exists():
        raise InvalidInput(_("已有名为「{name}」的类别").format(name=category.name), fields={"name": _("已存在")})
    return create_audited(category, actor=actor, verb="suggestion_category.create")


@transaction.atomic
def suggestion_category_update(*, actor: Actor, category_id: int, name: str) -> tuple[SuggestionCategory, bool]:
    category = lock(SuggestionCategory, category_id)
    policy.require(actor, "change", category)
    name = required_text(name, "name", _("请填写类别名称"))
    if SuggestionCategory.objects.filter(town_id=category.town_id, name=name).exclude(pk=category.pk).exists():
        raise InvalidInput(_("已有名为「{name}」的类别").format(name=name), fields={"name": _("已存在")})
    return update_audited(category, actor=actor, verb="suggestion_category.update", changes={"name": name})


@transaction.atomic
def suggestion_category_set_active(*, actor: Actor, category_id: int, active: bool) -> SuggestionCategory:
    category = lock(SuggestionCategory, category_id)
    policy.require(actor, "change", category)
    verb = "suggestion_category.activate" if active else "suggestion_category.deactivate"
    return set_active(category, actor=actor, verb=verb, active=active)


# --- register -----------------------------------------------------------------------------


def register_problems(*, kind: str, anonymous: bool, submitter_name: str, submitter_phone: str,
                      lead_deputy: Deputy | None) -> dict[str, tuple[str, str]]:
    """The register rules that depend only on what was filled in: ``field → (message, short
    message)``, every broken rule at once. ``suggestion_register`` raises them together; the
    register form shows them beside the form's own errors, so a form is corrected in one go."""
    problems: dict[str, tuple[str, str]] = {}
    if kind == Kind.DEPUTY:
        if lead_deputy is None:
            problems["lead_deputy"] = (_("代表建议须有领衔代表"), _("必填"))
        if anonymous:
            problems["anonymous"] = (_("代表建议不能匿名"), _("不能匿名"))
        return problems
    if anonymous:
        return problems
    name, phone = (submitter_name or "").strip(), crypto.normalize_phone(submitter_phone)
    if not name:
        problems["submitter_name"] = (_("请填写提出人，或选择匿名"), _("必填"))
    elif len(name) > 50:
        problems["submitter_name"] = (_("提出人姓名过长"), _("过长"))
    if phone and not is_phone(phone):
        problems["submitter_phone"] = (_("联系电话格式不正确"), _("格式不正确"))
    return problems



# --- steps ----------------------------------------------------------------------------------
# Each verb's rules and changes, on the item in memory. A service locks the item, takes the step
# and commits it (``_commit``: validated, saved, its timeline row, its audit event). The bulk
# ledger import (``suggestions.bulk``) takes the same steps on items it has not written yet and
# writes a batch of them at once (``suggestion_import_batch``): one implementation of each rule.

#: ``_commit``'s signature: what a step calls to record itself (saved, or kept for a batch).
Commit = Callable[..., Suggestion]


def registration(
    *, actor: Actor, town: Region, kind: str, title: str, content: str = "", source: str = "",
    village: Region | None = None, grid: Region | None = None, category: SuggestionCategory | None = None,
    submitter_name: str = "", submitter_phone: str = "", anonymous: bool = False, no_unit_contact: bool = False,
    lead_deputy: Deputy | None = None, co_deputies: Sequence[Deputy] = (), code: str | None = None,
    on: dt.date, via_deputy: Deputy | None = None,
) -> tuple[Suggestion, list[Deputy]]:
    """登记's rules: the new item (not saved, 编号 as given) and its co-deputies, or the refusal."""
    if kind not in _KINDS:
        raise InvalidInput(_("类型不正确"), fields={"kind": _("不正确")})
    if source and source not in _SOURCES:
        raise InvalidInput(_("来源不正确"), fields={"source": _("不正确")})
    if village is None and grid is not None and grid.parent is not None and grid.parent.level == Level.VILLAGE:
        village = grid.parent
    problems = register_problems(kind=kind, anonymous=anonymous, submitter_name=submitter_name,
                                 submitter_phone=submitter_phone, lead_deputy=lead_deputy)
    if problems:
        raise InvalidInput("；".join(str(m) for m, _short in problems.values()),
                           fields={f: short for f, (_m, short) in problems.items()})
    name, phone = (submitter_name or "").strip(), crypto.normalize_phone(submitter_phone)
    if kind == Kind.DEPUTY or anonymous:
        name, phone, no_unit_contact = "", "", False
    if kind != Kind.DEPUTY:
        lead_deputy, co_deputies = None, ()
    else:
        via_deputy = None
    if via_deputy is not None and (via_deputy.town_id != town.pk or not via_deputy.is_active):
        raise InvalidInput(_("代表不属于{town}").format(town=town.name), fields={"via_deputy": _("不属于该镇街")})
    s = Suggestion(
        code=(code or "").strip(), kind=kind, source=source, town=town, village=village, grid=grid,
        category=category, title=required_text(title, "title", gettext_lazy("请填写标题")),
        content=(content or "").strip(),
        submitter_name=name, submitter_phone=phone, submitter_phone_hash=crypto.phone_lookup_hash(phone),
        anonymous=anonymous, no_unit_contact=no_unit_contact, lead_deputy=lead_deputy, via_deputy=via_deputy,
        state=State.REGISTERED,
        registered_at=on,
        created_by=actor_user(actor),
    )
    check_edges(s)
    policy.require(actor, Action.REGISTER, s)
    check_places(town, village, grid)
    if category is not None and (category.town_id != town.pk or not category.is_active):
        raise InvalidInput(_("类别不属于{town}或已停用").format(town=town.name), fields={"category": _("不可用")})
    if lead_deputy is not None and lead_deputy.town_id != town.pk:
        raise InvalidInput(_("领衔代表不属于{town}").format(town=town.name), fields={"lead_deputy": _("不属于该镇街")})
    co = [d for d in co_deputies if lead_deputy is None or d.pk != lead_deputy.pk]
    return s, co


def suggestion_register(
    *,
    actor: Actor,
    town: Region,
    kind: str,
    title: str,
    content: str = "",
    source: str = "",
    village: Region | None = None,
    grid: Region | None = None,
    category: SuggestionCategory | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    anonymous: bool = False,
    no_unit_contact: bool = False,
    lead_deputy: Deputy | None = None,
    co_deputies: Sequence[Deputy] = (),
    code: str | None = None,
    on: dt.date | None = None,
    comment: str = "",
    files: Sequence[Any] = (),
    merge_into_id: int | None = None,
    via_deputy: Deputy | None = None,
) -> Suggestion:
    """登记: a new item in state ``registered``; 编号 is generated when not given.

    ``via_deputy``: a public opinion given through that deputy's QR code (the portal); the deputy
    is told and may follow it up (``suggestion_deputy_note``, ``suggestion_pass_on``,
    ``suggestion_adopt``).

    The register page's whole step in the same transaction: with ``files``, its attachments
    (``suggestion_attach``); with ``merge_into_id``, merged at once into that similar open item,
    which the actor must see (``suggestion_merge``; the item returned is then the merged one). A
    refused file or merge leaves nothing registered.

    The item's rules and its validation run before the transaction, which then holds the write
    lock (SQLite takes it at ``BEGIN``) and the year's 编号 counter (``next_code``) for the writes
    alone: every registration waits for both."""
    on = business_date(on)
    s, co = registration(
        actor=actor, town=town, kind=kind, title=title, content=content, source=source, village=village, grid=grid,
        category=category, submitter_name=submitter_name, submitter_phone=submitter_phone, anonymous=anonymous,
        no_unit_contact=no_unit_contact, lead_deputy=lead_deputy, co_deputies=co_deputies, code=code, on=on,
        via_deputy=via_deputy)
    # The tracking code, 50 random bits drawn by its default, is left to the unique index (and a
    # clash to ``insert_coded``'s retry): no query to look for it first.
    full_clean(s, exclude=["tracking_code"] if code else ["tracking_code", "code"])
    with transaction.atomic():
        return _register_writes(s, co, actor=actor, code=code, on=on, comment=comment, files=files,
                                merge_into_id=merge_into_id)


def _register_writes(s: Suggestion, co: list[Deputy], *, actor: Actor, code: str | None, on: dt.date,
                     comment: str, files: Sequence[Any], merge_into_id: int | None) -> Suggestion:
    """登记's writes, in the caller's transaction: ``s`` validated (``suggestion_register``)."""
    via_deputy = s.via_deputy
    if code:
        _note_hand_code(code)
    # A generated 编号 is made unique by the lock and the retry, not by a validation query that a
    # concurrent registration can race past: registrations that number a year's items take turns
    # on its counter row (``core.sequences``: locked from ``next_code`` until they commit, on
    # either database), so each sees the 编号 given before it; a hand-given one notes itself there.
    insert_coded(s, code=code, next_code=lambda: next_code(on.year), check_generated=False, validated=True,
                 redraw=("tracking_code",),
                 taken=lambda taken: Conflict(_("编号「{code}」已被使用，请重试").format(code=taken)))
    if co:
        s.co_deputies.set(co)
    _history(s, action=Action.REGISTER, actor=actor, on=on, from_state="", comment=comment)
    record(actor=actor, verb="suggestion.register", target=s, before=None, after=_snap(s), comment=comment)
    if files:
        suggestion_attach(actor=actor, suggestion_id=s.pk, files=files)
    if via_deputy is not None:
        transaction.on_commit(partial(notify.via_deputy, s.pk))
    if merge_into_id is not None:
        target = selectors.suggestions_visible_to(actor).filter(pk=merge_into_id).first()
        if target is None:
            raise InvalidInput(_("合并目标不存在或无权查看"))
        s = suggestion_merge(actor=actor, suggestion_id=s.pk, into_id=target.pk)
    return s


@transaction.atomic
def suggestion_import_batch(*, actor: Actor, drafts: Sequence[Draft], rows: str) -> list[Suggestion]:
    """Write a batch of new items a ledger import took through the steps in memory
    (``suggestions.bulk.Draft``): the items, co-deputies, co-handling units, replies, evaluations and
    timeline rows written at once each (``core.bulk``: executemany on SQLite, COPY on PostgreSQL), the 编号
    counters advanced once per year of the batch, and one audit event naming the sheet's ``rows``
    and the items' ids. Historical rows notify nobody (docs/decisions/0020-bulk-ledger-import.md).
    The caller checked the 编号 are free (one query per batch); a clash that slipped in between
    fails the batch on the unique index."""
    if not drafts:
        return []
    items = [d.item for d in drafts]
    with _indexed_for_search_at_once(items):
        bulk.write_objects(items, with_ids=True)
    through = Suggestion.co_deputies.through
    bulk.write_objects([through(suggestion_id=d.item.pk, deputy_id=deputy.pk)
                        for d in drafts for deputy in d.co_deputies])
    bulk.write_objects([SuggestionCoUnit(suggestion=d.item, unit=u) for d in drafts for u in d.co_units])
    bulk.write_objects([r for d in drafts for r in d.replies])
    bulk.write_objects([e for d in drafts for e in d.evaluations])
    bulk.write_values(Transition, [t for d in drafts for t in d.transitions])
    highest: dict[int, tuple[int, str]] = {}
    for s in items:
        m = re.match(rf"^{CODE_PREFIX}(\d{{4}})-(\d+)$", s.code)
        if m:
            year, number = int(m.group(1)), int(m.group(2))
            highest[year] = max(highest.get(year, (0, "")), (number, s.code))
    for _number, code in highest.values():
        _note_hand_code(code)
    ids = sorted(s.pk for s in items)
    counts = {"suggestions": len(items), "transitions": sum(len(d.transitions) for d in drafts),
              "replies": sum(len(d.replies) for d in drafts), "evaluations": sum(len(d.evaluations) for d in drafts)}
    record(actor=actor, verb="suggestion.import_batch", target=items[0], before=None,
           after={"rows": rows, "ids": f"{ids[0]}-{ids[-1]}", "codes": [items[0].code, items[-1].code], **counts},
           comment=_("台账批量导入：{rows}，{n} 件").format(rows=rows, n=len(items)))
    return items


#: SQLite: the trigger that indexes each new item for search (the FTS5 table of migration 0017).
_SEARCH_INSERT_TRIGGER = "suggestions_search_ai"


@contextlib.contextmanager
def _indexed_for_search_at_once(items: Sequence[Suggestion]) -> Iterator[None]:
    """On SQLite, the new ``items`` written in the block are indexed for search in one statement
    after it — the same rows of the FTS5 table the insert trigger would write one by one, at a
    fraction of the cost. The trigger is dropped for the block and created again from its own
    definition, in a savepoint: a block that fails rolls back to the trigger as it was, so the
    database never stays without it. Elsewhere (PostgreSQL: a GIN index) nothing is done."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_SEARCH_INSERT_TRIGGER])
        found = cur.fetchone()
    if found is None:
        yield
        return
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f'DROP TRIGGER "{_SEARCH_INSERT_TRIGGER}"')
        try:
            yield
            ids = [s.pk for s in items]
            assert max(ids) - min(ids) + 1 == len(ids), "new ids are reserved as one run (core.bulk.reserve_ids)"
            key = selectors.SEARCH_KEY_SQL.format(t="suggestions_suggestion")
            select = f"SELECT {key}, code, title, content FROM suggestions_suggestion"  # noqa: S608 - constants
            cur.execute(f"INSERT INTO suggestions_search (rowid, code, title, content) {select} "
                        "WHERE id BETWEEN %s AND %s ORDER BY id", [min(ids), max(ids)])
        finally:
            cur.execute(found[0])


# --- assign, accept, return, co-opinion ---------------------------------------------------


def assign_step(s: Suggestion, *, lead_unit: Unit, co_units: Sequence[Unit], deadline: dt.date | None,
                on: dt.date) -> list[Unit]:
    """交办's rules and changes on ``s``; the co-handling units (the lead left out)."""
    s.state = workflow.next_state(s.state, Action.ASSIGN)
    workflow.check_not_before(on=on, earlier=s.registered_at, what=gettext_lazy("登记"))
    co = [u for u in co_units if u.pk != lead_unit.pk]
    for unit in [lead_unit, *co]:
        if unit.town_id != s.town_id or not unit.is_active:
            raise InvalidInput(_("承办单位「{unit}」不属于本镇街或已停用").format(unit=unit),
                               fields={"lead_unit" if unit is lead_unit else "co_units": _("不可用")})
    deadline = deadline or rules.deadline_for(s.kind, on, rules.rules_for(s.town))
    if deadline < on:
        raise InvalidInput(_("办理期限不能早于交办日期"), fields={"deadline": _("早于交办日期")})
    s.lead_unit, s.assigned_at, s.deadline, s.original_deadline, s.accepted_at = lead_unit, on, deadline, deadline, None
    return co


@transaction.atomic
def suggestion_assign(
    *,
    actor: Actor,
    suggestion_id: int,
    lead_unit: Unit,
    co_units: Sequence[Unit] = (),
    deadline: dt.date | None = None,
    on: dt.date | None = None,
    comment: str = "",
    expected_state: str | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """交办: to a lead unit (and co-handling units) with a deadline from the town's rules."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.ASSIGN, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    co = assign_step(s, lead_unit=lead_unit, co_units=co_units, deadline=deadline, on=on)
    SuggestionCoUnit.objects.filter(suggestion=s).delete()
    SuggestionCoUnit.objects.bulk_create([SuggestionCoUnit(suggestion=s, unit=u) for u in co])
    transaction.on_commit(partial(notify.assigned, s.pk))
    return _commit(s, action=Action.ASSIGN, actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def accept_step(s: Suggestion, *, on: dt.date) -> None:
    """签收's rules and changes on ``s``."""
    s.state = workflow.next_state(s.state, Action.ACCEPT)
    workflow.check_not_before(on=on, earlier=s.assigned_at, what=gettext_lazy("交办"))
    s.accepted_at = on


@transaction.atomic
def suggestion_accept(
    *, actor: Actor, suggestion_id: int, on: dt.date | None = None, comment: str = "",
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """签收 by the lead unit."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.ACCEPT, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    accept_step(s, on=on)
    return _commit(s, action=Action.ACCEPT, actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def return_limit(s: Suggestion) -> dt.date | None:
    """The last day the lead unit may return ``s`` (N working days after assignment)."""
    if s.assigned_at is None:
        return None
    return workdays.add_workdays(s.assigned_at, rules.rules_for(s.town).return_workdays)


@transaction.atomic
def suggestion_return(
    *, actor: Actor, suggestion_id: int, reason: str, on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """退回: the unit is not responsible; back to the office for reassignment, with a reason,
    within 5 working days of assignment."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.RETURN, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.next_state(s.state, Action.RETURN)
    reason = required_text(reason, "reason", _("请填写退回理由"))
    workflow.check_not_before(on=on, earlier=s.assigned_at, what=gettext_lazy("交办"))
    limit = return_limit(s)
    assert limit is not None
    workflow.check_return(on=on, limit=limit)
    s.lead_unit, s.assigned_at, s.deadline, s.original_deadline, s.accepted_at = None, None, None, None, None
    SuggestionCoUnit.objects.filter(suggestion=s).delete()
    transaction.on_commit(partial(notify.returned, s.pk))
    return _commit(s, action=Action.RETURN, actor=actor, on=on, from_state=from_state, before=before, comment=reason)


@transaction.atomic
def suggestion_co_opinion(
    *, actor: Actor, suggestion_id: int, opinion: str, unit: Unit | None = None, on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> SuggestionCoUnit:
    """协办意见: a co-handling unit gives its opinion to the lead unit."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.CO_OPINION, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.next_state(s.state, Action.CO_OPINION)
    opinion = required_text(opinion, "opinion", _("请填写协办意见"))
    unit_id = unit.pk if unit is not None else getattr(actor, "unit_id", None)
    link = SuggestionCoUnit.objects.filter(suggestion=s, unit_id=unit_id).first() if unit_id else None
    if link is None:
        raise InvalidInput(_("该单位不是本事项的协办单位"), fields={"unit": _("不是协办单位")})
    workflow.check_not_before(on=on, earlier=s.assigned_at, what=gettext_lazy("交办"))
    link.opinion, link.opinion_at = opinion, on
    link.opinion_by = actor_user(actor)
    link.save(update_fields=["opinion", "opinion_at", "opinion_by"])
    _commit(s, action=Action.CO_OPINION, actor=actor, on=on, from_state=from_state, before=before,
            comment=f"{link.unit}：{opinion}")
    return link


# --- reply, evaluate, re-handle, close ----------------------------------------------------


def reply_step(s: Suggestion, *, actor: Actor, last: Reply | None, reply_class: str, text: str,
               on: dt.date) -> Reply:
    """答复's rules and changes on ``s`` (``last``: its latest reply); the reply, not saved."""
    new_state = workflow.next_state(s.state, Action.REPLY)
    workflow.check_reply_again(state=s.state, last_class=last.reply_class if last else None)
    if reply_class not in _REPLY_CLASSES:
        raise InvalidInput(_("答复类别应为 A、B、C 或 D"), fields={"reply_class": _("不正确")})
    text = required_text(text, "text", gettext_lazy("请填写答复内容"))
    workflow.check_not_before(on=on, earlier=last.replied_at if last else s.accepted_at, what=gettext_lazy("上一步"))
    assert s.lead_unit is not None
    reply = Reply(suggestion=s, reply_class=reply_class, text=text, replied_at=on, unit=s.lead_unit,
                  by=actor_user(actor))
    s.state = new_state
    return reply


@transaction.atomic
def suggestion_reply(
    *, actor: Actor, suggestion_id: int, reply_class: str, text: str, on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None, files: Sequence[Any] = (),
) -> Reply:
    """答复 by the lead unit, with a class A/B/C/D; a B or C item is answered again once solved.
    With ``files``, the reply's attachments in the same transaction (``suggestion_attach``)."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.REPLY, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    reply = reply_step(s, actor=actor, last=_last_reply(s), reply_class=reply_class, text=text, on=on)
    reply.save(force_insert=True)
    _commit(s, action=Action.REPLY, actor=actor, on=on, from_state=from_state, before=before,
            comment=f"{reply.reply_class}：{reply.text}")
    transaction.on_commit(partial(notify.replied, s.pk))
    if files:
        suggestion_attach(actor=actor, suggestion_id=s.pk, files=files, reply_id=reply.pk)
    return reply


def rehandle_steps(s: Suggestion, *, actor: Actor, on: dt.date, comment: str, commit: Commit = _commit,
                   snap: Callable[[Suggestion], dict[str, Any]] = _snap) -> None:
    """重新办理 (after 不满意): back to the lead unit with a new deadline; the third time the
    item goes under key supervision. Each step recorded through ``commit``."""
    before, from_state = snap(s), s.state
    s.state = workflow.next_state(s.state, Action.REHANDLE)
    town_rules = rules.rules_for(s.town)
    s.rehandle_count += 1
    s.deadline = max(rules.rehandle_deadline(on, town_rules), s.assigned_at or on)
    commit(s, action=Action.REHANDLE, actor=actor, on=on, from_state=from_state, before=before,
           comment=comment or _("第{n}次重新办理").format(n=s.rehandle_count))
    if not s.key_supervision and workflow.key_supervision_due(
        rehandle_count=s.rehandle_count, threshold=town_rules.key_supervision_after_rehandles
    ):
        before, from_state = snap(s), s.state
        s.state = workflow.next_state(s.state, Action.SUPERVISE)
        s.key_supervision, s.key_supervision_since = True, on
        commit(s, action=Action.SUPERVISE, actor=None, on=on, from_state=from_state, before=before,
                comment=_("重新办理达{n}次，自动列入重点督办").format(n=s.rehandle_count))


def evaluate_step(s: Suggestion, *, actor: Actor, last_reply: Reply | None, result: str, comment: str,
                  on: dt.date) -> Evaluation:
    """测评's rules and changes on ``s`` (``last_reply``: its latest reply); the evaluation, not
    saved. 不满意 then needs ``rehandle_steps``."""
    s.state = workflow.next_state(s.state, Action.EVALUATE)
    if result not in _RESULTS:
        raise InvalidInput(_("测评结果应为满意、基本满意或不满意"), fields={"result": _("不正确")})
    workflow.check_not_before(on=on, earlier=last_reply.replied_at if last_reply else None, what=gettext_lazy("答复"))
    return Evaluation(suggestion=s, result=result, evaluated_at=on, comment=comment.strip(), by=actor_user(actor))


def evaluation_comment(evaluation: Evaluation) -> str:
    """The timeline's words for an evaluation: 满意, or 不满意：why."""
    return f"{Result(evaluation.result).label}{'：' + evaluation.comment if evaluation.comment else ''}"


@transaction.atomic
def suggestion_evaluate(
    *, actor: Actor, suggestion_id: int, result: str, comment: str = "", on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Evaluation:
    """测评 by the deputy (or, for a public item, recorded by the office); 不满意 sends the item
    back for re-handling at once."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.EVALUATE, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    evaluation = evaluate_step(s, actor=actor, last_reply=_last_reply(s), result=result, comment=comment, on=on)
    evaluation.save(force_insert=True)
    _commit(s, action=Action.EVALUATE, actor=actor, on=on, from_state=from_state, before=before,
            comment=evaluation_comment(evaluation))
    if workflow.needs_rehandle(result):
        rehandle_steps(s, actor=actor, on=on, comment="")
        transaction.on_commit(partial(notify.rehandled, s.pk))
    return evaluation


def _closed_on(s: Suggestion, *, last_reply: Reply | None, last_evaluation: Evaluation | None, on: dt.date) -> None:
    workflow.check_not_before(on=on, earlier=last_reply.replied_at if last_reply else None, what=gettext_lazy("答复"))
    workflow.check_not_before(on=on, earlier=last_evaluation.evaluated_at if last_evaluation else None,
                              what=gettext_lazy("测评"))
    s.closed_at = on


def close_step(s: Suggestion, *, last_reply: Reply | None, last_evaluation: Evaluation | None, on: dt.date) -> None:
    """办结's rules and changes on ``s``."""
    s.state = workflow.next_state(s.state, Action.CLOSE)
    _closed_on(s, last_reply=last_reply, last_evaluation=last_evaluation, on=on)


@transaction.atomic
def suggestion_close(
    *, actor: Actor, suggestion_id: int, on: dt.date | None = None, comment: str = "",
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """办结 by the office."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.CLOSE, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    close_step(s, last_reply=_last_reply(s), last_evaluation=_last_evaluation(s), on=on)
    transaction.on_commit(partial(notify.closed, s.pk))
    return _commit(s, action=Action.CLOSE, actor=actor, on=on, from_state=from_state, before=before, comment=comment)


#: The reason written for a 不满意办结 that a ledger row records (the row has no column for it).
LEDGER_CLOSE_DISSATISFIED_REASON = "据台账记载：测评不满意，已办结"


def close_dissatisfied_step(s: Suggestion, *, known: workflow.Facts, last_reply: Reply | None,
                            last_evaluation: Evaluation | None, reason: str, on: dt.date,
                            from_ledger: bool = False) -> str:
    """不满意办结's rules and changes on ``s`` (``known``: ``policy.facts``); the reason, cleaned."""
    from_state = s.state
    if from_ledger:
        s.state = workflow.next_state(s.state, Action.CLOSE_DISSATISFIED)
        workflow.check_close_dissatisfied(state=from_state, last_result=known.last_result,
                                          rehandle_count=known.rehandle_count, min_rehandles=0)
    else:
        s.state = workflow.check(s.state, Action.CLOSE_DISSATISFIED, known)
    reason = required_text(reason, "reason", _("请填写不满意办结的理由"))
    _closed_on(s, last_reply=last_reply, last_evaluation=last_evaluation, on=on)
    return reason


@transaction.atomic
def suggestion_close_dissatisfied(
    *, actor: Actor, suggestion_id: int, reason: str, on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None, from_ledger: bool = False,
) -> Suggestion:
    """不满意办结 by the office or the presidium: the submitter is still dissatisfied after the item
    was re-handled at least once (``workflow.check_close_dissatisfied``), and the office closes it
    with a reason instead of re-handling it again. Counted in ``closed`` and in
    ``closed_dissatisfied`` (METRICS.md).

    ``from_ledger``: the closure is history a ledger row records (evaluated 不满意, closed); the
    row cannot show the re-handling in between, so it is not required (docs/decisions/0009)."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.CLOSE_DISSATISFIED,
              expected_state=expected_state, expected_version=expected_version)
    before, from_state = _snap(s), s.state
    reason = close_dissatisfied_step(s, known=policy.facts(s), last_reply=_last_reply(s),
                                     last_evaluation=_last_evaluation(s), reason=reason, on=on, from_ledger=from_ledger)
    transaction.on_commit(partial(notify.closed, s.pk))
    return _commit(s, action=Action.CLOSE_DISSATISFIED, actor=actor, on=on, from_state=from_state, before=before,
                   comment=reason)


# --- extensions ---------------------------------------------------------------------------


def _check_cap(s: Suggestion, new_deadline: dt.date) -> None:
    assert s.assigned_at is not None
    cap = rules.extension_cap(s.kind, s.assigned_at, rules.rules_for(s.town))
    if cap is not None and new_deadline > cap:
        raise InvalidInput(
            _("延期后的期限不能晚于 {cap}（自交办之日起累计不超过规定期限）").format(cap=cap.isoformat()),
            fields={"new_deadline": _("超过最长期限")},
        )


@transaction.atomic
def suggestion_request_extension(
    *, actor: Actor, suggestion_id: int, reason: str, days: int | None = None, new_deadline: dt.date | None = None,
    on: dt.date | None = None, expected_state: str | None = None, expected_version: int | None = None,
) -> Extension:
    """申请延期 by the lead unit: ``days`` more, or up to ``new_deadline``."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.REQUEST_EXTENSION,
              expected_state=expected_state, expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.next_state(s.state, Action.REQUEST_EXTENSION)
    reason = required_text(reason, "reason", _("请填写延期理由"))
    assert s.deadline is not None and s.lead_unit is not None
    if s.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
        raise Conflict(_("已有一项延期申请等待审批"))
    if (days is None) == (new_deadline is None):
        raise InvalidInput(_("请填写延期天数或延至日期（二选一）"), fields={"days": _("二选一")})
    if days is not None:
        if days <= 0:
            raise InvalidInput(_("延期天数应大于0"), fields={"days": _("应大于0")})
        new_deadline = s.deadline + dt.timedelta(days=days)
    assert new_deadline is not None
    if new_deadline <= s.deadline:
        raise InvalidInput(_("延至日期应晚于现有期限 {d}").format(d=s.deadline.isoformat()),
                           fields={"new_deadline": _("应晚于现有期限")})
    _check_cap(s, new_deadline)
    ext = Extension(suggestion=s, requested_by=s.lead_unit, requested_at=on, days=days, old_deadline=s.deadline,
                    new_deadline=new_deadline, reason=reason)
    full_clean(ext)
    ext.save()
    _commit(s, action=Action.REQUEST_EXTENSION, actor=actor, on=on, from_state=from_state, before=before,
            comment=_("申请延期至 {d}：{reason}").format(d=new_deadline.isoformat(), reason=reason))
    transaction.on_commit(partial(notify.extension_requested, ext.pk))
    return ext


@transaction.atomic
def suggestion_decide_extension(
    *, actor: Actor, extension_id: int, approve: bool, comment: str = "", on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Extension:
    """同意 / 不同意延期 by the office; an approved extension becomes the deadline in force."""
    on = business_date(on)
    suggestion_id = Extension.objects.filter(pk=extension_id).values_list("suggestion_id", flat=True).first()
    if suggestion_id is None:
        raise NotFound()
    action = Action.APPROVE_EXTENSION if approve else Action.REFUSE_EXTENSION
    s = _open(actor=actor, suggestion_id=suggestion_id, action=action, expected_state=expected_state,
              expected_version=expected_version)
    ext = lock(Extension, extension_id)
    before, from_state = _snap(s), s.state
    s.state = workflow.next_state(s.state, action)
    if ext.status != ExtensionStatus.REQUESTED:
        raise Conflict(_("该延期申请已经审批"))
    workflow.check_not_before(on=on, earlier=ext.requested_at, what=gettext_lazy("申请"))
    if approve:
        _check_cap(s, ext.new_deadline)
        s.deadline = ext.new_deadline
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    ext.decided_by = actor_user(actor)
    ext.decided_at, ext.decision_comment = on, comment.strip()
    full_clean(ext)
    ext.save()
    text = (_("同意延期至 {d}") if approve else _("不同意延期至 {d}")).format(d=ext.new_deadline.isoformat())
    _commit(s, action=action, actor=actor, on=on, from_state=from_state, before=before,
            comment=f"{text}{'：' + comment.strip() if comment.strip() else ''}")
    transaction.on_commit(partial(notify.extension_decided, ext.pk))
    return ext


# --- decline, withdraw, merge -------------------------------------------------------------


@transaction.atomic
def suggestion_decline(
    *, actor: Actor, suggestion_id: int, reason: str, on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """不予受理, with a reason (a personal matter, a matter for the petitions channel …)."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.DECLINE, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.next_state(s.state, Action.DECLINE)
    reason = required_text(reason, "reason", _("请填写不予受理的理由"))
    workflow.check_not_before(on=on, earlier=s.registered_at, what=gettext_lazy("登记"))
    return _commit(s, action=Action.DECLINE, actor=actor, on=on, from_state=from_state, before=before, comment=reason)


@transaction.atomic
def suggestion_withdraw(
    *, actor: Actor, suggestion_id: int, reason: str = "", on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """撤回 by the lead deputy, while the item is open and not yet answered."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.WITHDRAW, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.check(s.state, Action.WITHDRAW, policy.facts(s))
    workflow.check_not_before(on=on, earlier=s.registered_at, what=gettext_lazy("登记"))
    return _commit(s, action=Action.WITHDRAW, actor=actor, on=on, from_state=from_state, before=before,
                   comment=reason.strip())


@transaction.atomic
def suggestion_merge(
    *, actor: Actor, suggestion_id: int, into_id: int, comment: str = "", on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Suggestion:
    """合并 an item into another of the same content; the merged item follows the other one and
    its submitter is answered with it."""
    on = business_date(on)
    if suggestion_id == into_id:
        raise InvalidInput(_("不能将事项合并到其自身"), fields={"into": _("不能是本事项")})
    for pk in sorted([suggestion_id, into_id]):  # lock both, always in the same order
        lock(Suggestion, pk)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.MERGE, expected_state=expected_state,
              expected_version=expected_version)
    target = lock(Suggestion, into_id)
    policy.require(actor, "view", target)
    if target.town_id != s.town_id:
        raise InvalidInput(_("只能合并同一镇街的事项"), fields={"into": _("不是同一镇街")})
    if target.state in workflow.TERMINAL:
        raise InvalidInput(_("「{code}」已{state}，不能作为合并目标").format(
            code=target.code, state=workflow.label(State(target.state))), fields={"into": _("不可作为合并目标")})
    if s.merged_items.exists():
        raise InvalidInput(_("已有其他事项合并至本事项，请将本事项作为合并目标"), fields={"into": _("请反向合并")})
    before, from_state = _snap(s), s.state
    s.state = workflow.check(s.state, Action.MERGE, policy.facts(s))
    workflow.check_not_before(on=on, earlier=s.registered_at, what=gettext_lazy("登记"))
    s.merged_into = target
    text = _("合并至 {code}").format(code=target.code) + (f"：{comment.strip()}" if comment.strip() else "")
    _commit(s, action=Action.MERGE, actor=actor, on=on, from_state=from_state, before=before, comment=text)
    _history(target, action=Action.MERGE, actor=actor, on=on, from_state=target.state,
             comment=_("{code} 合并至本事项，一并答复").format(code=s.code))
    transaction.on_commit(partial(notify.merged, s.pk))
    return s


# --- a public opinion given through a deputy's QR code: the deputy's follow-up -----------------


def _open_follow_up(*, actor: Actor, suggestion_id: int, action: str) -> Suggestion:
    s = lock(Suggestion, suggestion_id)
    policy.require(actor, action, s)
    if s.kind != Kind.PUBLIC or s.via_deputy_id is None:
        raise InvalidInput(_("只有经代表二维码提交的群众意见才能由代表处理"))
    if s.deputy_follow_up in {DeputyFollowUp.PASSED_ON, DeputyFollowUp.ADOPTED}:
        raise Conflict(_("该意见已{done}，不能重复处理").format(done=DeputyFollowUp(s.deputy_follow_up).label))
    return s


def _follow_up(s: Suggestion, *, actor: Actor, verb: str, changes: dict[str, Any], comment: str = "") -> Suggestion:
    """Save the deputy's follow-up with its audit event (snapshots with the submitter masked)."""
    before = _snap(s)
    for name, value in changes.items():
        setattr(s, name, value)
    full_clean(s)
    s.save(update_fields=[*changes, "updated_at"])
    record(actor=actor, verb=verb, target=s, before=before, after=_snap(s), comment=comment)
    return s


def _note_text(note: str, *, required: bool) -> str:
    text = (note or "").strip()
    if required and not text:
        raise InvalidInput(_("请填写代表意见"), fields={"note": _("必填")})
    if len(text) > 2000:
        raise InvalidInput(_("代表意见不能超过2000字"), fields={"note": _("过长")})
    return text


@transaction.atomic
def suggestion_deputy_note(*, actor: Actor, suggestion_id: int, note: str) -> Suggestion:
    """代表留言: the deputy the opinion was given through adds their note for the office (may be
    written again until the opinion is passed on or adopted)."""
    s = _open_follow_up(actor=actor, suggestion_id=suggestion_id, action="deputy_note")
    text = _note_text(note, required=True)
    return _follow_up(s, changes={"deputy_note": text, "deputy_follow_up": DeputyFollowUp.NOTED},
                      actor=actor, verb="suggestion.deputy_note")


@transaction.atomic
def suggestion_pass_on(*, actor: Actor, suggestion_id: int, note: str = "") -> Suggestion:
    """转人大办: the deputy passes the opinion on to the town's office (with an optional note); the
    office is told."""
    s = _open_follow_up(actor=actor, suggestion_id=suggestion_id, action="pass_on")
    text = _note_text(note, required=False) or s.deputy_note
    s = _follow_up(s, changes={"deputy_note": text, "deputy_follow_up": DeputyFollowUp.PASSED_ON},
                   actor=actor, verb="suggestion.pass_on")
    transaction.on_commit(partial(notify.passed_on, s.pk))
    return s


@transaction.atomic
def suggestion_adopt(*, actor: Actor, suggestion_id: int, title: str = "", note: str = "") -> Suggestion:
    """采纳为代表建议: the deputy files the opinion as their own deputy suggestion (a new item they
    lead, registered through ``suggestion_register``); the opinion stays as it is, linked to it,
    and its status page says a deputy took it up. Returns the new deputy suggestion."""
    s = _open_follow_up(actor=actor, suggestion_id=suggestion_id, action="adopt")
    deputy = s.via_deputy
    assert deputy is not None
    text = _note_text(note, required=False)
    content = s.content + (f"\n\n{_('代表意见')}：{text}" if text else "")
    adopted = suggestion_register(
        actor=actor, town=s.town, kind=Kind.DEPUTY, title=(title or "").strip() or s.title, content=content,
        source=Source.DEPUTY_COLLECTED, village=s.village, grid=s.grid, category=s.category, lead_deputy=deputy,
        comment=_("采纳群众意见 {code}").format(code=s.code))
    _follow_up(s, changes={"deputy_note": text or s.deputy_note, "deputy_follow_up": DeputyFollowUp.ADOPTED,
                           "adopted_as": adopted},
               actor=actor, verb="suggestion.adopt", comment=_("采纳为代表建议 {code}").format(code=adopted.code))
    return adopted


# --- remind, key supervision --------------------------------------------------------------


@transaction.atomic
def suggestion_remind(
    *, actor: Actor, suggestion_id: int, kind: str = ReminderKind.MANUAL, note: str = "", on: dt.date | None = None,
    expected_state: str | None = None, expected_version: int | None = None,
) -> Reminder | None:
    """催办: by staff or presidium (manual), or automatic (due soon / overdue, from ``renda remind``).
    At most one reminder of a kind per item and day: an automatic repeat returns None, a manual
    one is refused."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.REMIND, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    s.state = workflow.check(s.state, Action.REMIND, policy.facts(s))
    if kind not in ReminderKind.values:
        raise InvalidInput(_("催办类型不正确"), fields={"kind": _("不正确")})
    if Reminder.objects.filter(suggestion=s, kind=kind, sent_on=on).exists():
        if kind == ReminderKind.MANUAL:
            raise Conflict(_("今天已经催办过该事项"))
        return None
    reminder = Reminder.objects.create(suggestion=s, kind=kind, sent_on=on, note=note.strip(),
                                       by=actor_user(actor))
    _commit(s, action=Action.REMIND, actor=actor, on=on, from_state=from_state, before=before,
            comment=f"{ReminderKind(kind).label}{'：' + note.strip() if note.strip() else ''}")
    transaction.on_commit(partial(notify.reminded, reminder.pk))
    return reminder


@transaction.atomic
def suggestion_set_key_supervision(
    *, actor: Actor, suggestion_id: int, enabled: bool = True, supervisor: Deputy | None = None,
    comment: str = "", on: dt.date | None = None, expected_state: str | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """重点督办: put the item under (or take it off) key supervision led by a presidium member
    (by default the presidium member who acts)."""
    on = business_date(on)
    s = _open(actor=actor, suggestion_id=suggestion_id, action=Action.SUPERVISE, expected_state=expected_state,
              expected_version=expected_version)
    before, from_state = _snap(s), s.state
    text = key_supervision_step(s, actor=actor, enabled=enabled, supervisor=supervisor, on=on)
    transaction.on_commit(partial(notify.key_supervised, s.pk))
    return _commit(s, action=Action.SUPERVISE, actor=actor, on=on, from_state=from_state, before=before,
                   comment=text + (f"：{comment.strip()}" if comment.strip() else ""))


def key_supervision_step(s: Suggestion, *, actor: Actor, enabled: bool, supervisor: Deputy | None,
                         on: dt.date) -> str:
    """重点督办's rules and changes on ``s``; the timeline's words for it."""
    s.state = workflow.next_state(s.state, Action.SUPERVISE)
    if enabled:
        if supervisor is None and actor is not None and actor.role == Role.PRESIDIUM and actor.deputy_id:
            supervisor = Deputy.objects.get(pk=actor.deputy_id)
        if supervisor is not None and (not supervisor.is_presidium or supervisor.town_id != s.town_id
                                       or not supervisor.is_active):
            raise InvalidInput(_("督办领导应为本镇街在任的主席团成员"), fields={"supervisor": _("不是主席团成员")})
        if s.key_supervision and s.supervisor_id == (supervisor.pk if supervisor else None):
            raise InvalidInput(_("该事项已列入重点督办"))
        if not s.key_supervision:
            s.key_supervision_since = on
        s.key_supervision, s.supervisor = True, supervisor
        text = _("列入重点督办") + (_("，督办领导：{name}").format(name=supervisor) if supervisor else "")
    else:
        if not s.key_supervision:
            raise InvalidInput(_("该事项未列入重点督办"))
        s.key_supervision, s.key_supervision_since, s.supervisor = False, None, None
        text = _("取消重点督办")
    return text


# --- attachments --------------------------------------------------------------------------


@transaction.atomic
def suggestion_attach(
    *, actor: Actor, suggestion_id: int, files: Sequence[Any], reply_id: int | None = None,
) -> list[Attachment]:
    """附件: PNG/JPEG images or PDF files added to an item (by its office, whoever registered
    it, its lead deputy) or to one of its replies (by the office or the unit that replied).

    The type is told by the content, not by the name (``core.uploads``); each file is stored
    under a random name; the audit event names the files and their SHA-256, never their content.
    """
    s = lock(Suggestion, suggestion_id)
    reply = None
    if reply_id is not None:
        reply = Reply.objects.filter(pk=reply_id, suggestion_id=s.pk).first()
        if reply is None:
            raise NotFound()

    def _may(user: Any, action: str, obj: Any) -> bool:
        return policy.can_view(user, obj) if action == "view" else policy.can_attach(user, obj, reply)

    base_policy.require(_may, actor, "attach", s)
    if s.state in workflow.TERMINAL:
        raise InvalidInput(_("事项已{state}，不能再上传附件").format(state=workflow.label(State(s.state))))
    if not files:
        raise InvalidInput(_("请选择要上传的文件"), fields={uploads.FIELD: _("必填")})
    existing = Attachment.objects.filter(suggestion=s, reply=reply).count()
    checked = uploads.check_files(list(files), existing=existing)
    saved = attachments.store(checked, lambda c: Attachment(
        suggestion=s, reply=reply, original_name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256,
        uploaded_by=actor_user(actor)))
    record(actor=actor, verb="suggestion.attach", target=s, before=None,
           after={"reply": reply.pk if reply else None, "attachments": attachments.listing(saved)},
           comment=_("上传附件 {n} 个").format(n=len(saved)))
    return saved


@transaction.atomic
def suggestion_lock_for_link(*, actor: Actor, suggestion_id: int, to_petition: bool = False) -> Suggestion:
    """The suggestion another app links a record to, locked for the caller's transaction, if
    ``actor`` may see it (else 404, logged like every refused view). ``to_petition`` (转为信访件):
    also only if the workflow table and its guards offer that action in the item's state (else
    ``IllegalTransition`` with the reason: 「已办结」的事项不能「转为信访件」 …)."""
    s = lock(Suggestion, suggestion_id)
    policy.require(actor, "view", s)
    if to_petition:
        workflow.check(s.state, Action.TO_PETITION, policy.facts(s))
    return s


# --- personal data, documents ---------------------------------------------------------------

#: The submitter's fields a reveal shows (named in the audit event as ``submitter.<field>``).
REVEALED_FIELDS = ("name", "phone")
#: The reason recorded when a 答复函 names the submitter in clear (as petitions' notices do).
REPLY_LETTER_REASON = "生成答复函"


@dataclass(frozen=True)
class SubmitterContact:
    name: str
    phone: str


@transaction.atomic
def suggestion_reveal(*, actor: Actor, suggestion_id: int, reason: str) -> SubmitterContact:
    """查看联系方式: the submitter's name and phone in clear, for a role that must contact them
    (``policy.can_reveal``), with a reason; one audit event per reveal (``core.privacy``)."""
    s = Suggestion.objects.filter(pk=suggestion_id).first()
    if s is None:
        raise NotFound()
    policy.require(actor, "reveal", s)
    if not policy.has_contact(s):
        raise InvalidInput(_("该事项没有提出人的个人信息可查看"))
    record_reveal(actor=actor, target=s, fields=[f"submitter.{f}" for f in REVEALED_FIELDS], reason=reason)
    return SubmitterContact(name=s.submitter_name, phone=s.submitter_phone)


@transaction.atomic
def suggestion_documents(*, actor: Actor, suggestion_ids: Sequence[int], kind: str) -> tuple[str, bytes]:
    """交办单 or 答复函 (``documents``) of one item or of a selection, one page per item, in the
    order given: the file name and the .docx. Every item must be one the actor may see (404) and
    get this document of (403), and must have it already (else nothing is made and the message
    names the items without it). A 答复函 names a public submitter in clear only for those who
    may reveal, and then records the reveal."""
    if kind not in documents.TITLES:
        raise InvalidInput(_("没有这种文书"), fields={"kind": _("不正确")})
    ids = list(dict.fromkeys(suggestion_ids))
    if not ids:
        raise InvalidInput(_("请先勾选要生成文书的事项"), fields={"ids": _("必填")})
    if len(ids) > documents.BULK_LIMIT:
        raise InvalidInput(_("一次最多生成 {limit} 件事项的文书，已勾选 {n} 件，请分批生成").format(
            limit=documents.BULK_LIMIT, n=len(ids)), fields={"ids": _("过多")})
    found = Suggestion.objects.select_related(
        "town", "village", "grid", "category", "lead_unit", "lead_deputy", "supervisor").in_bulk(ids)
    items = []
    for pk in ids:
        s = found.get(pk)
        if s is None:
            raise NotFound()
        policy.require(actor, kind, s)
        items.append(s)
    title = documents.TITLES[kind]
    missing = [s.code for s in items if kind not in documents.available(s)]
    if missing:
        raise InvalidInput(_("以下事项还没有{title}：{codes}").format(title=title, codes="、".join(missing)),
                           fields={"ids": _("不可用")})
    letters = []
    for s in items:
        if kind == "assignment_sheet":
            letters.append(documents.assignment_sheet(s, return_by=return_limit(s)))
            continue
        clear = policy.has_contact(s) and policy.can(actor, "reveal", s)
        if clear:
            record_reveal(actor=actor, target=s, fields=["submitter.name", f"document.{kind}"],
                          reason=REPLY_LETTER_REASON)
        letters.append(documents.reply_letter(s, clear_name=clear))
    return documents.filename(kind, items), documents.render(letters)
