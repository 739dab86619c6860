"""Pyramid 2 with pyramid_mako: the same declarations as viewpick, in Pyramid's spelling.

Pyramid tries views with an ``accept`` predicate before those without one, so the page
and its partial say ``accept="text/html"``: without it a browser, whose Accept ends in
``*/*;q=0.8``, would be handed the JSON view. Pyramid sends no ``Vary`` header for the
choices it makes, so the views set it by hand.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request

from . import declarative
from .common import PAGE, PARTIAL_DEF, TEMPLATES, VARY_HEADERS


def article(request: Request) -> dict[str, Any]:
    request.response.vary = VARY_HEADERS
    return declarative.find_article(request, HTTPNotFound)


def article_page(request: Request) -> dict[str, Any]:
    return {"article": article(request)}


def article_app() -> Any:
    config = Configurator(settings={"mako.directories": TEMPLATES})
    config.include("pyramid_mako")
    config.add_route("article", "/articles/{id}")
    config.add_view(article, route_name="article", request_method="GET", accept="application/json", renderer="json")
    config.add_view(article_page, route_name="article", request_method="GET", accept="text/html", renderer=PAGE)
    partial_page = PAGE.replace(".mako", f"#{PARTIAL_DEF}.mako")  # pyramid_mako spells a def 'page#items.mako'
    config.add_view(
        article_page, route_name="article", request_method="GET", accept="text/html", xhr=True, renderer=partial_page
    )
    return config.make_wsgi_app()


routes_app = partial(declarative.routes_app, Configurator)
views_app = partial(declarative.views_app, Configurator)
startup_source = partial(declarative.decorated_views_source, "from pyramid.view import view_config")
startup_app = partial(declarative.startup_app, Configurator)
