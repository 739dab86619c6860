"""Tweens: functions that wrap the whole handling of every request, as Pyramid's do.

A tween factory ``factory(handler, app)`` returns a tween ``tween(request) -> response`` that
calls ``handler(request)`` - the next tween inward, and at the centre the application's own
handling, error answers included - and may act before and after it: begin a transaction
and commit or roll it back, time the request, add headers. ``config.add_tween(factory,
over=..., under=...)`` places it: ``over`` means closer to the server (:data:`INGRESS`) than,
``under`` closer to the application (:data:`MAIN`) than; each names a tween factory (or its
dotted name), ``INGRESS``, ``MAIN``, or a sequence of them (constraints against those that are
added; at least one must be). Without either, the tween goes under ``INGRESS``, and a tween
added later wraps those added before it. The ``tweens`` setting (dotted names, outermost
first; Pyramid's ``pyramid.tweens``) replaces all of that with an explicit chain. The chain is
built once, by ``make_wsgi_app()``; with no tween the application calls its handling directly.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dotted import resolve
from .exceptions import ConfigurationError, Source, did_you_mean

if TYPE_CHECKING:
    import webob

    from .app import Application
    from .request import Request

Handler = Callable[["Request"], "webob.Response"]
TweenFactory = Callable[[Handler, "Application"], Handler]

INGRESS = "INGRESS"
MAIN = "MAIN"


@dataclass(frozen=True)
class TweenDeclaration:
    """One ``add_tween`` call: the factory, the name other tweens may use for it, and its hints."""

    name: str
    factory: TweenFactory
    over: tuple[str, ...]
    under: tuple[str, ...]
    source: Source


def tween_name(factory: Any) -> str:
    """The dotted name a tween is known by: ``myapp.tweens.timing_tween_factory``."""
    module = getattr(factory, "__module__", None) or "?"
    return f"{module}.{getattr(factory, '__qualname__', None) or type(factory).__qualname__}"


def hint_names(hint: Any) -> tuple[str, ...]:
    """The names in an ``over``/``under`` hint: None, a name, a factory, or a sequence of them."""
    if hint is None:
        return ()
    items: Iterable[Any] = hint if isinstance(hint, (list, tuple)) else (hint,)
    return tuple(item if isinstance(item, str) else tween_name(item) for item in items)


def order(declarations: Sequence[TweenDeclaration]) -> list[TweenDeclaration]:
    """The tweens from the outermost (nearest the server) to the innermost, honouring every
    ``over``/``under`` hint; ties keep the default order (a later tween wraps an earlier one,
    tweens ``over=MAIN`` go innermost). A cycle is a configuration error naming the tweens."""
    by_name = {declaration.name: declaration for declaration in declarations}
    outer_of: dict[str, set[str]] = {name: set() for name in by_name}  # name -> the tweens that must wrap it
    for declaration in declarations:
        for key, hint in (("over", declaration.over), ("under", declaration.under)):
            present = [name for name in hint if name in by_name or name in (INGRESS, MAIN)]
            if hint and not present:
                raise ConfigurationError(
                    f"tween {declaration.name} ({declaration.source}): {key}={hint!r} names no tween that is "
                    f"added{did_you_mean(hint[0], by_name)}; add a fallback of INGRESS or MAIN if it is optional"
                )
            for name in present:
                if name in (INGRESS, MAIN):
                    continue
                if key == "over":
                    outer_of[name].add(declaration.name)
                else:
                    outer_of[declaration.name].add(name)
    count = len(declarations)
    rank = {
        declaration.name: (1 if MAIN in declaration.over else 0, count - index)
        for index, declaration in enumerate(declarations)
    }
    waiting = {name: len(outer) for name, outer in outer_of.items()}
    inner_of: dict[str, list[str]] = {name: [] for name in by_name}
    for name, outer in outer_of.items():
        for other in outer:
            inner_of[other].append(name)
    ready = [(rank[name], name) for name, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    ordered: list[TweenDeclaration] = []
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(by_name[name])
        for inner in inner_of[name]:
            waiting[inner] -= 1
            if waiting[inner] == 0:
                heapq.heappush(ready, (rank[inner], inner))
    if len(ordered) < count:
        stuck = ", ".join(f"{d.name} ({d.source})" for d in declarations if waiting[d.name])
        raise ConfigurationError(f"the over/under hints of these tweens form a cycle: {stuck}; drop one of the hints")
    return ordered


def explicit(names: Sequence[str], declared: Sequence[TweenDeclaration]) -> list[TweenDeclaration]:
    """The chain the ``tweens`` setting spells out, outermost first (Pyramid's ``pyramid.tweens``):
    these dotted names exactly, in this order, whatever ``add_tween`` declared."""
    by_name = {declaration.name: declaration for declaration in declared}
    chosen = []
    for name in names:
        try:
            factory = resolve(name, "")
        except ConfigurationError as exc:
            raise ConfigurationError(f"setting tweens: {exc}") from None
        if not callable(factory):
            raise ConfigurationError(f"setting tweens: {name!r} is not a tween factory")
        found = by_name.get(tween_name(factory))
        chosen.append(found or TweenDeclaration(tween_name(factory), factory, (), (), Source("setting tweens", 0)))
    return chosen


def chain(handler: Handler, declarations: Sequence[TweenDeclaration], app: Application) -> Handler:
    """``handler`` wrapped in the tweens, the first of ``declarations`` outermost."""
    for declaration in reversed(declarations):
        handler = declaration.factory(handler, app)
        if not callable(handler):
            raise ConfigurationError(
                f"tween factory {declaration.name} ({declaration.source}) returned {handler!r}, not a tween; "
                "a tween factory returns a function of the request"
            )
    return handler


__all__ = ["INGRESS", "MAIN", "tween_name"]
