"""Routes that fit the same path: which one takes a request, and which can never be chosen.

Routes are tried in the order they were added, and the first one that fits the path *and
serves the request's method* (has a view for it) takes the request. ``/x/{id}`` with GET
views, then ``/x/{name}`` with POST views: ``GET /x/1`` goes to the first, ``POST /x/1`` to
the second. When no route that fits serves the method, the answer is a 405 (for OPTIONS, a
200) whose ``Allow`` lists the methods of every route that fits.

None of this runs when the first route that fits serves the method, the common case; and a
route no later route can share a path with (:attr:`RouteTable.followed`) answers a method it
does not serve from what was compiled, as before.

:func:`check_routes` refuses, at ``make_wsgi_app()``, a route with no views (unless added
with ``static=True``, for generating URLs only), a ``static=True`` route with views, and a
route that can never be chosen: earlier routes that fit every path it fits (same pattern,
placeholder names aside; or, for a pattern without placeholders, routes that fit its one
path) serve every method it serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .dispatch import Answer, MethodDispatch, RouteDispatch, not_allowed, options_answer
from .exceptions import ConfigurationError
from .methods import METHOD_ORDER

if TYPE_CHECKING:
    from .request import Request
    from .routes import Route, RouteTable


def not_served(
    table: RouteTable,
    dispatch: Mapping[str, RouteDispatch],
    request: Request,
    first: RouteDispatch,
    path: str,
    method: str,
) -> MethodDispatch | Answer:
    """The request's method is not served by ``first``, the first route fitting ``path``: the
    views of the next route that fits and serves it (which becomes the matched route), else
    the 405 or OPTIONS answer for every route that fits.

    When another route fits, ``request.skipped_routes`` records the routes passed over for
    serving no view for the method, in the order tried, for ``viewpick explain``.
    """
    if first.route in table.followed:
        skipped = [first.route]
        methods = set(first.methods)
        for route, matchdict in table.fits_after(first.route, path):
            route_dispatch = dispatch[route.name]
            served = route_dispatch.by_method.get(method)
            if served is not None:
                request.__dict__.update(matched_route=route, matchdict=matchdict, skipped_routes=tuple(skipped))
                return served
            skipped.append(route)
            methods |= route_dispatch.methods
        if len(skipped) > 1:
            request.__dict__["skipped_routes"] = tuple(skipped)
            return _refusal(frozenset(methods), method == "OPTIONS")
    return first.options if method == "OPTIONS" else first.not_allowed


@lru_cache(maxsize=256)
def _refusal(methods: frozenset[str], options: bool) -> Answer:
    """The 405 (or OPTIONS 200) for routes serving ``methods`` between them, built once per set
    (the sets come from the configuration, never from the client)."""
    return options_answer(methods) if options else not_allowed(methods)


@dataclass(frozen=True)
class Shadowing:
    """An earlier route that fits every path a later one fits, and which of the later route's
    methods it takes (possibly none: then the two only share their paths)."""

    earlier: Route
    later: Route
    methods: tuple[str, ...]


def shadowings(table: RouteTable, dispatch: Mapping[str, RouteDispatch]) -> list[Shadowing]:
    """Every pair of routes where the earlier fits every path the later fits, in route order."""
    position = {route: index for index, route in enumerate(table.routes)}
    found = []
    for later in sorted(table.covered_by, key=position.__getitem__):
        left = set(dispatch[later.name].methods)
        for earlier in table.covered_by[later]:
            taken = left & dispatch[earlier.name].methods
            left -= taken
            found.append(Shadowing(earlier, later, method_list(taken)))
    return found


def method_list(methods: set[str] | frozenset[str]) -> tuple[str, ...]:
    """Methods in the order Allow lists them."""
    return tuple(sorted(methods, key=lambda m: (METHOD_ORDER.index(m) if m in METHOD_ORDER else 99, m)))


def check_routes(table: RouteTable, dispatch: Mapping[str, RouteDispatch]) -> None:
    """Refuse a route without views, a URL-only route with views, and a route that can never be chosen."""
    for route in table.routes:
        views = dispatch[route.name].views
        if route.url_only and views:
            raise ConfigurationError(
                f"route {route.name!r} ({route.source}) was added with static=True, for generating URLs only, "
                f"so it is never matched, but view {views[0].describe()} names it; "
                "remove static=True to serve the view, or remove the view"
            )
        if not route.url_only and not views:
            raise ConfigurationError(
                f"route {route.name!r} ({route.source}) has no views, so every request it matches would get a 404; "
                f"did you forget config.scan()? Add a view with route_name={route.name!r}, or add the route "
                f"with config.add_route({route.name!r}, {route.pattern!r}, static=True) if it only generates URLs"
            )
    taken: dict[Route, list[Shadowing]] = {}
    for shadowing in shadowings(table, dispatch):
        taken.setdefault(shadowing.later, []).append(shadowing)
    for later, by in taken.items():
        if set().union(*(s.methods for s in by)) != dispatch[later.name].methods:
            continue
        takers = [s for s in by if s.methods]
        named = [f"{s.earlier.name!r} ({s.earlier.source}, {s.earlier.pattern!r})" for s in takers]
        if len(takers) == 1:
            who = f"route {named[0]} comes first, fits every path it fits"
            serves = f"and serves every method it serves ({', '.join(takers[0].methods)})"
        else:
            who = "routes " + " and ".join(
                f"{n} for {', '.join(s.methods)}" for n, s in zip(named, takers, strict=True)
            )
            who += " come first, fit every path it fits"
            serves = "and between them serve every method it serves"
        same = later.shape == takers[0].earlier.shape
        why = "the same pattern, placeholder names aside" if same else "its pattern has no placeholders"
        raise ConfigurationError(
            f"route {later.name!r} ({later.source}, {later.pattern!r}) can never be chosen: {who} ({why}) "
            f"{serves}. Remove one of the routes, or give their views different request_method values "
            "so that each route serves methods of its own"
        )
