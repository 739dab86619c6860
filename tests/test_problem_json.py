"""JSON error bodies are labelled ``application/problem+json`` (RFC 9457) when the client
accepts that type, ``application/json`` otherwise; the body is the same either way."""

from __future__ import annotations

import pytest
from webtest import TestApp

from viewpick import Configurator


@pytest.fixture
def app(config: Configurator, make_app) -> TestApp:
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string", request_method="GET")
    return make_app(config)


@pytest.mark.parametrize(
    "accept", ["application/problem+json", "application/json, application/problem+json", "*/*", "application/*"]
)
def test_a_client_accepting_problem_json_gets_it(app, accept):
    response = app.get("/nowhere", headers={"Accept": accept}, status=404)
    assert response.content_type == "application/problem+json"
    assert response.json == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


def test_a_client_accepting_only_json_gets_the_same_body_as_application_json(app):
    response = app.delete("/", headers={"Accept": "application/json"}, status=405)
    assert response.content_type == "application/json"
    assert (response.json["status"], response.json["title"]) == (405, "Method Not Allowed")


def test_a_browser_still_gets_html(app):
    response = app.get("/nowhere", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, status=404)
    assert response.content_type == "text/html"
