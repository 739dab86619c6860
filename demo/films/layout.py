"""What every page's layout shows, given to every template by one BeforeRender subscriber:
who is logged in, and the CSRF token its logout form (and every other form) carries.

The token is handed over as ``get_csrf_token()`` (Pyramid's name for it), so a browser gets the
token cookie only when a page actually shows a form, not with every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewpick.events import BeforeRender

if TYPE_CHECKING:
    from viewpick import Configurator


def layout_values(event: BeforeRender) -> None:
    """``user`` and ``get_csrf_token`` in every template (JSON answers get nothing)."""
    if not str(event["renderer_name"]).partition("#")[0].endswith(".mako"):
        return
    request = event["request"]
    event["user"] = request.identity
    event["get_csrf_token"] = lambda: request.csrf_token


def includeme(config: Configurator) -> None:
    """``config.include('demo.films.layout')``."""
    config.add_subscriber(layout_values, BeforeRender)
