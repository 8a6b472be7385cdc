"""Sample URL arguments: for each URL argument, the object of the tester's own town and the
same kind of object in the other town (which a town-scoped role must get a 404 for)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.reliability.samples import Sample

Pick = Callable[[Sample, bool], Any]  # (sample, other town?) -> value


def _w(own: str, other: str) -> Pick:
    return lambda s, o: getattr(s.world, other if o else own).pk


def _s(own: str, other: str) -> Pick:
    return lambda s, o: getattr(s, other if o else own).pk


#: namespace -> the object behind ``pk`` on that namespace's pages
PK_BY_NAMESPACE: dict[str, Pick] = {
    "towns": _w("town", "other_town"),
    "villages": _w("village", "other_village"),
    "grids": _w("grid", "other_grid"),
    "grid_workers": _w("grid_worker", "other_grid_worker"),
    "units": _w("unit", "other_unit"),
    "deputies": _w("plain_deputy", "other_deputy"),
    "contacts": _w("contact", "other_contact"),
    "users": _w("extra_user", "other_staff"),
    "suggestion_categories": lambda s, o: _category(s, o),
    "suggestions": _s("suggestion", "other_suggestion"),
    "notifications": lambda s, o: 0,  # POST-only
    "deliveries": _s("delivery", "other_delivery"),
    "petitions": _s("petition", "other_petition"),
    "shifts": _s("shift", "other_shift"),  # the shift pages; the assignment pages are below
    "risks": _s("risk", "other_risk"),
    "grid_work": _w("grid", "other_grid"),
    # projects (民生实事)
    "projects": lambda s, o: _p(s, o, "project"),
    "project_candidates": lambda s, o: _p(s, o, "candidate"),
    "project_lists": lambda s, o: _p(s, o, "list"),
    # congress: ``pk`` of the session pages is a session, of the round pages a round
    "congress": _s("congress_session", "other_congress_session"),
    "congress_rounds": _s("congress_round", "other_congress_round"),
    # duties
    "duty_activities": _s("duty_activity", "other_duty_activity"),
    "duty_reports": _s("duty_report", "other_duty_report"),
    "duty_awards": _s("duty_award", "other_duty_award"),
}

#: (URL name or "*", argument) -> value; "*" applies to every URL with that argument
BY_ARGUMENT: dict[tuple[str, str], Pick] = {
    ("*", "region_id"): _w("town", "other_town"),
    ("*", "worker_id"): _w("grid_worker", "other_grid_worker"),
    ("*", "unit_id"): _w("unit", "other_unit"),
    ("*", "deputy_id"): _w("plain_deputy", "other_deputy"),
    ("*", "assignment_id"): _w("contact", "other_contact"),
    ("*", "suggestion_id"): _s("suggestion", "other_suggestion"),
    ("*", "attachment_id"): _s("attachment", "other_attachment"),
    ("*", "att_id"): _s("attachment", "other_attachment"),
    ("*", "extension_id"): lambda s, o: 1,
    ("*", "token_id"): lambda s, o: 1,
    ("suggestions:act", "action"): lambda s, o: "assign",
    ("*", "job_id"): lambda s, o: s.other_export_job if o else s.export_job,
    # petitions
    ("*", "suggestion_pk"): _s("suggestion", "other_suggestion"),
    ("*", "petition_id"): _s("petition", "other_petition"),
    ("petitions:attachment", "att_id"): _s("petition_attachment", "other_petition_attachment"),
    ("petitions:act", "action"): lambda s, o: "accept",
    ("petitions:notice", "kind"): lambda s, o: "accept",  # the sample petitions are accepted
    ("api:notice", "kind"): lambda s, o: "accept",
    ("suggestions:document", "kind"): lambda s, o: "assignment_sheet",
    ("suggestions:documents", "kind"): lambda s, o: "assignment_sheet",
    ("api:download_document", "kind"): lambda s, o: "assignment_sheet",
    # duty shifts: ``pk`` of the assignment pages is an assignment
    **{(f"shifts:{n}", "pk"): _s("assignment", "other_assignment")
       for n in ("remove", "attendance", "swap", "exchange")},
    ("*", "shift_id"): _s("shift", "other_shift"),
    ("api:remove_assignment", "assignment_id"): _s("assignment", "other_assignment"),
    ("api:swap_assignment", "assignment_id"): _s("assignment", "other_assignment"),
    ("api:exchange_assignment", "assignment_id"): _s("assignment", "other_assignment"),
    ("api:record_attendance", "assignment_id"): _s("assignment", "other_assignment"),
    # risks
    ("risks:act", "action"): lambda s, o: "start",
    ("*", "risk_id"): _s("risk", "other_risk"),
    ("*", "participant_id"): _s("participant", "other_participant"),
    # congress: the vote page and the round API take the open phone round; the sheet the closed round
    ("congress:vote", "pk"): _s("congress_round", "other_congress_round"),
    ("congress_rounds:sheet", "pk"): _s("congress_closed_round", "other_congress_closed_round"),
    ("congress:agenda_remove", "item_id"): _s("congress_agenda_item", "other_congress_agenda_item"),
    ("api:get_congress_session", "session_id"): _s("congress_session", "other_congress_session"),
    ("api:get_congress_round", "round_id"): _s("congress_round", "other_congress_round"),
    ("api:cast_congress_ballot", "round_id"): _s("congress_round", "other_congress_round"),
    # duties
    ("duty_activities:act", "action"): lambda s, o: "hold",
    ("duty_reports:act", "action"): lambda s, o: "submit",
    ("duty_activities:attachment", "att_id"): _s("duty_attachment", "other_duty_attachment"),
    ("duties:signin", "token"): lambda s, o: _signin_token(s.other_duty_activity if o else s.duty_activity),
    ("*", "activity_id"): _s("duty_activity", "other_duty_activity"),
    ("*", "report_id"): _s("duty_report", "other_duty_report"),
    ("calendar_days:delete", "day"): lambda s, o: "2030-01-01",
    ("api:docs_asset", "name"): lambda s, o: "swagger-ui.css",
    ("api:unknown", "rest"): lambda s, o: "no-such-endpoint",
    # projects (民生实事)
    ("*", "project_id"): lambda s, o: _p(s, o, "project"),
    ("*", "candidate_id"): lambda s, o: _p(s, o, "candidate"),
    ("*", "photo_id"): lambda s, o: _p(s, o, "photo"),
    ("*", "inspection_id"): lambda s, o: _p(s, o, "inspection"),
    ("*", "kind_id"): lambda s, o: _p(s, o, "kind"),
    ("projects:act", "action"): lambda s, o: "note",
    ("projects:board_year", "year"): lambda s, o: 2023,
    # the portal: a public item's tracking code (any town's item is public by its code)
    ("portal:status", "code"): lambda s, o: (s.other_suggestion if o else s.suggestion).tracking_code,
    ("portal:status_qr", "code"): lambda s, o: (s.other_suggestion if o else s.suggestion).tracking_code,
}

# -- liaison (联系群众): its samples are found or created on first use (tests/reliability/liaison_samples.py)
from tests.reliability import liaison_samples as _ls  # noqa: E402 - kept with the liaison block

PK_BY_NAMESPACE.update({
    "liaison_settings": _ls.settings, "deputy_groups": _ls.group, "group_meetings": _ls.meeting,
    "liaison_voters": _ls.voter, "voter_contacts": _ls.voter_contact, "presidium_contacts": _ls.presidium_contact,
    "stations": _ls.station, "reception_days": _ls.reception_day, "receptions": _ls.reception,
})
BY_ARGUMENT.update({
    ("receptions:act", "action"): lambda s, o: "propose",
    ("liaison:voter_reveal", "pk"): _ls.voter,
    ("liaison:to_suggestion", "pk"): _ls.voter_contact,
    ("liaison:station_qr_page", "pk"): _ls.station,
    ("liaison:station_landing", "pk"): _ls.station,
    ("liaison:station_qr", "pk"): _ls.station,
    ("liaison:deputy_qr_page", "pk"): _ls.deputy,
    ("liaison:deputy_landing", "pk"): _ls.deputy,
    ("liaison:deputy_qr", "pk"): _ls.deputy,
    ("api:get_voter_contact", "contact_id"): _ls.voter_contact,
    ("*", "reception_id"): _ls.reception,
})


# -- open311 (GeoReport v2): the format, a category's service_code, a public item's 编号
BY_ARGUMENT.update({
    **{(f"open311:{n}", "fmt"): (lambda s, o: "json") for n in ("discovery", "services", "service", "requests",
                                                                 "request")},
    ("open311:service", "service_code"): lambda s, o: str(_category(s, o)),
    ("open311:request", "request_id"): lambda s, o: (s.other_suggestion if o else s.suggestion).code,
    ("open311:unknown", "rest"): lambda s, o: "no-such-resource.json",
})

# -- motions (议案): an adopted motion in each town (tests/reliability/motions_samples.py)
from tests.reliability import motions_samples as _ms  # noqa: E402 - kept with the motions block

PK_BY_NAMESPACE["motions"] = _ms.motion
BY_ARGUMENT.update({
    ("motions:act", "action"): lambda s, o: "progress",
    ("*", "motion_id"): _ms.motion,
})


def _p(s: Sample, other: bool, key: str) -> int:
    """A projects sample object's id (``Sample.projects``)."""
    return int(s.projects[f"other_{key}" if other else key].pk)
def _signin_token(activity: Any) -> str:
    from renda.duties.services import signin_token

    return signin_token(activity)


def _category(s: Sample, other: bool) -> int:
    from renda.suggestions.models import SuggestionCategory

    town = s.world.other_town if other else s.world.town
    cat = SuggestionCategory.objects.filter(town=town).order_by("pk").first()
    if cat is None:
        from renda.suggestions.services import suggestion_category_create

        cat = suggestion_category_create(actor=None, town=town, name="交通出行" + ("（外镇）" if other else ""))
    return cat.pk


def sample_kwargs(name: str, args: tuple[str, ...], sample: Sample, *, other: bool = False) -> dict[str, Any] | None:
    """The URL arguments for ``name``; None when an argument has no sample (a new URL to add)."""
    out: dict[str, Any] = {}
    namespace = name.split(":", 1)[0] if ":" in name else ""
    for arg in args:
        pick = BY_ARGUMENT.get((name, arg)) or BY_ARGUMENT.get(("*", arg))
        if pick is None and arg == "pk":
            pick = PK_BY_NAMESPACE.get(namespace)
        if pick is None:
            return None
        out[arg] = pick(sample, other)
    return out


# -- presidium (主席团工作): samples found or created on first use (tests/reliability/presidium_samples.py)
from tests.reliability import presidium_samples as _ps  # noqa: E402 - kept with the presidium block

PK_BY_NAMESPACE.update({
    "presidium_plans": _ps.plan, "plan_tasks": _ps.task, "duty_divisions": _ps.division, "info_items": _ps.info,
})
BY_ARGUMENT.update({
    ("plan_tasks:unlink", "link_id"): _ps.link,
    ("api:get_presidium_plan", "plan_id"): _ps.plan,
    ("api:get_presidium_task", "task_id"): _ps.task,
    ("api:review_presidium_task", "task_id"): _ps.task,
    ("api:get_presidium_information", "item_id"): _ps.info,
})
