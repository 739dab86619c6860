"""Explaining dispatch: the explanation describes the decision the live app makes, with
each predicate's verdict and what it saw; ``debug_dispatch`` shows it on error pages."""

from __future__ import annotations

import itertools
import json

import pytest
from webtest import TestApp

from viewpick.explain import build_request, explain

from .apps import explained, overlapping

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def app():
    return explained.main()


def explain_request(app, method, path, headers=(), **kw):
    return explain(app, build_request(method, path, headers, request_class=app.request_class, **kw))


def test_a_failed_accept_predicate_shows_what_the_client_sent(app):
    text = explain_request(app, "GET", "/feed", [("Accept", "text/html")]).as_text()
    assert "FAIL accept = application/json  (the client sent Accept: text/html)" in text
    assert "decision: 406 Not Acceptable" in text


def test_the_chosen_view_is_named_with_its_file_and_line(app):
    explanation = explain_request(app, "GET", "/films/1", xhr=True)
    assert explanation.view == f"tests.apps.explained.partial (tests/apps/explained.py:{line_of('def partial')})"
    assert explanation.as_text().count(": chosen") == 1


def test_a_route_that_does_not_match_is_said_plainly(app):
    explanation = explain_request(app, "GET", "/films/abc")
    assert (explanation.route, explanation.status) == (None, 404)
    assert "route: none matched" in explanation.as_text()


def test_views_are_listed_in_the_order_the_dispatcher_tried_them(app):
    explanation = explain_request(app, "GET", "/films/1", [("Accept", "application/json")])
    names = [candidate.view.rsplit(".", 1)[1] for candidate in explanation.candidates]
    # JSON first (the client asks for it); then the HTML views by predicate count and kind
    # (request_param before xhr); then, in their static order, the views that do not serve GET.
    assert names == ["as_json", "printable", "partial", "page", "save_form", "save_json", "preview"]


def test_a_view_that_does_not_serve_the_method_says_so(app):
    explanation = explain_request(app, "GET", "/films/1")
    outcomes = {c.view.rsplit(".", 1)[1]: c.outcome for c in explanation.candidates}
    assert outcomes["save_form"] == "does not serve GET"


def test_a_view_with_the_default_methods_fails_request_method_by_default_for_others(app):
    explanation = explain_request(app, "OPTIONS", "/about")
    page = explanation.candidates[0]
    assert page.verdicts[0].test == "request_method = DELETE,GET,HEAD,PATCH,POST,PUT (the default)"
    assert page.verdicts[0].passed is False


def test_the_user_option_becomes_the_identity_the_policy_sees(app):
    headers = [("Content-Type", FORM)]
    assert explain_request(app, "POST", "/films/1", headers).status == 403
    assert explain_request(app, "POST", "/films/1", headers, user="ann").view.startswith(
        "tests.apps.explained.save_form "
    )


def test_the_vary_header_is_reported(app):
    assert explain_request(app, "GET", "/films/1").vary == "X-Requested-With, Accept, Cookie"


def test_the_explanation_as_json_has_every_verdict(app):
    explanation = explain_request(app, "PUT", "/films/1", [("Content-Type", "text/csv")], user="ann")
    document = json.loads(json.dumps(explanation.as_dict()))
    assert document["status"] == 415
    save_json = next(c for c in document["candidates"] if c["view"].endswith("save_json"))
    assert {
        "kind": "content_type",
        "test": "content_type = application/json",
        "passed": False,
        "seen": "the body is text/csv",
    } in save_json["verdicts"]


def test_a_predicate_that_raises_is_shown_failing_with_its_error():
    from viewpick import Configurator

    class Fussy:
        def __init__(self, value, config):
            pass

        def text(self):
            return "fussy"

        phash = text

        def __call__(self, context, request):
            raise LookupError("no tenant")

    config = Configurator()
    config.add_view_predicate("fussy", Fussy)
    config.add_route("r", "/")
    config.add_view(lambda request: "x", route_name="r", fussy=True, renderer="string")
    app = config.make_wsgi_app()
    explanation = explain_request(app, "GET", "/")
    verdict = explanation.candidates[0].verdicts[0]
    assert (verdict.passed, verdict.seen) == (False, "raised LookupError: no tenant")
    assert (explanation.status, explanation.reason) == (500, "Choosing a view raised LookupError: no tenant")


# Routes that fit the same path.


@pytest.fixture(scope="module")
def overlapping_app():
    return overlapping.main()


def test_a_route_that_serves_no_view_for_the_method_is_shown_passed_over(overlapping_app):
    explanation = explain_request(overlapping_app, "PUT", "/films/1")
    assert (explanation.route, explanation.view.split(" ")[0]) == ("film_replace", "tests.apps.overlapping.replace")
    assert [(s.route, s.serves) for s in explanation.skipped] == [("film", ("GET", "HEAD")), ("film_update", ("POST",))]
    text = explanation.as_text()
    assert "routes that fit the path but serve no view for PUT, passed over:\n" in text
    assert "  film_update (/films/{name}, tests/apps/overlapping.py:27): serves POST\n" in text
    assert "route: film_replace (/films/{key})  matchdict {'key': '1'}" in text


def test_a_405_shows_every_route_that_fits_and_what_each_serves(overlapping_app):
    explanation = explain_request(overlapping_app, "DELETE", "/films/1")
    assert explanation.status == 405
    assert [s.route for s in explanation.skipped] == ["film", "film_update", "film_replace"]
    assert explanation.reason.endswith("Allowed: GET, HEAD, POST, PUT, OPTIONS.")


def test_a_request_the_first_route_takes_shows_no_route_passed_over(overlapping_app):
    explanation = explain_request(overlapping_app, "GET", "/films/1")
    assert (explanation.route, explanation.skipped) == ("film", ())
    assert "passed over" not in explanation.as_text()


def test_routes_passed_over_are_in_the_json_explanation(overlapping_app):
    document = json.loads(json.dumps(explain_request(overlapping_app, "POST", "/films/1").as_dict()))
    assert document["skipped"] == [
        {"route": "film", "pattern": "/films/{id}", "source": "tests/apps/overlapping.py:26", "serves": ["GET", "HEAD"]}
    ]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_explain_agrees_with_the_live_app_where_routes_share_a_path(overlapping_app, method):
    explanation = explain_request(overlapping_app, method, "/films/1")
    response = TestApp(overlapping_app).request("/films/1", method=method, expect_errors=True)
    assert response.status_int == explanation.status
    if explanation.view is not None and method != "HEAD":
        assert response.text.split(" ")[0] == explanation.view.split(" ")[0].rsplit(".", 1)[1]


def line_of(text: str) -> int:
    with open(explained.__file__) as source:
        return next(number for number, line in enumerate(source, 1) if text in line) - 1


# The explanation and the live app agree.

METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
PATHS = ["/films/0", "/films/7", "/feed", "/films/x"]
ACCEPTS = [None, "text/html", "application/json", "text/html,application/json;q=0.9", "image/png"]
BODIES = [None, FORM, "application/json"]
EXTRAS = [{}, {"xhr": True}, {"user": "ann"}, {"params": [("print", "1")]}]


def generated_requests():
    combos = itertools.product(METHODS, PATHS, ACCEPTS, BODIES, range(len(EXTRAS)))
    # Every 7th combination: 1200 / 7 is over 150 requests spread across every dimension.
    return [combo for index, combo in enumerate(combos) if index % 7 == 0]


def test_explain_agrees_with_the_live_app_on_every_generated_request(app):
    assert_explain_agrees(app)


def test_explain_agrees_with_the_live_app_on_the_error_view_chosen():
    error_views = assert_explain_agrees(explained.with_error_views())
    assert error_views >= {"notfound", "notfound_json", "forbidden_xhr", "feed_not_acceptable", "refused_body"}


@pytest.mark.parametrize("make", [explained.configure, explained.configure_with_error_views])
def test_explain_agrees_with_the_live_app_when_views_check_csrf(make):
    config = make(None)
    config.set_default_csrf_options()
    assert_explain_agrees(config.make_wsgi_app(), {200, 400, 403, 404, 405, 406, 415})


def assert_explain_agrees(app, expected_statuses=frozenset({200, 403, 404, 405, 406, 415})):
    """Every generated request gets the status and the view (or error view) explain says; the
    names of the error views that answered."""
    live = TestApp(app)
    error_views = set()
    requests = generated_requests()
    assert len(requests) >= 50
    statuses = set()
    for method, path, accept, body_type, extra_index in requests:
        extra = EXTRAS[extra_index]
        headers = [("Accept", accept)] if accept else []
        body = None
        if body_type:
            headers.append(("Content-Type", body_type))
            body = b"title=Ran" if body_type == FORM else b'{"title": "Ran"}'
        explanation = explain(
            app, build_request(method, path, headers, body=body, request_class=app.request_class, **extra)
        )
        live_headers = dict(headers)
        if extra.get("xhr"):
            live_headers["X-Requested-With"] = "XMLHttpRequest"
        if extra.get("user"):
            live_headers["X-User"] = extra["user"]
        query = "?print=1" if extra.get("params") else ""
        response = live.request(path + query, method=method, headers=live_headers, body=body or b"", expect_errors=True)
        case = f"{method} {path}{query} {live_headers}"
        assert response.status_int == explanation.status, case
        answered = response.json.get("view") if response.content_type == "application/json" else response.text
        refused_by_csrf = explanation.csrf is not None and explanation.csrf.startswith("FAIL")
        chosen = explanation.error_view if refused_by_csrf else explanation.view or explanation.error_view
        if chosen is not None:
            assert chosen.split(" ")[0].rsplit(".", 1)[1] == answered, case
        else:  # the built-in answer, not an error view's
            assert response.content_type != "application/json" or response.json["status"] == response.status_int
            assert answered not in {"notfound", "forbidden_xhr", "feed_not_acceptable", "refused_body"}, case
        if explanation.error_view is not None:
            error_views.add(answered)
        statuses.add(response.status_int)
    assert statuses >= expected_statuses
    return error_views


# The debugging error pages.


def test_without_debug_dispatch_an_error_page_says_nothing_of_the_configuration():
    response = TestApp(explained.main()).get("/feed", headers={"Accept": "text/html"}, status=406)
    assert "explained.py" not in response.text and "feed" not in response.text.replace("/feed", "")


@pytest.fixture
def debug_app():
    return TestApp(explained.main({"debug_dispatch": "true"}))


def test_with_debug_dispatch_a_browser_sees_the_explanation_escaped(debug_app):
    response = debug_app.request("/films/1", method="TRACE", headers={"Accept": "text/html"}, status=405)
    assert "<pre>TRACE /films/1\nroute: film (/films/{id:\\d+})" in response.text
    assert "does not serve TRACE" in response.text


def test_the_debugging_page_escapes_what_the_client_sent(debug_app):
    headers = {"Accept": "text/html", "X-Requested-With": "<script>"}
    response = debug_app.request("/films/1", method="TRACE", headers=headers, status=405)
    assert "<script>" not in response.text
    assert "X-Requested-With: &lt;script&gt;" in response.text


def test_with_debug_dispatch_an_api_client_gets_the_explanation_as_json(debug_app):
    headers = {"Accept": "application/json", "Content-Type": "text/csv", "X-User": "ann"}
    response = debug_app.post("/films/1", b"x", headers=headers, status=415)
    assert response.json["explanation"]["status"] == 415
    assert response.json["explanation"]["route"] == "film"


def test_with_debug_dispatch_a_404_without_a_route_is_explained(debug_app):
    response = debug_app.get("/nowhere", headers={"Accept": "text/plain"}, status=404)
    assert "route: none matched" in response.text


def test_debug_dispatch_leaves_successful_responses_alone(debug_app):
    assert debug_app.get("/films/1").text == "page"
