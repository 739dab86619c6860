"""Request methods added by configuration, response callbacks and ``request.exception``:
what an application needs to open a resource lazily and commit or roll it back."""

from __future__ import annotations

import logging

import pytest
from webob.exc import HTTPConflict

from viewpick import ConfigurationError


class Ledger:
    """A stand-in for a database: writes are pending until committed."""

    def __init__(self) -> None:
        self.opened = 0
        self.committed: list[str] = []
        self.pending: list[str] = []

    def open(self, request):
        self.opened += 1
        request.add_response_callback(self.finish)
        return self

    def finish(self, request, response):
        if request.exception is None and response.status_code < 400:
            self.committed += self.pending
        self.pending = []


@pytest.fixture
def ledger_app(config, make_app):
    ledger = Ledger()
    config.add_request_method(ledger.open, "ledger", reify=True)
    config.add_route("write", "/write/{how}")
    config.add_route("read", "/read")

    def write(request):
        request.ledger.pending.append(request.matchdict["how"])
        request.ledger.pending.append("again")
        if request.matchdict["how"] == "crash":
            raise RuntimeError("disk on fire")
        if request.matchdict["how"] == "conflict":
            raise HTTPConflict()
        return "ok"

    config.add_view(write, route_name="write", renderer="string")
    config.add_view(lambda request: "nothing", route_name="read", renderer="string")
    return ledger, make_app(config)


def test_a_reified_request_method_is_computed_once_per_request(ledger_app):
    ledger, app = ledger_app
    app.get("/write/fine")
    assert ledger.opened == 1


def test_a_reified_request_method_is_not_computed_when_no_view_asks_for_it(ledger_app):
    ledger, app = ledger_app
    app.get("/read")
    assert ledger.opened == 0


def test_a_response_callback_sees_a_view_that_returned_normally(ledger_app):
    ledger, app = ledger_app
    app.get("/write/fine")
    assert ledger.committed == ["fine", "again"]


def test_a_view_that_crashes_leaves_request_exception_set_for_the_callbacks(ledger_app, caplog):
    ledger, app = ledger_app
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        app.get("/write/crash", status=500)
    assert ledger.committed == []


def test_a_view_that_raises_an_http_error_leaves_request_exception_set(ledger_app):
    ledger, app = ledger_app
    app.get("/write/conflict", status=409)
    assert ledger.committed == []


def test_a_failing_response_callback_turns_the_response_into_a_500_and_the_rest_still_run(config, make_app, caplog):
    calls = []

    def fail(request, response):
        calls.append("fail")
        raise RuntimeError("commit failed")

    def view(request):
        request.add_response_callback(fail)
        request.add_response_callback(lambda request, response: calls.append("second"))
        return "saved"

    config.add_route("home", "/")
    config.add_view(view, route_name="home", renderer="string")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        response = make_app(config).get("/", status=500)
    assert "saved" not in response.text
    assert calls == ["fail", "second"]
    assert "commit failed" in caplog.text


def test_a_plain_request_method_is_called_with_the_request_and_its_arguments(config, make_app):
    def greeting(request, name):
        return f"{request.method} hello {name}"

    config.add_request_method(greeting)
    config.add_route("home", "/")
    config.add_view(lambda request: request.greeting("ann"), route_name="home", renderer="string")
    assert make_app(config).get("/").text == "GET hello ann"


def test_request_methods_of_one_app_do_not_reach_another(config, make_app):
    config.add_request_method(lambda request: 1, "one", reify=True)
    config.add_route("home", "/")
    config.add_view(lambda request: str(hasattr(request, "one")), route_name="home", renderer="string")
    plain = config.__class__()
    plain.add_route("home", "/")
    plain.add_view(lambda request: str(hasattr(request, "one")), route_name="home", renderer="string")
    assert make_app(config).get("/").text == "True"
    assert make_app(plain).get("/").text == "False"


def test_a_request_method_that_would_hide_a_request_attribute_is_refused(config):
    with pytest.raises(ConfigurationError, match=r"test_request_extensions.py:\d+\) would hide Request.params"):
        config.add_request_method(lambda request: {}, "params")


def test_a_request_method_needs_an_identifier_for_a_name(config):
    with pytest.raises(ConfigurationError, match="identifier"):
        config.add_request_method(lambda request: 1, "not a name")


# --- current_route_url / current_route_path -----------------------------------------------


@pytest.fixture
def pages_app(config, make_app):
    config.add_route("page", "/books/{book}/pages/{page}")
    config.add_route("book", "/books/{book}", static=True)

    def view(request):
        asked = {key: value for key, value in request.GET.items() if key != "q"}
        return request.current_route_path(**asked) + " " + request.current_route_url(**asked)

    config.add_view(view, route_name="page", renderer="string")
    return make_app(config)


def test_current_route_path_is_the_matched_route_filled_from_the_matchdict(pages_app):
    assert pages_app.get("/books/dune/pages/7").text.split()[0] == "/books/dune/pages/7"


def test_current_route_path_takes_parts_over_the_matchdict(pages_app):
    assert pages_app.get("/books/dune/pages/7?page=8&_query=").text.split()[0] == "/books/dune/pages/8"


def test_current_route_path_keeps_the_query_string_unless_given_one(pages_app):
    assert pages_app.get("/books/dune/pages/7?q=spice").text.split()[0] == "/books/dune/pages/7?q=spice"


def test_current_route_path_fills_another_route_named_by_route_name(pages_app):
    assert pages_app.get("/books/dune/pages/7?_route_name=book&_query=").text.split()[0] == "/books/dune"


def test_current_route_url_is_absolute(pages_app):
    assert pages_app.get("/books/dune/pages/7").text.split()[1] == "http://localhost/books/dune/pages/7"


def test_a_response_callback_gets_the_rendered_response_and_what_it_sets_is_sent(config, make_app):
    seen = []

    def view(request):
        request.add_response_callback(
            lambda request, response: (seen.append(response.text), response.headers.update({"X-Seen": "yes"}))
        )
        return "rendered"

    config.add_route("home", "/")
    config.add_view(view, route_name="home", renderer="string")
    res = make_app(config).get("/")
    assert (seen, res.text, res.headers["X-Seen"], res.headers["Vary"]) == (["rendered"], "rendered", "yes", "Accept")
