"""The projects' side of the congress rounds: the handlers ``congress.round_close`` calls
(registered at start-up by ``ProjectsConfig.ready``)."""

from __future__ import annotations

from renda.congress.hooks import on_round_closed
from renda.projects import services

on_round_closed("project_candidate")(services.on_candidate_round_closed)
on_round_closed("project")(services.on_project_round_closed)
