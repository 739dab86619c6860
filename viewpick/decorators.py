"""``@view_config``, ``@view_defaults`` and ``@subscriber``: declare views and event
subscribers where they are written."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

import venusian

from .exceptions import Source
from .httpexceptions import HTTPForbidden, HTTPNotFound

T = TypeVar("T")

# The venusian categories viewpick's decorators attach to, and config.scan() looks for.
CATEGORY = "viewpick"
SUBSCRIBER_CATEGORY = "viewpick.subscriber"

# Breaks ties between declarations on one line; only the order matters.
_applied = itertools.count()


class view_config:
    """Declare that the decorated function (or method of a view class) is a view.

    Takes the keywords of ``Configurator.add_view``; stack several to serve one function
    several ways. Nothing happens until ``config.scan()`` finds the decorator.
    """

    #: The exception class an error view answers; None for an ordinary view.
    context: type[BaseException] | None = None

    def __init__(self, **view_keywords: Any) -> None:
        self.keywords = view_keywords
        # The line of the decorator itself. The frame's line when the decorator is applied is
        # the ``def`` line on Python 3.10 (the decorator's own line from 3.11): stacked
        # decorators would share one line there, and messages would point elsewhere.
        frame = sys._getframe(1)
        self._written_at = (frame.f_code, frame.f_lineno)

    def __call__(self, wrapped: T) -> T:
        keywords = dict(self.keywords)
        frame = sys._getframe(1)
        code, lineno = self._written_at
        source = Source(frame.f_code.co_filename, lineno if code is frame.f_code else frame.f_lineno)
        module = frame.f_globals.get("__name__", "")
        sequence = next(_applied)
        context = self.context

        def callback(scanner: Any, name: str, ob: Any) -> None:
            scanner.found.append((source, sequence, ob, keywords, module, context))

        if attach(wrapped, callback, frame) == "class" and keywords.get("attr") is None:
            keywords["attr"] = getattr(wrapped, "__name__", None)
        return wrapped


def attach(wrapped: Any, callback: Callable[..., None], frame: FrameType) -> str:
    """Attach ``callback`` for venusian's scanner to find, as ``venusian.attach`` does; the scope
    the decorator was applied in ("class" inside a class body).

    ``venusian.attach`` asks ``inspect.getframeinfo`` for the line, which since Python 3.11
    walks the module's bytecode up to the decorator: a module of 1000 views took a second to
    import. The frame's ``f_lineno`` is the same line at no cost.
    """
    f_locals, f_globals = frame.f_locals, frame.f_globals
    module_name = f_globals.get("__name__")
    in_class = f_locals is not f_globals and f_locals.get("__module__") == module_name
    scope = "class" if in_class else "module" if f_locals is f_globals else "function call"
    wrapped_name = getattr(wrapped, "__name__", None)
    if in_class:
        categories = f_locals.get(venusian.ATTACH_ATTR)
        if categories is None or not categories.attached_to(module_name, frame.f_code.co_name, None):
            categories = f_locals[venusian.ATTACH_ATTR] = venusian.Categories((module_name, frame.f_code.co_name))
    else:
        categories = getattr(wrapped, venusian.ATTACH_ATTR, None)
        if categories is None or not categories.attached_to(module_name, wrapped_name, wrapped):
            categories = venusian.Categories(wrapped)
            setattr(wrapped, venusian.ATTACH_ATTR, categories)
    categories.setdefault(CATEGORY, []).append((callback, module_name, f"{wrapped_name} None", scope))
    return scope


class exception_view_config(view_config):
    """Declare an error view for exceptions of class ``context`` (default ``Exception``) and its
    subclasses: ``@exception_view_config(ValueError, renderer='json')``. Takes the keywords of
    ``Configurator.add_exception_view``."""

    def __init__(self, context: type[BaseException] = Exception, **view_keywords: Any) -> None:
        super().__init__(**view_keywords)
        self.context = context


class notfound_view_config(view_config):
    """Declare the view that answers 404 Not Found (``Configurator.add_notfound_view``)."""

    def __init__(self, **view_keywords: Any) -> None:
        super().__init__(**view_keywords)
        self.context = HTTPNotFound


class forbidden_view_config(view_config):
    """Declare the view that answers 403 Forbidden (``Configurator.add_forbidden_view``)."""

    def __init__(self, **view_keywords: Any) -> None:
        super().__init__(**view_keywords)
        self.context = HTTPForbidden


def view_defaults(**view_keywords: Any) -> Callable[[type], type]:
    """Class decorator: defaults for every ``view_config`` on the class's methods."""

    def decorate(cls: type) -> type:
        cls.__view_defaults__ = view_keywords  # type: ignore[attr-defined]
        return cls

    return decorate


class subscriber:
    """Decorator: ``@subscriber(NewRequest)`` subscribes the function to those events (several
    types: several events) once ``config.scan()`` finds it."""

    def __init__(self, *event_types: type) -> None:
        if not event_types:
            raise TypeError("@subscriber needs the event types to subscribe to, e.g. @subscriber(NewRequest)")
        self.event_types = event_types

    def __call__(self, wrapped: T) -> T:
        event_types = self.event_types

        def callback(scanner: Any, name: str, ob: Any) -> None:
            scanner.subscribers.extend((ob, event_type) for event_type in event_types)

        venusian.attach(wrapped, callback, category=SUBSCRIBER_CATEGORY)
        return wrapped
