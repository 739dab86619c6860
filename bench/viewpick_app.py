"""viewpick: the distinctions are declared on the views; viewpick picks and renders."""

from __future__ import annotations

from functools import partial
from typing import Any

from webob.exc import HTTPNotFound

from viewpick import Configurator, Request

from . import declarative
from .common import PAGE, PARTIAL_DEF, TEMPLATES


def article(request: Request) -> dict[str, Any]:
    return declarative.find_article(request, HTTPNotFound)


def article_page(request: Request) -> dict[str, Any]:
    return {"article": article(request)}


def article_app() -> Any:
    config = Configurator({"mako.directories": [TEMPLATES]})
    config.add_route("article", "/articles/{id}")
    config.add_view(article, route_name="article", request_method="GET", accept="application/json", renderer="json")
    config.add_view(article_page, route_name="article", request_method="GET", renderer=PAGE)
    config.add_view(
        article_page, route_name="article", request_method="GET", xhr=True, renderer=f"{PAGE}#{PARTIAL_DEF}"
    )
    return config.make_wsgi_app()


routes_app = partial(declarative.routes_app, Configurator)
views_app = partial(declarative.views_app, Configurator)
startup_source = partial(declarative.decorated_views_source, "from viewpick import view_config")
startup_app = partial(declarative.startup_app, Configurator)
