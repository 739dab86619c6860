"""Error views declared with decorators, for the scan tests of error views."""

from __future__ import annotations

from typing import Any

from viewpick import exception_view_config, forbidden_view_config, notfound_view_config, view_config


class Overdrawn(Exception):
    pass


@view_config(route_name="pay", renderer="string")
def pay(request: Any) -> str:
    raise Overdrawn("no funds")


@notfound_view_config(renderer="string")
def not_found(request: Any) -> str:
    return f"lost: {request.path}"


@forbidden_view_config(renderer="string")
def forbidden(request: Any) -> str:
    return "keep out"


@exception_view_config(Overdrawn, renderer="string")
def overdrawn(request: Any) -> str:
    return f"overdrawn: {request.exception}"


class Pages:
    """An error view class, as for ordinary views: instantiated with the request."""

    def __init__(self, request: Any) -> None:
        self.request = request

    @exception_view_config(LookupError, renderer="string")
    def missing(self) -> str:
        return f"missing {self.request.exception.args[0]}"
