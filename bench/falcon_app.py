"""Falcon 4: resources branch by hand on X-Requested-With and Accept (``client_prefers``).

Falcon has no decorators, so its startup module defines resource classes and adds them
with ``add_route``; its router is compiled on the first request, which the startup time
includes.
"""

from __future__ import annotations

from typing import Any

import falcon

from .common import ARTICLES, VARY_HEADERS, page_and_partial, route_body, route_name, variant_body

PAGE, PARTIAL = page_and_partial()


class Article:
    def on_get(self, req: falcon.Request, resp: falcon.Response, article_id: str) -> None:
        found = ARTICLES.get(article_id)
        if found is None:
            raise falcon.HTTPNotFound()
        resp.vary = VARY_HEADERS
        if req.get_header("X-Requested-With") == "XMLHttpRequest":
            resp.content_type = falcon.MEDIA_HTML
            resp.text = PARTIAL.render_unicode(article=found)
        elif req.client_prefers(["text/html", "application/json"]) == "application/json":
            resp.media = found
        else:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = PAGE.render_unicode(article=found)


def article_app() -> Any:
    app = falcon.App()
    app.add_route("/articles/{article_id}", Article())
    return app


class NumberedRoute:
    def __init__(self, index: int) -> None:
        self.index = index

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: str) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = route_body(self.index, id)


def routes_app(n: int) -> Any:
    app = falcon.App()
    for i in range(n):
        app.add_route(f"/{route_name(i)}/{{id}}", NumberedRoute(i))
    return app


class Things:
    def __init__(self, k: int) -> None:
        self.variants = {str(v): variant_body(v) for v in range(k)}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = self.variants.get(req.get_param("variant") or "")
        if body is None:
            raise falcon.HTTPNotFound()
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = body


def views_app(k: int) -> Any:
    app = falcon.App()
    app.add_route("/things", Things(k))
    return app


def startup_source(n: int) -> str:
    """A module of ``n`` resource classes and the app that routes to them."""
    lines = ["import falcon", "", ""]
    for i in range(n):
        name = route_name(i)
        lines += [
            f"class R{i}:",
            "    def on_get(self, req, resp, id):",
            "        resp.content_type = falcon.MEDIA_TEXT",
        ]
        lines += [f'        resp.text = "{name} " + id', "", ""]
    lines += ["app = falcon.App()"]
    lines += [f'app.add_route("/{route_name(i)}/{{id}}", R{i}())' for i in range(n)]
    return "\n".join(lines) + "\n"


def startup_app(module: str, n: int) -> Any:
    return __import__(module).app
