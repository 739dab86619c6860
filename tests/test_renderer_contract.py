"""The renderer contract (``viewpick/renderers/__init__.py``), held by every template engine:
each test runs against Mako and against Jinja2, through real applications."""

from __future__ import annotations

import inspect
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator
from viewpick.explain import build_request, explain

from .apps import tmpl_pkg

MakeApp = Callable[..., TestApp]
HTML = "text/html; charset=UTF-8"
SHORT_500_TEXT = b"500 Internal Server Error\n\nThe server could not complete the request.\n"


@dataclass(frozen=True)
class Engine:
    """How one engine spells what the contract tests need."""

    name: str
    extension: str
    directories: str  # its search-path setting
    expression: str  # an expression printing ``name``, with ``name`` standing for it
    bad_syntax: str  # a template whose second line does not compile
    part_spelling: str  # how a missing part is named in the startup error

    def template(self, stem: str) -> str:
        return f"templates/contract/{stem}{self.extension}"

    def show(self, name: str) -> str:
        return self.expression.replace("name", name)


MAKO = Engine(
    "Mako", ".mako", "mako.directories", "${name}", "<p>ok</p>\n% for x in:\n% endfor\n", '<%def name="{}()">'
)
JINJA2 = Engine(
    "Jinja2",
    ".jinja2",
    "jinja2.directories",
    "{{ name }}",
    "<p>ok</p>\n{% for x in %}\n{% endfor %}\n",
    "{{% block {} %}}",
)


@pytest.fixture(params=[MAKO, JINJA2], ids=lambda engine: engine.name)
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.param


def squash(text: str) -> str:
    """The markup without the whitespace between tags (the engines place newlines differently)."""
    return re.sub(r">\s+<", "><", text.strip())


def returning(value: Any) -> Callable[[Any], Any]:
    def view(request: Any) -> Any:
        return value

    return view


def app_with_view(config: Configurator, make_app: MakeApp, view: Callable[..., Any], **keywords: Any) -> TestApp:
    config.add_route("home", "/")
    config.add_view(view, route_name="home", **keywords)
    return make_app(config)


def startup_error(config: Configurator, renderer: str) -> tuple[str, int]:
    """The ConfigurationError make_wsgi_app() raises for a view with ``renderer``, and the
    line that declared the view."""
    config.add_route("home", "/")
    line = inspect.currentframe().f_lineno + 1
    config.add_view(returning({}), route_name="home", renderer=renderer)
    with pytest.raises(ConfigurationError) as caught:
        config.make_wsgi_app()
    return str(caught.value), line


# --- pages and fragments ----------------------------------------------------------------


def test_a_template_renders_the_whole_page_with_the_views_values(config, make_app, engine):
    res = app_with_view(config, make_app, returning({"title": "News"}), renderer=engine.template("page")).get("/")
    assert squash(res.text) == "<h1>News</h1><main><p>News at /</p></main>"
    assert res.headers["Content-Type"] == HTML


def test_a_fragment_named_after_hash_renders_only_that_part(config, make_app, engine):
    res = app_with_view(config, make_app, returning({"title": "T"}), renderer=engine.template("page") + "#results")
    assert res.get("/").text == "<p>T at /</p>"
    assert res.get("/").headers["Content-Type"] == HTML


def test_a_page_and_its_fragment_serve_one_route_told_apart_by_xhr(config, make_app, engine):
    config.add_route("page", "/page")
    config.add_view(returning({"title": "T"}), route_name="page", renderer=engine.template("page"))
    config.add_view(
        returning({"title": "T"}), route_name="page", renderer=engine.template("page") + "#results", xhr=True
    )
    app = make_app(config)
    assert app.get("/page", headers={"X-Requested-With": "XMLHttpRequest"}).text == "<p>T at /page</p>"
    assert squash(app.get("/page").text) == "<h1>T</h1><main><p>T at /page</p></main>"


def test_a_missing_fragment_is_a_configuration_error_at_startup_naming_part_and_view_line(config, engine):
    message, line = startup_error(config, engine.template("page") + "#nope")
    assert engine.part_spelling.format("nope") in message
    assert "results" in message  # the parts it does have
    assert f"test_renderer_contract.py:{line}" in message


def test_a_missing_template_is_a_configuration_error_at_startup_naming_view_line(config, engine):
    message, line = startup_error(config, engine.template("nowhere"))
    assert f"template '{engine.template('nowhere')}' not found" in message
    assert os.path.join("tests", "templates", "contract", "nowhere" + engine.extension) in message
    assert f"test_renderer_contract.py:{line}" in message


def test_a_template_that_does_not_compile_is_a_configuration_error_at_startup_naming_its_line(tmp_path, engine):
    (tmp_path / f"bad{engine.extension}").write_text(engine.bad_syntax, encoding="utf-8")
    message, line = startup_error(Configurator(settings={engine.directories: str(tmp_path)}), f"bad{engine.extension}")
    assert f"'bad{engine.extension}' does not compile" in message
    assert re.search(r"line:? 2", message)
    assert f"test_renderer_contract.py:{line}" in message


def test_a_template_inheriting_from_a_neighbour_renders_inside_it(config, make_app, engine):
    res = app_with_view(config, make_app, returning({"title": "child"}), renderer=engine.template("child")).get("/")
    assert squash(res.text) == "<html><body><p>child</p></body></html>"


# --- escaping -----------------------------------------------------------------------------


def test_values_are_html_escaped(config, make_app, engine):
    res = app_with_view(config, make_app, returning({"value": "<b>&'"}), renderer=engine.template("escaped")).get("/")
    assert res.text.strip() in ("<p>&lt;b&gt;&amp;&#39;</p>", "<p>&lt;b&gt;&amp;&#x27;</p>")


def test_values_are_escaped_in_a_fragment_too(config, make_app, engine):
    renderer = engine.template("page") + "#results"
    res = app_with_view(config, make_app, returning({"title": "<script>"}), renderer=renderer).get("/")
    assert res.text == "<p>&lt;script&gt; at /</p>"


def test_output_is_utf8_encoded(config, make_app, engine):
    res = app_with_view(config, make_app, returning({"value": "café ☕"}), renderer=engine.template("escaped")).get("/")
    assert res.body.strip() == "<p>café ☕</p>".encode()


# --- where templates are found --------------------------------------------------------------


def test_a_package_path_names_a_template_in_another_package(config, make_app, engine):
    renderer = f"tests.apps.tmpl_pkg:templates/pkg_page{engine.extension}"
    res = app_with_view(config, make_app, returning({"title": "T"}), renderer=renderer).get("/")
    assert res.text.strip() == "<p>from the package: T</p>"


def test_a_package_path_template_inherits_from_its_neighbour(config, make_app, engine):
    renderer = f"tests.apps.tmpl_pkg:templates/pkg_child{engine.extension}"
    res = app_with_view(config, make_app, returning({"title": "T"}), renderer=renderer).get("/")
    assert squash(res.text) == "<section><p>T</p></section>"


def test_a_relative_name_is_resolved_from_the_package_of_the_module_declaring_the_view(config, make_app, engine):
    # tests/templates has no pkg_page: the name is found next to tests/apps/tmpl_pkg, which declared it.
    tmpl_pkg.declare_page(config, engine.extension)
    assert make_app(config).get("/").text.strip() == "<p>from the package: T</p>"


@pytest.fixture
def search_path(tmp_path: Path, engine: Engine) -> tuple[Path, Path]:
    """Two template directories; ``only_here`` is in the second only."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (second / f"only_here{engine.extension}").write_text(f"<p>found {engine.show('name')}</p>\n", encoding="utf-8")
    return first, second


def test_a_template_only_in_the_search_path_directories_is_found(make_app, engine, search_path):
    config = Configurator(settings={engine.directories: ", ".join(str(d) for d in search_path)})
    renderer = f"only_here{engine.extension}"
    res = app_with_view(config, make_app, returning({"name": "it"}), renderer=renderer).get("/")
    assert res.text.strip() == "<p>found it</p>"


def test_a_name_starting_with_a_slash_is_looked_up_only_in_the_search_path(make_app, engine, search_path):
    config = Configurator(settings={engine.directories: [str(d) for d in search_path]})
    renderer = f"/only_here{engine.extension}"
    res = app_with_view(config, make_app, returning({"name": "it"}), renderer=renderer).get("/")
    assert res.text.strip() == "<p>found it</p>"


def test_a_template_in_none_of_the_places_is_a_configuration_error_listing_them(engine, search_path):
    config = Configurator(settings={engine.directories: [str(search_path[0])]})
    message, _ = startup_error(config, f"only_here{engine.extension}")
    assert str(search_path[0] / f"only_here{engine.extension}") in message


# --- reloading ----------------------------------------------------------------------------


def render_twice_with_a_change(tmp_path: Path, make_app: MakeApp, engine: Engine, settings: dict[str, Any]):
    template = tmp_path / f"live{engine.extension}"
    template.write_text(f"version one {engine.show('n')}\n", encoding="utf-8")
    config = Configurator(settings={**settings, engine.directories: [str(tmp_path)]})
    app = app_with_view(config, make_app, returning({"n": 1}), renderer=f"live{engine.extension}")
    first = app.get("/").text
    template.write_text(f"version two {engine.show('n')}\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(template, (later, later))
    return first.strip(), app.get("/").text.strip()


@pytest.mark.parametrize("flag", [True, "true"])
def test_reload_templates_picks_up_a_changed_file_on_the_next_request(tmp_path, make_app, engine, flag):
    first, second = render_twice_with_a_change(tmp_path, make_app, engine, {"reload_templates": flag})
    assert (first, second) == ("version one 1", "version two 1")


@pytest.mark.parametrize("settings", [{}, {"reload_templates": "false"}])
def test_without_reload_templates_the_compiled_template_is_kept(tmp_path, make_app, engine, settings):
    first, second = render_twice_with_a_change(tmp_path, make_app, engine, settings)
    assert (first, second) == ("version one 1", "version one 1")


def test_a_fragment_removed_while_reloading_fails_that_request_naming_it(tmp_path, make_app, engine, caplog):
    template = tmp_path / f"live{engine.extension}"
    template.write_text((Path(__file__).parent / engine.template("page")).read_text(encoding="utf-8"), encoding="utf-8")
    config = Configurator(settings={"reload_templates": True, engine.directories: [str(tmp_path)]})
    app = app_with_view(config, make_app, returning({"title": "T"}), renderer=f"live{engine.extension}#results")
    assert app.get("/").text == "<p>T at /</p>"
    template.write_text("<p>no parts now</p>\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(template, (later, later))
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        assert app.get("/", headers={"Accept": "text/plain"}, status=500).body == SHORT_500_TEXT
    assert engine.part_spelling.format("results") in caplog.text


# --- what templates receive ----------------------------------------------------------------


class Films:
    """A resource the request is about."""

    def __str__(self) -> str:
        return "the films"


def test_templates_receive_request_view_renderer_name_and_context_beside_the_views_values(config, make_app, engine):
    def greet_view(request):
        request.context = Films()
        return {"greeting": "hello"}

    renderer = engine.template("system")
    res = app_with_view(config, make_app, greet_view, renderer=renderer).get("/")
    assert res.text.strip() == f"hello|/|greet_view|{renderer}|the films"


def test_a_part_named_like_a_value_of_the_view_fails_the_request_saying_it_hides_it(config, make_app, engine, caplog):
    app = app_with_view(config, make_app, returning({"results": [1], "item": "x"}), renderer=engine.template("shadow"))
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        assert app.get("/", headers={"Accept": "text/plain"}, status=500).body == SHORT_500_TEXT
    assert "which hides the view's value 'results'" in caplog.text


def test_a_part_not_named_like_a_value_renders(config, make_app, engine):
    app = app_with_view(config, make_app, returning({"item": "x"}), renderer=engine.template("shadow"))
    assert squash(app.get("/").text) == "<ul><li>x</li></ul>"


def test_an_error_inside_a_template_is_a_short_500_logged_with_the_template_line(config, make_app, engine, caplog):
    app = app_with_view(config, make_app, returning({"zero": 0}), renderer=engine.template("broken"))
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        assert app.get("/", headers={"Accept": "text/plain"}, status=500).body == SHORT_500_TEXT
    assert re.search(r'broken\.(mako|jinja2)", line 3', caplog.text)
    assert "ZeroDivisionError" in caplog.text


def test_a_view_returning_something_other_than_a_dict_gets_a_500(config, make_app, engine):
    app = app_with_view(config, make_app, returning(["not", "a", "dict"]), renderer=engine.template("escaped"))
    assert app.get("/", headers={"Accept": "text/plain"}, status=500).body == SHORT_500_TEXT


# --- media type --------------------------------------------------------------------------


@pytest.fixture
def page_or_json(config: Configurator, make_app: MakeApp, engine: Engine) -> TestApp:
    """One route: a template view with no predicate (ranked by its renderer's text/html) and JSON."""
    config.add_route("page", "/page")
    config.add_view(returning({"title": "T"}), route_name="page", renderer="json")
    config.add_view(returning({"title": "T"}), route_name="page", renderer=engine.template("page"))
    return make_app(config)


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/html", HTML),
        ("application/json", "application/json"),
        ("application/json;q=0.5, text/html", HTML),
        ("text/html;q=0.5, application/json", "application/json"),
        ("*/*", HTML),  # the server's order: text/html first
    ],
)
def test_the_engines_text_html_ranks_its_view_against_the_clients_accept(page_or_json, accept, content_type):
    assert page_or_json.get("/page", headers={"Accept": accept}).headers["Content-Type"] == content_type


def test_explain_names_the_engine_of_each_views_renderer(page_or_json, engine):
    wsgi_app = page_or_json.app
    explanation = explain(wsgi_app, build_request("GET", "/page", [("Accept", "text/html")]))
    engines = {candidate.renderer: candidate.engine for candidate in explanation.candidates}
    assert engines["json"] == "JSON"
    assert engines[engine.template("page")].split(" ")[0] == engine.name
    assert f"renderer={engine.template('page')} [{engine.name}" in explanation.as_text()
