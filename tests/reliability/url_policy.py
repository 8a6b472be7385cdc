"""What every URL answers to a GET from each role: the table the generated policy test checks.

Every named URL in the URL configuration needs an entry here, or ``test_url_policy`` fails
naming it. Statuses are one character per role, in the order of ``ROLES``:

    presidium staff deputy unit grid_worker district_viewer admin [anonymous]

    2 = 200   3 = 302 (not to the login page)   L = 302 to the login page
    U = 401   F = 403   N = 404   M = 405

When the anonymous character is left off it is ``L`` for pages and ``U`` for the API (an
explicit one is given for public URLs). ``own`` is a GET with the tester's town's object
(``kwargs.py``), ``other`` the same URL with another town's object, which any town-scoped
role must get a 404 for. ``form=True`` marks pages that POST a form (the CSRF test posts to
them).
"""

from __future__ import annotations

from dataclasses import dataclass

CODES = {"2": 200, "3": 302, "L": 302, "U": 401, "F": 403, "N": 404, "M": 405}


@dataclass(frozen=True)
class Expect:
    own: str
    other: str | None = None  # None: the URL takes no town object
    form: bool = False
    public: bool = False


def E(own: str, other: str | None = None, *, form: bool = False, public: bool = False) -> Expect:
    return Expect(own=own, other=other, form=form, public=public)


# -- the generic staff pages (renda.core.crud.Resource): one rule row per resource ----------------
#                 list       create     detail      change(edit/(de)activate)   detail other  change other
CRUD: dict[str, tuple[str, str, str, str, str, str]] = {
    "users": ("F2FFFF2", "F2FFFF2", "N2NNNN2", "N2NNNN2", "NNNNNN2", "NNNNNN2"),
    "towns": ("22FFF22", "FFFFFF2", "22NNN22", "FFNNNF2", "NNNNN22", "NNNNNF2"),
    "villages": ("22FFF22", "F2FFFF2", "22NNN22", "F2NNNF2", "NNNNN22", "NNNNNF2"),
    "grids": ("22FFF22", "F2FFFF2", "22NN222", "F2NNFF2", "NNNNN22", "NNNNNF2"),
    "grid_workers": ("22FFF22", "F2FFFF2", "22NN222", "F2NNFF2", "NNNNN22", "NNNNNF2"),
    "units": ("22FFF22", "F2FFFF2", "22N2N22", "F2NFNF2", "NNNNN22", "NNNNNF2"),
    "deputies": ("22FFF22", "F2FFFF2", "22NNN22", "F2NNNF2", "NNNNN22", "NNNNNF2"),
    "contacts": ("22FFF22", "F2FFFF2", "22NNN22", "F2NNNF2", "NNNNN22", "NNNNNF2"),
    "suggestion_categories": ("22FFF22", "F2FFFF2", "2222222", "F2FFFF2", "NNNNN22", "NNNNNF2"),
}

NO_EDIT = {"contacts"}


def _crud() -> dict[str, Expect]:
    out: dict[str, Expect] = {}
    for ns, (lst, create, detail, change, detail_o, change_o) in CRUD.items():
        out[f"{ns}:list"] = E(lst)
        out[f"{ns}:create"] = E(create, form=True)
        out[f"{ns}:detail"] = E(detail, detail_o)
        for verb in ("deactivate", "activate") if ns in NO_EDIT else ("edit", "deactivate", "activate"):
            out[f"{ns}:{verb}"] = E(change, change_o, form=True)
    return out


PAGES: dict[str, Expect] = {
    # accounts: login is public; a logged-in user is sent on to their home
    "accounts:login": E("33333332", public=True, form=True),
    "accounts:logout": E("MMMMMMMM", public=True),  # POST only
    "accounts:password_change": E("2222222", form=True),
    "accounts:home": E("3333333"),
    "accounts:home_office": E("F2FFFFF"),
    "accounts:home_presidium": E("2FFFFFF"),
    "accounts:home_deputy": E("FF2FFFF"),
    "accounts:home_unit": E("FFF2FFF"),
    "accounts:home_grid": E("FFFF2FF"),
    "accounts:home_district": E("FFFFF2F"),
    "accounts:home_admin": E("FFFFFF2"),
    # ledger
    "ledger:index": E("22FFF22", form=True),
    "ledger:upload": E("MMMMMMM"),  # POST only (the index page holds the form)
    "ledger:confirm": E("MMMMMMM"),
    "ledger:template": E("22FFF22"),
    "ledger:export": E("22FFF22"),
    # calendar
    "calendar_days:index": E("2222222", form=True),
    "calendar_days:set": E("MMMMMMM"),
    "calendar_days:delete": E("FFFFFF2", "FFFFFF2", form=True),  # not town-scoped
    # reports
    "reports:dashboard": E("22FFF22"),
    # suggestions
    "suggestions:list": E("2222222"),
    "suggestions:create": E("222F2F2", form=True),
    "suggestions:similar": E("222F2F2"),
    "suggestions:queue": E("F2FFFFF"),
    "suggestions:inbox": E("FFF2FFF"),
    "suggestions:mine": E("2F2FFFF"),
    "suggestions:detail": E("22NN222", "NNNNN22", form=True),
    "suggestions:act": E("MMMMMMM", "MMMMMMM"),  # POST only; the detail page holds the forms
    "suggestions:attachment": E("22NN222", "NNNNN22"),
    # notifications
    "notifications:index": E("2222222", form=True),
    "notifications:read": E("MMMMMMM", "MMMMMMM"),
    "notifications:read_all": E("MMMMMMM"),
    # Django's language switch: GET only redirects back, POST sets the cookie
    "set_language": E("33333333", public=True),
}

_API_REFS = "22FFF22"  # organization lists (regions, grid workers, units, deputies, contacts)
_WRITE = ("MMMMMMMM", "MMMMMMMM")  # POST-only operations: GET is a 405 before authentication

API: dict[str, Expect] = {
    "api:openapi-json": E("22222222", public=True),
    "api:openapi-view": E("22222222", public=True),
    "api:docs_asset": E("22222222", "22222222", public=True),
    "api:unknown": E("NNNNNNNN", "NNNNNNNN", public=True),
    "api:api-root": E("NNNNNNNN", public=True),
    "api:me": E("2222222"),
    "api:list_tokens": E("2222222"),
    "api:create_token": E("2222222"),  # shares its path with list_tokens
    "api:revoke_token": E(*_WRITE),
    "api:list_regions": E(_API_REFS),
    "api:create_region": E(_API_REFS),
    "api:get_region": E("22NNN22", "NNNNN22"),
    "api:update_region": E("22NNN22", "NNNNN22"),  # PATCH; GET reaches get_region
    "api:list_grid_workers": E(_API_REFS),
    "api:create_grid_worker": E(_API_REFS),
    "api:get_grid_worker": E("22NN222", "NNNNN22"),
    "api:update_grid_worker": E("22NN222", "NNNNN22"),
    "api:list_units": E(_API_REFS),
    "api:create_unit": E(_API_REFS),
    "api:get_unit": E("22N2N22", "NNNNN22"),
    "api:update_unit": E("22N2N22", "NNNNN22"),
    "api:list_deputies": E(_API_REFS),
    "api:create_deputy": E(_API_REFS),
    "api:get_deputy": E("22NNN22", "NNNNN22"),
    "api:update_deputy": E("22NNN22", "NNNNN22"),
    "api:list_contact_assignments": E(_API_REFS),
    "api:create_contact_assignment": E(_API_REFS),
    "api:get_contact_assignment": E("22NNN22", "NNNNN22"),
    "api:list_categories": E("2222222"),
    "api:create_category": E("2222222"),
    "api:list_suggestions": E("2222222"),
    "api:register_suggestion": E("2222222"),
    "api:get_suggestion": E("22NN222", "NNNNN22"),
    "api:download_attachment": E("22NN222", "NNNNN22"),
    **{f"api:{verb}_{what}": E(*_WRITE) for what in ("region", "grid_worker", "unit", "deputy",
                                                     "contact_assignment") for verb in ("deactivate", "activate")},
    **{f"api:{op}": E(*_WRITE) for op in (
        "assign_suggestion", "accept_suggestion", "return_suggestion", "co_opinion_suggestion", "reply_suggestion",
        "evaluate_suggestion", "close_suggestion", "request_extension", "decide_extension", "decline_suggestion",
        "withdraw_suggestion", "merge_suggestion", "remind_suggestion", "key_supervision", "upload_attachments")},
}

POLICY: dict[str, Expect] = {**_crud(), **PAGES, **API}

#: TODO — URLs of the apps being built while this table was written (petitions, duty shifts,
#: risks, grid work, suggestion exports): name → route. ``test_no_url_is_left_to_do`` fails
#: while any is left here. Move each into POLICY with its statuses per role (and give its URL
#: arguments samples in kwargs.py / samples.py) as the app settles.
TODO: dict[str, str] = {
    "suggestions:export_status": "suggestions/exports/<uuid:job_id>/",
    "suggestions:export_download": "suggestions/exports/<uuid:job_id>/download/",
    "petitions:list": "petitions/",
    "petitions:create": "petitions/new/",
    "petitions:queue": "petitions/queue/",
    "petitions:instructions": "petitions/instructions/",
    "petitions:lookup": "petitions/lookup/",
    "petitions:from_suggestion": "petitions/from-suggestion/<int:suggestion_pk>/",
    "petitions:detail": "petitions/<int:pk>/",
    "petitions:act": "petitions/<int:pk>/do/<slug:action>/",
    "petitions:reveal": "petitions/<int:pk>/reveal/",
    "petitions:notice": "petitions/<int:pk>/notices/<slug:kind>/",
    "petitions:attachment": "petitions/<int:pk>/attachments/<int:att_id>/",
    "shifts:roster": "shifts/",
    "shifts:generate": "shifts/generate/",
    "shifts:create": "shifts/new/",
    "shifts:day": "shifts/day/",
    "shifts:summary": "shifts/summary/",
    "shifts:export": "shifts/export/",
    "shifts:detail": "shifts/<int:pk>/",
    "shifts:edit": "shifts/<int:pk>/edit/",
    "shifts:delete": "shifts/<int:pk>/delete/",
    "shifts:add": "shifts/<int:pk>/add/",
    "shifts:remove": "shifts/assignments/<int:pk>/remove/",
    "shifts:attendance": "shifts/assignments/<int:pk>/attendance/",
    "shifts:swap": "shifts/assignments/<int:pk>/swap/",
    "shifts:exchange": "shifts/assignments/<int:pk>/exchange/",
    "risks:list": "risks/",
    "risks:create": "risks/new/",
    "risks:detail": "risks/<int:pk>/",
    "risks:act": "risks/<int:pk>/do/<slug:action>/",
    "risks:reveal": "risks/<int:pk>/reveal/",
    "risks:part": "risks/<int:pk>/participants/<int:participant_id>/part/",
    "risks:unassign": "risks/<int:pk>/participants/<int:participant_id>/remove/",
    "grid_work:list": "grid-work/",
    "grid_work:detail": "grid-work/<int:pk>/",
    "api:list_petitions": "api/petitions",
    "api:register_petition": "api/petitions",
    "api:get_petition": "api/petitions/<int:petition_id>",
    "api:reveal": "api/petitions/<int:petition_id>/reveal",
    "api:notice": "api/petitions/<int:petition_id>/notices/<kind>",
    "api:accept": "api/petitions/<int:petition_id>/accept",
    "api:decline": "api/petitions/<int:petition_id>/decline",
    "api:extend": "api/petitions/<int:petition_id>/extend",
    "api:issue_opinion": "api/petitions/<int:petition_id>/issue_opinion",
    "api:request_review": "api/petitions/<int:petition_id>/request_review",
    "api:answer_review": "api/petitions/<int:petition_id>/answer_review",
    "api:request_rereview": "api/petitions/<int:petition_id>/request_rereview",
    "api:answer_rereview": "api/petitions/<int:petition_id>/answer_rereview",
    "api:route": "api/petitions/<int:petition_id>/route",
    "api:instruct": "api/petitions/<int:petition_id>/instruct",
    "api:to_suggestion": "api/petitions/<int:petition_id>/to_suggestion",
    "api:list_shifts": "api/duty-shifts",
    "api:create_shift": "api/duty-shifts",
    "api:person_times": "api/duty-shifts/person-times",
    "api:get_shift": "api/duty-shifts/<int:shift_id>",
    "api:add_assignment": "api/duty-shifts/<int:shift_id>/assignments",
    "api:remove_assignment": "api/duty-shifts/assignments/<int:assignment_id>",
    "api:swap_assignment": "api/duty-shifts/assignments/<int:assignment_id>/swap",
    "api:exchange_assignment": "api/duty-shifts/assignments/<int:assignment_id>/exchange",
    "api:record_attendance": "api/duty-shifts/assignments/<int:assignment_id>/attendance",
    "api:list_risks": "api/risks",
    "api:register_risk": "api/risks",
    "api:get_risk": "api/risks/<int:risk_id>",
    "api:act_on_risk": "api/risks/<int:risk_id>/actions",
    "api:list_steps": "api/risks/<int:risk_id>/steps",
    "api:log_step": "api/risks/<int:risk_id>/steps",
    "api:list_participants": "api/risks/<int:risk_id>/participants",
    "api:add_participant": "api/risks/<int:risk_id>/participants",
    "api:set_part": "api/risks/<int:risk_id>/participants/<int:participant_id>",
    "api:remove_participant": "api/risks/<int:risk_id>/participants/<int:participant_id>",
    "api:reveal_people": "api/risks/<int:risk_id>/reveal",
}
