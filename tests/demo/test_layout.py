"""The layout's values (who is logged in) come from one BeforeRender subscriber, for every
template and for no JSON answer; its forms carry the session's CSRF token, and it shows the
session's flash messages."""

from __future__ import annotations

from webob.cookies import SignedSerializer
from webtest import TestApp

from demo.films.layout import layout_values
from viewpick import testing
from viewpick.events import BeforeRender

from .conftest import SECRET

SESSION_COOKIE = "films_session"


def session_of(app: TestApp) -> dict[str, object]:
    """The state in the browser's session cookie, read with the application's secret."""
    _accessed, _created, state = SignedSerializer(SECRET, "viewpick.session.", "sha512").loads(
        app.cookies[SESSION_COOKIE].encode("ascii")
    )
    return dict(state)


def test_every_page_shows_who_is_logged_in(editor: TestApp) -> None:
    for path in ("/films", "/films/1", "/films/1/edit"):
        assert "Logged in as <strong>demo</strong>" in editor.get(path).text


def test_the_logout_form_carries_the_sessions_csrf_token(editor: TestApp) -> None:
    page = editor.get("/films")
    assert page.forms["logout"]["csrf_token"].value == session_of(editor)["_csrft_"]


def test_a_page_without_a_form_sets_no_session_cookie(films: TestApp) -> None:
    page = films.get("/films")
    assert "Log in" in page.text
    assert SESSION_COOKIE not in films.cookies


def test_pages_and_json_answers_of_one_url_both_vary_on_cookie(films: TestApp) -> None:
    # The page shows who is logged in; the JSON does not, but a cache keys on one Vary per URL.
    assert films.get("/films").headers["Vary"] == "X-Requested-With, Accept, Cookie"
    assert (
        films.get("/films", headers={"Accept": "application/json"}).headers["Vary"]
        == "X-Requested-With, Accept, Cookie"
    )


def test_a_flash_message_is_shown_once(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["year"] = "1955"
    page = form.submit(status=303).follow()
    assert [p.text for p in page.html.select("p.flash")] == ["Saved."]
    assert editor.get("/films/1").html.select("p.flash") == []


def test_logging_out_says_so(editor: TestApp) -> None:
    page = editor.get("/films").forms["logout"].submit(status=303).follow()
    assert [p.text for p in page.html.select("p.flash")] == ["You are logged out."]
    assert "Log in" in page.text


def test_logging_in_replaces_the_csrf_token(films: TestApp) -> None:
    form = films.get("/login").forms["login"]
    before = form["csrf_token"].value
    form["name"], form["password"] = "demo", "demo"
    form.submit(status=303)
    assert session_of(films)["_csrft_"] != before


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
