"""The ``string`` renderer: ``str(value)`` as text/plain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Render, RendererInfo


def set_content_type(system: dict[str, Any], media_type: str) -> None:
    """Give the response ``media_type`` unless the view already chose one."""
    response = system.get("response")
    if response is None:
        request = system.get("request")
        response = request.response if request is not None else None
    if response is not None and response.content_type is None:
        response.content_type = media_type


def string_renderer_factory(info: RendererInfo) -> Render:
    def render(value: Any, system: dict[str, Any]) -> str:
        set_content_type(system, "text/plain")
        return str(value)

    return render


string_renderer_factory.media_type = "text/plain"  # type: ignore[attr-defined]
