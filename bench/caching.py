"""What viewpick's caching options cost: the article app's JSON and page answers with the
options off (the ``json`` and ``html`` scenarios' app), with ``conditional=True`` (a 200 with
its ETag, and the 304 to a matching ``If-None-Match``), and with ``http_cache=60``.

Variants are timed interleaved, batch by batch, so a loaded machine slows them alike; each
answer is checked first (status, ETag, Cache-Control, an empty 304).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from viewpick import Configurator

from .common import PAGE, TEMPLATES
from .scenarios import Scenario, all_scenarios
from .viewpick_app import article, article_page
from .wsgi import call, environ_for


def app_with(**options: Any) -> Any:
    """The article app's JSON view and page (viewpick_app.article_app's), with ``options``."""
    config = Configurator({"mako.directories": [TEMPLATES]})
    config.add_route("article", "/articles/{id}")
    config.add_view(
        article, route_name="article", request_method="GET", accept="application/json", renderer="json", **options
    )
    config.add_view(article_page, route_name="article", request_method="GET", renderer=PAGE, **options)
    return config.make_wsgi_app()


def variants(scenario: Scenario) -> dict[str, tuple[Any, dict[str, Any], int, str | None]]:
    """name: (app, environ, expected status, header that must be there)."""
    conditional = app_with(conditional=True)
    environ = environ_for(scenario)
    etag = call(conditional, environ).header("ETag")
    return {
        "off": (app_with(), environ, 200, None),
        "conditional": (conditional, environ, 200, "ETag"),
        "304": (
            conditional,
            environ_for(replace(scenario, headers=(*scenario.headers, ("If-None-Match", etag or "")))),
            304,
            "ETag",
        ),
        "http_cache": (app_with(http_cache=60), environ, 200, "Cache-Control"),
    }


def run(repeats: int, batch_ns: float, time_batch: Any) -> tuple[list[str], list[str]]:
    """The report's lines, and what was wrong (empty when every answer was right)."""
    wrong: list[str] = []
    lines = ["viewpick's caching options, us per request (minimum of interleaved batches):"]
    names = ["off", "conditional", "304", "http_cache"]
    lines.append(f"{'scenario':<9} " + " ".join(f"{name:>12}" for name in names))
    for scenario in (s for s in all_scenarios() if s.name in ("json", "html")):
        found = variants(scenario)
        for name, (app, environ, status, header) in found.items():
            reply = call(app, environ)
            if reply.status != status or (header is not None and reply.header(header) is None):
                wrong.append(f"caching {scenario.name} {name}: {reply.status}, headers {reply.headers}")
            if status == 304 and reply.body:
                wrong.append(f"caching {scenario.name} 304 has a body")
        best = dict.fromkeys(found, float("inf"))
        for _ in range(repeats):
            for name, (app, environ, _, _) in found.items():
                best[name] = min(best[name], time_batch(app, environ, batch_ns))
        lines.append(f"{scenario.name:<9} " + " ".join(f"{best[name]:>12.1f}" for name in names))
    return lines, wrong
