"""Tweens: their order (over/under, INGRESS/MAIN), that they wrap every answer (the
application's error answers included), and what goes wrong in them."""

from __future__ import annotations

import logging

import pytest
from webob.exc import HTTPForbidden

from viewpick import ConfigurationError, Configurator
from viewpick.tweens import INGRESS, MAIN


def recording(name):
    """A tween factory whose tweens note ``name`` in the response's X-Tweens header on the way out,
    so the header lists the tweens from the innermost to the outermost."""

    def factory(handler, app):
        def tween(request):
            response = handler(request)
            response.headers["X-Tweens"] = " ".join(filter(None, [response.headers.get("X-Tweens"), name]))
            return response

        return tween

    factory.__qualname__ = factory.__name__ = f"{name}_factory"
    return factory


A, B, C = recording("a"), recording("b"), recording("c")


@pytest.fixture
def home(config):
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    return config


def outermost_first(make_app, config, path="/", status=200):
    return list(reversed(make_app(config).get(path, status=status).headers["X-Tweens"].split()))


def test_a_tween_added_later_wraps_those_added_before(home, make_app):
    home.add_tween(A)
    home.add_tween(B)
    assert outermost_first(make_app, home) == ["b", "a"]


def test_a_tween_over_main_goes_innermost(home, make_app):
    home.add_tween(A, over=MAIN)
    home.add_tween(B)
    home.add_tween(C)
    assert outermost_first(make_app, home) == ["c", "b", "a"]


def test_a_tween_under_ingress_is_the_default(home, make_app):
    home.add_tween(A, under=INGRESS)
    home.add_tween(B)
    assert outermost_first(make_app, home) == ["b", "a"]


def test_over_another_tween_wraps_it(home, make_app):
    home.add_tween(A)
    home.add_tween(B, over=C)
    home.add_tween(C)
    assert outermost_first(make_app, home) == ["b", "c", "a"]


def test_under_another_tween_is_wrapped_by_it(home, make_app):
    home.add_tween(A, under=B)
    home.add_tween(B, under=C)
    home.add_tween(C)
    assert outermost_first(make_app, home) == ["c", "b", "a"]


def test_over_main_and_under_a_tween_orders_both(home, make_app):
    home.add_tween(A, over=MAIN)
    home.add_tween(B, over=MAIN, under=A)
    home.add_tween(C)
    assert outermost_first(make_app, home) == ["c", "a", "b"]


def test_a_hint_may_be_a_dotted_name(home, make_app):
    home.add_tween(A)
    home.add_tween(B, under="tests.test_tweens.a_factory")
    assert outermost_first(make_app, home) == ["a", "b"]


def test_a_hint_listing_alternatives_uses_those_added(home, make_app):
    home.add_tween(A)
    home.add_tween(B, under=("tests.not_added_factory", A))
    assert outermost_first(make_app, home) == ["a", "b"]


def test_a_hint_naming_no_added_tween_is_a_configuration_error(home):
    home.add_tween(A, under="tests.test_tweens.b_factory")
    with pytest.raises(ConfigurationError, match=r"under=\('tests.test_tweens.b_factory',\) names no tween"):
        home.make_wsgi_app()


def test_hints_forming_a_cycle_are_a_configuration_error_naming_the_tweens(home):
    home.add_tween(A, under=B)
    home.add_tween(B, under=A)
    with pytest.raises(ConfigurationError, match=r"form a cycle: .*a_factory \(tests/test_tweens.py:\d+\)"):
        home.make_wsgi_app()


def test_adding_a_tween_twice_is_a_configuration_error_naming_both_lines(home):
    home.add_tween(A)
    with pytest.raises(ConfigurationError, match=r"is already added \(tests/test_tweens.py:\d+\)"):
        home.add_tween(A)


def test_a_tween_factory_may_be_a_dotted_name(home, make_app):
    home.add_tween("tests.test_tweens.A")
    assert outermost_first(make_app, home) == ["a"]


def test_a_tween_sees_the_not_found_answer(home, make_app):
    home.add_tween(A)
    assert outermost_first(make_app, home, "/nowhere", status=404) == ["a"]


def test_a_tween_sees_the_500_answer_to_a_crashing_view_and_the_exception(config, make_app, caplog):
    seen = []

    def spy_factory(handler, app):
        def spy(request):
            response = handler(request)
            seen.append((response.status_code, type(request.exception).__name__))
            return response

        return spy

    config.add_route("boom", "/boom")
    config.add_view(lambda request: 1 / 0, route_name="boom", renderer="string")
    config.add_tween(spy_factory)
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        make_app(config).get("/boom", status=500)
    assert seen == [(500, "ZeroDivisionError")]


def test_a_tween_that_raises_an_http_error_answers_it(home, make_app):
    def refuse_factory(handler, app):
        def refuse(request):
            raise HTTPForbidden("tweens may refuse")

        return refuse

    home.add_tween(refuse_factory)
    assert "tweens may refuse" in make_app(home).get("/", status=403).text


def test_a_tween_that_crashes_answers_a_short_500_and_logs_it(home, make_app, caplog):
    def broken_factory(handler, app):
        def broken(request):
            raise RuntimeError("tween on fire")

        return broken

    home.add_tween(broken_factory)
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        res = make_app(home).get("/", status=500)
    assert "tween on fire" not in res.text
    assert "error handling GET /" in caplog.text and "RuntimeError: tween on fire" in caplog.text


def test_a_tween_factory_gets_the_application(home, make_app):
    got = []

    def factory(handler, app):
        got.append(app)
        return handler

    home.add_tween(factory)
    app = home.make_wsgi_app()
    assert got == [app]


def test_without_tweens_the_application_calls_its_handling_directly(home):
    app = home.make_wsgi_app()
    assert app.handler == app.respond


def test_an_error_view_answers_what_a_tween_raised(home, make_app, caplog):
    def broken_factory(handler, app):
        def broken(request):
            raise RuntimeError("tween on fire")

        return broken

    home.add_tween(broken_factory)
    home.add_exception_view(lambda request: "sorry: " + str(request.exception), context=Exception, renderer="string")
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        assert make_app(home).get("/", status=500).text == "sorry: tween on fire"


def test_a_tween_sees_an_error_views_answer(config, make_app):
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    config.add_notfound_view(lambda request: "no such page here", renderer="string")
    config.add_tween(A)
    res = make_app(config).get("/nowhere", status=404)
    assert (res.text, res.headers["X-Tweens"]) == ("no such page here", "a")


def test_the_tweens_setting_spells_out_the_chain_outermost_first(make_app):
    config = Configurator({"tweens": "tests.test_tweens.A\ntests.test_tweens.C"})
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    config.add_tween(C)
    config.add_tween(B)  # not in the setting: left out, as with Pyramid's pyramid.tweens
    assert outermost_first(make_app, config) == ["a", "c"]


def test_a_tweens_setting_naming_nothing_is_a_configuration_error():
    config = Configurator({"tweens": ["tests.test_tweens.no_such_factory"]})
    with pytest.raises(ConfigurationError, match=r"setting tweens: 'tests.test_tweens.no_such_factory' names no"):
        config.make_wsgi_app()
