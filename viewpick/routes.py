"""Routes: URL patterns, matching a path to the first route that fits, and generating URLs.

Pattern syntax: ``{name}`` matches one path segment, ``{name:REGEX}`` constrains it, and a
trailing ``*name`` captures the remaining segments as a tuple. Matching is done on the
percent-decoded path as ``str``; the matchdict holds ``str`` values (and the tuple).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from .exceptions import ConfigurationError, Source, did_you_mean

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


@dataclass(frozen=True, eq=False)
class Route:
    """A named URL pattern, compiled once."""

    name: str
    pattern: str
    source: Source | None = None
    parts: tuple[tuple[str, str, str | None], ...] = field(init=False, repr=False)
    regex: re.Pattern[str] = field(init=False, repr=False)
    remainder: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        where = f" (route {self.name!r}, {self.source})" if self.source else f" (route {self.name!r})"
        try:
            parts = _parse(self.pattern if self.pattern.startswith("/") else "/" + self.pattern)
        except ValueError as exc:
            raise ConfigurationError(f"route pattern {self.pattern!r}: {exc}{where}") from None
        regex, names, remainder = [], set(), None
        for kind, value, constraint in parts:
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
            compiled = re.compile("".join(regex) + r"\Z")
        except re.error as exc:
            raise ConfigurationError(f"route pattern {self.pattern!r}: bad regular expression ({exc}){where}") from None
        object.__setattr__(self, "parts", tuple(parts))
        object.__setattr__(self, "regex", compiled)
        object.__setattr__(self, "remainder", remainder)

    @property
    def is_static(self) -> bool:
        """Whether the pattern has no placeholders, so it matches exactly one path."""
        return all(kind == "text" for kind, _, _ in self.parts)

    def match(self, path: str) -> MatchDict | None:
        """The matchdict if ``path`` (percent-decoded) fits this route, else None."""
        found = self.regex.match(path)
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


class RouteTable:
    """The compiled routes. The first route added that fits a path wins, as in Pyramid.

    A path that is some static route's pattern is answered from a dict built here, where
    the first route fitting that path was already worked out; other paths try the
    patterned routes in order.
    """

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes: tuple[Route, ...] = tuple(routes)
        self.by_name: Mapping[str, Route] = {route.name: route for route in self.routes}
        self.patterned = tuple(route for route in self.routes if not route.is_static)
        static: dict[str, tuple[Route, MatchDict]] = {}
        for route in self.routes:
            if route.is_static:
                path = route.pattern if route.pattern.startswith("/") else "/" + route.pattern
                if path not in static:
                    # Some route fits: this static one does, if no earlier route does.
                    static[path] = next((r, m) for r in self.routes if (m := r.match(path)) is not None)
        self.static = static

    def match(self, path: str) -> tuple[Route, MatchDict] | None:
        """The first route that fits ``path`` and its matchdict, or None."""
        found = self.static.get(path)
        if found is not None:
            return found[0], dict(found[1])
        for route in self.patterned:
            matchdict = route.match(path)
            if matchdict is not None:
                return route, matchdict
        return None

    def url_path(self, name: str, parts: Mapping[str, Any]) -> str:
        """The path of route ``name`` filled with ``parts``."""
        route = self.by_name.get(name)
        if route is None:
            raise KeyError(f"no route named {name!r}{did_you_mean(name, self.by_name)}")
        return route.generate(parts)
