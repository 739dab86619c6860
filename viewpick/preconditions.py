"""Conditional requests (RFC 9110, section 13): comparing validators and evaluating the
preconditions in the order section 13.2.2 gives.

Used by static files (their ETag and Last-Modified come from the file) and by rendered views
with ``conditional=True`` (their ETag from the body). An unreadable date is treated as absent,
as the RFC says; an entity-tag list is read leniently (empty elements and stray spaces
ignored).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from webob.datetime_utils import parse_date

_TAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')

#: What a matching ``If-None-Match`` or a failed ``If-Modified-Since`` gives a GET or HEAD.
NOT_MODIFIED = 304
#: What a failed ``If-Match`` or ``If-Unmodified-Since`` gives (and ``If-None-Match`` on other methods).
PRECONDITION_FAILED = 412


def entity_tags(header: str) -> list[tuple[bool, str]]:
    """The ``(weak, opaque-tag)`` pairs of an entity-tag list; ``*`` is not one (see callers).

    >>> entity_tags('W/"a", "b"')
    [(True, '"a"'), (False, '"b"')]
    """
    return [(bool(weak), tag) for weak, tag in _TAG.findall(header)]


def strong_match(header: str, etag: str) -> bool:
    """``If-Match`` and ``If-Range``: ``*``, or a strong tag equal to the strong ``etag``."""
    if header.strip() == "*":
        return True
    if etag.startswith("W/"):
        return False
    return any(not weak and tag == etag for weak, tag in entity_tags(header))


def weak_match(header: str, etag: str) -> bool:
    """``If-None-Match``: ``*``, or a tag equal to ``etag`` once both drop ``W/``."""
    if header == etag or header.strip() == "*":  # the first: what a browser revalidating sends
        return True
    opaque = etag[2:] if etag.startswith("W/") else etag
    return any(tag == opaque for _, tag in entity_tags(header))


def seconds(date: str | None) -> int | None:
    """An HTTP date as whole seconds since the epoch; None when absent or unreadable."""
    if not date:
        return None
    parsed = parse_date(date)
    return None if parsed is None else int(parsed.timestamp())


def check(environ: Mapping[str, Any], etag: str | None, last_modified: str | None) -> int | None:
    """304, 412 or None (go on) for a request's preconditions against the current
    representation's validators, evaluated in RFC 9110's order (13.2.2):

    1. ``If-Match``: fails (412) unless ``*`` or a strong match;
    2. else ``If-Unmodified-Since``: fails (412) if modified after the date;
    3. ``If-None-Match``: a match is a 304 for GET and HEAD, a 412 otherwise;
    4. else ``If-Modified-Since`` (GET and HEAD only): not modified since the date is a 304.

    ``If-Range`` is the range code's (see :func:`if_range_holds`).
    """
    modified = seconds(last_modified)
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if etag is None or not strong_match(if_match, etag):
            return PRECONDITION_FAILED
    else:
        since = seconds(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
        if since is not None and modified is not None and modified > since:
            return PRECONDITION_FAILED
    safe = environ.get("REQUEST_METHOD") in ("GET", "HEAD")
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if (etag is not None and weak_match(if_none_match, etag)) or if_none_match.strip() == "*":
            return NOT_MODIFIED if safe else PRECONDITION_FAILED
    elif safe:
        since = seconds(environ.get("HTTP_IF_MODIFIED_SINCE"))
        if since is not None and modified is not None and modified <= since:
            return NOT_MODIFIED
    return None


def if_range_holds(environ: Mapping[str, Any], etag: str | None, last_modified: str | None) -> bool:
    """Whether a Range request may be answered in part (RFC 9110, 13.1.5): no ``If-Range``,
    or one naming the representation's strong ETag or exactly its Last-Modified date. An
    ``If-Range`` that cannot be read matches nothing, so the whole representation is sent."""
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range is None:
        return True
    if_range = if_range.strip()
    if if_range.startswith(('"', "W/")):
        return etag is not None and not if_range.startswith("W/") and strong_match(if_range, etag)
    date = seconds(if_range)
    return date is not None and date == seconds(last_modified)
