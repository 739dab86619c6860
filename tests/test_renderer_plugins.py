"""Renderer plugins: factories installed packages announce through the ``viewpick.renderers``
entry points, each a real distribution (a ``.dist-info`` directory) on a temporary path."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator, render
from viewpick.renderers import plugins

MakeApp = Callable[..., TestApp]

CSV_PLUGIN = '''
"""A third party's renderer: rows as CSV."""
import csv, io

class CSVRendererFactory:
    media_type = "text/csv"
    engine = "CSV"

    def __call__(self, info):
        def render(value, system):
            out = io.StringIO()
            csv.writer(out).writerows(value)
            return out.getvalue()
        return render

factory = CSVRendererFactory()
'''


def forget_installed_plugins() -> None:
    plugins.installed.cache_clear()
    plugins.load.cache_clear()
    importlib.invalidate_caches()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path for test distributions; viewpick forgets what it read of the
    installed plugins before and after the test."""
    directory = tmp_path / "site"
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    forget_installed_plugins()
    yield directory
    for name in [name for name in sys.modules if name.startswith("acme_")]:
        del sys.modules[name]
    forget_installed_plugins()


def install(site: Path, distribution: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Install ``distribution`` 1.0 into ``site`` as pip would: its modules and a .dist-info
    whose entry_points.txt registers ``entry_points`` in the viewpick.renderers group."""
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{distribution.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n", encoding="utf-8")
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[viewpick.renderers]\n{lines}", encoding="utf-8")


def returning(value: Any) -> Callable[[Any], Any]:
    def view(request: Any) -> Any:
        return value

    return view


ROWS = [["a", 1], ["b", 2]]


def build(config: Configurator) -> Any:
    return config.make_wsgi_app()


def csv_app(config: Configurator, make_app: MakeApp, renderer: str = "report.csv") -> TestApp:
    config.add_route("home", "/")
    config.add_view(returning(ROWS), route_name="home", renderer=renderer)
    return make_app(config)


def test_an_installed_plugins_extension_renders_with_no_registration_code(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    res = csv_app(config, make_app).get("/")
    assert res.body == b"a,1\r\nb,2\r\n"
    assert res.headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_an_installed_plugin_may_register_a_whole_name(site, config, make_app):
    install(site, "acme-csv", {"csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    assert csv_app(config, make_app, renderer="csv").get("/").body == b"a,1\r\nb,2\r\n"


def test_a_plugins_media_type_ranks_its_view_against_accept(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    config.add_route("table", "/table")
    config.add_view(returning(ROWS), route_name="table", renderer="json")
    config.add_view(returning(ROWS), route_name="table", renderer="rows.csv")
    app = make_app(config)
    assert app.get("/table", headers={"Accept": "text/csv"}).body == b"a,1\r\nb,2\r\n"
    assert app.get("/table", headers={"Accept": "application/json"}).json == [["a", 1], ["b", 2]]


def test_an_applications_add_renderer_overrides_an_installed_plugin(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    config.add_renderer(".csv", lambda info: lambda value, system: "the application's own")
    assert csv_app(config, make_app).get("/").text == "the application's own"


def test_a_plugin_does_not_replace_a_built_in_renderer(site, config, make_app):
    install(site, "acme-json", {"json": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    config.add_route("home", "/")
    config.add_view(returning({"a": 1}), route_name="home", renderer="json")
    assert make_app(config).get("/").json == {"a": 1}


def test_a_plugins_module_is_imported_only_when_a_view_names_it(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    config.add_route("home", "/")
    config.add_view(returning({}), route_name="home", renderer="string")
    make_app(config)
    assert "acme_csv" not in sys.modules


def test_an_app_using_only_built_in_renderers_never_reads_the_installed_plugins(site, config, make_app):
    config.add_route("home", "/")
    config.add_view(returning({"a": 1}), route_name="home", renderer="json")
    config.add_view(returning({"value": 1}), route_name="home", renderer="templates/escaped.mako", xhr=True)
    make_app(config).get("/")
    assert plugins.installed.cache_info().currsize == 0


def test_the_installed_plugins_are_read_once_per_process(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    csv_app(config, make_app)
    install(site, "acme-tsv", {".tsv": "acme_csv:factory"}, {})
    second = Configurator()
    second.add_route("home", "/")
    second.add_view(returning(ROWS), route_name="home", renderer="rows.tsv")
    with pytest.raises(ConfigurationError, match=r"no renderer is registered for 'rows.tsv'"):
        second.make_wsgi_app()
    forget_installed_plugins()  # as a new process would
    assert make_app(second).get("/").body == b"a,1\r\nb,2\r\n"


def test_two_apps_share_one_loaded_plugin_factory(site, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    first, second = csv_app(Configurator(), make_app), csv_app(Configurator(), make_app)
    assert first.app.renderers.factory_for("x.csv") is second.app.renderers.factory_for("x.csv")


def test_a_plugin_that_fails_to_import_names_its_distribution_entry_point_and_the_view(site, config):
    install(site, "acme-broken", {".bad": "acme_broken:factory"}, {"acme_broken": "import acme_not_installed\n"})
    config.add_route("home", "/")
    line = inspect.currentframe().f_lineno + 1
    config.add_view(returning({}), route_name="home", renderer="page.bad")
    with pytest.raises(ConfigurationError) as caught:
        config.make_wsgi_app()
    message = str(caught.value)
    assert "entry point '.bad = acme_broken:factory' of acme-broken 1.0 could not be loaded" in message
    assert "No module named 'acme_not_installed'" in message
    assert f"test_renderer_plugins.py:{line}" in message


def test_a_plugin_naming_a_missing_attribute_names_itself(site, config):
    install(site, "acme-csv", {".csv": "acme_csv:no_such_factory"}, {"acme_csv": CSV_PLUGIN})
    with pytest.raises(ConfigurationError, match=r"'.csv = acme_csv:no_such_factory' of acme-csv 1.0 could not be"):
        csv_app(config, build)


def test_a_plugin_naming_something_that_is_not_a_factory_says_so(site, config):
    install(site, "acme-csv", {".csv": "acme_csv:CSV_TYPE"}, {"acme_csv": "CSV_TYPE = 'text/csv'\n"})
    with pytest.raises(ConfigurationError, match=r"of acme-csv 1.0 names 'text/csv', which is not a renderer factory"):
        csv_app(config, build)


def test_a_broken_plugin_does_not_stop_an_app_that_does_not_use_it(site, config, make_app):
    install(site, "acme-broken", {".bad": "acme_broken:factory"}, {"acme_broken": "raise RuntimeError('boom')\n"})
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    assert csv_app(config, make_app).get("/").body == b"a,1\r\nb,2\r\n"


def test_a_plugin_factory_that_raises_is_a_configuration_error_naming_the_engine(site, config):
    failing = "class F:\n    engine = 'Acme'\n    def __call__(self, info):\n        raise KeyError(info.name)\nfactory = F()\n"
    install(site, "acme-fail", {".csv": "acme_fail:factory"}, {"acme_fail": failing})
    with pytest.raises(ConfigurationError, match=r"'report.csv' could not be made by Acme \(plugin: acme-fail 1.0\)"):
        csv_app(config, build)


def test_two_plugins_claiming_one_name_are_an_error_naming_both_when_it_is_used(site, config):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    install(site, "acme-other", {".csv": "acme_other:factory"}, {"acme_other": CSV_PLUGIN})
    with pytest.raises(ConfigurationError) as caught:
        csv_app(config, build)
    message = str(caught.value)
    assert "'.csv = acme_csv:factory' of acme-csv 1.0" in message
    assert "'.csv = acme_other:factory' of acme-other 1.0" in message
    assert "config.add_renderer('.csv', factory)" in message


def test_add_renderer_settles_two_plugins_claiming_one_name(site, config, make_app):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    install(site, "acme-other", {".csv": "acme_other:factory"}, {"acme_other": CSV_PLUGIN})
    from acme_csv import factory

    config.add_renderer(".csv", factory)
    assert csv_app(config, make_app).get("/").body == b"a,1\r\nb,2\r\n"


def test_an_unknown_renderer_error_says_plugins_can_provide_it(site, config):
    with pytest.raises(
        ConfigurationError, match=r"install a package that provides it through the 'viewpick.renderers'"
    ):
        csv_app(config, build, renderer="page.unknown")


def test_render_outside_a_view_finds_plugins_too(site):
    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    assert render("report.csv", ROWS) == "a,1\r\nb,2\r\n"


def test_explain_names_a_plugins_engine_and_distribution(site, config, make_app):
    from viewpick.explain import build_request, explain

    install(site, "acme-csv", {".csv": "acme_csv:factory"}, {"acme_csv": CSV_PLUGIN})
    app = csv_app(config, make_app).app
    (candidate,) = explain(app, build_request("GET", "/")).candidates
    assert candidate.engine == "CSV (plugin: acme-csv 1.0)"


def test_viewpicks_jinja2_is_registered_through_its_own_entry_points():
    for extension in (".jinja2", ".j2"):
        (plugin,) = plugins.installed()[extension]
        assert plugin.value == "viewpick.renderers.jinja2:renderer_factory"
        assert plugin.distribution.startswith("viewpick ")


NO_JINJA2 = """
import sys

class HideJinja2:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "jinja2":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, HideJinja2())
from viewpick import ConfigurationError, Configurator

config = Configurator()
config.add_route("home", "/")
config.add_view(lambda request: {}, route_name="home", renderer="json")
config.add_view(lambda request: {}, route_name="home", renderer="tests:templates/letter.mako", xhr=True)
config.make_wsgi_app()
print("built without jinja2")
config.add_view(lambda request: {}, route_name="home", renderer="tests:templates/contract/page.jinja2", accept="text/html")
try:
    config.make_wsgi_app()
except ConfigurationError as exc:
    print(exc)
print("jinja2 imported:", "jinja2" in sys.modules)
"""


def test_viewpick_imports_and_builds_apps_without_jinja2_and_says_how_to_get_it():
    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", NO_JINJA2], check=False, cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "built without jinja2" in done.stdout
    assert "Jinja2 templates need Jinja2: pip install 'viewpick[jinja2]'" in done.stdout
    assert "jinja2 imported: False" in done.stdout
