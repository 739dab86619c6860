"""Narrowing: views that differ in the exact value of one parameter or match are looked up by
that value, and the choice is still the first view in rank order whose predicates all hold."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, ClassVar

from viewpick import Configurator
from viewpick.explain import build_request

FORM = "application/x-www-form-urlencoded"


def labelled(label: str) -> Any:
    def view(request: Any) -> str:
        return label

    return view


@dataclass(frozen=True)
class Flavour:
    """A reader: the request's X-Flavour header."""

    def __call__(self, request: Any) -> str | None:
        return request.headers.get("X-Flavour")


class FlavourPredicate:
    """``flavour='mint'``: the X-Flavour header is exactly that; it says so through
    ``required_values()``, and records each time it is asked."""

    asked: ClassVar[list[str]] = []

    def __init__(self, value: str, config: Any) -> None:
        self.value = value

    def text(self) -> str:
        return f"flavour = {self.value}"

    phash = text

    def required_values(self) -> tuple[tuple[Flavour, str], ...]:
        return ((Flavour(), self.value),)

    def __call__(self, context: Any, request: Any) -> bool:
        FlavourPredicate.asked.append(self.value)
        return Flavour()(request) == self.value


def test_a_request_tries_only_the_views_requiring_its_value_and_those_requiring_none(config, make_app):
    FlavourPredicate.asked = []
    config.add_view_predicate("flavour", FlavourPredicate)
    config.add_route("ices", "/ices")
    for flavour in ("mint", "lemon", "plum", "fig"):
        config.add_view(labelled(flavour), route_name="ices", renderer="string", flavour=flavour)
    config.add_view(labelled("mint by XHR"), route_name="ices", renderer="string", flavour="mint", xhr=True)
    config.add_view(labelled("plain"), route_name="ices", renderer="string")
    app = make_app(config)

    assert app.get("/ices", headers={"X-Flavour": "fig"}).text == "fig"
    assert FlavourPredicate.asked == ["fig"]
    FlavourPredicate.asked.clear()
    assert app.get("/ices", headers={"X-Flavour": "mint"}).text == "mint"
    assert FlavourPredicate.asked == ["mint"]  # the XHR view failed on xhr first
    FlavourPredicate.asked.clear()
    assert app.get("/ices", headers={"X-Flavour": "kiwi"}).text == "plain"
    assert FlavourPredicate.asked == []


def test_views_differing_in_a_matchdict_value_are_found_by_it(config, make_app):
    config.add_route("act", "/act/{action}")
    for action in ("edit", "view", "delete", "copy"):
        config.add_view(labelled(action), route_name="act", renderer="string", match_param=f"action={action}")
    app = make_app(config)
    assert app.get("/act/copy").text == "copy"
    assert app.get("/act/edit").text == "edit"
    app.get("/act/move", status=404)


def test_a_form_that_cannot_be_read_still_lets_an_earlier_view_that_never_reads_it_be_chosen(config, make_app):
    config.add_route("things", "/things")
    config.add_view(labelled("xhr"), route_name="things", renderer="string", request_method="POST", xhr=True)
    for variant in range(4):
        config.add_view(
            labelled(f"v{variant}"), route_name="things", renderer="string", request_param=f"variant={variant}"
        )
    app = make_app(config)
    bad_form = {"Content-Type": FORM}
    xhr = {**bad_form, "X-Requested-With": "XMLHttpRequest"}
    assert app.post("/things", b"variant=\xff", headers=xhr).text == "xhr"
    assert app.post("/things", b"variant=\xff", headers=bad_form, status=400).status_int == 400


def look_alikes() -> Any:
    """Routes of many views that differ in a parameter's or a match's value, mixed with views
    that differ in other ways or require nothing."""
    config = Configurator()
    config.add_route("things", "/things/{action}")
    for variant in range(16):
        config.add_view(
            labelled(f"variant {variant}"), route_name="things", renderer="string", request_param=f"variant={variant}"
        )
    for variant in range(4):
        config.add_view(
            labelled(f"xhr variant {variant}"),
            route_name="things",
            renderer="string",
            request_param=f"variant={variant}",
            xhr=True,
        )
    config.add_view(
        labelled("variant 5 with extra"), route_name="things", renderer="string", request_param=("variant=5", "extra")
    )
    config.add_view(labelled("never"), route_name="things", renderer="string", request_param=("variant=7", "variant=8"))
    config.add_view(labelled("any variant"), route_name="things", renderer="string", request_param="variant")
    config.add_view(labelled("edit"), route_name="things", renderer="string", match_param="action=edit")
    config.add_view(labelled("xhr"), route_name="things", renderer="string", xhr=True)
    config.add_view(labelled("json"), route_name="things", renderer="json", accept="application/json")
    config.add_view(labelled("post"), route_name="things", renderer="string", request_method="POST")
    config.add_view(labelled("fallback"), route_name="things", renderer="string", request_method="GET")
    config.add_route("acts", "/acts/{action}")
    for action in ("edit", "view", "copy", "move", "delete"):
        config.add_view(labelled(action), route_name="acts", renderer="string", match_param=f"action={action}")
        config.add_view(
            labelled(f"xhr {action}"), route_name="acts", renderer="string", match_param=f"action={action}", xhr=True
        )
    config.add_view(labelled("acts with variant 1"), route_name="acts", renderer="string", request_param="variant=1")
    return config.make_wsgi_app()


def first_that_holds(app: Any, request: Any) -> Any:
    """The reference: every view of the route and method, in rank order, checked in turn."""
    route_dispatch = app.dispatch[request.matched_route.name]
    method_dispatch = route_dispatch.by_method.get(request.method)
    if method_dispatch is None:
        return None
    accept = request.environ.get("HTTP_ACCEPT") or "*/*"
    ordered = method_dispatch.ranking(accept).views if method_dispatch.negotiates else method_dispatch.views
    for view in ordered:
        if all(predicate(None, request) for _, predicate in view.predicates):
            return view
    return None


def test_the_view_chosen_is_the_first_in_rank_order_whose_predicates_all_hold():
    app = look_alikes()
    paths = ["/things/show", "/things/edit", "/acts/edit", "/acts/move", "/acts/other"]
    variants = [None, "0", "1", "5", "7", "15", "16", ""]
    accepts = ["text/plain", "application/json", None]
    chosen = set()
    for case in itertools.product(paths, ["GET", "POST"], variants, [False, True], [False, True], accepts):
        path, method, variant, extra, xhr, accept = case
        params = ([("variant", variant)] if variant is not None else []) + ([("extra", "1")] if extra else [])
        request = build_request(method, path, [("Accept", accept)] if accept else [], params=params, xhr=xhr)
        decided = app.decide(request)
        expected = first_that_holds(app, request)
        assert decided is expected if expected is not None else not hasattr(decided, "call"), case
        chosen.add(decided)
    assert len(chosen) >= 15  # the requests reach most views, not one answer over and over


def test_a_request_without_a_body_is_told_apart_by_its_query_alone(config, make_app):
    """No body, no form to read: a form type whose charset viewpick refuses does not matter."""
    config.add_route("things", "/things")
    config.add_view(labelled("v1"), route_name="things", renderer="string", request_param="variant=1")
    app = make_app(config)
    headers = {"Content-Type": f"{FORM}; charset=latin-1"}
    assert app.get("/things?variant=1", headers=headers).text == "v1"


def test_a_get_with_a_form_body_is_told_apart_by_its_query_alone_as_webob_reads_it(config, make_app):
    """WebOb parses a GET's query string, never its body, as request.params: the body goes unread."""
    config.add_route("things", "/things")
    config.add_view(labelled("v1"), route_name="things", renderer="string", request_param="variant=1")
    app = make_app(config)
    assert app.request("/things?variant=1", method="GET", body=b"variant=\xff", content_type=FORM).text == "v1"
    assert app.request("/things", method="GET", body=b"variant=1", content_type=FORM, status=404).status_int == 404


def test_a_post_without_a_body_is_told_apart_by_its_query(config, make_app):
    config.add_route("things", "/things")
    config.add_view(labelled("v1"), route_name="things", renderer="string", request_param="variant=1")
    app = make_app(config)
    assert app.post("/things?variant=1", headers={"Content-Type": f"{FORM}; charset=latin-1"}).text == "v1"


def test_a_post_with_a_form_body_is_told_apart_by_its_fields(config, make_app):
    config.add_route("things", "/things")
    config.add_view(labelled("v1"), route_name="things", renderer="string", request_param="variant=1")
    assert make_app(config).post("/things", {"variant": "1"}).text == "v1"
