"""CSRF: unsafe requests to views carry the browser's token (header, else form field), checked
before the view runs; HTTPS requests also come from this site; views may opt out."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from webtest import TestApp, TestRequest, TestResponse

from viewpick import ConfigurationError, Configurator, HTTPBadRequest
from viewpick.csrf import CookieCSRFStoragePolicy, check_csrf_origin, check_csrf_token, get_csrf_token
from viewpick.explain import build_request, explain
from viewpick.request import Request
from viewpick.sessions import SignedCookieSessionFactory
from viewpick.upstream import PARSED_POST_VARS

SECRET = "a csrf secret"


def csrf_config(sessions: bool = True, **options: Any) -> tuple[Configurator, list[str]]:
    """A form page that shows the token, a view that saves, one that opts out; ``calls`` records
    which views ran."""
    calls: list[str] = []
    config = Configurator()
    if sessions:
        config.set_session_factory(SignedCookieSessionFactory(SECRET))
    config.set_default_csrf_options(**options)
    config.add_route("form", "/form")
    config.add_route("save", "/save")
    config.add_route("hook", "/hook")

    def form(request: Any) -> dict[str, Any]:
        return {"token": request.csrf_token}

    def save(request: Any) -> dict[str, Any]:
        calls.append("save")
        return {"saved": True}

    def hook(request: Any) -> dict[str, Any]:
        calls.append("hook")
        return {"hooked": True}

    config.add_view(form, route_name="form", request_method="GET", renderer="json")
    config.add_view(save, route_name="save", renderer="json")
    config.add_view(hook, route_name="hook", renderer="json", require_csrf=False)
    return config, calls


def client(sessions: bool = True, **options: Any) -> tuple[TestApp, list[str]]:
    config, calls = csrf_config(sessions, **options)
    return TestApp(config.make_wsgi_app()), calls


def test_a_form_post_without_the_token_is_refused_before_the_view_runs() -> None:
    app, calls = client()
    app.get("/form")
    response = app.post("/save", {"title": "x"}, status=400)
    assert "CSRF token" in response.text
    assert calls == []


def test_a_form_post_with_the_token_reaches_the_view() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    assert app.post("/save", {"csrf_token": token}).json == {"saved": True}
    assert calls == ["save"]


def test_a_wrong_token_is_refused() -> None:
    app, calls = client()
    app.get("/form")
    app.post("/save", {"csrf_token": "x" * 43}, status=400)
    assert calls == []


def test_the_token_of_another_browser_is_refused() -> None:
    first, _ = client()
    token = first.get("/form").json["token"]
    second, calls = client()
    second.get("/form")
    second.post("/save", {"csrf_token": token}, status=400)
    assert calls == []


def test_an_xhr_may_send_the_token_in_the_header() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    app.put_json("/save", {"title": "x"}, headers={"X-CSRF-Token": token})
    assert calls == ["save"]


def post_watched(
    app: TestApp, body: bytes, content_type: str, headers: dict[str, str], status: int = 200
) -> tuple[TestResponse, BytesIO]:
    """POST ``body`` to /save from a stream of the test's own, so the test can see whether
    anything read it: a form parsed, or a body copied to be parsed."""
    request = TestRequest.blank("/save", method="POST", headers=headers)
    request.environ["CONTENT_TYPE"] = content_type
    request.environ["CONTENT_LENGTH"] = str(len(body))
    stream = request.environ["wsgi.input"] = BytesIO(body)
    return app.do_request(request, status=status), stream


def test_a_header_token_is_accepted_without_the_form_being_parsed() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    response, stream = post_watched(app, b"title=x", "application/x-www-form-urlencoded", {"X-CSRF-Token": token})
    assert calls == ["save"]
    assert stream.tell() == 0
    assert PARSED_POST_VARS not in response.request.environ


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", ""])
def test_a_body_that_is_not_a_form_is_left_unread_when_the_header_has_the_token(content_type: str) -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    _, stream = post_watched(app, b'{"title": "x"}', content_type, {"X-CSRF-Token": token})
    assert stream.tell() == 0
    assert calls == ["save"]


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", ""])
def test_the_form_field_is_looked_for_only_in_a_form_body(content_type: str) -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    _, stream = post_watched(app, f"csrf_token={token}".encode(), content_type, {}, status=400)
    assert stream.tell() == 0
    assert calls == []


def test_a_multipart_form_may_carry_the_token() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    app.post("/save", {"csrf_token": token}, content_type="multipart/form-data")
    assert calls == ["save"]


def test_a_form_token_is_accepted_when_the_header_is_empty() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    app.post("/save", {"csrf_token": token}, headers={"X-CSRF-Token": ""})
    assert calls == ["save"]


def test_the_header_decides_when_both_carry_a_token() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    app.post("/save", {"csrf_token": "x" * 43}, headers={"X-CSRF-Token": token})
    assert calls == ["save"]


def test_a_wrong_header_token_is_refused_even_when_the_form_has_the_right_one() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    response = app.post("/save", {"csrf_token": token}, headers={"X-CSRF-Token": "x" * 43}, status=400)
    assert "header X-CSRF-Token" in response.text
    assert calls == []


def test_a_wrong_header_token_is_refused() -> None:
    app, calls = client()
    app.get("/form")
    app.delete("/save", headers={"X-CSRF-Token": "x" * 43}, status=400)
    assert calls == []


def test_token_and_header_names_are_options() -> None:
    app, calls = client(token="_token", header="X-XSRF")
    token = app.get("/form").json["token"]
    app.post("/save", {"csrf_token": token}, status=400)
    app.post("/save", {"_token": token})
    app.delete("/save", headers={"X-XSRF": token})
    assert calls == ["save", "save"]


def test_safe_methods_need_no_token() -> None:
    app, calls = client()
    app.get("/save")
    app.head("/save")
    assert calls == ["save", "save"]


def test_safe_methods_are_an_option() -> None:
    app, calls = client(safe_methods=("GET", "HEAD", "OPTIONS", "TRACE", "PATCH"))
    app.patch("/save", "")
    app.post("/save", status=400)
    assert calls == ["save"]


def test_a_view_can_opt_out() -> None:
    app, calls = client()
    assert app.post("/hook").json == {"hooked": True}
    assert calls == ["hook"]


def test_a_view_can_opt_in_when_the_default_is_off() -> None:
    config, calls = csrf_config(require_csrf=False)
    config.add_route("strict", "/strict")
    config.add_view(
        lambda request: calls.append("strict") or {}, route_name="strict", renderer="json", require_csrf=True
    )
    app = TestApp(config.make_wsgi_app())
    app.post("/save")
    app.post("/strict", status=400)
    assert calls == ["save"]


def test_without_csrf_options_views_check_nothing() -> None:
    config = Configurator()
    config.add_route("save", "/save")
    config.add_view(lambda request: {"saved": True}, route_name="save", renderer="json")
    app = config.make_wsgi_app()
    assert TestApp(app).post("/save").json == {"saved": True}
    assert all(view.csrf is None for view in app.dispatch["save"].views)


def test_the_callback_can_skip_the_check_for_a_request() -> None:
    app, calls = client(callback=lambda request: "Authorization" not in request.headers)
    app.post("/save", headers={"Authorization": "Bearer abc"})
    app.post("/save", status=400)
    assert calls == ["save"]


def test_without_sessions_the_token_lives_in_a_cookie_of_its_own() -> None:
    app, calls = client(sessions=False)
    response = app.get("/form")
    assert response.headers["Set-Cookie"].startswith("csrf_token=")
    assert app.get("/form").json["token"] == response.json["token"]  # the same browser keeps its token
    app.post("/save", {"csrf_token": response.json["token"]})
    assert calls == ["save"]


def test_a_cookie_token_with_no_cookie_sent_is_refused() -> None:
    app, calls = client(sessions=False)
    token = app.get("/form").json["token"]
    app.cookiejar.clear()
    app.post("/save", {"csrf_token": token}, status=400)
    assert calls == []


def test_an_explicit_cookie_storage_policy_is_used_with_sessions() -> None:
    config, calls = csrf_config()
    config.set_csrf_storage_policy(CookieCSRFStoragePolicy(cookie_name="xsrf"))
    app = TestApp(config.make_wsgi_app())
    token = app.get("/form").json["token"]
    assert app.cookies["xsrf"] == token
    app.post("/save", {"csrf_token": token})
    assert calls == ["save"]


def test_the_refusal_is_negotiated_like_every_error() -> None:
    app, _ = client()
    app.get("/form")
    response = app.post("/save", headers={"Accept": "application/json"}, status=400)
    assert response.json["status"] == 400
    assert "CSRF token" in response.json["detail"]


def test_an_error_view_answers_the_refusal() -> None:
    config, _ = csrf_config()
    config.add_exception_view(
        lambda request: {"refused": type(request.exception).__name__}, HTTPBadRequest, renderer="json"
    )
    app = TestApp(config.make_wsgi_app())
    assert app.post("/save", status=400).json == {"refused": "BadCSRFToken"}


# --- the Origin check, for HTTPS requests --------------------------------------------------------


def https_post(app: TestApp, token: str, **headers: str) -> Any:
    return app.post(
        "/save",
        {"csrf_token": token},
        headers=headers,
        extra_environ={"wsgi.url_scheme": "https", "HTTP_HOST": "localhost", "SERVER_PORT": "443"},
        status="*",
    )


def test_an_https_post_from_this_site_passes() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    assert https_post(app, token, Origin="https://localhost").status_int == 200
    assert https_post(app, token, Referer="https://localhost/form").status_int == 200
    assert calls == ["save", "save"]


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Origin": "http://localhost"}, {"Origin": "null"}, {}],
    ids=["other-site", "not-https", "null", "no-origin"],
)
def test_an_https_post_from_elsewhere_is_refused(headers: dict[str, str]) -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    response = https_post(app, token, **headers)
    assert response.status_int == 400
    assert "Origin" in response.text or "site" in response.text
    assert calls == []


def test_trusted_origins_pass() -> None:
    app, calls = client(trusted_origins=["admin.example"])
    token = app.get("/form").json["token"]
    assert https_post(app, token, Origin="https://admin.example").status_int == 200
    assert calls == ["save"]


def test_the_origin_check_can_be_turned_off_or_allow_no_origin() -> None:
    for options in ({"check_origin": False}, {"allow_no_origin": True}):
        app, _ = client(**options)
        token = app.get("/form").json["token"]
        assert https_post(app, token).status_int == 200


def test_plain_http_requests_are_not_origin_checked() -> None:
    app, calls = client()
    token = app.get("/form").json["token"]
    app.post("/save", {"csrf_token": token}, headers={"Origin": "http://evil.example"})
    assert calls == ["save"]


# --- configuration and explain -----------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"require_csrf": "yes"}, {"token": None, "header": None}, {"token": ""}, {"safe_methods": "GET"}, {"callback": 3}],
    ids=["not-bool", "nowhere", "empty-name", "string-methods", "callback"],
)
def test_bad_csrf_options_are_configuration_errors_naming_the_line(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match=r"test_csrf\.py"):
        Configurator().set_default_csrf_options(**options)


def test_a_bad_require_csrf_value_is_a_configuration_error() -> None:
    config = Configurator()
    config.add_route("r", "/")
    config.add_view(lambda request: {}, route_name="r", renderer="json", require_csrf="no")
    with pytest.raises(ConfigurationError, match="require_csrf must be True, False or None"):
        config.make_wsgi_app()


def test_explain_shows_the_csrf_verdict() -> None:
    config, _ = csrf_config()
    app = config.make_wsgi_app()
    refused = explain(app, build_request("POST", "/save"))
    assert refused.status == 400
    assert "csrf: FAIL" in refused.as_text()
    assert "CSRF token" in refused.as_text()
    fine = explain(app, build_request("GET", "/save"))
    assert fine.status == 200
    assert "csrf: pass (GET is a safe method" in fine.as_text()


def csrf_main(settings: Any = None) -> Any:
    """The app of these tests, for ``viewpick explain tests.test_csrf:csrf_main``."""
    return csrf_config()[0].make_wsgi_app()


def test_viewpick_explain_prints_the_verdict_and_exits_1_for_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    from viewpick.cli import main

    assert main(["explain", "tests.test_csrf:csrf_main", "POST", "/save"]) == 1
    out = capsys.readouterr().out
    assert "csrf: FAIL (refused with 400 Bad CSRF Token" in out
    assert "status: 400 Bad Request: the view's CSRF check refuses the request before the view runs" in out
    assert main(["explain", "tests.test_csrf:csrf_main", "POST", "/hook"]) == 0
    assert "csrf:" not in capsys.readouterr().out


def test_views_of_safe_methods_only_get_no_check() -> None:
    config, _ = csrf_config()
    app = config.make_wsgi_app()
    (form,) = app.dispatch["form"].views
    (save,) = app.dispatch["save"].views
    assert form.csrf is None and save.csrf is not None


def test_trusted_origins_may_be_one_string_or_a_setting() -> None:
    config, calls = csrf_config(trusted_origins="a.example, b.example")
    config.settings["csrf_trusted_origins"] = "c.example"
    app = TestApp(config.make_wsgi_app())
    token = app.get("/form").json["token"]
    for origin in ("https://a.example", "https://b.example", "https://c.example", "https://d.example"):
        https_post(app, token, Origin=origin)
    assert calls == ["save", "save", "save"]


def test_a_cookie_that_is_not_a_token_is_replaced() -> None:
    app, calls = client(sessions=False)
    app.set_cookie("csrf_token", "not a token!")
    response = app.get("/form")
    assert response.headers["Set-Cookie"].startswith(f"csrf_token={response.json['token']};")
    app.post("/save", {"csrf_token": "not a token!"}, status=400)
    assert calls == []


def test_views_may_check_by_hand_without_raising() -> None:
    config = Configurator()
    config.add_route("check", "/check")

    def check(request: Any) -> dict[str, Any]:
        return {
            "token": check_csrf_token(request, raises=False),
            "origin": check_csrf_origin(request, raises=False),
        }

    config.add_view(check, route_name="check", renderer="json")
    app = TestApp(config.make_wsgi_app())
    environ = {"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"}
    assert app.post("/check", headers={"Origin": "https://evil.example"}, extra_environ=environ).json == {
        "token": False,
        "origin": False,
    }


def test_a_token_needs_a_request_of_an_application() -> None:
    with pytest.raises(LookupError, match="viewpick application"):
        get_csrf_token(Request.blank("/"))


def test_explain_says_when_the_token_is_there_or_the_callback_skips() -> None:
    config, _ = csrf_config(sessions=False, callback=lambda request: "skip" not in request.GET)
    app = config.make_wsgi_app()
    browser = TestApp(app)
    token = browser.get("/form").json["token"]
    request = build_request("POST", "/save", headers=[("Cookie", f"csrf_token={token}"), ("X-CSRF-Token", token)])
    assert explain(app, request).csrf == "pass (the request carries this browser's token)"
    skipped = explain(app, build_request("POST", "/save", params=[("skip", "1")]))
    assert skipped.csrf == "pass (the CSRF callback skips this request)"


def test_a_json_only_view_without_the_check_refuses_what_a_form_can_send() -> None:
    config, calls = csrf_config()
    config.add_route("api", "/api")
    config.add_view(
        lambda request: calls.append("api") or {}, route_name="api", content_type="application/json", renderer="json",
        require_csrf=False,
    )  # fmt: skip
    app = TestApp(config.make_wsgi_app())
    app.post("/api", '{"title": "x"}', content_type="text/plain", status=415)  # a cross-site form's enctype
    app.post("/api", {"title": "x"}, status=415)
    app.post("/api", '{"title": "x"}', content_type="application/json")  # only after a CORS preflight
    assert calls == ["api"]
