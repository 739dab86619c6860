"""The finishing step: every answer of one route names the same Vary, whether a view, a
refusal, an HTTP error or an error view made it (viewpick.finish)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webob.exc import HTTPNotFound
from webtest import TestApp

from tests.conftest import XHR, HeaderPolicy
from viewpick import Configurator, Response

MakeApp = Callable[..., TestApp]
# (method, path, headers, expected status) for each answer one route gives.
Asked = tuple[str, str, dict[str, str], int]


def page(request: Any) -> Any:
    if "missing" in request.params:
        raise HTTPNotFound("No such film.")
    if "crash" in request.params:
        raise RuntimeError("boom")
    return {"films": []} if "json" in request.headers.get("Accept", "") else "films"


def films_route(config: Configurator) -> list[Asked]:
    """A page, its XHR partial and JSON; a POST needing a permission and a JSON body."""
    config.set_security_policy(HeaderPolicy())
    config.add_route("films", "/films")
    config.add_view(page, route_name="films", renderer="string", request_method="GET")
    config.add_view(page, route_name="films", renderer="string", request_method="GET", xhr=True)
    config.add_view(page, route_name="films", renderer="json", request_method="GET", accept="application/json")
    config.add_view(
        lambda request: {"saved": True},
        route_name="films",
        renderer="json",
        request_method="POST",
        permission="edit",
        content_type="application/json",
    )
    editor = {"X-Permissions": "edit", "Content-Type": "text/csv"}
    return [
        ("GET", "/films", {}, 200),
        ("GET", "/films", XHR, 200),
        ("GET", "/films", {"Accept": "application/json"}, 200),
        ("HEAD", "/films", {}, 200),
        ("GET", "/films?missing=1", {}, 404),
        ("GET", "/films?crash=1", {}, 500),
        ("BREW", "/films", {}, 501),
        ("DELETE", "/films", {}, 405),
        ("POST", "/films", {"Content-Type": "application/json"}, 403),
        ("POST", "/films", editor, 415),
        ("POST", "/films", {**editor, "Content-Type": "application/json"}, 200),
    ]


def negotiated_route(config: Configurator) -> list[Asked]:
    """Only JSON and CSV on offer, by accept predicates: a 406 for anything else."""
    config.add_route("data", "/data/{id}")
    config.add_view(lambda request: {"id": 1}, route_name="data", renderer="json", accept="application/json")
    config.add_view(lambda request: "id\n1\n", route_name="data", renderer="string", accept="text/csv")
    return [
        ("GET", "/data/1", {"Accept": "application/json"}, 200),
        ("GET", "/data/1", {"Accept": "text/csv"}, 200),
        ("GET", "/data/1", {"Accept": "image/png"}, 406),
        ("PATCH", "/data/1", {}, 200),
    ]


def error_view_route(config: Configurator) -> list[Asked]:
    """A plain route whose 404s are answered by error views told apart by ``xhr``."""
    config.add_route("film", "/film/{id}")
    config.add_view(page, route_name="film", renderer="string", request_method="GET")
    config.add_notfound_view(lambda request: "not here", renderer="string")
    config.add_notfound_view(lambda request: "not here (partial)", renderer="string", xhr=True)
    return [
        ("GET", "/film/1", {}, 200),
        ("GET", "/film/1?missing=1", {}, 404),
        ("GET", "/film/1?missing=1", XHR, 404),
        ("PUT", "/film/1", {}, 405),
        ("OPTIONS", "/film/1", {}, 200),
    ]


def returned_response_route(config: Configurator) -> list[Asked]:
    """Views returning their own Response (no renderer), one of them an error status."""
    config.add_route("raw", "/raw")
    config.add_view(
        lambda request: Response(body=b"<p>hi</p>", content_type="text/html"), route_name="raw", request_method="GET"
    )
    config.add_view(
        lambda request: Response(body=b"gone", content_type="text/plain", status=410),
        route_name="raw",
        request_method="GET",
        xhr=True,
    )
    return [("GET", "/raw", {}, 200), ("GET", "/raw", XHR, 410), ("POST", "/raw", {}, 405)]


@pytest.mark.parametrize("shape", [films_route, negotiated_route, error_view_route, returned_response_route])
def test_every_answer_of_one_route_names_the_same_vary(
    config: Configurator, make_app: MakeApp, shape: Callable[[Configurator], list[Asked]]
) -> None:
    asked = shape(config)
    app = make_app(config, lint=False)  # WebTest's lint refuses BREW; wsgiref.validate still checks every answer
    seen = {}
    for method, path, headers, status in asked:
        response = app.request(path, method=method, headers=headers, status=status)
        seen[method, path, tuple(headers.items())] = response.headers.get("Vary")
    assert len(set(seen.values())) == 1, seen
    assert "Accept" in next(iter(seen.values()))


def test_a_route_of_an_app_with_a_security_policy_varies_on_cookie(config: Configurator, make_app: MakeApp) -> None:
    films_route(config)
    assert make_app(config).get("/films").headers["Vary"] == "X-Requested-With, Accept, Cookie"


def test_a_security_policy_names_the_headers_it_reads_in_its_vary_attribute(
    config: Configurator, make_app: MakeApp
) -> None:
    class TokenPolicy(HeaderPolicy):
        vary = ("Authorization",)

    config.set_security_policy(TokenPolicy())
    config.add_route("me", "/me")
    config.add_view(lambda request: str(request.identity), route_name="me", renderer="string")
    assert make_app(config).get("/me").headers["Vary"] == "Accept, Authorization"


def test_an_answer_that_read_the_identity_varies_on_cookie_even_without_a_route(
    config: Configurator, make_app: MakeApp
) -> None:
    config.set_security_policy(HeaderPolicy())
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    config.add_notfound_view(lambda request: f"not here, {request.identity}", renderer="string")
    response = make_app(config).get("/nowhere", status=404)
    assert response.headers["Vary"] == "Accept, Cookie"


def test_code_that_reads_a_header_says_so_with_vary_on(config: Configurator, make_app: MakeApp) -> None:
    def greeting(request: Any) -> str:
        request.vary_on("Accept-Language")
        return "bonjour" if "fr" in request.headers.get("Accept-Language", "") else "hello"

    config.add_route("hi", "/hi")
    config.add_view(greeting, route_name="hi", renderer="string")
    assert make_app(config).get("/hi").headers["Vary"] == "Accept, Accept-Language"


def test_static_files_do_not_vary_on_cookie(config: Configurator, make_app: MakeApp, tmp_path: Any) -> None:
    (tmp_path / "a.txt").write_text("a")
    config.set_security_policy(HeaderPolicy())
    config.add_static_view("static", str(tmp_path))
    assert make_app(config).get("/static/a.txt").headers["Vary"] == "Accept"


def test_a_path_no_route_fits_varies_on_accept(config: Configurator, make_app: MakeApp) -> None:
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    assert make_app(config).get("/nowhere", status=404).headers["Vary"] == "Accept"


def test_every_test_app_is_checked_by_wsgiref_validate(config: Configurator, make_app: MakeApp) -> None:
    from tests.conftest import ValidatedApplication

    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    assert isinstance(make_app(config).app, ValidatedApplication)


def xhr_route(config: Configurator) -> None:
    config.add_route("r", "/")
    config.add_view(lambda request: "page", route_name="r", renderer="string")
    config.add_view(lambda request: "partial", route_name="r", renderer="string", xhr=True)


def test_a_500_from_a_failing_response_callback_names_the_routes_vary(config: Configurator, make_app: MakeApp) -> None:
    def commit(request: Any, response: Any) -> None:
        raise RuntimeError("commit failed")

    def view(request: Any) -> str:
        request.add_response_callback(commit)
        return "saved"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string")
    config.add_view(lambda request: "partial", route_name="r", renderer="string", xhr=True)
    response = make_app(config).get("/", status=500)
    assert response.headers["Vary"] == "X-Requested-With, Accept"


def test_a_500_from_a_failing_tween_names_the_routes_vary(config: Configurator, make_app: MakeApp) -> None:
    def failing_tween(handler: Any, app: Any) -> Any:
        def tween(request: Any) -> Any:
            raise RuntimeError("tween failed")

        return tween

    xhr_route(config)
    config.add_tween(failing_tween)
    response = make_app(config).get("/", status=500)
    assert response.headers["Vary"] == "Accept"  # the tween failed before any route was matched
