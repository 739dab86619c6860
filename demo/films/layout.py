"""What every page's layout shows, given to every template by one BeforeRender subscriber:
who is logged in. (viewpick itself gives templates ``get_csrf_token()`` for the forms, and the
layout shows the session's flash messages.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewpick.events import BeforeRender

if TYPE_CHECKING:
    from viewpick import Configurator


def layout_values(event: BeforeRender) -> None:
    """``user`` in every template (JSON answers get nothing)."""
    if not str(event["renderer_name"]).partition("#")[0].endswith(".mako"):
        return
    request = event["request"]
    event["user"] = request.identity


def includeme(config: Configurator) -> None:
    """``config.include('demo.films.layout')``."""
    config.add_subscriber(layout_values, BeforeRender)
