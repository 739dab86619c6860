"""Short, clear error responses for clients, in the format the client asks for.

The same few errors are sent over and over, so their bodies are cached; what a cache keeps
is bounded in entries and in size: details longer than :data:`CACHED_DETAIL_CHARS` and
Accept headers longer than the negotiation caches keep are rendered afresh. Details that
quote the client (a field name, a charset, a method) quote only the start, with :func:`clip`.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .negotiation import ANY, CACHED_HEADER_CHARS, client_preference
from .response import Response

if TYPE_CHECKING:
    from .explain import Explanation

# When the client wants several equally, JSON comes first: a script reading it gets
# structure, and a person at a terminal can still read it. JSON is labelled as a problem
# document (RFC 9457) when the client accepts that type, else as plain JSON; the body is the same.
PROBLEM_JSON = "application/problem+json"
_FORMATS = (PROBLEM_JSON, "application/json", "text/html", "text/plain")
_JSON = frozenset({PROBLEM_JSON, "application/json"})

# The longest detail whose rendered body is cached; a sentence and a clipped quote fit.
CACHED_DETAIL_CHARS = 300
# How much of what a client sent an error detail quotes.
QUOTED_CHARS = 60


def clip(text: str, limit: int = QUOTED_CHARS) -> str:
    """``text``, or its start and ``...`` when it is longer than ``limit``: for quoting what a
    client sent in an error detail without sending (or keeping) all of it back.

    >>> clip('x' * 100, 5)
    'xxxxx...'
    """
    return text if len(text) <= limit else text[:limit] + "..."


def error_format(accept: str | None) -> str:
    """The error body format the client prefers: JSON (as ``application/problem+json`` when
    the client accepts that, e.g. with ``*/*``), HTML or plain text."""
    if accept is not None and len(accept) > CACHED_HEADER_CHARS:
        return _error_format(accept)
    return _cached_error_format(accept)


def _error_format(accept: str | None) -> str:
    header = accept or ANY
    best, best_key = "text/plain", (0.0, -1)
    for media_type in _FORMATS:
        key = client_preference(header, media_type)
        if key > best_key:
            best, best_key = media_type, key
    return best


_cached_error_format = lru_cache(maxsize=256)(_error_format)


def error_response(
    status: int,
    detail: str,
    accept: str | None,
    headers: Iterable[tuple[str, str]] = (),
    explanation: Explanation | None = None,
) -> Response:
    """A response with ``status`` and a body saying ``detail`` (and, when debugging dispatch,
    why no view took the request). Its format follows Accept: the finishing step
    (:mod:`viewpick.finish`) names Accept in Vary on every answer."""
    media_type = error_format(accept)
    if explanation is None and len(detail) <= CACHED_DETAIL_CHARS:
        status_line, content_type, body = _error_body(status, detail, media_type)
    else:
        status_line, content_type, body = _render(status, detail, media_type, explanation)
    headerlist = [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]
    return Response(status=status_line, headerlist=headerlist, app_iter=[body])


# RFC 9110's reason phrases where older Pythons still give RFC 7231's: the same answer on every
# supported Python (3.13 adopted these).
_RFC_9110_PHRASES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def reason_phrase(status: int) -> str:
    """The reason phrase of ``status`` as RFC 9110 names it (``413`` is ``Content Too Large``)."""
    return _RFC_9110_PHRASES.get(status) or HTTPStatus(status).phrase


@lru_cache(maxsize=512)
def _error_body(status: int, detail: str, media_type: str) -> tuple[str, str, bytes]:
    """The same few errors are sent over and over: each is rendered once."""
    return _render(status, detail, media_type, None)


def _render(status: int, detail: str, media_type: str, explanation: Explanation | None) -> tuple[str, str, bytes]:
    """The status line, Content-Type and body of an error response."""
    title = reason_phrase(status)
    if media_type in _JSON:
        document: dict[str, Any] = {"status": status, "title": title, "detail": detail}
        if explanation is not None:
            document["explanation"] = explanation.as_dict()
        body = json.dumps(document)
    elif media_type == "text/html":
        why = f"\n<h2>Why</h2>\n<pre>{escape(explanation.as_text())}</pre>\n" if explanation is not None else ""
        body = (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{status} {escape(title)}</title></head>\n'
            f"<body><h1>{status} {escape(title)}</h1>\n<p>{escape(detail)}</p>{why}</body></html>\n"
        )
    else:
        why = f"\n{explanation.as_text()}" if explanation is not None else ""
        body = f"{status} {title}\n\n{detail}\n{why}"
    content_type = media_type if media_type in _JSON else f"{media_type}; charset=UTF-8"
    return f"{status} {title}", content_type, body.encode("utf-8")


def debug_response(exc: BaseException, view: str | None, accept: str | None) -> Response:
    """The 500 the ``debug`` setting sends for an unexpected exception: the exception, its
    traceback and the view that raised it, escaped, in the format the client asks for. Never
    cached, and never sent without the setting: it shows the application's source."""
    media_type = error_format(accept)
    title = HTTPStatus.INTERNAL_SERVER_ERROR.phrase
    summary = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    where = view or "(raised while choosing a view)"
    if media_type in _JSON:
        document = {"status": 500, "title": title, "exception": summary, "view": where, "traceback": trace}
        body = json.dumps(document)
    elif media_type == "text/html":
        body = (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>500 {title}</title></head>\n'
            f"<body><h1>500 {title}</h1>\n<p>{escape(summary)}</p>\n<p>View: {escape(where)}</p>\n"
            f"<h2>Traceback</h2>\n<pre>{escape(trace)}</pre>\n</body></html>\n"
        )
    else:
        body = f"500 {title}\n\n{summary}\nView: {where}\n\n{trace}"
    data = body.encode("utf-8")
    content_type = media_type if media_type in _JSON else f"{media_type}; charset=UTF-8"
    headerlist = [("Content-Type", content_type), ("Content-Length", str(len(data))), ("Cache-Control", "no-store")]
    return Response(status=f"500 {title}", headerlist=headerlist, app_iter=[data])
