"""The ``json`` renderer, with ``__json__`` and per-type adapters as in Pyramid."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Render, RendererInfo

Adapter = Callable[[Any, Any], Any]


def _isoformat(value: Any, request: Any) -> str:
    text: str = value.isoformat()
    return text


def _as_str(value: Any, request: Any) -> str:
    return str(value)


class JSON:
    """The JSON renderer factory.

    Objects with a ``__json__(request)`` method serialise as what it returns; other types
    through adapters: ``renderer = JSON(); renderer.add_adapter(Money, lambda m, request:
    str(m)); config.add_renderer('json', renderer)``. Dates and times become ISO 8601
    strings; ``Decimal`` becomes a string, so no precision is lost; ``UUID`` a string.
    Keyword arguments go to ``json.dumps``.
    """

    media_type = "application/json"
    engine = "JSON"

    def __init__(self, serializer: Callable[..., str] = json.dumps, **kw: Any) -> None:
        self.serializer = serializer
        self.kw = kw
        self.adapters: list[tuple[type, Adapter]] = [
            (datetime.datetime, _isoformat),
            (datetime.date, _isoformat),
            (datetime.time, _isoformat),
            (decimal.Decimal, _as_str),
            (uuid.UUID, _as_str),
        ]

    def add_adapter(self, type_or_iface: type, adapter: Adapter) -> None:
        """Serialise instances of ``type_or_iface`` (and its subclasses) as ``adapter(obj, request)``."""
        self.adapters.insert(0, (type_or_iface, adapter))

    def __call__(self, info: RendererInfo) -> Render:
        serializer, kw = self.serializer, self.kw
        if serializer is json.dumps and not kw:
            # json.dumps without arguments reuses one encoder: try it, and build an encoder that
            # knows the adapters only for values that need them.
            def render_plain_first(value: Any, system: dict[str, Any]) -> str:
                try:
                    return serializer(value)
                except TypeError:
                    request = system.get("request")
                    return serializer(value, default=lambda obj: self._default(obj, request))

            return render_plain_first

        def render(value: Any, system: dict[str, Any]) -> str:
            request = system.get("request")
            return serializer(value, default=lambda obj: self._default(obj, request), **kw)

        return render

    def _default(self, obj: Any, request: Any) -> Any:
        to_json = getattr(obj, "__json__", None)
        if to_json is not None:
            return to_json(request)
        for kind in type(obj).__mro__:
            for adapted, adapter in self.adapters:
                if kind is adapted:
                    return adapter(obj, request)
        raise TypeError(
            f"{obj!r} is not JSON serializable; give {type(obj).__name__} a __json__(request) method or add an adapter"
        )
