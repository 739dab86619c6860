"""The routing apps, declared once for viewpick and Pyramid, which share the configuration API.

Each function takes the framework's ``Configurator`` class; the contender modules bind it
with ``functools.partial``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import ARTICLES, route_body, route_name, variant_body

Make = Callable[[], Any]


def find_article(request: Any, not_found: type[Exception]) -> dict[str, Any]:
    article = ARTICLES.get(request.matchdict["id"])
    if article is None:
        raise not_found()
    return article


def show_route(request: Any) -> str:
    """The view of every route in the routes app."""
    return route_body(int(request.matched_route.name[1:]), request.matchdict["id"])


def add_routes(config: Any, n: int, view: Any = show_route) -> None:
    """Routes ``r0`` ... ``r{n-1}``, each with ``view`` (if any)."""
    for i in range(n):
        config.add_route(route_name(i), f"/{route_name(i)}/{{id}}")
        if view is not None:
            config.add_view(view, route_name=route_name(i), renderer="string")


def routes_app(configurator: Make, n: int) -> Any:
    config = configurator()
    add_routes(config, n)
    return config.make_wsgi_app()


def views_app(configurator: Make, k: int) -> Any:
    """Route ``things`` with ``k`` views told apart by ``request_param='variant=N'``, declared in order."""
    config = configurator()
    config.add_route("things", "/things")
    for variant in range(k):
        config.add_view(
            lambda request, v=variant: variant_body(v),
            route_name="things",
            request_param=f"variant={variant}",
            renderer="string",
        )
    return config.make_wsgi_app()


def decorated_views_source(import_line: str, n: int) -> str:
    """A module of ``n`` functions decorated with ``@view_config``, one per route ``r{i}``."""
    lines = [import_line, ""]
    for i in range(n):
        name = route_name(i)
        lines += ["", f'@view_config(route_name="{name}", renderer="string")', f"def {name}(request):"]
        lines += [f'    return "{name} " + request.matchdict["id"]', ""]
    return "\n".join(lines)


def startup_app(configurator: Make, module: str, n: int) -> Any:
    """The routes of the startup app, and its views found by scanning ``module``."""
    config = configurator()
    add_routes(config, n, view=None)
    config.scan(module)
    return config.make_wsgi_app()
