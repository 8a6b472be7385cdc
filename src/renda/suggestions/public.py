"""What the public may know of an item: its progress in public wording (公开用语).

One implementation for every public face of a suggestion — the portal's status page and the
Open311 GeoReport answers: a state's public label and whether the item is still open, the steps of
its history told without names, comments or internal notes, the replies (their class, date, unit
and text, never the person who wrote it) and whether the public may evaluate now. Nothing here
reads the submitter's name or phone, the staff, co-units' internal opinions, reminders,
supervision notes or extensions' reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renda.suggestions.models import Reply, Suggestion
from renda.suggestions.workflow import Action, State

#: A state as the public reads it.
PUBLIC_STATE_LABELS: dict[State, Promise] = {
    State.REGISTERED: _("已受理，正在分办"),
    State.ASSIGNED: _("已交承办单位办理"),
    State.ACCEPTED: _("承办单位正在办理"),
    State.REPLIED: _("已答复，待评价"),
    State.EVALUATED: _("已评价"),
    State.CLOSED: _("已办结"),
    State.DECLINED: _("不予受理"),
    State.WITHDRAWN: _("已撤回"),
    State.MERGED: _("已与同类事项合并办理"),
}

#: The states in which the item is no longer being handled (Open311 ``closed``).
CLOSED_STATES: frozenset[State] = frozenset(
    {State.EVALUATED, State.CLOSED, State.DECLINED, State.WITHDRAWN, State.MERGED}
)

#: The steps of the history the public is told of, in public wording; any other step (reminders,
#: supervision, co-units' opinions, extensions, returns) is internal and left out.
PUBLIC_STEPS: dict[Action, Promise] = {
    Action.REGISTER: _("受理登记"),
    Action.ASSIGN: _("交承办单位办理"),
    Action.ACCEPT: _("承办单位签收"),
    Action.REPLY: _("承办单位答复"),
    Action.EVALUATE: _("满意度评价"),
    Action.CLOSE: _("办结"),
    Action.REHANDLE: _("重新办理"),
    Action.CLOSE_DISSATISFIED: _("办结"),
    Action.DECLINE: _("不予受理"),
    Action.WITHDRAW: _("撤回"),
    Action.MERGE: _("与同类事项合并办理"),
}


@dataclass(frozen=True)
class PublicStep:
    on: dt.date
    label: str


@dataclass(frozen=True)
class PublicReply:
    on: dt.date
    reply_class: str
    reply_class_label: str
    unit: str
    text: str


def public_state(s: Suggestion) -> State:
    return State(s.state)


def public_label(s: Suggestion) -> str:
    return str(PUBLIC_STATE_LABELS[public_state(s)])


def is_closed(s: Suggestion) -> bool:
    """Whether the item is no longer being handled (answered and evaluated, closed, or set aside)."""
    return public_state(s) in CLOSED_STATES


def public_steps(s: Suggestion) -> list[PublicStep]:
    """The item's history in public wording, oldest first: date and step only."""
    steps: list[PublicStep] = []
    for t in s.transitions.all():
        label = PUBLIC_STEPS.get(Action(t.action)) if t.action in Action._value2member_map_ else None
        if label is not None:
            steps.append(PublicStep(on=t.on, label=str(label)))
    return steps


def public_replies(s: Suggestion) -> list[PublicReply]:
    """The replies, oldest first: class, date, answering unit and text (never who typed it)."""
    prefetched = "replies" in getattr(s, "_prefetched_objects_cache", {})  # a list's prefetch (Open311)
    replies: list[Reply] = list(s.replies.all() if prefetched else s.replies.select_related("unit").all())
    return [
        PublicReply(on=r.replied_at, reply_class=r.reply_class, reply_class_label=r.get_reply_class_display(),
                    unit=r.unit.name, text=r.text)
        for r in replies
    ]


def public_notes(s: Suggestion) -> str:
    """One line for the public (Open311 ``status_notes``): the state, and the last reply's class."""
    label = public_label(s)
    replies = public_replies(s)
    if replies and public_state(s) in {State.REPLIED, State.EVALUATED, State.CLOSED}:
        return f"{label}（{replies[-1].reply_class_label}）"
    return label


def may_evaluate(s: Suggestion) -> bool:
    """Whether the public may evaluate now: the item is replied and this reply not yet evaluated
    (one evaluation per reply; the service refuses a second)."""
    return public_state(s) == State.REPLIED


def public_description(s: Suggestion) -> str:
    """What the item is about without a word a person typed (Open311 ``description``): its kind,
    its category and where — the village, or the town. Never the title or the content, which may
    hold the submitter's name, phone or address."""
    place = s.village.name if s.village is not None else s.town.name
    category = s.category.name if s.category is not None else str(_("未分类"))
    return str(_("{kind}：{category}，{place}")).format(kind=s.get_kind_display(), category=category, place=place)
