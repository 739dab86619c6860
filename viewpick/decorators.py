"""``@view_config`` and ``@view_defaults``: declare views where they are written."""

from __future__ import annotations

import itertools
from typing import Any, Callable, TypeVar

import venusian

from .exceptions import Source

T = TypeVar("T")

# Breaks ties between declarations on one line; only the order matters.
_applied = itertools.count()


class view_config:
    """Declare that the decorated function (or method of a view class) is a view.

    Takes the keywords of ``Configurator.add_view``; stack several to serve one function
    several ways. Nothing happens until ``config.scan()`` finds the decorator.
    """

    def __init__(self, **view_keywords: Any) -> None:
        self.keywords = view_keywords

    def __call__(self, wrapped: T) -> T:
        keywords = dict(self.keywords)

        def callback(scanner: Any, name: str, ob: Any) -> None:
            scanner.found.append((source, sequence, ob, keywords, module))

        info = venusian.attach(wrapped, callback, category="viewpick")
        if info.scope == "class" and keywords.get("attr") is None:
            keywords["attr"] = getattr(wrapped, "__name__", None)
        source = Source(info.codeinfo[0], info.codeinfo[1])
        module = info.module.__name__
        sequence = next(_applied)
        return wrapped


def view_defaults(**view_keywords: Any) -> Callable[[type], type]:
    """Class decorator: defaults for every ``view_config`` on the class's methods."""

    def decorate(cls: type) -> type:
        cls.__view_defaults__ = view_keywords  # type: ignore[attr-defined]
        return cls

    return decorate
