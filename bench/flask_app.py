"""Flask 3: one handler per route branches by hand on X-Requested-With and Accept.

Flask has no Mako integration of its own worth the name, so the handler renders the
shared compiled template directly; the JSON is Flask's own ``jsonify``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, jsonify, request

from .common import ARTICLES, VARY, page_and_partial, route_body, route_name, variant_body

PAGE, PARTIAL = page_and_partial()


def article_app() -> Any:
    app = Flask(__name__)

    @app.get("/articles/<article_id>")
    def article(article_id: str) -> Response:
        found = ARTICLES.get(article_id)
        if found is None:
            abort(404)
        if request.headers.get("X-Requested-With") == "XMLHttpRequest":
            response = Response(PARTIAL.render_unicode(article=found), mimetype="text/html")
        elif request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
            response = jsonify(found)
        else:
            response = Response(PAGE.render_unicode(article=found), mimetype="text/html")
        response.headers["Vary"] = VARY
        return response

    return app


def routes_app(n: int) -> Any:
    app = Flask(__name__)
    for i in range(n):
        app.add_url_rule(f"/{route_name(i)}/<id>", route_name(i), lambda id, i=i: _text(route_body(i, id)))
    return app


def views_app(k: int) -> Any:
    app = Flask(__name__)
    variants = {str(v): variant_body(v) for v in range(k)}

    @app.route("/things")
    def things() -> Response:
        body = variants.get(request.args.get("variant", ""))
        if body is None:
            abort(404)
        return _text(body)

    return app


def _text(body: str) -> Response:
    return Response(body, mimetype="text/plain")


def startup_source(n: int) -> str:
    """A module holding a Flask app with ``n`` decorated views, one per route ``r{i}``."""
    lines = ["from flask import Flask, Response", "", "app = Flask(__name__)", ""]
    for i in range(n):
        name = route_name(i)
        lines += ["", f'@app.get("/{name}/<id>")', f"def {name}(id):"]
        lines += [f'    return Response("{name} " + id, mimetype="text/plain")', ""]
    return "\n".join(lines)


def startup_app(module: str, n: int) -> Any:
    return __import__(module).app
