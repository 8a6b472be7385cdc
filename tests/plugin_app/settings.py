"""renda's settings with one more app: the plug-in probe (tests/test_plugins.py)."""

from renda.settings import *  # noqa: F403
from renda.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]
