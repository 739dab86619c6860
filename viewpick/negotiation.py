"""Content negotiation: how much a client's Accept header wants a media type.

Parsing uses WebOb's ``acceptparse``; results are cached per header string, because
clients send the same few Accept headers over and over and parsing is the costly part.
Only headers up to :data:`CACHED_HEADER_CHARS` long are cached: browsers and HTTP libraries
send less than half that, and a longer header (a client sending a new one each time, to fill
the server's memory) is parsed afresh, so no cache holds more than a bounded number of
bounded keys.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from webob.acceptparse import AcceptValidHeader, create_accept_header

ANY = "*/*"

# (q, specificity): specificity 2 when the client names the type, 1 for ``type/*``,
# 0 for ``*/*``. A q of 0 means the client does not accept the type.
Preference = tuple[float, int]
NOT_ACCEPTED: Preference = (0.0, -1)

# The longest Accept header the caches keep (Chrome's is 135 characters, Firefox's 85).
CACHED_HEADER_CHARS = 512


def parse_accept(header: str) -> tuple[tuple[str, str, float], ...]:
    """The media ranges of an Accept header as ``(type, subtype, q)``.

    A missing or empty header, or one with no valid element, means the client takes anything:
    ``*/*``; invalid elements are ignored (see :func:`media_ranges`).
    """
    if len(header) > CACHED_HEADER_CHARS:
        return _parse_accept(header)
    return _cached_parse_accept(header)


def _parse_accept(header: str) -> tuple[tuple[str, str, float], ...]:
    ranges = []
    for media_range, q, _params, _extensions in media_ranges(header):
        kind, _, subtype = media_range.split(";", 1)[0].strip().lower().partition("/")
        ranges.append((kind, subtype, q))
    return tuple(ranges) or (("*", "*", 1.0),)


_cached_parse_accept = lru_cache(maxsize=256)(_parse_accept)


def media_ranges(header: str) -> list[tuple[str, float, list[Any], list[Any]]]:
    """WebOb's parse of an Accept header, leniently: empty list elements and whitespace are
    ignored (RFC 9110, 5.6.1.2: ``, application/json``), and an element that is invalid on its
    own (``text/html;q=x``, ``foo``) is dropped while the others are honoured, as if the client
    had not sent it. Each element is parsed alone only when the whole header is not valid."""
    parsed = create_accept_header(header)
    if isinstance(parsed, AcceptValidHeader):
        return list(parsed.parsed)
    found = []
    for element in _ELEMENT.findall(header):
        # Empty parameters (``;;``, a trailing ``;``) are whitespace too.
        cleaned = ";".join(part.strip() for part in element.split(";") if part.strip())
        if cleaned:
            one = create_accept_header(cleaned)
            if isinstance(one, AcceptValidHeader):
                found.extend(one.parsed)
    return found


# One list element: anything up to a comma that is not inside a quoted string.
_ELEMENT = re.compile(r'(?:[^,"]|"(?:\\.|[^"\\])*")+')


def client_preference(header: str, media_type: str) -> Preference:
    """How much the client wants ``media_type``: the q of the most specific range that covers it.

    >>> client_preference('text/html, */*;q=0.8', 'application/json')
    (0.8, 0)
    """
    if len(header) > CACHED_HEADER_CHARS:
        return _client_preference(header, media_type)
    return _cached_client_preference(header, media_type)


def _client_preference(header: str, media_type: str) -> Preference:
    kind, _, subtype = media_type.lower().partition("/")
    best: Preference = NOT_ACCEPTED
    for range_kind, range_subtype, q in parse_accept(header):
        if range_kind == "*":
            specificity = 0
        elif range_kind != kind:
            continue
        elif range_subtype == "*":
            specificity = 1
        elif range_subtype == subtype:
            specificity = 2
        else:
            continue
        if specificity > best[1] or (specificity == best[1] and q > best[0]):
            best = (q, specificity)
    return best if best[0] > 0 else NOT_ACCEPTED


_cached_client_preference = lru_cache(maxsize=2048)(_client_preference)


def check_media_type(value: object) -> str:
    """A media type given in configuration, lower-cased; ranges and junk are refused."""
    from .exceptions import ConfigurationError

    if not isinstance(value, str):
        raise ConfigurationError(f"a media type is a string like 'application/json', not {value!r}")
    kind, slash, subtype = value.strip().lower().partition(";")[0].strip().partition("/")
    if not slash or not kind or not subtype or "*" in kind or "*" in subtype or " " in kind + subtype:
        raise ConfigurationError(
            f"{value!r} is not a media type; use a full type like 'application/json' (ranges like 'text/*' are for clients)"
        )
    return f"{kind}/{subtype}"
