"""The raw WSGI floor: the WebOb floor's job with nothing but the environ and ``start_response``.

It shows what is left when even WebOb's request and response objects are gone: the dict
look-ups, ``json.dumps`` or the template, and the harness that calls it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from .common import ALLOW, ARTICLES, VARY, page_and_partial, route_body, route_name, variant_body

PAGE, PARTIAL = page_and_partial()
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
StartResponse = Callable[..., Any]


def _send(
    start_response: StartResponse, status: str, content_type: str, body: str, *headers: tuple[str, str]
) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data))), *headers])
    return [data]


def _not_found(start_response: StartResponse) -> list[bytes]:
    return _send(start_response, "404 Not Found", "text/plain; charset=utf-8", "Not Found")


def article_app() -> WSGIApp:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        prefix, _, article_id = environ["PATH_INFO"].rpartition("/")
        found = ARTICLES.get(article_id) if prefix == "/articles" else None
        if found is None:
            return _not_found(start_response)
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return _send(
                start_response,
                "405 Method Not Allowed",
                "text/plain; charset=utf-8",
                "Method Not Allowed",
                ("Allow", ALLOW),
            )
        vary = ("Vary", VARY)
        if environ.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest":
            return _send(
                start_response, "200 OK", "text/html; charset=utf-8", PARTIAL.render_unicode(article=found), vary
            )
        if "application/json" in environ.get("HTTP_ACCEPT", ""):
            return _send(start_response, "200 OK", "application/json", json.dumps(found), vary)
        return _send(start_response, "200 OK", "text/html; charset=utf-8", PAGE.render_unicode(article=found), vary)

    return app


def routes_app(n: int) -> WSGIApp:
    routes = {route_name(i): i for i in range(n)}

    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        name, _, item_id = environ["PATH_INFO"][1:].partition("/")
        index = routes.get(name)
        if index is None or not item_id or "/" in item_id:
            return _not_found(start_response)
        return _send(start_response, "200 OK", "text/plain; charset=utf-8", route_body(index, item_id))

    return app


def views_app(k: int) -> WSGIApp:
    variants = {str(v): variant_body(v) for v in range(k)}

    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        chosen = parse_qs(environ.get("QUERY_STRING", "")).get("variant", [""])[0]
        body = variants.get(chosen) if environ["PATH_INFO"] == "/things" else None
        if body is None:
            return _not_found(start_response)
        return _send(start_response, "200 OK", "text/plain; charset=utf-8", body)

    return app
