"""The security policy interface: who the request is, and what it may do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .request import Request


@runtime_checkable
class SecurityPolicy(Protocol):
    """Any object with these two methods; Pyramid 2 policies fit as they are.

    ``identity`` is called at most once per request, and only when something asks for
    ``request.identity``; ``permits`` returns a truthy value to allow (Pyramid's
    ``Allowed``/``Denied`` objects work). Its ``context`` is ``request.context``, what the
    route's factory gave (see ``add_route(factory=)``), for views with a ``permission``;
    :mod:`viewpick.acl` evaluates a context's ``__acl__``.
    """

    def identity(self, request: Request) -> Any: ...

    def permits(self, request: Request, context: Any, permission: str) -> Any: ...
