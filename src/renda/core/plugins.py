"""How an app plugs into the platform: by modules of its own, found at start-up.

Adding an app edits no central file (but ``INSTALLED_APPS``). An app's ``AppConfig`` subclasses
:class:`RendaAppConfig`; the platform then looks in the app's package for these modules and uses
what each declares (every one is optional):

============================  ==============================================================
``urls.py``                   ``urlpatterns``, mounted at the site root (the app chooses its
                              prefixes, e.g. ``path("suggestions/", include(...))``)
``api.py``                    ``routers``: ``[(prefix, ninja.Router), ...]``, mounted under /api/
``home.py``                   home-page cards and work queues (:mod:`renda.core.home`) and the
                              app's entries in the top menu (:mod:`renda.core.navigation`)
``stats.py``                  its ``renda stats`` sections (:mod:`renda.core.stats`)
``demo.py``                   its demo steps (:mod:`renda.core.demo`)
``ledger_sheets.py``          its ledger sheets (:mod:`renda.core.ledger.registry`)
``AppConfig.verbs``           its audit verbs and their labels (:mod:`renda.audit.verbs`)
============================  ==============================================================
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from functools import cache
from types import ModuleType
from typing import Any, ClassVar

from django.apps import AppConfig, apps

from renda.audit import verbs as audit_verbs


class RendaAppConfig(AppConfig):
    """The AppConfig of every renda app (and of any app that plugs into renda).

    Subclass it through the module (``class MyConfig(plugins.RendaAppConfig)`` after
    ``from renda.core import plugins``), so that Django finds one config in ``apps.py``.
    """

    #: The audit verbs this app's services record, with their labels (registered in ``ready``).
    verbs: ClassVar[Mapping[str, Any]] = {}

    def ready(self) -> None:
        for verb, label in self.verbs.items():
            audit_verbs.register(verb, label)


def renda_apps() -> list[RendaAppConfig]:
    """The installed apps that plug into renda, in ``INSTALLED_APPS`` order."""
    return [a for a in apps.get_app_configs() if isinstance(a, RendaAppConfig)]


@cache
def app_modules(module: str) -> tuple[ModuleType, ...]:
    """Each renda app's ``<app>.<module>`` that exists, imported, in ``INSTALLED_APPS`` order.
    Looked up once per process (the menu and the home cards ask on every page)."""
    found = []
    for app in renda_apps():
        name = f"{app.name}.{module}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return tuple(found)
