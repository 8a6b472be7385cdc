"""The site's URLs (``renda.urls``): the API's are tried first, and no page takes an API path."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, resolve


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    out = []
    for p in patterns:
        route = prefix + str(p.pattern)
        out += _routes(p.url_patterns, route) if isinstance(p, URLResolver) else [route]
    return out


def test_the_api_is_tried_first_and_no_page_takes_its_paths() -> None:
    """Django tries the patterns in order: the API's (an integration's requests, registering items
    in bulk) come first rather than after ~70 page patterns; and since the pages come after it,
    none of them may start with ``api/`` (it would never be reached, or would shadow the API)."""
    patterns = get_resolver().url_patterns
    assert str(patterns[0].pattern) == "api/"
    assert not [r for r in _routes(patterns[1:]) if r.startswith("api/") or r.startswith("^api/")]
    assert resolve("/api/suggestions").route.startswith("api/")
    assert resolve("/suggestions/").route == "suggestions/"
