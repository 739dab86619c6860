"""Logging in and out: remember/forget through the security policy, the signed login cookie of
AuthCookieHelper, request.authenticated_userid/is_authenticated, the CSRF token replaced at
login, and Vary: Cookie exactly when the answer depended on who asked."""

from __future__ import annotations

import time
from typing import Any

import pytest
from webob.cookies import SignedSerializer
from webtest import TestApp

from viewpick import Configurator
from viewpick.request import Request
from viewpick.security import AuthCookieHelper, forget, remember
from viewpick.sessions import SignedCookieSessionFactory

SECRET = "a login secret"


class Policy:
    """A policy keeping its identity in AuthCookieHelper, as an application writes one."""

    def __init__(self, **options: Any) -> None:
        self.cookie = AuthCookieHelper(SECRET, "auth", **options)

    def identity(self, request: Any) -> Any:
        found = self.cookie.identify(request)
        return found["userid"] if found else None

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        return request.identity is not None

    def remember(self, request: Any, userid: Any, **kw: Any) -> list[tuple[str, str]]:
        return self.cookie.remember(request, userid, **kw)

    def forget(self, request: Any, **kw: Any) -> list[tuple[str, str]]:
        return self.cookie.forget(request)


def login_app(policy: Any = None, sessions: bool = False) -> TestApp:
    config = Configurator()
    config.set_security_policy(policy or Policy())
    if sessions:
        config.set_session_factory(SignedCookieSessionFactory(SECRET))
        config.set_default_csrf_options()
    for name in ("login", "logout", "who", "edit", "plain", "token"):
        config.add_route(name, f"/{name}")

    def login(request: Any) -> Any:
        request.response.headerlist.extend(remember(request, request.params["user"]))
        return {}

    def logout(request: Any) -> Any:
        was = request.identity  # read first, as a page showing who logs out does
        request.response.headerlist.extend(forget(request))
        return {"was": was}

    def who(request: Any) -> Any:
        return {"userid": request.authenticated_userid, "authenticated": request.is_authenticated}

    config.add_view(login, route_name="login", renderer="json", require_csrf=False if sessions else None)
    config.add_view(logout, route_name="logout", renderer="json")
    config.add_view(who, route_name="who", renderer="json")
    config.add_view(lambda request: {"edited": True}, route_name="edit", renderer="json", permission="edit")
    config.add_view(lambda request: {"plain": True}, route_name="plain", renderer="json")
    config.add_view(lambda request: {"token": request.csrf_token}, route_name="token", renderer="json")
    return TestApp(config.make_wsgi_app())


def cookie(userid: Any, at: float, secret: str = SECRET) -> str:
    return SignedSerializer(secret, "viewpick.auth.", "sha512").dumps({"userid": userid, "at": int(at)}).decode()


def test_remember_sets_a_signed_http_only_same_site_cookie() -> None:
    set_cookie = login_app().post("/login", {"user": "ann"}).headers["Set-Cookie"]
    assert set_cookie.startswith("auth=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie


def test_cookie_attributes_are_options() -> None:
    app = login_app(Policy(max_age=600, secure=True, samesite="Strict", httponly=False))
    set_cookie = app.post("/login", {"user": "ann"}).headers["Set-Cookie"]
    assert "Max-Age=600" in set_cookie and "secure" in set_cookie.lower() and "SameSite=Strict" in set_cookie
    assert "HttpOnly" not in set_cookie


def test_the_remembered_user_is_the_identity_of_later_requests() -> None:
    app = login_app()
    app.post("/login", {"user": "ann"})
    assert app.get("/who").json == {"userid": "ann", "authenticated": True}
    app.get("/edit", status=200)


def test_forget_deletes_the_cookie() -> None:
    app = login_app()
    app.post("/login", {"user": "ann"})
    assert "Max-Age=0" in app.post("/logout").headers["Set-Cookie"]
    assert app.get("/who").json == {"userid": None, "authenticated": False}


@pytest.mark.parametrize(
    "value",
    [
        cookie("ann", time.time(), secret="another secret"),
        cookie("ann", time.time())[:-3] + "AAA",
        "not a cookie at all",
        SignedSerializer(SECRET, "viewpick.auth.", "sha512").dumps(["ann"]).decode(),
    ],
    ids=["other-secret", "tampered", "garbage", "wrong-shape"],
)
def test_a_cookie_that_is_not_ours_gives_no_identity(value: str) -> None:
    app = login_app()
    app.set_cookie("auth", value)
    assert app.get("/who").json == {"userid": None, "authenticated": False}


def test_a_cookie_older_than_the_timeout_gives_no_identity() -> None:
    app = login_app(Policy(max_age=600))
    app.set_cookie("auth", cookie("ann", time.time() - 601))
    assert app.get("/who").json["userid"] is None
    app.set_cookie("auth", cookie("ann", time.time() - 590))
    assert app.get("/who").json["userid"] == "ann"


def test_a_cookie_older_than_the_reissue_time_is_issued_again() -> None:
    app = login_app(Policy(max_age=600, reissue_time=60))
    app.set_cookie("auth", cookie("ann", time.time() - 120))
    assert app.get("/who").headers["Set-Cookie"].startswith("auth=")
    assert "Set-Cookie" not in app.get("/who").headers  # fresh now


def test_logging_out_is_not_undone_by_a_reissue() -> None:
    app = login_app(Policy(max_age=600, reissue_time=60))
    app.set_cookie("auth", cookie("ann", time.time() - 120))

    response = app.post("/logout")
    assert response.json == {"was": "ann"}  # the identity was read, so the cookie was due a reissue
    assert [h for h in response.headers.getall("Set-Cookie") if "Max-Age=0" not in h] == []


def test_remember_without_a_policy_method_gives_no_headers() -> None:
    class NoRemember:
        def identity(self, request: Any) -> None:
            return None

        def permits(self, request: Any, context: Any, permission: str) -> bool:
            return False

    app = login_app(NoRemember())
    assert "Set-Cookie" not in app.post("/login", {"user": "ann"}).headers


def test_logging_in_replaces_the_csrf_token() -> None:
    app = login_app(sessions=True)
    before = app.get("/token").json["token"]
    app.post("/login", {"user": "ann"})
    after = app.get("/token").json["token"]
    assert after != before
    app.post("/logout", {"csrf_token": before}, status=400)
    app.post("/logout", {"csrf_token": after})


def test_a_user_id_that_is_not_text_or_a_number_is_refused() -> None:
    with pytest.raises(TypeError, match="string or a number"):
        AuthCookieHelper(SECRET).remember(None, {"not": "an id"})  # type: ignore[arg-type]


# --- Vary: Cookie exactly when the answer depended on who asked --------------------------------


def test_an_answer_that_read_the_identity_varies_on_cookie() -> None:
    assert login_app().get("/who").headers["Vary"] == "Accept, Cookie"


def test_an_answer_that_asked_a_permission_varies_on_cookie() -> None:
    app = login_app()
    assert "Cookie" in app.get("/edit", status=403).headers["Vary"]
    app.post("/login", {"user": "ann"})
    assert app.get("/edit").headers["Vary"] == "Accept, Cookie"


def test_an_answer_that_read_neither_still_varies_on_cookie_as_every_route_of_a_secured_app() -> None:
    assert login_app().get("/plain").headers["Vary"] == "Accept, Cookie"


def test_authenticated_userid_comes_from_the_policy_method_when_it_has_one() -> None:
    class Vouching(Policy):
        def authenticated_userid(self, request: Any) -> Any:
            identity = request.identity
            return identity.upper() if identity else None

    app = login_app(Vouching())
    app.post("/login", {"user": "ann"})
    assert app.get("/who").json == {"userid": "ANN", "authenticated": True}


def test_remember_and_forget_outside_an_application_give_no_headers() -> None:
    request = Request.blank("/")
    assert remember(request, "ann") == [] and forget(request) == []


def test_a_login_cookie_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="needs a secret"):
        AuthCookieHelper("")


def test_a_view_may_say_what_else_its_answer_varies_on() -> None:
    config = Configurator()
    config.add_route("r", "/")

    def view(request: Any) -> dict[str, Any]:
        request.vary_on("X-Tenant", "Cookie")
        request.vary_on("X-Tenant")
        return {}

    config.add_view(view, route_name="r", renderer="json")
    assert TestApp(config.make_wsgi_app()).get("/").headers["Vary"] == "Accept, X-Tenant, Cookie"
