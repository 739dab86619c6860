"""Logging in and out: the demo account, the signed cookie, safe redirects, CSRF."""

from __future__ import annotations

import time

import pytest
from webob.cookies import SignedSerializer
from webtest import TestApp

from demo.films.auth import COOKIE, MAX_AGE

from .conftest import SECRET, log_in


def login_cookie(secret: str, logged_in_at: float) -> str:
    """A login cookie's value as the application signs it."""
    serializer = SignedSerializer(secret, "demo.films.auth", "sha512")
    return serializer.dumps({"userid": "demo", "at": int(logged_in_at)}).decode("ascii")


def can_edit(app: TestApp) -> bool:
    return app.get("/films/1/edit", status="*").status_int == 200


def test_the_login_page_shows_the_demo_account(films: TestApp) -> None:
    hint = films.get("/login").html.select_one(".hint").get_text(" ", strip=True)
    assert hint == "Try the demo account: user demo , password demo ."


def test_logging_in_returns_to_the_page_the_user_came_from(films: TestApp) -> None:
    response = log_in(films, next="/films/3/edit")
    assert response.status_int == 303
    assert response.location.endswith("/films/3/edit")


def test_logging_in_sets_an_http_only_same_site_cookie_that_allows_editing(films: TestApp) -> None:
    response = log_in(films)
    cookie = next(value for value in response.headers.getall("Set-Cookie") if value.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert can_edit(films)


def test_a_wrong_password_shows_the_form_again_with_a_400(films: TestApp) -> None:
    page = log_in(films, password="guess")
    assert page.status_int == 400
    assert "do not match an account" in page.text
    assert page.forms["login"]["name"].value == "demo"
    assert not can_edit(films)


def test_an_unknown_user_cannot_log_in(films: TestApp) -> None:
    assert log_in(films, name="nobody").status_int == 400


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "/\\evil.example", "/films\r\nX: y"])
def test_logging_in_never_sends_the_user_to_another_site(films: TestApp, next_path: str) -> None:
    response = log_in(films, next=next_path)
    assert response.location == "http://localhost/films"


def test_a_login_form_without_the_csrf_token_is_refused(films: TestApp) -> None:
    response = films.post("/login", {"name": "demo", "password": "demo"}, status=400)
    assert "CSRF token" in response.text
    assert not can_edit(films)


def test_logging_out_takes_the_permission_to_edit_away(editor: TestApp) -> None:
    response = editor.get("/films").forms["logout"].submit(status=303)
    assert response.location.endswith("/films")
    assert not can_edit(editor)


def test_logout_is_a_post_only(editor: TestApp) -> None:
    assert editor.get("/logout", status=405).headers["Allow"] == "POST, OPTIONS"


def test_a_cookie_signed_with_the_secret_allows_editing(films: TestApp) -> None:
    films.set_cookie(COOKIE, login_cookie(SECRET, time.time()))
    assert can_edit(films)


def test_a_cookie_not_signed_with_the_secret_is_ignored(films: TestApp) -> None:
    films.set_cookie(COOKIE, login_cookie("another secret", time.time()))
    assert not can_edit(films)


def test_a_login_older_than_max_age_is_ignored(films: TestApp) -> None:
    films.set_cookie(COOKIE, login_cookie(SECRET, time.time() - MAX_AGE - 1))
    assert not can_edit(films)


@pytest.mark.parametrize("path", ["/films", "/films/1/edit", "/login"])
def test_a_cookie_that_is_not_utf8_is_a_400_naming_it_on_pages_that_read_the_login(films: TestApp, path: str) -> None:
    response = films.get(path, headers={"Cookie": 'tracking="\\377"', "Accept": "text/html"}, status=400)
    assert "The cookie &#x27;tracking&#x27; is not valid UTF-8." in response.text


def test_a_form_in_latin1_with_a_bad_cookie_is_a_4xx(films: TestApp) -> None:
    films.post(
        "/films/1",
        b"title=x",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        headers={"Cookie": 'tracking="\\377"'},
        status=400,
    )
