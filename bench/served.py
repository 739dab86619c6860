"""The WSGI application a server loads in ``make bench-e2e``: one contender's article, routes
and views apps behind one switch on the path, the contender named by ``BENCH_CONTENDER``.

The three apps' paths do not overlap (``/articles/…``, ``/things``, ``/r{i}/…``), so one server
per contender serves every end-to-end scenario. The switch is the same two ``startswith``
tests for every contender, raw WSGI included, so it cancels out of the ratios.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from .contenders import by_name

# The sizes of the routes and views apps served end to end (bench/e2e.py asks their last route / view).
ROUTES = 1000
VIEWS = 4

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def combined(name: str) -> WSGIApp:
    """The contender's three apps as one WSGI application."""
    (contender,) = by_name(name)
    module = contender.load()
    article = contender.build(module, "article", 0)
    routes = contender.build(module, "routes", ROUTES)
    views = contender.build(module, "views", VIEWS)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/articles/"):
            return article(environ, start_response)
        if path.startswith("/things"):
            return views(environ, start_response)
        return routes(environ, start_response)

    return app


app = combined(os.environ.get("BENCH_CONTENDER", "viewpick"))
