"""Shared fixtures: every test builds a real application through the public API and drives
it with WebTest."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any
from wsgiref.validate import WSGIWarning, validator

import pytest
from webtest import TestApp

from viewpick import Configurator
from viewpick.app import Application

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
AXIOS_ACCEPT = "application/json, text/plain, */*"
XHR = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def config() -> Configurator:
    return Configurator()


@pytest.fixture
def make_app() -> Callable[..., TestApp]:
    """``make_app(config)``: compile the configuration and wrap it in a WebTest app."""

    def make(config: Configurator, **kw: Any) -> TestApp:
        return TestApp(config.make_wsgi_app(), **kw)

    return make


class AllowAll:
    """A security policy that grants everything to everyone and names them 'alice'."""

    def __init__(self) -> None:
        self.identity_calls = 0

    def identity(self, request: Any) -> str:
        self.identity_calls += 1
        return "alice"

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        return True


class HeaderPolicy:
    """A real, tiny policy: the ``X-Permissions`` request header lists what the client may do."""

    def __init__(self) -> None:
        self.permits_calls: list[str] = []

    def identity(self, request: Any) -> str | None:
        return request.headers.get("X-User")

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        self.permits_calls.append(permission)
        granted = request.headers.get("X-Permissions", "")
        return permission in [p.strip() for p in granted.split(",") if p.strip()]


@pytest.fixture(autouse=True)
def validated_answers(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Every answer of every viewpick app a test drives through WebTest passes
    ``wsgiref.validate``: the app is wrapped in its validator, which fails the request on any
    breach of the WSGI rules (a status without reason, a 200 without Content-Type, a 304
    with one, a body iterator not closed...). A test marked ``no_wsgi_validate`` sends a
    request the validator refuses before the app sees it."""
    if request.node.get_closest_marker("no_wsgi_validate"):
        return
    original = TestApp.__init__

    def wrapping(self: TestApp, app: Any, *args: Any, **kw: Any) -> None:
        if isinstance(app, Application):
            app = ValidatedApplication(app)
        original(self, app, *args, **kw)

    monkeypatch.setattr(TestApp, "__init__", wrapping)


class ValidatedApplication:
    """A viewpick application behind ``wsgiref.validate.validator``, its attributes still at hand
    (tests read ``testapp.app.routes`` and the like)."""

    def __init__(self, app: Application) -> None:
        self.wrapped = app
        self.validated = validator(app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        # WebTest says its input can seek; the validator's wrapper around it cannot.
        environ.pop("webob.is_body_seekable", None)
        with warnings.catch_warnings():
            # A method the validator does not know (PROPFIND) is the request's business, not the answer's.
            warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", WSGIWarning)
            return self.validated(environ, start_response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
