"""Routes: URL patterns, matching a path to the first route that fits, and generating URLs.

Pattern syntax: ``{name}`` matches one path segment, ``{name:REGEX}`` constrains it, and a
trailing ``*name`` captures the remaining segments as a tuple. Matching is done on the
percent-decoded path as ``str``; the matchdict holds ``str`` values (and the tuple).

The table also knows, from the patterns alone, which routes can fit the same path: which
later routes a request may fall through to (:attr:`RouteTable.followed`,
:meth:`RouteTable.fits_after`), and which earlier routes fit every path a route fits
(:attr:`RouteTable.covered_by`). Which of them serves a method is decided by the views
(:mod:`viewpick.overlap`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any
from urllib.parse import quote

from .exceptions import ConfigurationError, Later, Source, did_you_mean

_SEGMENT_SAFE = "@:!$&'()*+,;=-._~"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

MatchDict = dict[str, Any]


_REMAINDER = re.compile(r"(.*/)?\*([^/]*)\Z", re.S)


def _parse(pattern: str) -> list[tuple[str, str, str | None]]:
    """Split a pattern into parts: ``('text', literal, None)``, ``('segment', name, regex)``,
    ``('remainder', name, None)``."""
    parts: list[tuple[str, str, str | None]] = []
    i = 0
    while i < len(pattern):
        start = pattern.find("{", i)
        if start == -1:
            parts.append(("text", pattern[i:], None))
            break
        if start > i:
            parts.append(("text", pattern[i:start], None))
        depth, end = 0, start
        while end < len(pattern):
            depth += {"{": 1, "}": -1}.get(pattern[end], 0)
            if depth == 0:
                break
            end += 1
        else:
            raise ValueError(f"the '{{' at position {start} is never closed")
        name, colon, regex = pattern[start + 1 : end].partition(":")
        parts.append(("segment", name.strip(), regex if colon else None))
        i = end + 1
    remainder = _REMAINDER.match(parts[-1][1]) if parts and parts[-1][0] == "text" else None
    if remainder is not None:
        before, name = remainder.groups()
        parts[-1:] = ([("text", before, None)] if before else []) + [("remainder", name, None)]
    return parts


@lru_cache(maxsize=4096)
def _compile(source: str) -> re.Pattern[str]:
    """A compiled regex, once per source: most routes share the regex for what follows their
    literal prefix (``/r1/{id}`` and ``/r2/{id}`` both need ``(?P<id>[^/]+)\\Z``)."""
    return re.compile(source)


@dataclass(frozen=True, eq=False)
class Route:
    """A named URL pattern, compiled once."""

    name: str
    pattern: str
    source: Source | None = None
    #: ``factory(request)`` gives ``request.context`` for requests this route matches; None: no context.
    factory: Callable[[Any], Any] | None = field(default=None, repr=False)
    # ``add_route(..., static=True)``: kept for generating URLs, never matched against a request.
    url_only: bool = False
    parts: tuple[tuple[str, str, str | None], ...] = field(init=False, repr=False)
    # The literal text the pattern starts with, and a regex for what follows it.
    prefix: str = field(init=False, repr=False)
    regex: re.Pattern[str] = field(init=False, repr=False)
    remainder: str | None = field(init=False, repr=False)
    #: The placeholder's name when all that follows the prefix is one ``{name}`` without a
    #: constraint (``/films/{id}``, the commonest shape): matched without the regex.
    last_segment: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        where = Later(lambda: f" (route {self.name!r}, {self.source})" if self.source else f" (route {self.name!r})")
        try:
            parts = _parse(self.pattern if self.pattern.startswith("/") else "/" + self.pattern)
        except ValueError as exc:
            raise ConfigurationError(f"route pattern {self.pattern!r}: {exc}{where}") from None
        prefix = parts[0][1] if parts[0][0] == "text" else ""
        regex, names, remainder = [], set(), None
        for kind, value, constraint in parts[1:] if prefix else parts:
            if kind == "text":
                regex.append(re.escape(value))
                continue
            if not _NAME.match(value) or value in names:
                problem = "is used twice" if value in names else "is not a valid name"
                raise ConfigurationError(f"route pattern {self.pattern!r}: placeholder {value!r} {problem}{where}")
            names.add(value)
            if kind == "remainder":
                remainder = value
                regex.append(f"(?P<{value}>.*)")
            else:
                regex.append(f"(?P<{value}>{constraint if constraint is not None else '[^/]+'})")
        try:
            compiled = _compile("".join(regex) + r"\Z")
        except re.error as exc:
            raise ConfigurationError(f"route pattern {self.pattern!r}: bad regular expression ({exc}){where}") from None
        object.__setattr__(self, "parts", tuple(parts))
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "regex", compiled)
        object.__setattr__(self, "remainder", remainder)
        tail = parts[1:] if prefix else parts
        plain = len(tail) == 1 and tail[0][0] == "segment" and tail[0][2] is None
        object.__setattr__(self, "last_segment", tail[0][1] if plain else None)

    @property
    def shape(self) -> tuple[tuple[str, str], ...]:
        """The pattern with its placeholder names left out, so that two routes of the same shape
        fit exactly the same paths: ``/x/{id}``, ``x/{name}`` and ``/x/{n:[^/]+}`` are one shape;
        ``/x/{id:\\d+}`` is another (constraints are compared as written)."""
        default = {"segment": "[^/]+", "remainder": ""}
        return tuple(
            (kind, value if kind == "text" else default[kind] if constraint is None else constraint)
            for kind, value, constraint in self.parts
        )

    @property
    def is_static(self) -> bool:
        """Whether the pattern has no placeholders, so it matches exactly one path."""
        return all(kind == "text" for kind, _, _ in self.parts)

    def match(self, path: str) -> MatchDict | None:
        """The matchdict if ``path`` (percent-decoded) fits this route, else None."""
        prefix = self.prefix
        if not path.startswith(prefix):
            return None
        if self.last_segment is not None:  # what the regex ([^/]+ to the end) would match
            rest = path[len(prefix) :]
            return {self.last_segment: rest} if rest and "/" not in rest else None
        found = self.regex.match(path, len(prefix))
        if found is None:
            return None
        matchdict: MatchDict = found.groupdict()
        if self.remainder is not None:
            matchdict[self.remainder] = tuple(s for s in matchdict[self.remainder].split("/") if s)
        return matchdict

    def generate(self, values: Mapping[str, Any]) -> str:
        """The percent-encoded path for ``values``; a missing placeholder is a ``KeyError``."""
        out = []
        for kind, value, _ in self.parts:
            if kind == "text":
                out.append(quote(value, safe="/" + _SEGMENT_SAFE))
                continue
            if value not in values:
                raise KeyError(f"route {self.name!r} needs a value for {value!r} (pattern {self.pattern!r})")
            given = values[value]
            if kind == "segment":
                out.append(quote(str(given), safe=_SEGMENT_SAFE))
            elif isinstance(given, str):
                out.append(quote(given, safe="/" + _SEGMENT_SAFE))
            else:
                out.append("/".join(quote(str(s), safe=_SEGMENT_SAFE) for s in given))
        return "".join(out)


class _Node:
    """A node of the route tree: the patterned routes whose literal prefix is exactly this
    node's segments, and those of its ancestors, in the order the routes were added."""

    __slots__ = ("candidates", "children", "latest", "own")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.own: list[tuple[int, Route]] = []
        self.candidates: tuple[Route, ...] = ()
        # The highest index of a route at this node or below it.
        self.latest = -1


class RouteTable:
    """The compiled routes. The first route added that fits a path wins, as in Pyramid.

    A path that is some static route's pattern is answered from a dict built here, where
    the first route fitting that path was already worked out. Patterned routes hang in a
    tree keyed by the whole segments their pattern starts with (``/films/{id}`` under
    ``films``; ``/{lang}/docs`` and ``/films-{id}`` at the root). A route can only fit a path
    that starts with its literal prefix, so walking the tree along the path's segments
    leaves exactly the routes that might fit, still in the order they were added: the cost
    of a match follows the depth of the path, not the number of routes.

    Routes added with ``static=True`` (``url_only``) are only for generating URLs: they are
    in :attr:`by_name` and :attr:`routes`, never matched.
    """

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes: tuple[Route, ...] = tuple(routes)
        self.by_name: Mapping[str, Route] = {route.name: route for route in self.routes}
        self._root = _Node()
        self._position: dict[Route, int] = {}
        statics: dict[str, list[tuple[int, Route]]] = {}
        by_prefix: dict[str, list[Route]] = {}
        for index, route in enumerate(self.routes):
            if route.url_only:
                continue
            self._position[route] = index
            if route.is_static:
                statics.setdefault(route.prefix, []).append((index, route))
                continue
            by_prefix.setdefault(route.prefix, []).append(route)
            node = self._root
            for segment in _literal_segments(route):
                node = node.children.setdefault(segment, _Node())
            node.own.append((index, route))
        followed = _followed(_merge_down(self._root), self._position)
        covered_by: dict[Route, tuple[Route, ...]] = {}
        for starting_alike in by_prefix.values():
            if len(starting_alike) == 1:  # the common case: a shape of its own
                continue
            shapes: dict[tuple[tuple[str, str], ...], list[Route]] = {}
            for route in starting_alike:
                shapes.setdefault(route.shape, []).append(route)
            for same in shapes.values():
                for number, route in enumerate(same[1:], 1):
                    covered_by[route] = tuple(same[:number])
        static: dict[str, tuple[Route, MatchDict]] = {}
        for path, at_path in statics.items():
            # Every route that fits this path, in the order added: the first one takes it.
            fitting: list[tuple[int, Route, MatchDict]] = [(index, route, {}) for index, route in at_path]
            fitting += [(self._position[r], r, m) for r in self._candidates(path) if (m := r.match(path)) is not None]
            fitting.sort(key=itemgetter(0))
            static[path] = fitting[0][1], fitting[0][2]
            followed.update(route for _, route, _ in fitting[:-1])
            for number, (_, route, _) in enumerate(fitting):
                if route.is_static and number:
                    covered_by[route] = tuple(earlier for _, earlier, _ in fitting[:number])
        self.static = static
        self._statics = statics
        #: Routes that some later route may share a path with (a superset: told from the
        #: literal prefixes), so a request whose method they do not serve may fall through.
        self.followed: frozenset[Route] = frozenset(followed)
        #: For a route, the earlier routes that certainly fit every path it fits: those of the
        #: same :attr:`Route.shape`, and for a static pattern, every earlier route fitting its path.
        self.covered_by: Mapping[Route, tuple[Route, ...]] = covered_by

    def _candidates(self, path: str) -> tuple[Route, ...]:
        """The patterned routes whose literal prefix ``path`` starts with, in the order added."""
        node = self._root
        start = 1
        end = path.find("/", start)
        while end != -1:
            child = node.children.get(path[start:end])
            if child is None:
                break
            node = child
            start = end + 1
            end = path.find("/", start)
        return node.candidates

    def match(self, path: str) -> tuple[Route, MatchDict] | None:
        """The first route that fits ``path`` and its matchdict, or None."""
        found = self.static.get(path)
        if found is not None:
            return found[0], dict(found[1])
        for route in self._candidates(path):
            matchdict = route.match(path)
            if matchdict is not None:
                return route, matchdict
        return None

    def fits_after(self, first: Route, path: str) -> list[tuple[Route, MatchDict]]:
        """The routes added after ``first`` that fit ``path`` too, in order, with their matchdicts."""
        after = self._position[first]
        found: list[tuple[int, Route, MatchDict]] = [
            (index, route, {}) for index, route in self._statics.get(path, ()) if index > after
        ]
        for route in self._candidates(path):
            index = self._position[route]
            if index > after and (matchdict := route.match(path)) is not None:
                found.append((index, route, matchdict))
        found.sort(key=itemgetter(0))
        return [(route, matchdict) for _, route, matchdict in found]

    def url_path(self, name: str, parts: Mapping[str, Any]) -> str:
        """The path of route ``name`` filled with ``parts``."""
        route = self.by_name.get(name)
        if route is None:
            raise KeyError(f"no route named {name!r}{did_you_mean(name, self.by_name)}")
        return route.generate(parts)


def _literal_segments(route: Route) -> list[str]:
    """The whole segments a patterned route's path must start with: ``['films']`` for
    ``/films/{id}`` and for ``/films/new-{id}``, none for ``/{lang}/docs`` or ``/films-{id}``."""
    return route.prefix[1:].split("/")[:-1]


def _merge_down(root: _Node) -> list[_Node]:
    """Give every node its candidates: its own routes merged with its ancestors', in the order
    added. Returns the nodes, each before its children."""
    nodes = []
    stack: list[tuple[_Node, list[tuple[int, Route]], tuple[Route, ...]]] = [(root, [], ())]
    while stack:
        node, inherited, candidates = stack.pop()
        nodes.append(node)
        if node.own:
            inherited = sorted(inherited + node.own, key=itemgetter(0))
            candidates = tuple(route for _, route in inherited)
        node.candidates = candidates
        stack.extend((child, inherited, candidates) for child in node.children.values())
    return nodes


def _followed(nodes: list[_Node], position: Mapping[Route, int]) -> set[Route]:
    """The patterned routes a later route might share a path with: a later route at the same
    node, above it (its prefix is shorter) or below it (a placeholder may fill those segments).
    ``nodes`` has each node before its children."""
    for node in reversed(nodes):  # children before their parents
        own = node.own[-1][0] if node.own else -1  # routes are added to a node in order
        node.latest = max(own, *(child.latest for child in node.children.values())) if node.children else own
    followed: set[Route] = set()
    for node in nodes:
        if node.own:
            latest = max(node.latest, position[node.candidates[-1]])
            if node.own[0][0] < latest:
                followed.update(route for index, route in node.own if index < latest)
    return followed
