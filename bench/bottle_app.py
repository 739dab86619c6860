"""Bottle: one handler per route branches by hand on X-Requested-With and Accept.

Bottle has no content negotiation, so the handler tests the Accept header for the type
it serves, as Bottle users do; it returns a dict for JSON (Bottle's JSON plugin) and renders
the shared compiled template directly (Bottle's own Mako adapter cannot render a def).
"""

from __future__ import annotations

from typing import Any

from bottle import Bottle, abort, request, response

from .common import ARTICLES, VARY, page_and_partial, route_body, route_name, variant_body

PAGE, PARTIAL = page_and_partial()


def article_app() -> Any:
    app = Bottle()

    @app.get("/articles/<article_id>")
    def article(article_id: str) -> Any:
        found = ARTICLES.get(article_id)
        if found is None:
            abort(404)
        response.set_header("Vary", VARY)
        if request.get_header("X-Requested-With") == "XMLHttpRequest":
            return PARTIAL.render_unicode(article=found)
        if "application/json" in request.get_header("Accept", ""):
            return found
        return PAGE.render_unicode(article=found)

    return app


def routes_app(n: int) -> Any:
    app = Bottle()
    # Bottle recompiles all of a method's route regexes on every route added, which takes
    # minutes for 10000 routes; compiling once at the end builds the same router.
    router = app.router
    router._compile = lambda method: None
    for i in range(n):
        app.route(f"/{route_name(i)}/<id>", callback=lambda id, i=i: _text(route_body(i, id)))
    del router._compile
    for method in router.dyna_routes:
        router._compile(method)
    return app


def views_app(k: int) -> Any:
    app = Bottle()
    variants = {str(v): variant_body(v) for v in range(k)}

    @app.get("/things")
    def things() -> str:
        body = variants.get(request.query.get("variant", ""))
        if body is None:
            abort(404)
        return _text(body)

    return app


def _text(body: str) -> str:
    response.content_type = "text/plain; charset=utf-8"
    return body


def startup_source(n: int) -> str:
    """A module holding a Bottle app with ``n`` decorated views, one per route ``r{i}``."""
    lines = ["from bottle import Bottle, response", "", "app = Bottle()", ""]
    for i in range(n):
        name = route_name(i)
        lines += ["", f'@app.get("/{name}/<id>")', f"def {name}(id):"]
        lines += ['    response.content_type = "text/plain; charset=utf-8"', f'    return "{name} " + id', ""]
    return "\n".join(lines)


def startup_app(module: str, n: int) -> Any:
    return __import__(module).app
