"""Accept and Content-Type are read leniently (RFC 9110, 5.6.1.2): empty list elements and
whitespace are ignored, and an element invalid on its own is dropped while the rest count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from viewpick import Configurator

MakeApp = Callable[..., TestApp]


@pytest.fixture
def app(config: Configurator, make_app: MakeApp) -> TestApp:
    config.add_route("film", "/film")
    config.add_view(lambda request: "<p>Ikiru</p>", route_name="film", renderer="string", accept="text/html")
    config.add_view(lambda request: {"title": "Ikiru"}, route_name="film", renderer="json", accept="application/json")
    config.add_route("save", "/save")
    config.add_view(
        lambda request: {"got": request.json_body},
        route_name="save",
        renderer="json",
        request_method="POST",
        content_type="application/json",
    )
    config.add_view(
        lambda request: {"form": dict(request.POST)},
        route_name="save",
        renderer="json",
        request_method="POST",
        content_type="application/x-www-form-urlencoded",
    )
    return make_app(config)


@pytest.mark.parametrize(
    "accept",
    [
        ", application/json",
        "application/json,",
        " ,, application/json ,",
        "text/html;q=x, application/json",
        "foo, application/json",
        "application/json;; q=1;",
    ],
)
def test_accept_with_empty_or_invalid_elements_honours_the_valid_ones(app, accept):
    response = app.get("/film", headers={"Accept": accept})
    assert response.json == {"title": "Ikiru"}


def test_an_accept_of_only_invalid_elements_means_anything(app):
    assert app.get("/film", headers={"Accept": "foo, bar;q=x"}, status=200).text == "<p>Ikiru</p>"


def test_error_bodies_follow_a_lenient_accept_too(app):
    response = app.get("/nowhere", headers={"Accept": ", application/json"}, status=404)
    assert response.json["status"] == 404


@pytest.mark.parametrize(
    "content_type",
    ["Application/JSON", "application/json ; charset=utf-8", "application/json;; charset=utf-8;", "application/json;"],
)
def test_content_type_in_any_case_and_with_empty_parameters_is_understood(app, content_type):
    response = app.post("/save", b'{"a": 1}', headers={"Content-Type": content_type})
    assert response.json == {"got": {"a": 1}}


def test_a_form_with_an_uppercase_type_and_a_trailing_semicolon_is_read_as_a_form(app):
    headers: dict[str, Any] = {"Content-Type": "Application/X-WWW-Form-Urlencoded;"}
    assert app.post("/save", b"a=1", headers=headers).json == {"form": {"a": "1"}}
