"""The ``accept`` predicate: the client accepts one of the view's media types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..negotiation import ANY, check_media_type, client_preference
from .request import as_tuple

if TYPE_CHECKING:
    from ..request import Request


class AcceptPredicate:
    """``accept='application/json'`` or a list of types.

    It is the only thing that excludes a view by media type; a type implied by a renderer
    only orders views. The dispatcher ranks views by the same ``client_preference``.
    """

    vary = ("Accept",)

    def __init__(self, value: Any, config: Any = None) -> None:
        self.media_types = tuple(dict.fromkeys(check_media_type(v) for v in as_tuple(value)))

    def text(self) -> str:
        return "accept = " + ",".join(self.media_types)

    def phash(self) -> str:
        return "accept = " + ",".join(sorted(self.media_types))

    def __call__(self, context: Any, request: Request) -> bool:
        header = request.environ.get("HTTP_ACCEPT") or ANY
        return any(client_preference(header, media_type)[0] > 0 for media_type in self.media_types)

    def seen(self, request: Request) -> str:
        header = request.environ.get("HTTP_ACCEPT")
        return f"the client sent Accept: {header}" if header else "the client sent no Accept (anything goes)"
