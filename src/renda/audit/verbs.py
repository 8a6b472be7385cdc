"""Audit verbs in words (Chinese by default), for history timelines."""

from __future__ import annotations

from django.utils.functional import Promise

#: Every verb and its label; each app declares its own on its AppConfig (``RendaAppConfig.verbs``).
VERBS: dict[str, Promise] = {}


def register(verb: str, label: Promise) -> None:
    """Add a verb and its label (``RendaAppConfig.ready`` does, for the verbs an app declares)."""
    VERBS[verb] = label


def describe(verb: str) -> str:
    label = VERBS.get(verb)
    return str(label) if label is not None else verb
