"""A package whose templates are named as package:path."""

from typing import Any


def declare_page(config: Any, extension: str) -> None:
    """Declare, from this package, a view whose template name is relative to it."""
    config.add_route("home", "/")
    config.add_view(lambda request: {"title": "T"}, route_name="home", renderer=f"templates/pkg_page{extension}")
