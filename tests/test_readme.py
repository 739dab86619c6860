"""The README's example, pasted into files as a newcomer would, serves what the README says."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

README = Path(__file__).resolve().parent.parent / "README.md"


def code_block_after(marker: str) -> str:
    """The first fenced code block after the line mentioning ``marker``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(marker)
    found = re.search(r"```[a-z]*\n(.*?)```", text[start:], re.S)
    assert found, f"no code block after {marker!r} in README.md"
    return found.group(1)


def jinja2_variant(app_py: str) -> str:
    """``app.py`` with its Mako renderer lines replaced by the README's Jinja2 variant."""
    replacements = code_block_after("(Jinja2 variant):").splitlines()
    mako_lines = [line for line in app_py.splitlines() if "search.mako" in line]
    assert len(mako_lines) == len(replacements) == 2
    for old, new in zip(mako_lines, replacements, strict=True):
        app_py = app_py.replace(old, new)
    return app_py


@pytest.fixture(params=["mako", "jinja2"])
def readme_app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    """The README's app as a newcomer pastes it, with Mako templates or with the Jinja2 variant."""
    (tmp_path / "templates").mkdir()
    app_py = code_block_after("`app.py`:")
    if request.param == "mako":
        template = code_block_after("`templates/search.mako`")
    else:
        app_py, template = jinja2_variant(app_py), code_block_after("`templates/search.jinja2` marks")
    (tmp_path / "app.py").write_text(app_py, encoding="utf-8")
    (tmp_path / "templates" / f"search.{request.param}").write_text(template, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    import app

    return TestApp(app.main())


def test_readme_example_serves_a_full_page_to_a_browser(readme_app: TestApp) -> None:
    page = readme_app.get("/search?q=samurai", headers={"Accept": "text/html"})
    assert page.content_type == "text/html"
    assert "<form" in page.text and "<li>Seven Samurai</li>" in page.text
    assert "Rashomon" not in page.text


def test_readme_example_serves_only_the_results_to_xhr(readme_app: TestApp) -> None:
    partial = readme_app.get("/search?q=samurai", headers={"X-Requested-With": "XMLHttpRequest", "Accept": "*/*"})
    assert partial.content_type == "text/html"
    assert partial.text.strip() == "<li>Seven Samurai</li>"


def test_readme_example_serves_json_to_api_clients(readme_app: TestApp) -> None:
    data = readme_app.get("/search?q=samurai", headers={"Accept": "application/json"})
    assert data.json == {"q": "samurai", "films": ["Seven Samurai"]}


def test_readme_example_names_what_the_choice_depended_on_in_vary(readme_app: TestApp) -> None:
    page = readme_app.get("/search", headers={"Accept": "text/html"})
    assert set(page.headers["Vary"].split(", ")) == {"X-Requested-With", "Accept"}


def test_readme_example_answers_404_with_a_short_body_for_unknown_paths(readme_app: TestApp) -> None:
    missing = readme_app.get("/nowhere", headers={"Accept": "text/plain"}, status=404)
    assert missing.text == "404 Not Found\n\nThe resource could not be found.\n"


def test_readme_renderer_plugin_example_renders_csv_once_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewpick import Configurator
    from viewpick.renderers import plugins

    (tmp_path / "viewpick_csv.py").write_text(code_block_after("`viewpick_csv.py`:"), encoding="utf-8")
    entry_points = code_block_after("(plugin entry points):")
    info = tmp_path / "viewpick_csv-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: viewpick-csv\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        entry_points.replace('"', "").replace("project.entry-points.", ""), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.installed.cache_clear()
    try:
        config = Configurator()
        config.add_route("report", "/report")
        config.add_view(lambda request: [["Ikiru", 1952]], route_name="report", renderer="report.csv")
        res = TestApp(config.make_wsgi_app()).get("/report")
    finally:
        plugins.installed.cache_clear()
        plugins.load.cache_clear()
        monkeypatch.delitem(sys.modules, "viewpick_csv", raising=False)
    assert res.body == b"Ikiru,1952\r\n"
    assert res.content_type == "text/csv"


def test_readme_routes_example_sends_each_method_to_the_route_that_serves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "films_routes.py").write_text(code_block_after("`films_routes.py`:"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "films_routes", raising=False)
    import films_routes

    app = TestApp(films_routes.main())
    assert app.get("/films/heat").text == "film heat"
    assert app.post("/films/heat").text == "renamed heat"
    assert app.delete("/films/heat", status=405).headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert app.options("/films/heat", status=200).headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    app.get("/feed.xml", status=404)


@pytest.fixture
def errors_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    (tmp_path / "errors_app.py").write_text(code_block_after("`errors_app.py`:"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "errors_app", raising=False)
    import errors_app

    return TestApp(errors_app.main())


def test_readme_error_views_answer_a_browser_with_the_not_found_page(errors_app: TestApp) -> None:
    response = errors_app.get("/nowhere", headers={"Accept": "text/html,*/*;q=0.8"}, status=404)
    assert (response.content_type, response.text) == ("text/html", "<h1>Nothing at /nowhere</h1>")


def test_readme_error_views_answer_an_api_client_with_json(errors_app: TestApp) -> None:
    response = errors_app.get("/nowhere", headers={"Accept": "application/json"}, status=404)
    assert response.json == {"status": 404, "detail": "The resource could not be found."}


def test_readme_error_views_turn_a_value_error_into_a_400(errors_app: TestApp) -> None:
    assert errors_app.get("/parse/abc", status=400).text.startswith("That will not do: invalid literal")


def test_readme_caching_example_sends_its_headers_and_a_304(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "caching_app.py").write_text(code_block_after("`caching_app.py`:"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import caching_app

    app = TestApp(caching_app.main())
    response = app.get("/films")
    assert response.headers["Cache-Control"] == "max-age=600, public"
    assert response.headers["Vary"] == "Accept"
    assert "Expires" in response.headers
    app.get("/films", headers={"If-None-Match": response.headers["ETag"]}, status=304)


@pytest.fixture
def login_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    (tmp_path / "login_app.py").write_text(code_block_after("`login_app.py`:"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "login_app", raising=False)
    import login_app

    return TestApp(login_app.main())


def log_in(app: TestApp, password: str = "correct horse") -> Any:
    form = app.get("/login").forms[0]
    form["user"], form["password"] = "ann", password
    return form.submit(status="*")


def test_readme_login_logs_in_greets_and_logs_out(login_app: TestApp) -> None:
    page = log_in(login_app).follow()
    assert "<p class='flash'>Welcome, ann.</p>" in page.text and "<p>Hello, ann.</p>" in page.text
    page = page.forms[0].submit().follow()
    assert page.text == "<p class='flash'>You are logged out.</p><a href=\"/login\">Log in</a>"


def test_readme_login_refuses_a_form_without_the_token(login_app: TestApp) -> None:
    response = login_app.post("/login", {"user": "ann", "password": "correct horse"}, status=400)
    assert "CSRF token" in response.text
    assert "Hello" not in login_app.get("/").text


def test_readme_login_refuses_a_wrong_password(login_app: TestApp) -> None:
    assert log_in(login_app, "guess").status_int == 400


def test_readme_login_pages_vary_on_cookie(login_app: TestApp) -> None:
    assert login_app.get("/").headers["Vary"] == "Accept, Cookie"


def test_readme_garbage_collector_example_runs_as_written() -> None:
    import gc

    example = code_block_after("### Startup and the garbage collector")
    try:
        exec(compile(example, "README.md", "exec"), {})  # its asserts are the check
    finally:
        gc.enable()
    assert "make_wsgi_app()" in example and "gc.isenabled()" in example
