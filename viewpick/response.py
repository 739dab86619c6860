"""The response class views receive as ``request.response``, and the Vary header helper."""

from __future__ import annotations

import webob


class Response(webob.Response):
    """A ``webob.Response`` that starts with no Content-Type.

    A renderer sets the type only while it is still unset, so a view that sets
    ``request.response.content_type`` itself keeps its choice (Pyramid's convention:
    ``response.content_type == response.default_content_type`` means "not chosen yet").
    """

    default_content_type = None  # type: ignore[assignment]  # WebOb reads None as "no default"; its stub says str

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
