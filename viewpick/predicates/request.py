"""Predicates on the request line, its parameters, its headers and the route match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError

if TYPE_CHECKING:
    from ..request import Request

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")  # RFC 9110 token: what a method name may be


def as_tuple(value: Any) -> tuple[Any, ...]:
    """A single value or an iterable of values, as a tuple."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)


def split_pair(item: str, sep: str, keyword: str) -> tuple[str, str | None]:
    """``'name=value'`` as ``('name', 'value')``, ``'name'`` as ``('name', None)``."""
    if not isinstance(item, str) or not item.strip():
        raise ConfigurationError(f"{keyword} takes strings like 'name' or 'name{sep}value', not {item!r}")
    name, found, value = item.partition(sep)
    return name.strip(), (value.strip() if sep == "=" else value) if found else None


@dataclass(frozen=True)
class Param:
    """Reads the value ``request_param`` compares: the request parameter ``name``, or None."""

    name: str

    def __call__(self, request: Request) -> Any:
        return request.param_values.get(self.name)


@dataclass(frozen=True)
class MatchValue:
    """Reads the value ``match_param`` compares: the matchdict's ``name``, or None."""

    name: str

    def __call__(self, request: Request) -> Any:
        return request.matchdict.get(self.name)


class RequestMethodPredicate:
    """``request_method='GET'`` or a tuple of methods; GET also serves HEAD."""

    def __init__(self, value: Any, config: Any = None) -> None:
        methods = set()
        for method in as_tuple(value):
            if not isinstance(method, str) or not _TOKEN.match(method):
                raise ConfigurationError(f"request_method takes method names like 'GET', not {method!r}")
            methods.add(method.upper())
        if "GET" in methods:
            methods.add("HEAD")
        self.methods = frozenset(methods)

    def text(self) -> str:
        return "request_method = " + ",".join(sorted(self.methods))

    phash = text

    def __call__(self, context: Any, request: Request) -> bool:
        return request.method in self.methods

    def seen(self, request: Request) -> str:
        return f"the request is {request.method}"


class _BooleanHeaderPredicate:
    """Base for predicates that ask one yes/no question of the request's headers."""

    name = ""
    vary: tuple[str, ...] = ()

    def __init__(self, value: Any, config: Any = None) -> None:
        if not isinstance(value, bool):
            raise ConfigurationError(f"{self.name} takes True or False, not {value!r}")
        self.value = value

    def text(self) -> str:
        return f"{self.name} = {self.value}"

    phash = text

    def __call__(self, context: Any, request: Request) -> bool:
        return self.test(request.environ) is self.value

    def test(self, environ: dict[str, Any]) -> bool:
        raise NotImplementedError

    def seen(self, request: Request) -> str:
        return "; ".join(_header_seen(request.environ, name) for name in self.vary)


class XhrPredicate(_BooleanHeaderPredicate):
    """``xhr=True`` matches requests sent with ``X-Requested-With: XMLHttpRequest``."""

    name = "xhr"
    vary = ("X-Requested-With",)

    def test(self, environ: dict[str, Any]) -> bool:
        return environ.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"


class HtmxPredicate(_BooleanHeaderPredicate):
    """``htmx=True`` matches htmx requests (``HX-Request: true``).

    A history-restore request (``HX-History-Restore-Request: true``) counts as not htmx:
    htmx sends it when its cache misses and expects the full page back.
    """

    name = "htmx"
    vary = ("HX-Request", "HX-History-Restore-Request")

    def test(self, environ: dict[str, Any]) -> bool:
        if environ.get("HTTP_HX_REQUEST", "").lower() != "true":
            return False
        restore: str = environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST", "")
        return restore.lower() != "true"


class _PairsPredicate:
    """Base for predicates given ``'name'`` / ``'name=value'`` strings, all of which must hold."""

    name = ""

    def __init__(self, value: Any, config: Any = None) -> None:
        items = value.items() if isinstance(value, dict) else (split_pair(v, "=", self.name) for v in as_tuple(value))
        self.pairs = tuple(sorted((str(k), None if v is None else str(v)) for k, v in items))
        if not self.pairs:
            raise ConfigurationError(f"{self.name} needs at least one name")

    def text(self) -> str:
        return f"{self.name} " + ",".join(k if v is None else f"{k}={v}" for k, v in self.pairs)

    phash = text


class RequestParamPredicate(_PairsPredicate):
    """``request_param='q'`` (present) or ``'q=1'`` (equal), in the query string or form body."""

    name = "request_param"

    def __call__(self, context: Any, request: Request) -> bool:
        params = request.param_values
        for key, value in self.pairs:
            if value is None:
                if key not in params:
                    return False
            elif params.get(key) != value:
                return False
        return True

    def required_values(self) -> tuple[tuple[Param, str], ...]:
        """The exact parameter values required (see :mod:`viewpick.narrowing`)."""
        return tuple((Param(key), value) for key, value in self.pairs if value is not None)

    def seen(self, request: Request) -> str:
        params = request.params
        return ", ".join(f"{key}={params[key]!r}" if key in params else f"no {key}" for key, _ in self.pairs)


class MatchParamPredicate(_PairsPredicate):
    """``match_param='action=edit'``: the route's matchdict holds that value."""

    name = "match_param"

    def __init__(self, value: Any, config: Any = None) -> None:
        super().__init__(value, config)
        for key, expected in self.pairs:
            if expected is None:
                raise ConfigurationError(f"match_param takes 'name=value', not {key!r}")

    def __call__(self, context: Any, request: Request) -> bool:
        matchdict = request.matchdict
        for key, value in self.pairs:  # noqa: SIM110 -- a plain loop is faster than all() here, on every request
            if matchdict.get(key) != value:
                return False
        return True

    def required_values(self) -> tuple[tuple[MatchValue, str], ...]:
        """The exact matchdict values required (see :mod:`viewpick.narrowing`)."""
        return tuple((MatchValue(key), value) for key, value in self.pairs if value is not None)

    def seen(self, request: Request) -> str:
        return ", ".join(f"{key}={request.matchdict.get(key)!r}" for key, _ in self.pairs)


class HeaderPredicate:
    """``header='X-Name'`` (present) or ``'X-Name:REGEX'`` (the value matches with ``re.match``).

    A list of such strings means all of them must hold.
    """

    def __init__(self, value: Any, config: Any = None) -> None:
        checks = []
        for item in as_tuple(value):
            name, pattern = split_pair(item, ":", "header")
            try:
                regex = None if pattern is None else re.compile(pattern)
            except re.error as exc:
                raise ConfigurationError(
                    f"header {item!r}: {pattern!r} is not a valid regular expression ({exc})"
                ) from exc
            key = "HTTP_" + name.upper().replace("-", "_")
            if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                key = key[5:]
            checks.append((name, key, pattern, regex))
        self.checks = tuple(sorted(checks, key=lambda c: (c[0].lower(), c[2] or "")))
        self.vary = tuple(dict.fromkeys(name for name, _, _, _ in self.checks))

    def text(self) -> str:
        return "header " + ",".join(
            name if pattern is None else f"{name}:{pattern}" for name, _, pattern, _ in self.checks
        )

    def phash(self) -> str:
        return "header " + ",".join(
            name.lower() if pattern is None else f"{name.lower()}:{pattern}" for name, _, pattern, _ in self.checks
        )

    def __call__(self, context: Any, request: Request) -> bool:
        environ = request.environ
        for _, key, _, regex in self.checks:
            value = environ.get(key)
            if value is None or (regex is not None and regex.match(value) is None):
                return False
        return True

    def seen(self, request: Request) -> str:
        return "; ".join(_header_seen(request.environ, name) for name, _, _, _ in self.checks)


def _header_seen(environ: dict[str, Any], name: str) -> str:
    """``X-Name: value`` as the request sent it, or ``no X-Name``."""
    key = "HTTP_" + name.upper().replace("-", "_")
    value = environ.get(key[5:] if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH") else key)
    return f"no {name}" if value is None else f"{name}: {value}"
