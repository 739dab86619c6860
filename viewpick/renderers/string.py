"""The ``string`` renderer: ``str(value)`` as text/plain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Render, RendererInfo


def string_renderer_factory(info: RendererInfo) -> Render:
    def render(value: Any, system: dict[str, Any]) -> str:
        return str(value)

    return render


string_renderer_factory.media_type = "text/plain"  # type: ignore[attr-defined]
string_renderer_factory.engine = "string"  # type: ignore[attr-defined]
