"""The response class views receive as ``request.response``."""

from __future__ import annotations

import webob


class Response(webob.Response):
    """A ``webob.Response`` that starts with no Content-Type.

    A renderer sets the type only while it is still unset, so a view that sets
    ``request.response.content_type`` itself keeps its choice (Pyramid's convention:
    ``response.content_type == response.default_content_type`` means "not chosen yet").
    """

    default_content_type = None
