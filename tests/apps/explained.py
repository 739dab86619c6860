"""An app whose views look alike on purpose: one route, chosen between by method, Accept,
XHR, body type, parameters and permission. ``viewpick explain`` is tested against it."""

from __future__ import annotations

from typing import Any

from viewpick import Configurator, view_config
from viewpick.httpexceptions import HTTPClientError, HTTPNotAcceptable


class HeaderPolicy:
    """``X-User`` names the user; only 'ann' may edit. ``request.identity`` decides, so
    ``explain --user`` works with it."""

    def identity(self, request: Any) -> str | None:
        return request.headers.get("X-User")

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        return request.identity == "ann"


@view_config(route_name="film", renderer="html", request_method="GET")
def page(request: Any) -> str:
    return "page"


@view_config(route_name="film", renderer="html", request_method="GET", xhr=True)
def partial(request: Any) -> str:
    return "partial"


@view_config(route_name="film", renderer="json", request_method="GET", accept="application/json")
def as_json(request: Any) -> dict[str, str]:
    return {"view": "as_json"}


@view_config(route_name="film", renderer="html", request_method="GET", request_param="print")
def printable(request: Any) -> str:
    return "printable"


@view_config(
    route_name="film",
    renderer="html",
    request_method="POST",
    content_type="application/x-www-form-urlencoded",
    permission="edit",
)
def save_form(request: Any) -> str:
    return "save_form"


@view_config(
    route_name="film",
    renderer="json",
    request_method=("PUT", "POST"),
    content_type="application/json",
    permission="edit",
)
def save_json(request: Any) -> dict[str, str]:
    return {"view": "save_json"}


@view_config(route_name="film", renderer="html", request_method="POST", match_param="id=0")
def preview(request: Any) -> str:
    return "preview"


@view_config(route_name="feed", renderer="json", accept="application/json", request_method="GET")
def feed(request: Any) -> dict[str, str]:
    return {"view": "feed"}


@view_config(route_name="about", renderer="html")
def about(request: Any) -> str:
    return "about"


class HtmlRenderer:
    """Strings as they are, declared as text/html so that browsers' views rank first."""

    media_type = "text/html"

    def __init__(self, info: Any) -> None:
        pass

    def __call__(self, value: str, system: dict[str, Any]) -> str:
        return value


def configure(settings: dict[str, Any] | None = None) -> Configurator:
    config = Configurator(settings)
    config.add_renderer("html", HtmlRenderer)
    config.set_security_policy(HeaderPolicy())
    config.add_route("film", "/films/{id:\\d+}")
    config.add_route("feed", "/feed")
    config.add_route("about", "/about")
    config.scan(__name__)
    return config


def main(settings: dict[str, Any] | None = None) -> Any:
    return configure(settings).make_wsgi_app()


# Error views, told apart by the same predicates; each answers with its own name.


def notfound(request: Any) -> str:
    return "notfound"


def notfound_json(request: Any) -> dict[str, str]:
    return {"view": "notfound_json"}


def forbidden_xhr(request: Any) -> str:
    return "forbidden_xhr"


def feed_not_acceptable(request: Any) -> str:
    return "feed_not_acceptable"


def refused_body(request: Any) -> str:
    return "refused_body"


def with_error_views(settings: dict[str, Any] | None = None) -> Any:
    """The same app with error views for some of its refusals."""
    return configure_with_error_views(settings).make_wsgi_app()


def configure_with_error_views(settings: dict[str, Any] | None = None) -> Any:
    """The configuration of :func:`with_error_views`."""
    config = configure(settings)
    config.add_notfound_view(notfound, renderer="html")
    config.add_notfound_view(notfound_json, renderer="json", accept="application/json")
    config.add_forbidden_view(forbidden_xhr, renderer="html", xhr=True)
    config.add_exception_view(feed_not_acceptable, context=HTTPNotAcceptable, renderer="html", route_name="feed")
    config.add_exception_view(refused_body, context=HTTPClientError, renderer="html", request_method="PUT")
    return config


def wrapped(settings: dict[str, Any] | None = None) -> Any:
    """The app inside a middleware: servable, but not inspectable."""
    app = main(settings)

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        return app(environ, start_response)

    return middleware
