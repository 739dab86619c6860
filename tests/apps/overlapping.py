"""An app whose routes fit the same paths on purpose: ``/films/{id}`` serves GET,
``/films/{name}`` POST, ``/films/{key}`` GET and PUT (GET is taken by the first), and
``/sitemap`` only generates URLs. ``viewpick routes`` and ``explain`` are tested against it."""

from __future__ import annotations

from typing import Any

from viewpick import Configurator


def show(request: Any) -> str:
    return f"show {request.matchdict}"


def update(request: Any) -> str:
    return f"update {request.matchdict}"


def replace(request: Any) -> str:
    return f"replace {request.matchdict}"


def main(settings: dict[str, Any] | None = None) -> Any:
    config = Configurator(settings)
    config.add_route("film", "/films/{id}")
    config.add_route("film_update", "/films/{name}")
    config.add_route("film_replace", "/films/{key}")
    config.add_route("sitemap", "/sitemap", static=True)
    config.add_view(show, route_name="film", renderer="string", request_method="GET")
    config.add_view(update, route_name="film_update", renderer="string", request_method="POST")
    config.add_view(replace, route_name="film_replace", renderer="string", request_method=("GET", "PUT"))
    return config.make_wsgi_app()
