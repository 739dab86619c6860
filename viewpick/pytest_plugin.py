"""A pytest plugin: the ``viewpick_app`` fixture, a WebTest ``TestApp`` around an app factory.

Name the factory once for the whole suite in the pytest configuration::

    [tool.pytest.ini_options]
    viewpick_factory = "demo.films:main"
    viewpick_settings = ["films.secret = test"]

or per test (or module, with ``pytestmark``) with a marker, whose settings are added to
the configured ones::

    @pytest.mark.viewpick(factory="demo.films:main", settings={"debug_dispatch": "true"})
    def test_something(viewpick_app):
        viewpick_app.get("/films", status=200)

Override the ``viewpick_settings`` fixture to compute settings (a temporary database path,
say); the factory is called with them.
"""

from __future__ import annotations

from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("viewpick_factory", "MODULE:FACTORY building the app for the viewpick_app fixture", default="")
    parser.addini(
        "viewpick_settings", "key = value settings passed to the viewpick_factory", type="linelist", default=[]
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "viewpick(factory=None, settings=None): the app factory and settings for viewpick_app"
    )


def _marker(request: pytest.FixtureRequest) -> pytest.Mark | None:
    marker: pytest.Mark | None = request.node.get_closest_marker("viewpick")
    return marker


@pytest.fixture
def viewpick_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The settings for the factory: the ``viewpick_settings`` ini lines, then the marker's."""
    settings: dict[str, Any] = {}
    for line in request.config.getini("viewpick_settings"):
        key, sep, value = line.partition("=")
        if not sep:
            raise pytest.UsageError(f"viewpick_settings takes 'key = value' lines, not {line!r}")
        settings[key.strip()] = value.strip()
    marker = _marker(request)
    if marker is not None:
        settings.update(marker.kwargs.get("settings") or {})
    return settings


@pytest.fixture
def viewpick_wsgi_app(request: pytest.FixtureRequest, viewpick_settings: dict[str, Any]) -> Any:
    """The WSGI application the factory builds from ``viewpick_settings``."""
    from .cli import CommandError, make_app

    marker = _marker(request)
    spec = (marker.kwargs.get("factory") if marker is not None else None) or request.config.getini("viewpick_factory")
    if not spec:
        raise pytest.UsageError(
            "the viewpick_app fixture needs a factory: set viewpick_factory = 'module:function' in the pytest "
            "configuration, or mark the test with @pytest.mark.viewpick(factory='module:function')"
        )
    try:
        return make_app(spec, viewpick_settings)
    except CommandError as exc:
        raise pytest.UsageError(f"viewpick_factory {spec!r}: {exc}") from None


@pytest.fixture
def viewpick_app(viewpick_wsgi_app: Any) -> Any:
    """A ``webtest.TestApp`` around the factory's application."""
    try:
        from webtest import TestApp
    except ImportError:  # pragma: no cover - WebTest is in viewpick's test extra
        raise pytest.UsageError("the viewpick_app fixture needs WebTest: pip install WebTest") from None
    return TestApp(viewpick_wsgi_app)
