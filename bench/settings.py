"""Bench-only settings: the product's, with ``bench.urls`` as the URL root (adds the baseline
view). Never used by the product; ``make bench`` starts gunicorn with
``DJANGO_SETTINGS_MODULE=bench.settings``."""

from renda.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
