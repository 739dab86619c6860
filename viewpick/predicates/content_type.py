"""The ``content_type`` predicate: the media type of the request's body."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError
from .request import as_tuple

if TYPE_CHECKING:
    from ..request import Request


def check_body_type(value: object) -> str:
    """A body media type given in configuration, lower-cased: ``type/subtype`` or ``type/*``."""
    kind, slash, subtype = str(value).strip().lower().partition("/") if isinstance(value, str) else ("", "", "")
    if not slash or not kind or not subtype or "*" in kind or ("*" in subtype and subtype != "*") or ";" in subtype:
        raise ConfigurationError(f"content_type takes media types like 'application/json' or 'text/*', not {value!r}")
    return f"{kind}/{subtype}"


class ContentTypePredicate:
    """``content_type='application/json'`` or a list of types, ``'text/*'`` allowed.

    The request's Content-Type is compared without its parameters (charset, boundary),
    case-insensitively. A request without a body type never matches.
    """

    def __init__(self, value: Any, config: Any = None) -> None:
        self.media_types = tuple(dict.fromkeys(check_body_type(v) for v in as_tuple(value)))
        self.exact = frozenset(t for t in self.media_types if not t.endswith("/*"))
        self.kinds = frozenset(t[:-2] for t in self.media_types if t.endswith("/*"))

    def text(self) -> str:
        return "content_type = " + ",".join(self.media_types)

    def phash(self) -> str:
        return "content_type = " + ",".join(sorted(self.media_types))

    def __call__(self, context: Any, request: Request) -> bool:
        return self.accepts(request.environ.get("CONTENT_TYPE", ""))

    def seen(self, request: Request) -> str:
        header = request.environ.get("CONTENT_TYPE")
        return f"the body is {header}" if header else "the request has no Content-Type"

    def accepts(self, header: str) -> bool:
        """Whether a Content-Type header value is one of this predicate's types."""
        media_type = header.partition(";")[0].strip().lower()
        return media_type in self.exact or (bool(self.kinds) and media_type.partition("/")[0] in self.kinds)
