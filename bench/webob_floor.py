"""The WebOb floor: the same answers, hand-written on WebOb with no framework.

One dict look-up finds the article (or route, or variant); the checks are the fewest that
give every scenario its right answer (the method, then X-Requested-With, then whether the
Accept header names JSON); the body is ``json.dumps`` or the compiled Mako template. Every
ratio in the table is to this app: what a framework adds over doing the job by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from webob import Request, Response

from .common import ALLOW, ARTICLES, VARY, page_and_partial, route_body, route_name, variant_body

PAGE, PARTIAL = page_and_partial()
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _not_found() -> Response:
    return Response("Not Found", status=404, content_type="text/plain", charset="utf-8")


def article_response(request: Request) -> Response:
    prefix, _, article_id = request.path_info.rpartition("/")
    found = ARTICLES.get(article_id) if prefix == "/articles" else None
    if found is None:
        return _not_found()
    if request.method not in ("GET", "HEAD"):
        response = Response("Method Not Allowed", status=405, content_type="text/plain", charset="utf-8")
        response.headers["Allow"] = ALLOW
        return response
    if request.environ.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest":
        response = Response(PARTIAL.render_unicode(article=found), content_type="text/html", charset="utf-8")
    elif "application/json" in request.environ.get("HTTP_ACCEPT", ""):
        response = Response(json.dumps(found).encode("utf-8"), content_type="application/json")
    else:
        response = Response(PAGE.render_unicode(article=found), content_type="text/html", charset="utf-8")
    response.headers["Vary"] = VARY
    return response


def _serve(respond: Callable[[Request], Response]) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return respond(Request(environ))(environ, start_response)

    return app


def article_app() -> WSGIApp:
    return _serve(article_response)


def routes_app(n: int) -> WSGIApp:
    routes = {route_name(i): i for i in range(n)}

    def respond(request: Request) -> Response:
        name, _, item_id = request.path_info[1:].partition("/")
        index = routes.get(name)
        if index is None or not item_id or "/" in item_id:
            return _not_found()
        return Response(route_body(index, item_id), content_type="text/plain", charset="utf-8")

    return _serve(respond)


def views_app(k: int) -> WSGIApp:
    variants = {str(v): variant_body(v) for v in range(k)}

    def respond(request: Request) -> Response:
        body = variants.get(request.GET.get("variant", "")) if request.path_info == "/things" else None
        if body is None:
            return _not_found()
        return Response(body, content_type="text/plain", charset="utf-8")

    return _serve(respond)
