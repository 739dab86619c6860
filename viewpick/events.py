"""Events: functions the application subscribes with ``config.add_subscriber(fn, EventType)`` (or
``@subscriber(EventType)`` and a scan) are called with an event at fixed points of its life.

- :class:`ApplicationCreated` once ``make_wsgi_app()`` has built the application;
- :class:`NewRequest` when a request comes in, inside every tween, before a view is chosen;
- :class:`BeforeRender` before a renderer runs, with the values every template sees, so one
  subscriber can add globals (the current user, a CSRF token) to every page;
- :class:`NewResponse` once the response is final (tweens and response callbacks done).

The names and meanings are Pyramid's (``@subscriber`` is in :mod:`viewpick.decorators`). A subscriber for a class also gets its subclasses'
events. An application with no subscribers pays nothing: the points where events would be
sent are compiled away by ``make_wsgi_app()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import webob

    from .app import Application
    from .request import Request

Subscriber = Callable[[Any], Any]


class NewRequest:
    """A request came in; ``request`` is it. Sent inside the tweens, before routing."""

    def __init__(self, request: Request) -> None:
        self.request = request


class NewResponse:
    """``response`` is the final answer to ``request``; sent after the tweens and the response
    callbacks. A subscriber may change the response's headers; it cannot replace it."""

    def __init__(self, request: Request, response: webob.Response) -> None:
        self.request = request
        self.response = response


class BeforeRender(dict[str, Any]):
    """The values a renderer gets beside the view's own (``request``, ``view``,
    ``renderer_name``...): set a key to add a global to every template. ``rendering_val`` is
    what the view returned (a dict a subscriber may also change)."""

    def __init__(self, system: dict[str, Any], rendering_val: Any = None) -> None:
        super().__init__(system)
        self.rendering_val = rendering_val


class ApplicationCreated:
    """``make_wsgi_app()`` built ``app`` (also ``object``, Pyramid's name for it)."""

    def __init__(self, app: Application) -> None:
        self.app = self.object = app


class Subscribers:
    """The subscribers of an application, by event type, frozen: ``for_type`` is what to call
    for an event of that type (subscribers of its base classes included), in the order added."""

    def __init__(self, pairs: list[tuple[Subscriber, type]]) -> None:
        self.pairs = tuple(pairs)
        self._by_type: dict[type, tuple[Subscriber, ...]] = {}

    def for_type(self, event_type: type) -> tuple[Subscriber, ...]:
        found = self._by_type.get(event_type)
        if found is None:
            found = tuple(fn for fn, kind in self.pairs if issubclass(event_type, kind))
            if len(self._by_type) < 64:  # event types are the application's own classes, a few
                self._by_type[event_type] = found
        return found

    def notify(self, event: Any) -> None:
        for fn in self.for_type(type(event)):
            fn(event)


__all__ = ["ApplicationCreated", "BeforeRender", "NewRequest", "NewResponse"]
