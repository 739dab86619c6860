"""What the Jinja2 engine does beyond the shared contract (tests/test_renderer_contract.py):
``.j2``, blocks of inherited templates, includes, ``|safe``, and strict undefined names."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator, render

MakeApp = Callable[..., TestApp]
FILMS = {"title": "Films", "films": ["Ikiru", "<Ran>"]}


def returning(value: Any) -> Callable[[Any], Any]:
    def view(request: Any) -> Any:
        return value

    return view


def app_with_view(config: Configurator, make_app: MakeApp, view: Callable[..., Any], **keywords: Any) -> TestApp:
    config.add_route("home", "/")
    config.add_view(view, route_name="home", **keywords)
    return make_app(config)


def test_a_j2_template_renders_through_its_parent_with_a_path_relative_to_it(config, make_app):
    res = app_with_view(config, make_app, returning(FILMS), renderer="templates/jinja2/films.j2").get("/")
    assert res.text == "<html><body><h1>Films</h1><ul><li>Ikiru</li><li>&lt;Ran&gt;</li></ul></body></html>"
    assert res.content_type == "text/html"


def test_a_block_nested_in_an_inherited_block_renders_alone_with_the_pages_values(config, make_app):
    renderer = "templates/jinja2/films.j2#results"
    assert app_with_view(config, make_app, returning(FILMS), renderer=renderer).get("/").text == (
        "<li>Ikiru</li><li>&lt;Ran&gt;</li>"
    )


def test_an_include_is_found_relative_to_the_including_template(config, make_app):
    renderer = "templates/jinja2/including.jinja2"
    res = app_with_view(config, make_app, returning({"value": "<x>"}), renderer=renderer).get("/")
    assert res.text == "<div><i>&lt;x&gt;</i></div>"


def test_the_safe_filter_turns_escaping_off(config, make_app):
    res = app_with_view(config, make_app, returning({"value": "<b>"}), renderer="templates/jinja2/raw.jinja2").get("/")
    assert res.text == "<p><b></p>"


@pytest.mark.parametrize(
    "settings",
    [{"reload_templates": True}, {"jinja2.strict_undefined": "true"}],
    ids=["reload_templates", "strict_undefined"],
)
def test_an_undefined_name_is_an_error_under_the_development_setting(make_app, caplog, settings):
    app = app_with_view(Configurator(settings), make_app, returning({}), renderer="templates/jinja2/undefined.jinja2")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app.get("/", status=500)
    assert "UndefinedError: 'missing' is undefined" in caplog.text
    assert re.search(r'undefined\.jinja2", line 1', caplog.text)


@pytest.mark.parametrize(
    "settings",
    [{}, {"reload_templates": True, "jinja2.strict_undefined": "false"}],
    ids=["default", "turned_off"],
)
def test_an_undefined_name_renders_empty_otherwise(make_app, settings):
    app = app_with_view(Configurator(settings), make_app, returning({}), renderer="templates/jinja2/undefined.jinja2")
    assert app.get("/").text == "<p></p>"


def test_render_outside_a_view_renders_a_block_relative_to_the_caller():
    assert render("templates/jinja2/films.j2#results", {"films": ["<a>"]}) == "<li>&lt;a&gt;</li>"


def test_an_error_inside_a_fragment_is_a_500_logged_with_the_template_line(config, make_app, caplog):
    renderer = "templates/jinja2/broken_block.jinja2#results"
    app = app_with_view(config, make_app, returning({"zero": 0}), renderer=renderer)
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app.get("/", status=500)
    assert re.search(r'broken_block\.jinja2", line 1', caplog.text)
    assert "ZeroDivisionError" in caplog.text


def test_an_include_of_a_missing_template_fails_the_request_naming_it(config, make_app, caplog):
    app = app_with_view(config, make_app, returning({}), renderer="templates/jinja2/missing_include.jinja2")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app.get("/", status=500)
    assert re.search(r"TemplateNotFound: tests[.a-z_0-9]*:templates/jinja2/parts/missing.jinja2", caplog.text)


def test_a_parent_named_by_package_path_is_taken_as_it_is(config, make_app):
    renderer = "templates/jinja2/by_package.jinja2"
    assert app_with_view(config, make_app, returning({"title": "T"}), renderer=renderer).get("/").text == (
        "<html><body><p>T</p></body></html>"
    )


def test_a_template_deleted_while_reloading_fails_the_request(tmp_path, make_app):
    template = tmp_path / "gone.jinja2"
    template.write_text("<p>here</p>", encoding="utf-8")
    config = Configurator({"reload_templates": True, "jinja2.directories": str(tmp_path)})
    app = app_with_view(config, make_app, returning({}), renderer="gone.jinja2")
    assert app.get("/").text == "<p>here</p>"
    template.unlink()
    app.get("/", status=500)


def test_a_package_that_cannot_be_imported_is_a_configuration_error(config):
    config.add_route("home", "/")
    config.add_view(returning({}), route_name="home", renderer="no_such_package:page.jinja2")
    with pytest.raises(ConfigurationError, match=r"package 'no_such_package' cannot be imported"):
        config.make_wsgi_app()
