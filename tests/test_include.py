"""``config.include``: another module's configuration, optionally under a route prefix, with its
relative names read from its own package; and relative dotted names in ``config.scan``."""

from __future__ import annotations

import pytest
from webtest import TestApp

import tests.apps.include_pkg
from viewpick import ConfigurationError, Configurator

CONFLICTS = "tests/apps/include_conflict.py"


def test_include_of_a_dotted_name_calls_its_includeme(config, make_app):
    config.include("tests.apps.include_pkg")
    assert make_app(config).get("/shelf").text == "shelf at /shelf/x"


def test_include_of_a_module_object_calls_its_includeme(config, make_app):
    config.include(tests.apps.include_pkg)
    assert make_app(config).get("/shelf").text == "shelf at /shelf/x"


def test_include_of_a_function_calls_it_with_the_configurator(config, make_app):
    def routes(included):
        included.add_route("ping", "/ping")
        included.add_view(lambda request: "pong", route_name="ping", renderer="string")

    config.include(routes)
    assert make_app(config).get("/ping").text == "pong"


def test_include_with_a_route_prefix_puts_its_routes_under_it(config, make_app):
    config.include("tests.apps.include_pkg", route_prefix="/library/")
    app = make_app(config)
    assert app.get("/library/shelf").text == "shelf at /library/shelf/x"
    app.get("/shelf", status=404)


def test_an_empty_pattern_under_a_route_prefix_is_the_prefix_itself(config, make_app):
    config.include("tests.apps.include_pkg", route_prefix="library")
    assert make_app(config).get("/library").text == "shelf root"


def test_prefixes_of_nested_includes_add_up(config, make_app):
    config.include("tests.apps.include_pkg", route_prefix="library")
    assert make_app(config).get("/library/reviews/7").text == "review 7"


def test_the_prefix_ends_with_the_include(config, make_app):
    def routes(included):
        included.add_route("inner", "/inner", static=True)

    config.include(routes, route_prefix="api")
    config.add_route("outer", "/outer")
    config.add_view(
        lambda request: request.route_path("inner") + " " + request.path, route_name="outer", renderer="string"
    )
    assert make_app(config).get("/outer").text == "/api/inner /outer"


def test_a_static_view_added_in_an_include_is_under_its_prefix(config, make_app):
    def assets(included):
        included.add_static_view("static", "tests.apps.static_pkg:static")

    config.include(assets, route_prefix="shop")
    assert make_app(config).get("/shop/static/app.css").status_int == 200


def test_including_the_same_thing_twice_adds_it_once(config, make_app):
    config.include("tests.apps.include_pkg")
    config.include(tests.apps.include_pkg)
    assert make_app(config).get("/shelf").text == "shelf at /shelf/x"


def test_including_the_same_thing_under_another_prefix_is_an_error_naming_both(config):
    config.include("tests.apps.include_pkg", route_prefix="a")
    with pytest.raises(
        ConfigurationError, match=r"under '/b' repeats the include at tests/test_include.py:\d+ under '/a'"
    ):
        config.include("tests.apps.include_pkg", route_prefix="b")


def test_include_of_a_relative_name_reads_it_from_the_callers_package(config, make_app):
    config.include(".apps.include_pkg")
    assert make_app(config).get("/shelf").text == "shelf at /shelf/x"


def test_scan_of_a_relative_name_reads_it_from_the_callers_package(config, make_app):
    config.add_route("hello", "/hello")
    config.scan(".apps.scan_basic")
    assert make_app(config).get("/hello").text == "hello from a scanned view"


def test_a_relative_name_that_names_nothing_is_a_configuration_error(config):
    with pytest.raises(
        ConfigurationError,
        match=r"config.scan\('.apps.nowhere'\) \(tests/test_include.py:\d+\): '.apps.nowhere' names no module, and module 'tests.apps' has no attribute 'nowhere'",
    ):
        config.scan(".apps.nowhere")


def test_include_of_a_module_without_includeme_is_a_configuration_error(config):
    with pytest.raises(ConfigurationError, match=r"module tests.apps.scan_basic has no includeme\(config\) function"):
        config.include("tests.apps.scan_basic")


def test_a_route_name_repeated_across_includes_is_reported_with_both_lines(config):
    config.include("tests.apps.include_conflict:first")
    with pytest.raises(ConfigurationError) as error:
        config.include("tests.apps.include_conflict:second")
    assert f"({CONFLICTS}:11) is already added ({CONFLICTS}:7)" in str(error.value)


def test_conflicting_views_across_includes_are_reported_with_both_lines(config):
    config.include("tests.apps.include_conflict.first_views")
    config.include("tests.apps.include_conflict.second_views")
    with pytest.raises(ConfigurationError) as error:
        config.make_wsgi_app()
    assert f"({CONFLICTS}:24) and " in str(error.value) and f"({CONFLICTS}:28) conflict" in str(error.value)


def test_a_configurator_is_a_context_manager_as_in_pyramids_tutorials():
    with Configurator() as config:
        config.add_route("home", "/")
        config.add_view(lambda request: "home", route_name="home", renderer="string")
        app = config.make_wsgi_app()
    assert TestApp(app).get("/").text == "home"


def test_a_relative_name_outside_a_package_is_a_configuration_error():
    from viewpick.dotted import resolve

    with pytest.raises(ConfigurationError, match=r"cannot resolve the relative name '.views' outside a package"):
        resolve(".views", "")


def test_a_module_that_imports_something_missing_raises_that_error(config):
    with pytest.raises(ModuleNotFoundError, match=r"tests\.apps\.no_such_module"):
        config.include("tests.apps.broken_import")


def test_a_missing_attribute_after_a_colon_is_a_configuration_error(config):
    with pytest.raises(ConfigurationError, match=r"module 'tests.apps.include_conflict' has no attribute 'third'"):
        config.include("tests.apps.include_conflict:third")
