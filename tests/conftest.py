"""Shared fixtures: every test builds a real application through the public API and drives
it with WebTest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from viewpick import Configurator

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
