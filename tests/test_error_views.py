"""Error views: 404, 403, 500 and any exception answered by views that the dispatcher chooses
with the same predicates, ranking and renderers as ordinary views."""

from __future__ import annotations

import json
import logging
import re

import pytest
from webob import exc as webob_exc
from webtest import TestApp

from viewpick import (
    ConfigurationError,
    Configurator,
    HTTPException,
    HTTPForbidden,
    HTTPFound,
    HTTPNotFound,
    Response,
)
from viewpick.explain import build_request, explain
from viewpick.httpexceptions import HTTPMethodNotAllowed, HTTPSeeOther, exception_response, status_map

from .conftest import BROWSER_ACCEPT, XHR, HeaderPolicy


def text(value: str):
    """A view returning ``value``."""
    return lambda request: value


def boom(request):
    raise RuntimeError("kaboom <b>")


@pytest.fixture
def config() -> Configurator:
    config = Configurator()
    config.set_security_policy(HeaderPolicy())
    config.add_route("home", "/")
    config.add_route("secret", "/secret")
    config.add_route("boom", "/boom")
    config.add_view(text("home"), route_name="home", renderer="string")
    config.add_view(text("secret"), route_name="secret", renderer="string", permission="read")
    config.add_view(boom, route_name="boom", renderer="string")
    return config


# Each way to declare one.


def test_add_notfound_view_answers_a_path_no_route_matches(config, make_app):
    config.add_notfound_view(lambda request: f"no page at {request.path}", renderer="string")
    assert make_app(config).get("/nowhere", status=404).text == "no page at /nowhere"


def test_add_forbidden_view_answers_a_denied_permission(config, make_app):
    config.add_forbidden_view(text("members only"), renderer="string")
    assert make_app(config).get("/secret", status=403).text == "members only"


def test_add_exception_view_answers_an_exception_a_view_raises(config, make_app):
    config.add_exception_view(lambda request: f"sorry: {request.exception}", context=RuntimeError, renderer="string")
    assert make_app(config).get("/boom", status=500).text == "sorry: kaboom <b>"


def test_add_exception_view_defaults_to_every_exception(config, make_app):
    config.add_exception_view(text("sorry"), renderer="string")
    assert make_app(config).get("/boom", status=500).text == "sorry"


@pytest.fixture
def scanned(make_app) -> TestApp:
    config = Configurator()
    config.set_security_policy(HeaderPolicy())
    config.add_route("pay", "/pay")
    config.add_route("secret", "/secret")
    config.add_view(text("secret"), route_name="secret", renderer="string", permission="read")
    config.add_route("lookup", "/lookup")
    config.add_view(lambda request: {}["film"], route_name="lookup", renderer="string")
    config.scan("tests.apps.scan_errors")
    return make_app(config)


def test_notfound_view_config_is_found_by_a_scan(scanned):
    assert scanned.get("/gone", status=404).text == "lost: /gone"


def test_forbidden_view_config_is_found_by_a_scan(scanned):
    assert scanned.get("/secret", status=403).text == "keep out"


def test_exception_view_config_takes_the_exception_class_first(scanned):
    assert scanned.get("/pay", status=500).text == "overdrawn: no funds"


def test_an_error_view_may_be_a_method_of_a_view_class(scanned):
    assert scanned.get("/lookup", status=500).text == "missing film"


# Which error view: the exception's MRO, then the dispatcher's own ranking.


def raising(error: Exception):
    def view(request):
        raise error

    return view


def test_the_most_specific_class_in_the_exceptions_mro_wins(config, make_app):
    config.add_route("key", "/key")
    config.add_view(raising(KeyError("k")), route_name="key")
    config.add_exception_view(text("exception"), context=Exception, renderer="string")
    config.add_exception_view(text("lookup"), context=LookupError, renderer="string")
    config.add_exception_view(text("value"), context=ValueError, renderer="string")
    assert make_app(config).get("/key", status=500).text == "lookup"


def test_when_a_classs_error_views_all_refuse_the_next_class_in_the_mro_answers(config, make_app):
    config.add_route("key", "/key")
    config.add_view(raising(KeyError("k")), route_name="key")
    config.add_exception_view(text("exception"), context=Exception, renderer="string")
    config.add_exception_view(text("lookup for xhr"), context=LookupError, renderer="string", xhr=True)
    app = make_app(config)
    assert app.get("/key", status=500).text == "exception"
    assert app.get("/key", headers=XHR, status=500).text == "lookup for xhr"


@pytest.fixture
def negotiated(config) -> Configurator:
    config.add_notfound_view(text("<h1>Not here</h1>"), renderer="string", accept="text/html")
    config.add_notfound_view(lambda request: {"error": "not found"}, renderer="json", accept="application/json")
    config.add_notfound_view(text("fragment"), renderer="string", accept="text/html", xhr=True)
    return config


def test_a_browser_gets_the_html_error_view(negotiated, make_app):
    response = make_app(negotiated).get("/nowhere", headers={"Accept": BROWSER_ACCEPT}, status=404)
    assert response.text == "<h1>Not here</h1>"


def test_an_api_client_gets_the_json_error_view(negotiated, make_app):
    response = make_app(negotiated).get("/nowhere", headers={"Accept": "application/json"}, status=404)
    assert response.json == {"error": "not found"}


def test_an_error_view_with_more_predicates_comes_first_as_for_ordinary_views(negotiated, make_app):
    headers = {"Accept": BROWSER_ACCEPT, **XHR}
    assert make_app(negotiated).get("/nowhere", headers=headers, status=404).text == "fragment"


def test_route_name_limits_an_error_view_to_that_routes_requests(config, make_app):
    config.add_route("films", "/films/{id}")
    config.add_view(raising(HTTPNotFound("no such film")), route_name="films")
    config.add_notfound_view(text("no such film"), route_name="films", renderer="string")
    config.add_notfound_view(text("no such page"), renderer="string")
    app = make_app(config)
    assert app.get("/films/9", status=404).text == "no such film"
    assert app.get("/elsewhere", status=404).text == "no such page"


def test_an_error_view_for_exception_leaves_http_exceptions_alone(config, make_app):
    config.add_route("moved", "/moved")
    config.add_view(raising(HTTPFound("/there")), route_name="moved")
    config.add_exception_view(text("crashed"), renderer="string")
    app = make_app(config)
    assert app.get("/moved", status=302).headers["Location"].endswith("/there")
    assert app.get("/nowhere", headers={"Accept": "application/json"}, status=404).json["title"] == "Not Found"


def test_an_error_view_for_http_exception_answers_every_http_error(config, make_app):
    config.add_exception_view(
        lambda request: f"http {request.exception.code}", context=HTTPException, renderer="string"
    )
    app = make_app(config)
    assert app.get("/nowhere", status=404).text == "http 404"
    assert app.get("/secret", status=403).text == "http 403"


def test_an_error_view_catches_webobs_own_exceptions_too(config, make_app):
    config.add_route("old", "/old")
    config.add_view(raising(webob_exc.HTTPNotFound()), route_name="old")
    config.add_notfound_view(text("custom"), renderer="string")
    assert make_app(config).get("/old", status=404).text == "custom"


def test_the_error_is_the_views_request_exception_and_context(config, make_app):
    config.add_exception_view(
        lambda request: f"{request.exception is request.context} {type(request.context).__name__}",
        context=RuntimeError,
        renderer="string",
    )
    assert make_app(config).get("/boom", status=500).text == "True RuntimeError"


def test_the_raised_exceptions_exc_info_is_on_the_request_as_in_pyramid(config, make_app):
    def where(request):
        kind, error, trace = request.exc_info
        while trace.tb_next is not None:
            trace = trace.tb_next
        return f"{kind.__name__} {error is request.exception} {trace.tb_frame.f_code.co_name}"

    config.add_exception_view(where, context=RuntimeError, renderer="string")
    assert make_app(config).get("/boom", status=500).text == "RuntimeError True boom"


# The error view's answer.


def test_a_rendered_not_found_view_keeps_the_404(config, make_app):
    config.add_notfound_view(text("page"), renderer="string")
    assert make_app(config).get("/nowhere", expect_errors=True).status_int == 404


def test_an_error_view_may_set_another_status(config, make_app):
    def gone(request):
        request.response.status = 410
        return "gone for good"

    config.add_notfound_view(gone, renderer="string")
    assert make_app(config).get("/nowhere", status=410).text == "gone for good"


def test_a_forbidden_view_sends_a_browser_to_the_login_page_with_next(config, make_app):
    def to_login(request):
        raise HTTPFound(request.route_path("home", _query={"next": request.path_qs}))

    config.add_forbidden_view(to_login)
    response = make_app(config).get("/secret?x=1", status=302)
    assert response.headers["Location"].endswith("/?next=%2Fsecret%3Fx%3D1")


def test_a_forbidden_view_may_return_the_redirect_as_well(config, make_app):
    config.add_forbidden_view(lambda request: HTTPSeeOther("/login"))
    assert make_app(config).get("/secret", status=303).headers["Location"].endswith("/login")


def test_a_405_handled_by_an_error_view_keeps_its_allow_header(config, make_app):
    config.add_exception_view(text("wrong method"), context=HTTPMethodNotAllowed, renderer="string")
    config.add_route("read_only", "/read-only")
    config.add_view(text("read"), route_name="read_only", request_method="GET", renderer="string")
    response = make_app(config).delete("/read-only", status=405)
    assert (response.text, response.headers["Allow"]) == ("wrong method", "GET, HEAD, OPTIONS")


def test_a_405_answered_by_an_error_views_own_response_keeps_its_allow_header(config, make_app):
    config.add_exception_view(
        lambda request: Response("wrong method", status=405, content_type="text/plain"), context=HTTPMethodNotAllowed
    )
    config.add_route("read_only", "/read-only")
    config.add_view(text("read"), route_name="read_only", request_method="GET", renderer="string")
    response = make_app(config).delete("/read-only", status=405)
    assert (response.text, response.headers["Allow"]) == ("wrong method", "GET, HEAD, OPTIONS")


def test_an_error_views_own_response_with_another_status_gets_none_of_the_errors_headers(config, make_app):
    config.add_exception_view(
        lambda request: Response("gone elsewhere", status=404, content_type="text/plain"), context=HTTPMethodNotAllowed
    )
    config.add_route("read_only", "/read-only")
    config.add_view(text("read"), route_name="read_only", request_method="GET", renderer="string")
    response = make_app(config).delete("/read-only", status=404)
    assert "Allow" not in response.headers


def test_vary_names_what_the_choice_of_error_view_depended_on(negotiated, make_app):
    response = make_app(negotiated).get("/nowhere", headers={"Accept": "application/json"}, status=404)
    assert {"Accept", "X-Requested-With"} <= {name.strip() for name in response.headers["Vary"].split(",")}


def test_the_built_in_answer_varies_on_the_error_views_it_passed_over(config, make_app):
    config.add_notfound_view(text("fragment"), renderer="string", xhr=True)
    response = make_app(config).get("/nowhere", status=404)
    assert "X-Requested-With" in response.headers["Vary"]


def test_without_a_matching_error_view_the_built_in_answer_is_sent(config, make_app):
    config.add_notfound_view(text("fragment"), renderer="string", xhr=True)
    response = make_app(config).get("/nowhere", headers={"Accept": "application/json"}, status=404)
    assert response.json["title"] == "Not Found"


def test_an_application_without_error_views_has_no_error_dispatch(config):
    assert config.make_wsgi_app().error_dispatch is None


def test_client_text_that_is_not_utf8_may_be_answered_by_a_bad_request_view(config, make_app):
    config.add_route("search", "/search")
    config.add_view(lambda request: request.params.get("q", ""), route_name="search", renderer="string")
    config.add_exception_view(text("bad input"), context=webob_exc.HTTPBadRequest, renderer="string")
    assert make_app(config).get("/search?q=%ff", status=400).text == "bad input"


def test_a_body_that_is_not_json_may_be_answered_by_a_bad_request_view(config, make_app):
    config.add_route("api", "/api")
    config.add_view(lambda request: request.json_body, route_name="api", request_method="POST", renderer="json")
    config.add_exception_view(
        lambda request: {"problem": request.exception.detail},
        context=webob_exc.HTTPBadRequest,
        renderer="json",
    )
    response = make_app(config).post("/api", b"{nope", headers={"Content-Type": "application/json"}, status=400)
    assert response.json["problem"].startswith("The request body is not valid JSON")


# An error view that fails.


def test_a_failing_error_view_gives_the_built_in_500(config, make_app):
    config.add_exception_view(raising(ValueError("the error view broke")), context=RuntimeError)
    response = make_app(config).get("/boom", headers={"Accept": "application/json"}, status=500)
    assert response.json["detail"] == "The server could not complete the request."


def test_a_failing_error_view_logs_both_tracebacks(config, make_app, caplog):
    config.add_exception_view(raising(ValueError("the error view broke")), context=Exception)
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        make_app(config).get("/boom", status=500)
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert [type(error) for error in logged] == [RuntimeError, ValueError]


def test_an_unexpected_exception_an_error_view_answers_is_still_logged_with_its_traceback(config, make_app, caplog):
    config.add_exception_view(text("sorry"), renderer="string")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        make_app(config).get("/boom", status=500)
    assert [type(record.exc_info[1]) for record in caplog.records if record.exc_info] == [RuntimeError]


class Raises:
    """A predicate that fails on every request with an exception."""

    def __init__(self, value, config):
        pass

    def text(self):
        return "raises"

    phash = text

    def __call__(self, context, request):
        raise LookupError("no tenant")


def test_an_error_view_predicate_that_raises_gives_the_built_in_500_and_is_logged(config, make_app, caplog):
    config.add_view_predicate("raises", Raises)
    config.add_notfound_view(text("x"), renderer="string", raises=True)
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        response = make_app(config).get("/nowhere", headers={"Accept": "application/json"}, status=500)
    assert response.json["title"] == "Internal Server Error"
    assert "choosing an error view failed answering HTTPNotFound" in caplog.text


def test_an_error_view_raising_an_error_is_not_handled_by_error_views_again(config, make_app):
    calls = []

    def not_found(request):
        calls.append(request.path)
        raise HTTPNotFound()

    config.add_notfound_view(not_found)
    make_app(config).get("/nowhere", status=404)
    assert calls == ["/nowhere"]


# Mistakes in the configuration.


def test_an_error_view_with_a_permission_is_refused(config):
    config.add_notfound_view(text("x"), renderer="string", permission="read")
    with pytest.raises(ConfigurationError, match="an error view cannot have a permission"):
        config.make_wsgi_app()


def test_an_error_view_for_something_not_an_exception_is_refused(config):
    with pytest.raises(ConfigurationError, match="context must be an exception class"):
        config.add_exception_view(text("x"), context=dict)


def test_an_error_view_naming_an_unknown_route_is_refused(config):
    config.add_notfound_view(text("x"), renderer="string", route_name="hom")
    with pytest.raises(ConfigurationError, match="did you mean 'home'"):
        config.make_wsgi_app()


def test_two_error_views_for_one_class_testing_the_same_things_conflict(config):
    config.add_notfound_view(text("a"), renderer="string")
    config.add_notfound_view(text("b"), renderer="string")
    with pytest.raises(ConfigurationError, match=re.escape("conflict as error views for webob.exc.HTTPNotFound")):
        config.make_wsgi_app()


# The debugging 500 page.


def test_with_debug_on_a_browser_sees_the_exception_traceback_and_view_escaped(config):
    config.settings["debug"] = "true"
    response = TestApp(config.make_wsgi_app()).get("/boom", headers={"Accept": BROWSER_ACCEPT}, status=500)
    assert "RuntimeError: kaboom &lt;b&gt;" in response.text and "<b>" not in response.text
    assert "tests.test_error_views.boom (tests/test_error_views.py:" in response.text
    assert "raise RuntimeError(&quot;kaboom &lt;b&gt;&quot;)" in response.text


def test_with_debug_on_an_api_client_gets_the_traceback_as_json(config):
    config.settings["debug"] = "true"
    response = TestApp(config.make_wsgi_app()).get("/boom", headers={"Accept": "application/json"}, status=500)
    assert response.json["exception"] == "RuntimeError: kaboom <b>"
    assert "Traceback (most recent call last)" in response.json["traceback"]


def test_with_debug_on_a_terminal_gets_the_traceback_as_plain_text(config):
    config.settings["debug"] = "true"
    response = TestApp(config.make_wsgi_app()).get("/boom", headers={"Accept": "text/plain"}, status=500)
    assert response.text.startswith("500 Internal Server Error\n\nRuntimeError: kaboom <b>\nView: tests.")


def test_the_debugging_page_says_when_the_error_came_while_choosing_a_view(config):
    config.settings["debug"] = "true"
    config.add_view_predicate("raises", Raises)
    config.add_route("tenant", "/tenant")
    config.add_view(text("x"), route_name="tenant", raises=True, renderer="string")
    response = TestApp(config.make_wsgi_app()).get("/tenant", headers={"Accept": "application/json"}, status=500)
    assert (response.json["exception"], response.json["view"]) == (
        "LookupError: no tenant",
        "(raised while choosing a view)",
    )


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "application/json", "text/plain"])
def test_with_debug_off_no_traceback_reaches_the_client(config, make_app, accept):
    response = make_app(config).get("/boom", headers={"Accept": accept}, status=500)
    assert (
        "kaboom" not in response.text and "Traceback" not in response.text and "test_error_views" not in response.text
    )


def test_with_debug_on_a_catch_all_error_view_gives_way_to_the_debugging_page(config):
    config.settings["debug"] = "true"
    config.add_exception_view(text("our 500 page"), renderer="string")
    assert "kaboom" in TestApp(config.make_wsgi_app()).get("/boom", status=500).text


def test_with_debug_on_an_error_view_for_a_specific_class_still_answers(config):
    config.settings["debug"] = "true"
    config.add_exception_view(text("runtime page"), context=RuntimeError, renderer="string")
    assert TestApp(config.make_wsgi_app()).get("/boom", status=500).text == "runtime page"


# The HTTP exceptions, with Pyramid's signatures.


def test_http_found_takes_the_location_first():
    assert HTTPFound("/login").location == "/login"


def test_a_redirect_sets_location_on_the_wire(config, make_app):
    config.add_route("go", "/go")
    config.add_view(lambda request: HTTPFound("/there"), route_name="go")
    assert make_app(config).get("/go", status=302).headers["Location"] == "http://localhost/there"


def test_the_errors_are_webobs_own_classes():
    assert HTTPNotFound is webob_exc.HTTPNotFound and HTTPForbidden is webob_exc.HTTPForbidden
    assert issubclass(HTTPFound, webob_exc.HTTPFound)


def test_exception_response_builds_the_class_for_a_status():
    assert isinstance(exception_response(302, location="/x"), HTTPFound)
    assert status_map[404] is HTTPNotFound


# explain says which error view would answer.


def test_explain_names_the_error_view_for_a_refused_request(negotiated):
    app = negotiated.make_wsgi_app()
    explanation = explain(app, build_request("GET", "/nowhere", [("Accept", "application/json")]))
    assert explanation.error_view is not None and explanation.error_view.startswith("tests.test_error_views.")
    text_form = explanation.as_text()
    assert "error views, in the order the dispatcher tried them:" in text_form
    assert text_form.count(": chosen") == 1


def test_explain_says_when_no_error_view_takes_a_refused_request(config):
    config.add_notfound_view(text("fragment"), renderer="string", xhr=True)
    explanation = explain(config.make_wsgi_app(), build_request("GET", "/nowhere"))
    assert explanation.error_view is None
    assert "error view: none takes it; the built-in 404 answers" in explanation.as_text()


def test_explain_shows_an_error_view_predicate_that_raises(config):
    config.add_view_predicate("raises", Raises)
    config.add_notfound_view(text("x"), renderer="string", raises=True)
    explanation = explain(config.make_wsgi_app(), build_request("GET", "/nowhere"))
    assert explanation.error_candidates[0].verdicts[0].seen == "raised LookupError: no tenant"


def test_explain_as_json_lists_the_error_views_tried(negotiated):
    explanation = explain(negotiated.make_wsgi_app(), build_request("GET", "/nowhere", [("Accept", "text/html")]))
    document = json.loads(json.dumps(explanation.as_dict()))
    assert "chosen" in [c["outcome"] for c in document["error_candidates"]]
    assert document["error_candidates"][0]["context"] == "webob.exc.HTTPNotFound"


def test_viewpick_routes_lists_the_error_views_of_each_class_in_rank_order(capsys):
    from viewpick.cli import main

    assert main(["routes", "demo.films:main"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("error views for webob.exc.HTTPForbidden") :]
    assert section.index("forbidden_json") < section.index("forbidden_page")  # more predicates first
