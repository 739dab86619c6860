"""The layout's values (who is logged in, the CSRF token of its forms) come from one
BeforeRender subscriber, for every template and for no JSON answer."""

from __future__ import annotations

from webtest import TestApp

from demo.films.csrf import COOKIE as CSRF_COOKIE
from demo.films.layout import layout_values
from viewpick import testing
from viewpick.events import BeforeRender


def test_every_page_shows_who_is_logged_in(editor: TestApp) -> None:
    for path in ("/films", "/films/1", "/films/1/edit"):
        assert "Logged in as <strong>demo</strong>" in editor.get(path).text


def test_the_logout_form_carries_this_browsers_csrf_token(editor: TestApp) -> None:
    page = editor.get("/films")
    assert page.forms["logout"]["csrf_token"].value == editor.cookies[CSRF_COOKIE]


def test_a_page_without_a_form_sets_no_csrf_cookie(films: TestApp) -> None:
    page = films.get("/films")
    assert "Log in" in page.text
    assert CSRF_COOKIE not in films.cookies


def test_json_answers_get_no_layout_values() -> None:
    event = BeforeRender({"request": testing.DummyRequest(), "view": None, "renderer_name": "json"}, {})
    layout_values(event)
    assert set(event) == {"request", "view", "renderer_name"}


def test_templates_get_the_user_from_the_security_policy() -> None:
    with testing.testConfig() as config:
        config.testing_securitypolicy(userid="ann")
        event = BeforeRender({"request": testing.DummyRequest(), "view": None, "renderer_name": "t.mako#part"}, {})
        layout_values(event)
    assert event["user"] == "ann"
