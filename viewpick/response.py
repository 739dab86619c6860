"""The response class views receive as ``request.response``, and the Vary header helper."""

from __future__ import annotations

from typing import Any

import webob


class Response(webob.Response):
    """A ``webob.Response`` that starts with no Content-Type until it is given a body.

    ``Response('<p>Hi</p>')`` (a body, ``text=`` or ``app_iter=``, without a content type or a
    header list) is ``text/html; charset=UTF-8``, as in Pyramid. An empty ``Response()`` - what
    ``request.response`` starts as - has none: a renderer sets the type only while it is still
    unset, so a view that sets ``request.response.content_type`` itself keeps its choice.
    """

    default_content_type = None

    def __init__(
        self,
        body: Any = None,
        status: Any = None,
        headerlist: list[tuple[str, str]] | None = None,
        app_iter: Any = None,
        content_type: str | None = None,
        *args: Any,
        **kw: Any,
    ) -> None:
        if content_type is None and headerlist is None and (body is not None or app_iter is not None or "text" in kw):
            content_type = "text/html"
        super().__init__(body, status, headerlist, app_iter, content_type, *args, **kw)

    @classmethod
    def ready(cls, headerlist: list[tuple[str, str]], data: bytes) -> Response:
        """A 200 response with these headers and body, the state ``cls(headerlist=headerlist,
        app_iter=[data])`` gives, set without the constructor's checks for every other kind
        of response: most requests are answered this way."""
        response = cls.__new__(cls)
        state = response.__dict__
        state["_status"] = "200 OK"
        state["_headers"] = None
        state["_headerlist"] = headerlist
        state["conditional_response"] = cls.default_conditional_response
        state["_app_iter"] = [data]
        return response


def add_vary(response: webob.Response, names: tuple[str, ...]) -> None:
    """Add ``names`` to the response's Vary header, keeping what is there."""
    headerlist = response.headerlist
    for index, (header, value) in enumerate(headerlist):
        if header.lower() == "vary":
            present = [name.strip() for name in value.split(",") if name.strip()]
            known = {name.lower() for name in present}
            headerlist[index] = (header, ", ".join(present + [name for name in names if name.lower() not in known]))
            return
    headerlist.append(("Vary", ", ".join(names)))
