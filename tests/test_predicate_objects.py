"""Built-in predicates are plain objects with Pyramid's interface, usable on their own:
``text()`` for people, ``phash()`` for conflict detection, ``__call__(context, request)``."""

from __future__ import annotations

import pytest

from viewpick import ConfigurationError, Configurator, Request
from viewpick.predicates import (
    AcceptPredicate,
    HeaderPredicate,
    PermissionPredicate,
    RequestMethodPredicate,
    RequestParamPredicate,
    ViewPredicate,
)

from .conftest import HeaderPolicy


@pytest.mark.parametrize(
    ("predicate", "text"),
    [
        (RequestMethodPredicate(("post", "GET")), "request_method = GET,HEAD,POST"),
        (AcceptPredicate(["application/json", "text/html"]), "accept = application/json,text/html"),
        (HeaderPredicate("X-Version:\\d+"), "header X-Version:\\d+"),
        (PermissionPredicate("edit"), "permission = edit"),
    ],
)
def test_builtin_predicates_describe_themselves_and_fit_the_protocol(predicate, text):
    assert predicate.text() == text
    assert isinstance(predicate, ViewPredicate)


def test_accept_phash_ignores_the_order_types_are_given_in():
    assert (
        AcceptPredicate(["text/html", "application/json"]).phash()
        == AcceptPredicate(["application/json", "text/html"]).phash()
    )


@pytest.mark.parametrize(("method", "expected"), [("GET", True), ("HEAD", True), ("POST", False)])
def test_request_method_predicate_called_directly(method, expected):
    assert RequestMethodPredicate("GET")(None, Request.blank("/", method=method)) is expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("application/json", True), ("text/html", False), (None, True), ("application/*;q=0.5", True)],
)
def test_accept_predicate_called_directly(accept, expected):
    request = Request.blank("/", headers={"Accept": accept} if accept else {})
    assert AcceptPredicate("application/json")(None, request) is expected


def test_permission_predicate_asks_the_applications_policy():
    config = Configurator()
    config.set_security_policy(HeaderPolicy())
    request = Request.blank("/", headers={"X-Permissions": "edit"})
    request.app = config.make_wsgi_app()
    assert PermissionPredicate("edit")(None, request) is True
    assert PermissionPredicate("delete")(None, request) is False


def test_permission_predicate_denies_outside_an_application():
    assert PermissionPredicate("edit")(None, Request.blank("/")) is False


def test_requests_made_outside_routing_do_not_share_a_matchdict():
    first, second = Request.blank("/"), Request.blank("/")
    first.matchdict["id"] = "1"
    assert second.matchdict == {}


def test_add_accept_view_order_can_place_a_type_just_below_another(make_app):
    config = Configurator()
    config.add_accept_view_order("text/csv", weighs_less_than="text/html")
    config.add_route("r", "/")
    config.add_renderer("csv", _csv_factory)
    config.add_view(lambda request: {}, route_name="r", renderer="json")
    config.add_view(lambda request: {}, route_name="r", renderer="csv")
    assert make_app(config).get("/").content_type == "text/csv"


def test_add_accept_view_order_refuses_an_impossible_place():
    config = Configurator()
    with pytest.raises(ConfigurationError, match="cannot weigh more than text/html and less than application/json"):
        config.add_accept_view_order("text/csv", weighs_more_than="text/html", weighs_less_than="application/json")


def _csv_factory(info):
    return lambda value, system: "a,b\r\n"


_csv_factory.media_type = "text/csv"


def test_request_param_reads_a_name_as_request_params_does_the_query_string_first_then_the_last_value():
    request = Request.blank("/?mode=list&mode=grid", POST={"mode": "table", "page": "2"})
    assert request.params.get("mode") == "grid"
    assert RequestParamPredicate("mode=grid")(None, request) is True
    assert RequestParamPredicate("mode=table")(None, request) is False
    assert RequestParamPredicate("page=2")(None, request) is True
