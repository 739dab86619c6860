"""Dispatch: which of a route's views answers a request, and the status when none does.

Every view answers with its own name (renderer='string' or a custom 'html' renderer) or a
dict naming it (renderer='json'), so each test sees exactly which view was chosen."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from webob.exc import HTTPForbidden, HTTPFound, HTTPNotFound
from webtest import TestApp

from tests.conftest import AXIOS_ACCEPT, BROWSER_ACCEPT, XHR, HeaderPolicy
from viewpick import Configurator, Response

MakeApp = Callable[..., TestApp]
JSON_ACCEPT = {"Accept": "application/json"}
HTML_ACCEPT = {"Accept": BROWSER_ACCEPT}


def app_serving(config: Configurator, make_app: MakeApp, view: Callable[[Any], Any]) -> TestApp:
    """An app whose one route ``/`` is served by ``view`` with the string renderer."""
    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string")
    return make_app(config)


def answering(name: str) -> Callable[[Any], str]:
    """A view answering with ``name`` (renderer='string' or 'html')."""

    def view(request: Any) -> str:
        return name

    view.__name__ = view.__qualname__ = name
    return view


def answering_dict(name: str) -> Callable[[Any], dict[str, str]]:
    """A view answering ``{'view': name}`` (renderer='json')."""

    def view(request: Any) -> dict[str, str]:
        return {"view": name}

    view.__name__ = view.__qualname__ = name
    return view


def answering_response(name: str, content_type: str = "text/plain") -> Callable[[Any], Response]:
    """A view with no renderer that returns its own Response saying ``name``."""

    def view(request: Any) -> Response:
        return Response(body=name.encode(), content_type=content_type, charset="UTF-8")

    view.__name__ = view.__qualname__ = name
    return view


def html_renderer_factory(info: Any) -> Callable[[Any, dict[str, Any]], str]:
    def render(value: Any, system: dict[str, Any]) -> str:
        return f"<p>{value}</p>"

    return render


html_renderer_factory.media_type = "text/html"  # type: ignore[attr-defined]


@pytest.fixture
def config() -> Configurator:
    """The shared Configurator, with an 'html' renderer that wraps the view's value in <p>."""
    config = Configurator()
    config.add_renderer("html", html_renderer_factory)
    return config


def html_and_json_app(config: Configurator, make_app: MakeApp, json_first: bool = False) -> TestApp:
    """Route '/' with an HTML view 'page' and a JSON view 'data', neither with an accept predicate."""
    config.add_route("r", "/")
    html = lambda: config.add_view(answering("page"), route_name="r", renderer="html")  # noqa: E731
    data = lambda: config.add_view(answering_dict("data"), route_name="r", renderer="json")  # noqa: E731
    for add in (data, html) if json_first else (html, data):
        add()
    return make_app(config)


def chosen(res: Any) -> str:
    """Which view answered: the name in the body, for html/string/json views alike."""
    if res.content_type == "application/json":
        return res.json["view"]
    if res.content_type == "text/html":
        assert res.text.startswith("<p>") and res.text.endswith("</p>")
        return res.text[3:-4]
    return res.text


# --- 1. media type first ------------------------------------------------------------------


@pytest.mark.parametrize("json_first", [False, True], ids=["html-declared-first", "json-declared-first"])
def test_browser_accept_gets_the_html_view_over_the_json_view(config, make_app, json_first):
    app = html_and_json_app(config, make_app, json_first)
    res = app.get("/", headers=HTML_ACCEPT, status=200)
    assert res.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert chosen(res) == "page"


@pytest.mark.parametrize("json_first", [False, True], ids=["html-declared-first", "json-declared-first"])
def test_accept_application_json_gets_the_json_view(config, make_app, json_first):
    app = html_and_json_app(config, make_app, json_first)
    res = app.get("/", headers=JSON_ACCEPT, status=200)
    assert res.headers["Content-Type"] == "application/json"
    assert res.json == {"view": "data"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Accept": "*/*"}, {"Accept": ""}, {"Accept": "text/html;q=abc,,;"}, {"Accept": "application/json;q=abc,,;"}],
    ids=["no-accept", "any", "empty", "invalid-html", "invalid-json"],
)
@pytest.mark.parametrize("json_first", [False, True], ids=["html-declared-first", "json-declared-first"])
def test_client_without_a_usable_preference_gets_html_first_in_server_order(config, make_app, headers, json_first):
    app = html_and_json_app(config, make_app, json_first)
    assert chosen(app.get("/", headers=headers, status=200)) == "page"


@pytest.mark.parametrize(
    "headers", [{}, {"Accept": "*/*"}, {"Accept": "text/html;q=abc,,;"}], ids=["none", "any", "invalid"]
)
def test_client_without_preference_gets_json_over_a_type_the_server_does_not_order(config, make_app, headers):
    config.add_route("r", "/")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/", headers=headers)) == "data"


@pytest.mark.parametrize(
    "order, expected", [(("text/csv", "text/plain"), "text/csv"), (("text/plain", "text/csv"), "text/plain")]
)
def test_client_without_preference_gets_other_types_in_declaration_order(config, make_app, order, expected):
    config.add_route("r", "/")
    for media_type in order:
        config.add_view(answering(media_type), route_name="r", renderer="string", accept=media_type)
    app = make_app(config)
    assert app.get("/", headers={"Accept": "*/*"}).text == expected
    assert app.get("/").text == expected


def test_add_accept_view_order_can_put_text_plain_above_text_html(config, make_app):
    config.add_accept_view_order("text/plain", weighs_more_than="text/html")
    config.add_route("r", "/")
    config.add_view(answering("page"), route_name="r", renderer="html")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/")) == "plain"
    assert chosen(app.get("/", headers={"Accept": "*/*"})) == "plain"
    # A client that states a preference still gets it.
    assert chosen(app.get("/", headers=HTML_ACCEPT)) == "page"


def test_add_accept_view_order_can_put_a_type_below_another(config, make_app):
    config.add_accept_view_order("application/json", weighs_less_than="text/plain")
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    app = make_app(config)
    assert chosen(app.get("/")) == "plain"


def test_without_add_accept_view_order_html_stays_above_text_plain(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    config.add_view(answering("page"), route_name="r", renderer="html")
    app = make_app(config)
    assert chosen(app.get("/")) == "page"


@pytest.mark.parametrize("json_first", [False, True], ids=["html-declared-first", "json-declared-first"])
def test_at_equal_q_a_named_type_beats_a_wildcard_so_axios_gets_json(config, make_app, json_first):
    app = html_and_json_app(config, make_app, json_first)
    assert chosen(app.get("/", headers={"Accept": AXIOS_ACCEPT})) == "data"


def test_at_equal_q_a_subtype_wildcard_beats_the_full_wildcard(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    app = make_app(config)
    # application/json is only covered by */*; text/plain is covered by text/*.
    assert chosen(app.get("/", headers={"Accept": "text/*, */*"})) == "plain"


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/json;q=0.5, text/html;q=0.9", "page"),
        ("application/json;q=0.9, text/html;q=0.5", "data"),
        ("text/html;q=0.1, */*", "data"),
        ("application/json;q=0, */*", "page"),
    ],
)
def test_q_values_rank_the_views(config, make_app, accept, expected):
    app = html_and_json_app(config, make_app)
    assert chosen(app.get("/", headers={"Accept": accept})) == expected


def test_a_view_with_no_media_type_ranks_after_a_view_whose_type_is_accepted(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_response("untyped"), route_name="r")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/", headers=JSON_ACCEPT)) == "data"


def test_a_view_with_no_media_type_ranks_before_a_view_whose_type_is_not_accepted(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    config.add_view(answering_response("untyped"), route_name="r")
    app = make_app(config)
    assert app.get("/", headers={"Accept": "text/html"}).text == "untyped"


def test_a_renderer_type_without_accept_predicate_still_serves_a_client_that_does_not_accept_it(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    res = app.get("/", headers={"Accept": "image/png"}, status=200)
    assert res.json == {"view": "data"}


def test_among_unaccepted_renderer_types_the_view_is_still_served_not_refused(config, make_app):
    app = html_and_json_app(config, make_app)
    # Neither type is accepted; neither view has an accept predicate, so one of them answers
    # (the one declared first: neither is preferred by the client).
    assert chosen(app.get("/", headers={"Accept": "image/png"}, status=200)) == "page"


def test_an_accept_range_with_parameters_ranks_its_type_like_the_bare_type(config, make_app):
    # RFC 9110: 'application/json; charset=utf-8' names application/json with a parameter.
    app = html_and_json_app(config, make_app)
    res = app.get("/", headers={"Accept": "application/json; charset=utf-8"}, status=200)
    assert chosen(res) == "data"


# --- 2. the classic trio ------------------------------------------------------------------


def trio_app(config: Configurator, make_app: MakeApp) -> TestApp:
    """A full page, an xhr partial (both HTML) and a JSON view with an accept predicate."""
    config.add_route("r", "/")
    config.add_view(answering("full_page"), route_name="r", renderer="html")
    config.add_view(answering("partial"), route_name="r", renderer="html", xhr=True)
    config.add_view(answering_dict("data"), route_name="r", renderer="json", accept="application/json")
    return make_app(config)


def test_trio_browser_gets_the_full_page(config, make_app):
    assert chosen(trio_app(config, make_app).get("/", headers=HTML_ACCEPT)) == "full_page"


def test_trio_xhr_request_with_any_accept_gets_the_xhr_partial_not_json(config, make_app):
    res = trio_app(config, make_app).get("/", headers={**XHR, "Accept": "*/*"})
    assert res.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert chosen(res) == "partial"


def test_trio_accept_application_json_gets_json(config, make_app):
    assert trio_app(config, make_app).get("/", headers=JSON_ACCEPT).json == {"view": "data"}


def test_trio_xhr_request_with_accept_application_json_gets_json_not_the_partial(config, make_app):
    assert trio_app(config, make_app).get("/", headers={**XHR, **JSON_ACCEPT}).json == {"view": "data"}


def test_trio_request_without_accept_gets_the_full_page(config, make_app):
    assert chosen(trio_app(config, make_app).get("/")) == "full_page"


# --- 3. static rank: more predicates, then kind rank, then declaration order ---------------


def test_the_view_with_more_matching_predicates_wins_whatever_the_declaration_order(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("two"), route_name="r", renderer="string", request_param="q", header="X-A")
    config.add_view(answering("one"), route_name="r", renderer="string", request_param="q")
    config.add_view(answering("none"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/?q=1", headers={"X-A": "1"}).text == "two"
    assert app.get("/?q=1").text == "one"
    assert app.get("/").text == "none"


def test_the_view_with_more_predicates_wins_when_declared_last(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("none"), route_name="r", renderer="string")
    config.add_view(answering("one"), route_name="r", renderer="string", request_param="q")
    config.add_view(answering("two"), route_name="r", renderer="string", request_param="q", header="X-A")
    app = make_app(config)
    assert app.get("/?q=1", headers={"X-A": "1"}).text == "two"


def test_more_predicates_do_not_beat_a_better_media_type(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("plain_xhr"), route_name="r", renderer="string", xhr=True, request_param="q")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/?q=1", headers={**XHR, **JSON_ACCEPT})) == "data"


def test_request_method_counts_as_a_predicate(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("any_method"), route_name="r", renderer="string")
    config.add_view(answering("get_only"), route_name="r", renderer="string", request_method="GET")
    app = make_app(config)
    assert app.get("/").text == "get_only"
    assert app.post("/").text == "any_method"


# One predicate each; the view whose keyword ranks higher in BUILTIN_PREDICATES wins.
KIND_PAIRS = [
    ({"match_param": "name=x"}, {"request_param": "q"}),
    ({"request_param": "q"}, {"header": "X-A"}),
    ({"header": "X-A"}, {"xhr": True}),
    ({"xhr": True}, {"htmx": True}),
    ({"htmx": True}, {"accept": "text/plain"}),
    ({"accept": "text/plain"}, {"request_method": "GET"}),
]
ALL_MATCH = {"headers": {**XHR, "X-A": "1", "HX-Request": "true", "Accept": "text/plain"}}


@pytest.mark.parametrize("higher, lower", KIND_PAIRS, ids=lambda p: next(iter(p)))
@pytest.mark.parametrize("higher_first", [True, False], ids=["higher-declared-first", "higher-declared-last"])
def test_ties_in_predicate_count_go_to_the_higher_ranked_predicate_kind(config, make_app, higher, lower, higher_first):
    config.add_route("r", "/{name}")
    add_higher = lambda: config.add_view(answering("higher"), route_name="r", renderer="string", **higher)  # noqa: E731
    add_lower = lambda: config.add_view(answering("lower"), route_name="r", renderer="string", **lower)  # noqa: E731
    for add in (add_higher, add_lower) if higher_first else (add_lower, add_higher):
        add()
    app = make_app(config)
    assert app.get("/x?q=1", **ALL_MATCH).text == "higher"


class FlagPredicate:
    """``flag='name'``: the query string has ``name``."""

    def __init__(self, value: Any, config: Any) -> None:
        self.value = value

    def text(self) -> str:
        return f"flag = {self.value}"

    phash = text

    def __call__(self, context: Any, request: Any) -> bool:
        return self.value in request.GET


@pytest.mark.parametrize("custom_first", [True, False])
def test_a_custom_predicate_ranks_below_every_builtin_kind(config, make_app, custom_first):
    config.add_view_predicate("flag", FlagPredicate)
    config.add_route("r", "/")
    add_custom = lambda: config.add_view(answering("custom"), route_name="r", renderer="string", flag="f")  # noqa: E731
    add_builtin = lambda: config.add_view(answering("builtin"), route_name="r", renderer="string", request_method="GET")  # noqa: E731
    for add in (add_custom, add_builtin) if custom_first else (add_builtin, add_custom):
        add()
    app = make_app(config)
    assert app.get("/?f").text == "builtin"


@pytest.mark.parametrize("permission_first", [True, False])
def test_permission_ranks_below_a_custom_predicate(config, make_app, permission_first):
    config.set_security_policy(HeaderPolicy())
    config.add_view_predicate("flag", FlagPredicate)
    config.add_route("r", "/")
    add_perm = lambda: config.add_view(answering("permitted"), route_name="r", renderer="string", permission="edit")  # noqa: E731
    add_custom = lambda: config.add_view(answering("custom"), route_name="r", renderer="string", flag="f")  # noqa: E731
    for add in (add_perm, add_custom) if permission_first else (add_custom, add_perm):
        add()
    app = make_app(config)
    assert app.get("/?f", headers={"X-Permissions": "edit"}).text == "custom"


def test_custom_predicates_rank_in_the_order_they_were_added(config, make_app):
    config.add_view_predicate("flag", FlagPredicate)
    config.add_view_predicate("other_flag", FlagPredicate)
    config.add_route("r", "/")
    config.add_view(answering("second_kind"), route_name="r", renderer="string", other_flag="g")
    config.add_view(answering("first_kind"), route_name="r", renderer="string", flag="f")
    app = make_app(config)
    assert app.get("/?f&g").text == "first_kind"


@pytest.mark.parametrize("names", [("first", "second"), ("second", "first")])
def test_ties_in_count_and_kind_go_to_the_view_declared_first(config, make_app, names):
    config.add_route("r", "/")
    config.add_view(answering(names[0]), route_name="r", renderer="string", header="X-A")
    config.add_view(answering(names[1]), route_name="r", renderer="string", header="X-B")
    app = make_app(config)
    for _ in range(5):
        assert app.get("/", headers={"X-A": "1", "X-B": "1"}).text == names[0]


@pytest.mark.parametrize("names", [("first", "second"), ("second", "first")])
def test_ties_between_views_of_one_media_type_go_to_the_view_declared_first_when_negotiating(config, make_app, names):
    config.add_route("r", "/")
    config.add_view(answering(names[0]), route_name="r", renderer="html", header="X-A")
    config.add_view(answering(names[1]), route_name="r", renderer="html", header="X-B")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/", headers={"X-A": "1", "X-B": "1", "Accept": "*/*"})) == names[0]


# --- 4. permission ------------------------------------------------------------------------


def editor_app(config: Configurator, make_app: MakeApp, policy: HeaderPolicy) -> TestApp:
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("public"), route_name="r", renderer="string")
    config.add_view(answering("editor"), route_name="r", renderer="string", permission="edit")
    return make_app(config)


def test_a_permitted_user_gets_the_editor_view(config, make_app):
    policy = HeaderPolicy()
    app = editor_app(config, make_app, policy)
    assert app.get("/", headers={"X-Permissions": "edit"}).text == "editor"
    assert policy.permits_calls == ["edit"]


def test_a_user_without_the_permission_gets_the_public_view(config, make_app):
    policy = HeaderPolicy()
    app = editor_app(config, make_app, policy)
    assert app.get("/", headers={"X-Permissions": "view"}).text == "public"
    assert app.get("/").text == "public"
    assert policy.permits_calls == ["edit", "edit"]  # once for each of the two requests


def test_the_policy_is_asked_once_per_permission_per_request(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("a"), route_name="r", renderer="string", permission="edit", header="X-A")
    config.add_view(answering("b"), route_name="r", renderer="string", permission="edit", request_param="q")
    config.add_view(answering("c"), route_name="r", renderer="string", permission="edit")
    config.add_view(answering("public"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/?q=1", headers={"X-A": "1"}).text == "public"
    assert policy.permits_calls == ["edit"]


def test_the_policy_is_asked_once_per_permission_per_request_when_negotiating(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("page"), route_name="r", renderer="html", permission="edit")
    config.add_view(answering_dict("data"), route_name="r", renderer="json", permission="edit")
    config.add_view(answering_dict("data_csv"), route_name="r", renderer="string", permission="edit", accept="text/csv")
    app = make_app(config)
    app.get("/", headers=HTML_ACCEPT, status=403)
    assert policy.permits_calls == ["edit"]


def test_each_distinct_permission_is_asked_once(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("admin"), route_name="r", renderer="string", permission="admin", header="X-A")
    config.add_view(answering("admin2"), route_name="r", renderer="string", permission="admin")
    config.add_view(answering("editor"), route_name="r", renderer="string", permission="edit")
    app = make_app(config)
    assert app.get("/", headers={"X-A": "1", "X-Permissions": "edit"}).text == "editor"
    assert policy.permits_calls == ["admin", "edit"]


def test_permission_is_not_asked_for_a_view_whose_xhr_predicate_fails(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("xhr_editor"), route_name="r", renderer="string", permission="edit", xhr=True)
    config.add_view(answering("public"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/").text == "public"
    assert policy.permits_calls == []


def test_permission_is_not_asked_when_a_better_ranked_view_is_chosen(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("xhr_partial"), route_name="r", renderer="string", xhr=True, header="X-A")
    config.add_view(answering("editor"), route_name="r", renderer="string", permission="edit")
    app = make_app(config)
    assert app.get("/", headers={**XHR, "X-A": "1"}).text == "xhr_partial"
    assert policy.permits_calls == []


def test_permission_is_not_asked_when_an_accepted_media_type_view_is_chosen(config, make_app):
    policy = HeaderPolicy()
    config.set_security_policy(policy)
    config.add_route("r", "/")
    config.add_view(answering("page"), route_name="r", renderer="html", permission="edit")
    config.add_view(answering_dict("data"), route_name="r", renderer="json")
    app = make_app(config)
    assert chosen(app.get("/", headers=JSON_ACCEPT)) == "data"
    assert policy.permits_calls == []


# --- 5. statuses --------------------------------------------------------------------------


def test_no_view_for_the_method_is_405_with_allow_listing_every_method_and_options(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    config.add_view(answering("writer"), route_name="r", renderer="string", request_method="POST")
    config.add_view(answering("remover"), route_name="r", renderer="string", request_method="DELETE")
    app = make_app(config)
    res = app.put("/", status=405)
    assert res.headers["Allow"] == "GET, HEAD, POST, DELETE, OPTIONS"


def test_405_allow_has_no_head_when_no_view_serves_get(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("writer"), route_name="r", renderer="string", request_method=("POST", "PUT"))
    app = make_app(config)
    assert app.get("/", status=405).headers["Allow"] == "POST, PUT, OPTIONS"


def test_405_body_names_the_method_and_the_allowed_ones(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    app = make_app(config)
    res = app.post("/", headers=JSON_ACCEPT, status=405)
    assert res.json == {
        "status": 405,
        "title": "Method Not Allowed",
        "detail": "This method is not allowed for this URL. Allowed: GET, HEAD, OPTIONS.",
    }


def test_options_without_an_options_view_is_200_with_allow_and_an_empty_body(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    config.add_view(answering("writer"), route_name="r", renderer="string", request_method="POST")
    app = make_app(config)
    res = app.options("/", status=200)
    assert res.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert res.body == b""
    assert res.headers["Content-Length"] == "0"
    assert res.headers["Content-Type"] == "text/plain; charset=UTF-8"  # WSGI wants a type on a 200


def test_an_options_view_when_declared_answers_options(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    config.add_view(answering("preflight"), route_name="r", renderer="string", request_method="OPTIONS")
    app = make_app(config)
    res = app.options("/", status=200)
    assert res.text == "preflight"
    assert "Allow" not in res.headers
    assert app.put("/", status=405).headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.fixture
def any_method_app(config: Configurator, make_app: MakeApp) -> Callable[..., TestApp]:
    """``any_method_app()``: one route with one view that names no request_method."""
    config.add_route("r", "/")
    config.add_view(answering("anything"), route_name="r", renderer="string")
    return lambda **kw: make_app(config, **kw)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_a_view_without_request_method_serves_the_common_methods(any_method_app, method):
    app = any_method_app()
    assert app.request("/", method=method, status=200).text == "anything"


def test_a_view_without_request_method_serves_head(any_method_app):
    app = any_method_app()
    res = app.head("/", status=200)
    assert res.body == b""
    assert res.headers["Content-Length"] == "8"


def test_options_not_taken_by_the_options_view_is_still_answered_with_allow(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("page"), route_name="r", renderer="string", request_method="GET")
    config.add_view(
        answering("preflight"),
        route_name="r",
        renderer="string",
        request_method="OPTIONS",
        header="Access-Control-Request-Method",
    )
    app = make_app(config)
    assert app.options("/", headers={"Access-Control-Request-Method": "GET"}).text == "preflight"
    plain = app.options("/", status=200)
    assert plain.body == b""
    assert plain.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_a_view_without_request_method_leaves_options_auto_answered(any_method_app):
    app = any_method_app()
    res = app.options("/", status=200)
    assert res.body == b""
    assert res.headers["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


def test_a_view_without_request_method_does_not_serve_trace(any_method_app):
    app = any_method_app(lint=False)
    res = app.request("/", method="TRACE", status=405)
    assert res.headers["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


def forbidden_only_app(config: Configurator, make_app: MakeApp, **predicates: Any) -> TestApp:
    config.set_security_policy(HeaderPolicy())
    config.add_route("r", "/")
    config.add_view(answering("editor"), route_name="r", renderer="string", permission="edit", **predicates)
    return make_app(config)


def test_a_view_failing_only_on_permission_gives_403(config, make_app):
    app = forbidden_only_app(config, make_app)
    res = app.get("/", headers=JSON_ACCEPT, status=403)
    assert res.json == {"status": 403, "title": "Forbidden", "detail": "You do not have permission to do this."}


def test_a_view_failing_on_permission_and_accept_gives_403(config, make_app):
    app = forbidden_only_app(config, make_app, accept="text/csv")
    res = app.get("/", headers=JSON_ACCEPT, status=403)
    assert res.json["status"] == 403


def test_a_view_failing_on_accept_but_permitted_gives_406(config, make_app):
    app = forbidden_only_app(config, make_app, accept="text/csv")
    app.get("/", headers={"Accept": "application/json", "X-Permissions": "edit"}, status=406)


def test_a_view_failing_on_permission_and_another_predicate_gives_404(config, make_app):
    app = forbidden_only_app(config, make_app, xhr=True)
    app.get("/", status=404)


def test_views_failing_only_on_accept_give_406_listing_the_types_on_offer(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("csv"), route_name="r", renderer="string", accept="text/csv")
    config.add_view(answering_dict("data"), route_name="r", renderer="json", accept="application/json")
    app = make_app(config)
    res = app.get("/", headers={"Accept": "image/png"}, status=406)
    assert res.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert res.text == (
        "406 Not Acceptable\n\nThis resource is not available in a media type your client accepts. "
        "It is available as: application/json, text/csv.\n"
    )


def test_406_lists_only_the_types_of_views_that_failed_on_accept_alone(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("csv"), route_name="r", renderer="string", accept="text/csv")
    config.add_view(answering("xml"), route_name="r", renderer="string", accept="application/xml", xhr=True)
    app = make_app(config)
    res = app.get("/", headers={"Accept": "image/png"}, status=406)
    assert res.text.endswith("It is available as: text/csv.\n")


def test_403_beats_406_when_both_kinds_of_failure_exist(config, make_app):
    config.set_security_policy(HeaderPolicy())
    config.add_route("r", "/")
    config.add_view(answering("csv"), route_name="r", renderer="string", accept="text/csv")
    config.add_view(answering("editor"), route_name="r", renderer="html", permission="edit")
    app = make_app(config)
    app.get("/", headers={"Accept": "text/html"}, status=403)


@pytest.mark.parametrize("accept_first", [True, False])
def test_403_beats_406_whatever_the_declaration_order(config, make_app, accept_first):
    config.set_security_policy(HeaderPolicy())
    config.add_route("r", "/")

    def add_csv():
        config.add_view(answering("csv"), route_name="r", renderer="string", accept="text/csv")

    def add_editor():
        config.add_view(
            answering("editor"), route_name="r", renderer="string", permission="edit", accept="application/json"
        )

    for add in (add_csv, add_editor) if accept_first else (add_editor, add_csv):
        add()
    app = make_app(config)
    app.get("/", headers={"Accept": "text/html"}, status=403)


def test_any_other_mismatch_gives_404(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    config.add_view(answering("searching"), route_name="r", renderer="string", request_param="q")
    app = make_app(config)
    res = app.get("/", headers=JSON_ACCEPT, status=404)
    assert res.json == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


def test_failing_on_accept_and_another_predicate_gives_404_not_406(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json", accept="application/json", xhr=True)
    app = make_app(config)
    app.get("/", headers={"Accept": "text/html"}, status=404)


def test_a_path_matching_no_route_gives_404(config, make_app):
    config.add_route("r", "/here")
    config.add_view(answering("here"), route_name="r", renderer="string")
    app = make_app(config)
    app.get("/elsewhere", status=404)


def test_an_unknown_method_gives_501(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("anything"), route_name="r", renderer="string")
    app = make_app(config, lint=False)
    res = app.request("/", method="BREW", headers={"Accept": "text/plain"}, status=501)
    assert res.text == "501 Not Implemented\n\nThe method BREW is not implemented by this server.\n"


def test_a_method_named_by_some_view_is_served_by_that_view(config, make_app):
    config.add_route("dav", "/dav")
    config.add_view(answering("propfind"), route_name="dav", renderer="string", request_method="PROPFIND")
    app = make_app(config, lint=False)
    assert app.request("/dav", method="PROPFIND", status=200).text == "propfind"


def test_a_method_named_by_some_view_gives_405_on_a_route_without_it(config, make_app):
    config.add_route("dav", "/dav")
    config.add_route("page", "/page")
    config.add_view(answering("propfind"), route_name="dav", renderer="string", request_method="PROPFIND")
    config.add_view(answering("page"), route_name="page", renderer="string", request_method="GET")
    app = make_app(config, lint=False)
    res = app.request("/page", method="PROPFIND", status=405)
    assert res.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_a_method_named_by_a_view_is_listed_in_allow_after_the_standard_ones(config, make_app):
    config.add_route("dav", "/dav")
    config.add_view(answering("propfind"), route_name="dav", renderer="string", request_method="PROPFIND")
    config.add_view(answering("page"), route_name="dav", renderer="string", request_method="GET")
    app = make_app(config)
    assert app.options("/dav").headers["Allow"] == "GET, HEAD, OPTIONS, PROPFIND"


def not_found_app(config: Configurator, make_app: MakeApp) -> TestApp:
    config.add_route("r", "/")
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    return make_app(config)


def test_error_body_is_json_for_a_client_asking_for_json(config, make_app):
    res = not_found_app(config, make_app).get("/", headers=JSON_ACCEPT, status=404)
    assert res.headers["Content-Type"] == "application/json"
    assert json.loads(res.body) == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


def test_error_body_is_html_for_a_browser(config, make_app):
    res = not_found_app(config, make_app).get("/", headers=HTML_ACCEPT, status=404)
    assert res.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert res.text == (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>\n'
        "<body><h1>404 Not Found</h1>\n<p>The resource could not be found.</p></body></html>\n"
    )


def test_error_body_is_plain_text_for_a_client_asking_for_text_plain(config, make_app):
    res = not_found_app(config, make_app).get("/", headers={"Accept": "text/plain"}, status=404)
    assert res.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert res.text == "404 Not Found\n\nThe resource could not be found.\n"


def test_error_body_is_json_for_a_client_asking_for_json_with_a_parameter(config, make_app):
    res = not_found_app(config, make_app).get("/", headers={"Accept": "application/json; charset=utf-8"}, status=404)
    assert res.headers["Content-Type"] == "application/json"
    assert res.json == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


def test_error_body_in_html_escapes_the_detail(config, make_app):
    def refuse(request):
        raise HTTPForbidden(detail='<script>alert("x")</script> & more')

    res = app_serving(config, make_app, refuse).get("/", headers=HTML_ACCEPT, status=403)
    assert "<script>" not in res.text
    assert "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>" in res.text


# --- 6. HEAD ------------------------------------------------------------------------------


def test_head_is_answered_by_the_get_view_with_the_same_status_and_headers_and_no_body(config, make_app):
    def page(request):
        request.response.status = 203
        request.response.headers["X-Page"] = "yes"
        return "the page body"

    config.add_route("r", "/")
    config.add_view(page, route_name="r", renderer="string", request_method="GET")
    app = make_app(config)
    get = app.get("/", status=203)
    head = app.head("/", status=203)
    assert head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body)) == "13"
    assert sorted(head.headerlist) == sorted(get.headerlist)


def test_head_is_answered_by_the_view_get_would_choose(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("short"), route_name="r", renderer="string", request_method="GET")
    config.add_view(
        answering("a much longer partial"), route_name="r", renderer="string", request_method="GET", xhr=True
    )
    app = make_app(config)
    assert app.head("/", headers=XHR).headers["Content-Length"] == str(len("a much longer partial"))
    assert app.head("/").headers["Content-Length"] == str(len("short"))


def test_head_of_a_negotiated_route_has_the_get_headers(config, make_app):
    app = html_and_json_app(config, make_app)
    get = app.get("/", headers=JSON_ACCEPT)
    head = app.head("/", headers=JSON_ACCEPT)
    assert head.body == b""
    assert sorted(head.headerlist) == sorted(get.headerlist)
    assert head.headers["Content-Type"] == "application/json"


# --- 7. Vary ------------------------------------------------------------------------------


def test_views_differing_by_xhr_vary_on_x_requested_with_on_both_answers(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("full_page"), route_name="r", renderer="string")
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    app = make_app(config)
    full, partial = app.get("/"), app.get("/", headers=XHR)
    assert (full.text, partial.text) == ("full_page", "partial")
    assert full.headers["Vary"] == "X-Requested-With, Accept"
    assert partial.headers["Vary"] == "X-Requested-With, Accept"


def test_views_differing_by_media_type_vary_on_accept(config, make_app):
    app = html_and_json_app(config, make_app)
    assert app.get("/", headers=HTML_ACCEPT).headers["Vary"] == "Accept"
    assert app.get("/", headers=JSON_ACCEPT).headers["Vary"] == "Accept"


def test_a_single_view_with_an_accept_predicate_varies_on_accept(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json", accept="application/json")
    app = make_app(config)
    assert app.get("/").headers["Vary"] == "Accept"


def test_the_trio_varies_on_x_requested_with_and_accept_on_every_answer(config, make_app):
    app = trio_app(config, make_app)
    for headers in (HTML_ACCEPT, {**XHR, "Accept": "*/*"}, JSON_ACCEPT):
        vary = app.get("/", headers=headers).headers["Vary"]
        assert sorted(v.strip() for v in vary.split(",")) == ["Accept", "X-Requested-With"]


def test_views_differing_by_htmx_vary_on_hx_request(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("full_page"), route_name="r", renderer="string")
    config.add_view(answering("partial"), route_name="r", renderer="string", htmx=True)
    app = make_app(config)
    for headers in ({}, {"HX-Request": "true"}):
        assert app.get("/", headers=headers).headers["Vary"] == "HX-Request, HX-History-Restore-Request, Accept"


def test_a_header_predicate_varies_on_that_header(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("tenant"), route_name="r", renderer="string", header="X-Tenant:acme")
    config.add_view(answering("default"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/", headers={"X-Tenant": "acme"}).headers["Vary"] == "X-Tenant, Accept"
    assert app.get("/").headers["Vary"] == "X-Tenant, Accept"


def test_a_custom_predicate_with_a_vary_attribute_varies_on_its_headers(config, make_app):
    class BetaPredicate(FlagPredicate):
        vary = ("X-Beta",)

        def __call__(self, context, request):
            return request.headers.get("X-Beta") == self.value

    config.add_view_predicate("beta", BetaPredicate)
    config.add_route("r", "/")
    config.add_view(answering("beta"), route_name="r", renderer="string", beta="on")
    config.add_view(answering("stable"), route_name="r", renderer="string")
    app = make_app(config)
    assert app.get("/").headers["Vary"] == "X-Beta, Accept"


@pytest.mark.parametrize("renderer", ["string", "json", "html"])
def test_a_route_with_one_plain_view_varies_only_on_accept_as_its_error_answers_do(config, make_app, renderer):
    config.add_route("r", "/")
    config.add_view(
        answering_dict("only") if renderer == "json" else answering("only"),
        route_name="r",
        renderer=renderer,
        request_method="GET",
    )
    app = make_app(config)
    assert app.get("/", headers=HTML_ACCEPT, status=200).headers["Vary"] == "Accept"
    assert app.delete("/", headers=HTML_ACCEPT, status=405).headers["Vary"] == "Accept"


def test_views_differing_only_by_request_method_vary_only_on_accept(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("reader"), route_name="r", renderer="string", request_method="GET")
    config.add_view(answering("writer"), route_name="r", renderer="string", request_method="POST")
    app = make_app(config)
    assert app.get("/").headers["Vary"] == "Accept"
    assert app.post("/").headers["Vary"] == "Accept"


def test_a_view_setting_its_own_vary_keeps_it_and_gains_the_dispatchers(config, make_app):
    def page(request):
        request.response.vary = ("Cookie",)
        return "full_page"

    config.add_route("r", "/")
    config.add_view(page, route_name="r", renderer="string")
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    app = make_app(config)
    assert app.get("/").headers["Vary"] == "Cookie, X-Requested-With, Accept"


def test_a_view_returning_its_own_response_with_vary_keeps_it_and_gains_the_dispatchers(config, make_app):
    def page(request):
        response = Response(body=b"full_page", content_type="text/plain", charset="UTF-8")
        response.vary = ("Cookie", "X-Requested-With")
        return response

    config.add_route("r", "/")
    config.add_view(page, route_name="r", renderer="string")  # same media type as the partial: no Accept
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    app = make_app(config)
    res = app.get("/")
    assert res.text == "full_page"
    assert res.headers["Vary"] == "Cookie, X-Requested-With, Accept"


def test_a_406_answer_carries_the_routes_vary(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering_dict("data"), route_name="r", renderer="json", accept="application/json")
    config.add_view(answering("partial"), route_name="r", renderer="string", accept="text/csv", xhr=True)
    app = make_app(config)
    res = app.get("/", headers={"Accept": "text/html"}, status=406)
    assert sorted(v.strip() for v in res.headers["Vary"].split(",")) == ["Accept", "X-Requested-With"]


def test_a_403_answer_carries_the_routes_vary_with_the_policys_cookie(config, make_app):
    config.set_security_policy(HeaderPolicy())
    config.add_route("r", "/")
    config.add_view(answering("editor"), route_name="r", renderer="string", permission="edit")
    config.add_view(answering("partial"), route_name="r", renderer="string", xhr=True)
    app = make_app(config)
    res = app.get("/", status=403)
    assert res.headers["Vary"] == "X-Requested-With, Accept, Cookie"


def test_a_404_from_failed_predicates_carries_the_routes_vary(config, make_app):
    config.add_route("r", "/")
    config.add_view(answering("tenant"), route_name="r", renderer="string", header="X-Tenant")
    app = make_app(config)
    res = app.get("/", status=404)
    assert sorted(v.strip() for v in res.headers["Vary"].split(",")) == ["Accept", "X-Tenant"]


# --- 8. exceptions and failures in views --------------------------------------------------


@pytest.mark.parametrize(
    "exc, status, title, detail",
    [
        (HTTPForbidden, 403, "Forbidden", "Access was denied to this resource."),
        (HTTPNotFound, 404, "Not Found", "The resource could not be found."),
    ],
)
def test_a_view_raising_a_webob_http_error_gives_its_status_with_viewpicks_short_body(
    config, make_app, exc, status, title, detail
):
    def view(request):
        raise exc()

    res = app_serving(config, make_app, view).get("/", headers=JSON_ACCEPT, status=status)
    assert res.headers["Content-Type"] == "application/json"
    assert res.json == {"status": status, "title": title, "detail": detail}


def test_a_view_raising_http_forbidden_gets_a_plain_text_body_for_a_text_client(config, make_app):
    def view(request):
        raise HTTPForbidden("Members only.")

    res = app_serving(config, make_app, view).get("/", headers={"Accept": "text/plain"}, status=403)
    assert res.text == "403 Forbidden\n\nMembers only.\n"


def test_a_view_returning_a_bare_webob_http_error_gets_viewpicks_short_body_and_keeps_its_headers(config, make_app):
    def view(request):
        return HTTPForbidden(headers=[("WWW-Authenticate", 'Basic realm="films"')])

    res = app_serving(config, make_app, view).get("/", headers={"Accept": "text/plain"}, status=403)
    assert res.text == "403 Forbidden\n\nAccess was denied to this resource.\n"
    assert res.headers["WWW-Authenticate"] == 'Basic realm="films"'


def test_a_view_raising_http_found_redirects(config, make_app):
    def view(request):
        raise HTTPFound(location="/elsewhere")

    res = app_serving(config, make_app, view).get("/", status=302)
    assert res.headers["Location"] == "http://localhost/elsewhere"


def test_a_view_returning_http_found_redirects(config, make_app):
    def view(request):
        return HTTPFound(location="http://example.com/next")

    res = app_serving(config, make_app, view).get("/", status=302)
    assert res.headers["Location"] == "http://example.com/next"


def crashing(request):
    raise RuntimeError("secret database password is hunter2")


@pytest.mark.parametrize("accept", ["application/json", BROWSER_ACCEPT, "text/plain"])
def test_a_view_raising_an_ordinary_exception_gives_a_short_generic_500(config, make_app, accept, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        res = app_serving(config, make_app, crashing).get("/", headers={"Accept": accept}, status=500)
    assert "hunter2" not in res.text
    assert "RuntimeError" not in res.text
    assert "Traceback" not in res.text
    assert "The server could not complete the request." in res.text
    assert len(res.body) < 400


def test_a_view_raising_an_ordinary_exception_gives_the_exact_generic_text_body(config, make_app):
    res = app_serving(config, make_app, crashing).get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.text == "500 Internal Server Error\n\nThe server could not complete the request.\n"


def test_a_crashing_view_is_logged_with_its_traceback_on_the_viewpick_logger(config, make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app_serving(config, make_app, crashing).get("/?page=2", status=500)
    records = [r for r in caplog.records if r.name == "viewpick"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    assert "tests.test_dispatch.crashing" in record.getMessage()
    assert "GET /?page=2" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "hunter2" in caplog.text and "Traceback" in caplog.text


def no_renderer(request):
    return "a string"


def test_a_view_returning_a_non_response_without_a_renderer_gives_500(config, make_app, caplog):
    config.add_route("r", "/")
    config.add_view(no_renderer, route_name="r")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        res = make_app(config).get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.text == "500 Internal Server Error\n\nThe server could not complete the request.\n"


def test_a_view_returning_a_non_response_without_a_renderer_is_logged_naming_the_view(config, make_app, caplog):
    config.add_route("r", "/")
    config.add_view(no_renderer, route_name="r")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        make_app(config).get("/", status=500)
    messages = [r.getMessage() for r in caplog.records if r.name == "viewpick"]
    assert len(messages) == 1
    assert "tests.test_dispatch.no_renderer" in messages[0]
    assert "has no renderer" in messages[0]
    assert "'a string'" in messages[0]


def test_a_query_string_that_is_not_utf8_reaching_request_param_gives_400(config, make_app, caplog):
    config.add_route("r", "/")
    config.add_view(answering("search"), route_name="r", renderer="string", request_param="q")
    config.add_view(answering("plain"), route_name="r", renderer="string")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        res = make_app(config).get("/?q=%FF", headers={"Accept": "text/plain"}, status=400)
    assert res.text == "400 Bad Request\n\nThe query string is not valid UTF-8 once percent-decoded.\n"
    assert [r for r in caplog.records if r.name == "viewpick"] == []


def test_an_http_error_with_its_own_vary_keeps_it_beside_accept_in_one_header(config, make_app):
    def view(request):
        raise HTTPForbidden(headers={"Vary": "Cookie"})

    response = app_serving(config, make_app, view).get("/", status=403)
    assert response.headers.getall("Vary") == ["Cookie, Accept"]
