"""Every page names an icon, and /favicon.ico (which browsers ask for on their own) is not a 404."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("renda/favicon.ico")
    path = finders.find("renda/favicon.ico")
    assert path, "renda/favicon.ico is not among the static files"
    with open(path, "rb") as fh:
        assert fh.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_every_page_links_the_icon() -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    for name in ("renda/favicon.ico", "renda/favicon.svg", "renda/apple-touch-icon.png"):
        assert static(name) in html, name
        assert finders.find(name), name
