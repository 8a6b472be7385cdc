"""Every named URL of the project, from the URL configuration itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern text, for messages
    kwargs: tuple[str, ...]  # the converters' argument names
    api: bool


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, ns: str) -> list[Route]:
    out: list[Route] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            child = ":".join(x for x in (ns, p.namespace or "") if x)
            out += _walk(list(p.url_patterns), route, child)
        elif p.name:
            name = f"{ns}:{p.name}" if ns else p.name
            converters = getattr(p.pattern, "converters", {})
            out.append(Route(name=name, route=route, kwargs=tuple(converters), api=route.startswith("api/")))
    return out


def routes() -> list[Route]:
    """One Route per URL name (ninja gives one path several names, one per operation)."""
    seen: dict[str, Route] = {}
    for r in _walk(list(get_resolver().url_patterns), "", ""):
        seen.setdefault(r.name, r)
    return list(seen.values())
