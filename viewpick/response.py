"""The response class views receive as ``request.response``, and the Vary header helper."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import webob

from .upstream import ready_response, send_response

#: A cookie's SameSite attribute, as WebOb takes it.
SameSite = Literal["Strict", "Lax", "None", "strict", "lax", "none"]


class Response(webob.Response):
    """A ``webob.Response``; as in Pyramid, ``Response('<p>Hi</p>')`` is ``text/html; charset=UTF-8``.

    ``request.response``, the response a renderer fills, starts with no Content-Type
    (:meth:`unset`): a renderer sets the type only while it is still unset, so a view that
    sets ``request.response.content_type`` itself keeps its choice.
    """

    #: Sent as ``webob.Response`` sends itself, in fewer steps (:func:`viewpick.upstream.send_response`).
    __call__ = send_response

    @classmethod
    def unset(cls) -> Response:
        """An empty 200 response with no Content-Type yet (WebOb adds none when given a header list)."""
        return ready_response(cls, [("Content-Length", "0")], b"")  # what cls(headerlist=[]) gives


def add_vary(response: webob.Response, names: tuple[str, ...]) -> None:
    """Add ``names`` to the response's Vary header, keeping what is there."""
    headerlist = response.headerlist
    for index, (header, value) in enumerate(headerlist):
        if header.lower() == "vary":
            present = [name.strip() for name in value.split(",") if name.strip()]
            headerlist[index] = (header, ", ".join(_distinct([*present, *names])))
            return
    headerlist.append(("Vary", ", ".join(_distinct(names))))


def _distinct(names: Iterable[str]) -> list[str]:
    """``names`` without repeats, compared case-insensitively, first spelling kept."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return list(seen.values())
