"""New items of a large ledger, taken through the services' own steps in memory and written a
batch at a time (the bulk path of the 意见建议 sheet; docs/decisions/0020-bulk-ledger-import.md).

A :class:`Draft` is one new item: ``registration`` and each step's function of
``suggestions.services`` (``assign_step``, ``reply_step`` …) check and change it in memory, and
what a service would write — the item, its co-deputies and co-handling units, its replies and
evaluations, its timeline rows — is kept for ``services.suggestion_import_batch``, which writes a
batch at once (``core.bulk``) and one audit event naming the rows. Nothing here writes.

The services validate the item (``full_clean``) after every step; a draft validates its final
state once (``validate``), which is what is written. When that fails, the importer takes the
row again with ``strict`` set — validating after every step, as the services do — so the error
is reported on the same column as the per-row path would report it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from renda.core.services import full_clean, transition_values
from renda.core.types import Actor
from renda.people.models import Deputy
from renda.suggestions import services, workflow
from renda.suggestions.models import Evaluation, Reply, Suggestion
from renda.suggestions.workflow import Action
from renda.units.models import Unit


def _no_snapshot(s: Suggestion) -> dict[str, Any]:
    return {}  # a batch has one audit event: no per-step snapshots


@dataclass
class Draft:
    """A new item in memory and what its steps wrote (see the module docstring)."""

    item: Suggestion
    co_deputies: list[Deputy]
    strict: bool = False
    co_units: list[Unit] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    #: The timeline rows, as values (``core.services.transition_values``): tens of thousands a
    #: sheet, written without building a model instance each (``core.bulk.write_values``).
    transitions: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def register(cls, *, actor: Actor, on: dt.date, comment: str = "", strict: bool = False,
                 **values: Any) -> Draft:
        """登记 (``services.registration``), with its timeline row."""
        s, co = services.registration(actor=actor, on=on, **values)
        draft = cls(item=s, co_deputies=co, strict=strict)
        if strict:
            full_clean(s, unique=False)
        draft.record(s, action=Action.REGISTER, actor=actor, on=on, from_state="", comment=comment)
        return draft

    # -- what ``services._commit`` does, kept instead of written ---------------------------------

    def commit(self, s: Suggestion, *, action: Action, actor: Actor, on: dt.date, from_state: str,
               before: dict[str, Any], comment: str = "") -> Suggestion:
        services.bump_version(s, from_state)
        if self.strict:
            full_clean(s, unique=False)
        self.record(s, action=action, actor=actor, on=on, from_state=from_state, comment=comment)
        return s

    def record(self, s: Suggestion, *, action: Action, actor: Actor, on: dt.date, from_state: str,
               comment: str) -> None:
        """The timeline row ``services._history`` would write."""
        row = transition_values(action=action, from_state=from_state, to_state=s.state, actor=actor, on=on,
                                comment=comment)
        row["suggestion"] = s
        self.transitions.append(row)

    def validate(self) -> None:
        """The item's final state, as ``full_clean`` checks it (its 编号 is checked per batch)."""
        full_clean(self.item, unique=False)

    # -- the steps, named and shaped as the services (``ledger_sheets`` drives either) -----------

    @property
    def last_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    @property
    def last_evaluation(self) -> Evaluation | None:
        return self.evaluations[-1] if self.evaluations else None

    def assign(self, *, actor: Actor, lead_unit: Unit, co_units: list[Unit], deadline: dt.date | None,
               on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        self.co_units = services.assign_step(s, lead_unit=lead_unit, co_units=co_units, deadline=deadline, on=on)
        return self.commit(s, action=Action.ASSIGN, actor=actor, on=on, from_state=from_state, before={})

    def set_key_supervision(self, *, actor: Actor, enabled: bool, supervisor: Deputy | None,
                            on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        text = services.key_supervision_step(s, actor=actor, enabled=enabled, supervisor=supervisor, on=on)
        return self.commit(s, action=Action.SUPERVISE, actor=actor, on=on, from_state=from_state, before={},
                           comment=text)

    def accept(self, *, actor: Actor, on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        services.accept_step(s, on=on)
        return self.commit(s, action=Action.ACCEPT, actor=actor, on=on, from_state=from_state, before={})

    def reply(self, *, actor: Actor, reply_class: str, text: str, on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        reply = services.reply_step(s, actor=actor, last=self.last_reply, reply_class=reply_class, text=text, on=on)
        self.replies.append(reply)
        return self.commit(s, action=Action.REPLY, actor=actor, on=on, from_state=from_state, before={},
                           comment=f"{reply.reply_class}：{reply.text}")

    def evaluate(self, *, actor: Actor, result: str, on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        evaluation = services.evaluate_step(s, actor=actor, last_reply=self.last_reply, result=result, comment="",
                                            on=on)
        self.evaluations.append(evaluation)
        self.commit(s, action=Action.EVALUATE, actor=actor, on=on, from_state=from_state, before={},
                    comment=services.evaluation_comment(evaluation))
        if workflow.needs_rehandle(result):
            services.rehandle_steps(s, actor=actor, on=on, comment="", commit=self.commit, snap=_no_snapshot)
        return s

    def close(self, *, actor: Actor, on: dt.date) -> Suggestion:
        s, from_state = self.item, self.item.state
        services.close_step(s, last_reply=self.last_reply, last_evaluation=self.last_evaluation, on=on)
        return self.commit(s, action=Action.CLOSE, actor=actor, on=on, from_state=from_state, before={})

    def close_dissatisfied(self, *, actor: Actor, reason: str, on: dt.date, from_ledger: bool) -> Suggestion:
        s, from_state = self.item, self.item.state
        last, evaluation = self.last_reply, self.last_evaluation
        known = workflow.Facts(
            kind=s.kind, named=not s.anonymous and bool(s.submitter_name), replied=last is not None,
            last_class=last.reply_class if last else None, last_result=evaluation.result if evaluation else None,
            rehandle_count=s.rehandle_count, pending_extension=False)
        reason = services.close_dissatisfied_step(s, known=known, last_reply=last, last_evaluation=evaluation,
                                                  reason=reason, on=on, from_ledger=from_ledger)
        return self.commit(s, action=Action.CLOSE_DISSATISFIED, actor=actor, on=on, from_state=from_state,
                           before={}, comment=reason)
