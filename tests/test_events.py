"""Events: each sent once, with the right object, at its point of a request's (or the
application's) life; BeforeRender globals in every template and renderer."""

from __future__ import annotations

import logging

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Response, render
from viewpick.events import ApplicationCreated, BeforeRender, NewRequest, NewResponse


class Recorder:
    """A subscriber that keeps every event it gets."""

    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)


@pytest.fixture
def home(config):
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    return config


def test_new_request_is_sent_once_with_the_request_before_a_view_is_chosen(home, make_app):
    recorder = Recorder()
    home.add_subscriber(recorder, NewRequest)
    home.add_view(lambda request: "xhr", route_name="home", renderer="string", xhr=True)

    def mark_as_xhr(event):
        event.request.environ["HTTP_X_REQUESTED_WITH"] = "XMLHttpRequest"

    home.add_subscriber(mark_as_xhr, NewRequest)
    assert make_app(home).get("/").text == "xhr"
    assert [event.request.path for event in recorder.events] == ["/"]


def test_new_response_is_sent_once_with_the_final_response(home, make_app):
    recorder = Recorder()
    home.add_subscriber(recorder, NewResponse)
    home.add_subscriber(lambda event: event.response.headers.update({"X-Seen": "yes"}), NewResponse)
    res = make_app(home).get("/")
    assert res.headers["X-Seen"] == "yes"
    assert [(event.request.path, event.response.text) for event in recorder.events] == [("/", "home")]


def test_new_response_is_sent_for_the_applications_own_error_answers(home, make_app):
    recorder = Recorder()
    home.add_subscriber(recorder, NewResponse)
    make_app(home).get("/nowhere", status=404)
    assert [event.response.status_code for event in recorder.events] == [404]


def test_new_response_comes_after_the_response_callbacks(home, make_app):
    order = []
    home.add_subscriber(lambda event: order.append("event"), NewResponse)
    home.add_subscriber(
        lambda event: event.request.add_response_callback(lambda request, response: order.append("callback")),
        NewRequest,
    )
    make_app(home).get("/")
    assert order == ["callback", "event"]


def test_a_failing_new_response_subscriber_answers_500(home, make_app, caplog):
    def broken(event):
        raise RuntimeError("subscriber on fire")

    home.add_subscriber(broken, NewResponse)
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        make_app(home).get("/", status=500)
    assert "NewResponse subscriber" in caplog.text


def test_application_created_is_sent_once_with_the_application(home):
    recorder = Recorder()
    home.add_subscriber(recorder, ApplicationCreated)
    app = home.make_wsgi_app()
    assert [(event.app, event.object) for event in recorder.events] == [(app, app)]


def add_user(event):
    event["user"] = event["request"].headers.get("X-User", "nobody")


def test_before_render_adds_globals_a_mako_template_sees(config, make_app):
    config.add_subscriber(add_user, BeforeRender)
    config.add_subscriber(lambda event: event.update(site="Films"), BeforeRender)
    config.add_route("home", "/")
    config.add_view(lambda request: {"title": "Home"}, route_name="home", renderer="templates/globals.mako")
    assert make_app(config).get("/", headers={"X-User": "ann"}).text == "Films|ann|Home\n"


def test_before_render_adds_globals_a_jinja2_template_sees(config, make_app):
    config.add_subscriber(add_user, BeforeRender)
    config.add_subscriber(lambda event: event.update(site="Films"), BeforeRender)
    config.add_route("home", "/")
    config.add_view(lambda request: {"title": "Home"}, route_name="home", renderer="templates/jinja2/globals.jinja2")
    assert make_app(config).get("/", headers={"X-User": "ann"}).text.strip() == "Films|ann|Home"


def test_before_render_globals_reach_the_json_renderer_through_the_value(config, make_app):
    def add_api_version(event):
        if event["renderer_name"] == "json":
            event.rendering_val["api"] = 2

    config.add_subscriber(add_api_version, BeforeRender)
    config.add_route("home", "/")
    config.add_view(lambda request: {"films": []}, route_name="home", renderer="json")
    assert make_app(config).get("/").json == {"films": [], "api": 2}


def test_before_render_globals_are_in_every_renderers_system_values(config, make_app):
    config.add_subscriber(add_user, BeforeRender)
    config.add_renderer("whoami", lambda info: lambda value, system: f"{system['user']} via {system['renderer_name']}")
    config.add_route("home", "/")
    config.add_view(lambda request: {}, route_name="home", renderer="whoami")
    assert make_app(config).get("/", headers={"X-User": "ann"}).text == "ann via whoami"


def test_before_render_is_sent_once_per_render_with_the_views_value(config, make_app):
    recorder = Recorder()
    config.add_subscriber(recorder, BeforeRender)
    config.add_route("home", "/")
    config.add_view(lambda request: {"title": "Home"}, route_name="home", renderer="json")
    make_app(config).get("/")
    assert [(event.rendering_val, event["renderer_name"]) for event in recorder.events] == [({"title": "Home"}, "json")]


def test_before_render_globals_reach_render_called_in_a_view(config, make_app):
    config.add_subscriber(add_user, BeforeRender)
    config.add_route("home", "/")

    def view(request):
        return Response(render("templates/globals.mako", {"title": "Mail", "site": "-"}, request))

    config.add_view(view, route_name="home")
    assert make_app(config).get("/", headers={"X-User": "bo"}).text == "-|bo|Mail\n"


def test_a_subscriber_for_a_base_class_gets_its_subclasses_events(home):
    class Event:
        pass

    class Special(Event):
        pass

    recorder = Recorder()
    home.add_subscriber(recorder, Event)
    app = home.make_wsgi_app()
    special = Special()
    app.notify(special)
    assert recorder.events == [special]


def test_subscribers_may_be_dotted_names(home, make_app):
    home.add_subscriber("tests.test_events.add_user", "viewpick.events.BeforeRender")
    home.add_route("page", "/page")
    home.add_view(lambda request: {"title": "T", "site": "S"}, route_name="page", renderer="templates/globals.mako")
    assert make_app(home).get("/page").text == "S|nobody|T\n"


def test_add_subscriber_without_an_event_class_is_a_configuration_error(home):
    with pytest.raises(ConfigurationError, match=r"add_subscriber \(tests/test_events.py:\d+\) takes a function"):
        home.add_subscriber(add_user, 42)


def test_scan_finds_subscriber_decorators(config):
    config.scan("tests.apps.events_pkg")
    config.add_route("home", "/")
    config.add_view(lambda request: {"title": "T", "user": "U"}, route_name="home", renderer="templates/globals.mako")
    app = TestApp(config.make_wsgi_app())
    res = app.get("/", extra_environ={"test.events": []})
    assert res.text == "Film catalogue|U|T\n"


def test_scanned_subscriber_for_two_event_types_gets_both(config):
    config.scan("tests.apps.events_pkg.subscribers")
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    environ = {}

    def keep_environ(event):
        environ.update(event.request.environ)

    config.add_subscriber(keep_environ, NewResponse)
    TestApp(config.make_wsgi_app()).get("/")
    assert environ["test.events"] == ["NewRequest", "NewResponse"]


def test_without_subscribers_no_event_is_prepared(home):
    app = home.make_wsgi_app()
    assert (app.before_render, app.new_response, app.handler) == ((), (), app.respond)


def test_subscriber_decorator_without_event_types_is_an_error():
    from viewpick import subscriber

    with pytest.raises(TypeError, match=r"@subscriber needs the event types"):
        subscriber()
