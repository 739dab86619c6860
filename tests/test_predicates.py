"""View predicates, one keyword at a time: each is shown matching and not matching a real
request sent through a real application.

Most tests put a predicated view next to a plain fallback view on the same route, both
answering with their own name, so a test sees exactly which view the request reached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from tests.conftest import XHR, HeaderPolicy
from viewpick import Configurator

MakeApp = Callable[..., TestApp]


def answering(name: str) -> Callable[[Any], str]:
    """A view answering with ``name`` (use renderer='string')."""

    def view(request: Any) -> str:
        return name

    view.__name__ = view.__qualname__ = name
    return view


def app_with_fallback(config: Configurator, make_app: MakeApp, pattern: str = "/", **predicates: Any) -> TestApp:
    """Route ``pattern`` with a view named 'matched' that has ``predicates`` and a plain view
    named 'fallback' without them."""
    config.add_route("r", pattern)
    config.add_view(answering("matched"), route_name="r", renderer="string", **predicates)
    config.add_view(answering("fallback"), route_name="r", renderer="string")
    return make_app(config)


def app_with_only(config: Configurator, make_app: MakeApp, pattern: str = "/", **predicates: Any) -> TestApp:
    """Route ``pattern`` with a single view named 'matched' that has ``predicates``."""
    config.add_route("r", pattern)
    config.add_view(answering("matched"), route_name="r", renderer="string", **predicates)
    return make_app(config)


# --- request_method -----------------------------------------------------------------------


def test_request_method_view_serves_its_method(config, make_app):
    app = app_with_only(config, make_app, request_method="POST")
    assert app.post("/", status=200).text == "matched"


def test_request_method_view_does_not_serve_another_method(config, make_app):
    app = app_with_only(config, make_app, request_method="POST")
    res = app.get("/", status=405)
    assert res.headers["Allow"] == "POST, OPTIONS"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_request_method_tuple_serves_each_method_in_it(config, make_app, method):
    app = app_with_only(config, make_app, request_method=("PUT", "DELETE"))
    assert app.request("/", method=method, status=200).text == "matched"


def test_request_method_tuple_does_not_serve_methods_outside_it(config, make_app):
    app = app_with_only(config, make_app, request_method=("PUT", "DELETE"))
    assert app.post("/", status=405).headers["Allow"] == "PUT, DELETE, OPTIONS"


def test_request_method_get_also_serves_head(config, make_app):
    app = app_with_only(config, make_app, request_method="GET")
    res = app.head("/", status=200)
    assert res.body == b""
    assert res.headers["Content-Length"] == str(len("matched"))


def test_request_method_head_alone_does_not_serve_get(config, make_app):
    app = app_with_only(config, make_app, request_method="HEAD")
    assert app.get("/", status=405).headers["Allow"] == "HEAD, OPTIONS"


def test_request_method_given_in_lowercase_matches_the_uppercase_method(config, make_app):
    app = app_with_only(config, make_app, request_method="post")
    assert app.post("/", status=200).text == "matched"
    assert app.get("/", status=405).headers["Allow"] == "POST, OPTIONS"


def test_request_method_takes_any_http_token_such_as_webdav_methods(config, make_app):
    config.add_route("repo", "/repo")
    config.add_view(lambda request: "versioned", route_name="repo", renderer="string", request_method="VERSION-CONTROL")
    app = make_app(config, lint=False)
    assert app.request("/repo", method="VERSION-CONTROL").text == "versioned"


def test_request_method_picks_between_views_of_one_route(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    config.add_view(answering("writer"), route_name="r", renderer="string", request_method="POST")
    app = make_app(config)
    assert app.get("/").text == "reader"
    assert app.post("/").text == "writer"


# --- xhr ----------------------------------------------------------------------------------


def test_xhr_true_matches_an_xmlhttprequest(config, make_app):
    app = app_with_fallback(config, make_app, xhr=True)
    assert app.get("/", headers=XHR).text == "matched"


def test_xhr_true_does_not_match_a_plain_request(config, make_app):
    app = app_with_fallback(config, make_app, xhr=True)
    assert app.get("/").text == "fallback"


def test_xhr_true_does_not_match_another_x_requested_with_value(config, make_app):
    app = app_with_fallback(config, make_app, xhr=True)
    assert app.get("/", headers={"X-Requested-With": "Fetch"}).text == "fallback"


def test_xhr_false_matches_a_plain_request(config, make_app):
    app = app_with_fallback(config, make_app, xhr=False)
    assert app.get("/").text == "matched"


def test_xhr_false_does_not_match_an_xmlhttprequest(config, make_app):
    app = app_with_fallback(config, make_app, xhr=False)
    assert app.get("/", headers=XHR).text == "fallback"


# --- htmx ---------------------------------------------------------------------------------

HTMX = {"HX-Request": "true"}
HTMX_HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def test_htmx_true_matches_an_htmx_request(config, make_app):
    app = app_with_fallback(config, make_app, htmx=True)
    assert app.get("/", headers=HTMX).text == "matched"


def test_htmx_true_does_not_match_a_plain_request(config, make_app):
    app = app_with_fallback(config, make_app, htmx=True)
    assert app.get("/").text == "fallback"


def test_htmx_false_matches_a_plain_request(config, make_app):
    app = app_with_fallback(config, make_app, htmx=False)
    assert app.get("/").text == "matched"


def test_htmx_false_does_not_match_an_htmx_request(config, make_app):
    app = app_with_fallback(config, make_app, htmx=False)
    assert app.get("/", headers=HTMX).text == "fallback"


def test_htmx_history_restore_request_gets_the_full_page_not_the_htmx_partial(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("partial"), route_name="r", renderer="string", htmx=True)
    config.add_view(answering("full_page"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/", headers=HTMX).text == "partial"
    assert app.get("/", headers=HTMX_HISTORY_RESTORE).text == "full_page"


def test_htmx_false_matches_a_history_restore_request(config, make_app):
    app = app_with_fallback(config, make_app, htmx=False)
    assert app.get("/", headers=HTMX_HISTORY_RESTORE).text == "matched"


# --- accept -------------------------------------------------------------------------------


def test_accept_single_type_matches_a_client_asking_for_it(config, make_app):
    app = app_with_only(config, make_app, accept="application/json")
    assert app.get("/", headers={"Accept": "application/json"}, status=200).text == "matched"


def test_accept_single_type_refuses_a_client_asking_for_another_type(config, make_app):
    app = app_with_only(config, make_app, accept="application/json")
    app.get("/", headers={"Accept": "text/html"}, status=406)


def test_accept_single_type_matches_a_client_accepting_anything(config, make_app):
    app = app_with_only(config, make_app, accept="application/json")
    assert app.get("/", headers={"Accept": "*/*"}, status=200).text == "matched"


def test_accept_single_type_matches_a_client_sending_no_accept_header(config, make_app):
    app = app_with_only(config, make_app, accept="application/json")
    assert app.get("/", status=200).text == "matched"


def test_accept_single_type_refuses_a_client_that_gives_it_q_zero(config, make_app):
    app = app_with_only(config, make_app, accept="application/json")
    app.get("/", headers={"Accept": "application/json;q=0, */*"}, status=406)


@pytest.mark.parametrize("accept", ["text/csv", "application/json", "text/*", "text/csv;q=0.2, image/png"])
def test_accept_list_matches_a_client_asking_for_any_type_in_it(config, make_app, accept):
    app = app_with_only(config, make_app, accept=["application/json", "text/csv"])
    assert app.get("/", headers={"Accept": accept}, status=200).text == "matched"


def test_accept_list_refuses_a_client_asking_for_none_of_its_types(config, make_app):
    app = app_with_only(config, make_app, accept=["application/json", "text/csv"])
    app.get("/", headers={"Accept": "text/html, image/*"}, status=406)


def test_accept_matches_an_accept_range_that_carries_media_type_parameters(config, make_app):
    # 'application/json; charset=utf-8' names application/json; the parameter does not change the type.
    app = app_with_only(config, make_app, accept="application/json")
    res = app.get("/", headers={"Accept": "application/json; charset=utf-8"}, expect_errors=True)
    assert res.status_int == 200
    assert res.text == "matched"


# --- request_param ------------------------------------------------------------------------


def test_request_param_name_matches_when_the_parameter_is_present(config, make_app):
    app = app_with_fallback(config, make_app, request_param="q")
    assert app.get("/?q=anything").text == "matched"


def test_request_param_name_matches_a_present_but_empty_parameter(config, make_app):
    app = app_with_fallback(config, make_app, request_param="q")
    assert app.get("/?q=").text == "matched"


def test_request_param_name_does_not_match_when_the_parameter_is_absent(config, make_app):
    app = app_with_fallback(config, make_app, request_param="q")
    assert app.get("/?other=1").text == "fallback"


def test_request_param_pair_matches_an_equal_value(config, make_app):
    app = app_with_fallback(config, make_app, request_param="q=1")
    assert app.get("/?q=1").text == "matched"


@pytest.mark.parametrize("query", ["?q=2", "?q=10", "?q=", "?Q=1", ""])
def test_request_param_pair_does_not_match_another_value_or_absence(config, make_app, query):
    app = app_with_fallback(config, make_app, request_param="q=1")
    assert app.get("/" + query).text == "fallback"


def test_request_param_is_read_from_a_form_body(config, make_app):
    app = app_with_fallback(config, make_app, request_param="q=1")
    assert app.post("/", params={"q": "1"}).text == "matched"
    assert app.post("/", params={"q": "2"}).text == "fallback"


def test_request_param_list_needs_every_parameter_to_hold(config, make_app):
    app = app_with_fallback(config, make_app, request_param=["q", "page=2"])
    assert app.get("/?q=x&page=2").text == "matched"
    assert app.get("/?q=x&page=3").text == "fallback"
    assert app.get("/?page=2").text == "fallback"


def test_request_param_list_holds_across_query_string_and_form_body(config, make_app):
    app = app_with_fallback(config, make_app, request_param=["q", "page=2"])
    assert app.post("/?q=x", params={"page": "2"}).text == "matched"


# --- match_param --------------------------------------------------------------------------


def test_match_param_matches_an_equal_matchdict_value(config, make_app):
    app = app_with_fallback(config, make_app, "/items/{id}/{action}", match_param="action=edit")
    assert app.get("/items/7/edit").text == "matched"


def test_match_param_does_not_match_another_matchdict_value(config, make_app):
    app = app_with_fallback(config, make_app, "/items/{id}/{action}", match_param="action=edit")
    assert app.get("/items/7/view").text == "fallback"


def test_match_param_dict_form_needs_every_pair_to_hold(config, make_app):
    app = app_with_fallback(config, make_app, "/items/{id}/{action}", match_param={"action": "edit", "id": "7"})
    assert app.get("/items/7/edit").text == "matched"
    assert app.get("/items/8/edit").text == "fallback"
    assert app.get("/items/7/view").text == "fallback"


# --- header -------------------------------------------------------------------------------


def test_header_name_matches_when_the_header_is_present(config, make_app):
    app = app_with_fallback(config, make_app, header="X-Name")
    assert app.get("/", headers={"X-Name": "whatever"}).text == "matched"


def test_header_name_does_not_match_when_the_header_is_absent(config, make_app):
    app = app_with_fallback(config, make_app, header="X-Name")
    assert app.get("/", headers={"X-Other": "whatever"}).text == "fallback"


@pytest.mark.parametrize(
    "value, expected", [("ab", "matched"), ("abc", "matched"), ("cab", "fallback"), ("a", "fallback")]
)
def test_header_regex_matches_at_the_start_of_the_value(config, make_app, value, expected):
    app = app_with_fallback(config, make_app, header="X-Name:ab")
    assert app.get("/", headers={"X-Name": value}).text == expected


def test_header_regex_does_not_match_when_the_header_is_absent(config, make_app):
    app = app_with_fallback(config, make_app, header="X-Name:.*")
    assert app.get("/").text == "fallback"


@pytest.mark.parametrize("configured", ["x-name", "X-NAME", "X-Name"])
def test_header_name_is_case_insensitive(config, make_app, configured):
    app = app_with_fallback(config, make_app, header=configured + ":ab")
    assert app.get("/", headers={"X-Name": "abc"}).text == "matched"


def test_header_can_test_the_content_type_of_a_request_body(config, make_app):
    app = app_with_fallback(config, make_app, header="Content-Type:application/json")
    assert app.post("/", params=b"{}", content_type="application/json").text == "matched"
    assert app.post("/", params={"a": "1"}).text == "fallback"


def test_header_list_needs_every_header_to_hold(config, make_app):
    app = app_with_fallback(config, make_app, header=["X-A", "X-B:yes"])
    assert app.get("/", headers={"X-A": "1", "X-B": "yes"}).text == "matched"
    assert app.get("/", headers={"X-A": "1", "X-B": "no"}).text == "fallback"
    assert app.get("/", headers={"X-B": "yes"}).text == "fallback"


# --- permission ---------------------------------------------------------------------------


def permission_app(config: Configurator, make_app: MakeApp) -> tuple[TestApp, HeaderPolicy]:
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    app = app_with_fallback(config, make_app, permission="edit")
    return app, policy


def test_permission_matches_when_the_policy_permits(config, make_app):
    app, policy = permission_app(config, make_app)
    assert app.get("/", headers={"X-Permissions": "view, edit"}).text == "matched"
    assert policy.permits_calls == ["edit"]


def test_permission_does_not_match_when_the_policy_denies(config, make_app):
    app, policy = permission_app(config, make_app)
    assert app.get("/", headers={"X-Permissions": "view"}).text == "fallback"
    assert policy.permits_calls == ["edit"]


def test_permission_denied_without_a_fallback_is_403(config, make_app):
    config.set_security_policy(HeaderPolicy())
    app = app_with_only(config, make_app, permission="edit")
    app.get("/", status=403)
    assert app.get("/", headers={"X-Permissions": "edit"}, status=200).text == "matched"


# --- custom predicates --------------------------------------------------------------------


class BetaPredicate:
    """``beta=True``: the request carries the ``X-Beta: on`` header."""

    def __init__(self, value: Any, config: Any) -> None:
        self.value = value

    def text(self) -> str:
        return f"beta = {self.value}"

    phash = text

    def __call__(self, context: Any, request: Any) -> bool:
        return (request.headers.get("X-Beta") == "on") is self.value


def test_custom_predicate_matches_when_it_returns_true(config, make_app):
    config.add_view_predicate("beta", BetaPredicate)
    app = app_with_fallback(config, make_app, beta=True)
    assert app.get("/", headers={"X-Beta": "on"}).text == "matched"


def test_custom_predicate_does_not_match_when_it_returns_false(config, make_app):
    config.add_view_predicate("beta", BetaPredicate)
    app = app_with_fallback(config, make_app, beta=True)
    assert app.get("/", headers={"X-Beta": "off"}).text == "fallback"
    assert app.get("/").text == "fallback"


def test_custom_predicate_factory_receives_the_value_and_the_configurator(config, make_app):
    built = []

    def factory(value, cfg):
        built.append((value, cfg))
        return BetaPredicate(value, cfg)

    config.add_view_predicate("beta", factory)
    app_with_fallback(config, make_app, beta=False)
    assert built == [(False, config)]


def test_custom_predicate_can_be_declared_after_the_view_that_uses_it(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("matched"), route_name="r", renderer="string", beta=True)
    config.add_view(answering("fallback"), route_name="r", renderer="string")
    config.add_view_predicate("beta", BetaPredicate)
    app = make_app(config)
    assert app.get("/", headers={"X-Beta": "on"}).text == "matched"
    assert app.get("/").text == "fallback"
