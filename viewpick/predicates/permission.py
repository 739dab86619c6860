"""The ``permission`` predicate: the security policy permits the request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError

if TYPE_CHECKING:
    from ..request import Request


class PermissionPredicate:
    """``permission='edit'``: ``policy.permits(request, request.context, 'edit')`` is true
    (the context is what the route's factory gave, see ``add_route(factory=)``).

    A denied view is skipped like any other mismatch; the dispatcher checks permissions
    after the cheaper predicates and asks the policy at most once per permission and request.
    """

    def __init__(self, value: Any, config: Any = None) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigurationError(f"permission takes a permission name like 'edit', not {value!r}")
        self.permission = value

    def text(self) -> str:
        return f"permission = {self.permission}"

    phash = text

    def __call__(self, context: Any, request: Request) -> bool:
        return request.permits(self.permission, request.context)

    def seen(self, request: Request) -> str:
        context = request.context
        return f"identity {request.identity!r}" + ("" if context is None else f", context {context!r}")
