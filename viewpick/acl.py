"""Access control lists, with Pyramid's semantics: a security policy's ``permits`` can ask
:class:`ACLHelper` whether a context's ``__acl__`` grants a permission to a set of principals.

An ACL is a sequence of entries ``(action, principal, permissions)``: ``action`` is
:data:`Allow` or :data:`Deny`, ``principal`` a string such as ``'u:alice'``, ``'group:editors'``,
:data:`Everyone` or :data:`Authenticated`, and ``permissions`` one permission name, a sequence of
them, or :data:`ALL_PERMISSIONS`. The first entry naming one of the principals and the
permission decides; a context without a deciding entry defers to its ``__parent__``, and when
no ACL on the way up decides, the answer is no. ``__acl__`` may be a method that returns the
list. Answers are truthy or falsy objects that say which entry decided, for logs and tests.

    class Film:
        __acl__ = [(Allow, Everyone, "view"), (Allow, "group:editors", "edit")]

    class Policy:
        def permits(self, request, context, permission):
            principals = [Everyone]
            if request.identity is not None:
                principals += [Authenticated, f"u:{request.identity}", *groups_of(request.identity)]
            return ACLHelper().permits(context, principals, permission)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

Allow = "Allow"
Deny = "Deny"
#: Every request, authenticated or not.
Everyone = "system.Everyone"
#: Every request with an identity.
Authenticated = "system.Authenticated"

ACE = tuple[str, str, Any]


class AllPermissionsList:
    """Stands for every permission in an ACL entry: any permission is ``in`` it."""

    def __contains__(self, permission: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL_PERMISSIONS"


ALL_PERMISSIONS = AllPermissionsList()
#: The entry that ends an ACL which must not defer to the parent's.
DENY_ALL: ACE = (Deny, Everyone, ALL_PERMISSIONS)


class ACLPermitsResult:
    """The answer of :meth:`ACLHelper.permits`: true when allowed, with the entry that decided
    (None when no entry did) and the context whose ACL held it."""

    allowed = False

    def __init__(self, ace: ACE | None, acl: Any, permission: str, principals: Sequence[str], context: Any) -> None:
        self.ace = ace
        self.acl = acl
        self.permission = permission
        self.principals = principals
        self.context = context

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def msg(self) -> str:
        if self.ace is None:
            return f"no ACL entry names permission {self.permission!r} for principals {list(self.principals)!r}"
        return f"ACL entry {self.ace!r} on {self.context!r} decided permission {self.permission!r}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.msg}>"


class ACLAllowed(ACLPermitsResult):
    allowed = True


class ACLDenied(ACLPermitsResult):
    allowed = False


def _permissions(entry: Any) -> Any:
    return (entry,) if isinstance(entry, str) else entry


def lineage(context: Any) -> Iterator[Any]:
    """``context``, then its ``__parent__``, and so on up to the root."""
    while context is not None:
        yield context
        context = getattr(context, "__parent__", None)


def _acl_of(context: Any) -> Any:
    acl = getattr(context, "__acl__", None)
    return acl() if callable(acl) else acl


class ACLHelper:
    """Evaluates ``__acl__`` along a context's lineage (Pyramid's ``ACLHelper``)."""

    def permits(self, context: Any, principals: Iterable[str], permission: str) -> ACLPermitsResult:
        """Whether the first deciding entry on the way up from ``context`` allows ``permission``
        to one of ``principals``; denied when none decides."""
        principals = tuple(principals)
        acl: Any = None
        for location in lineage(context):
            acl = _acl_of(location)
            if acl is None:
                continue
            for ace in acl:
                action, principal, permissions = ace
                if principal in principals and permission in _permissions(permissions):
                    result = ACLAllowed if action == Allow else ACLDenied
                    return result(ace, acl, permission, principals, location)
        return ACLDenied(None, acl, permission, principals, context)

    def principals_allowed_by_permission(self, context: Any, permission: str) -> set[str]:
        """The principals explicitly allowed ``permission`` on ``context``, read from the root down:
        a Deny lower down takes away what a higher Allow gave, and a Deny to :data:`Everyone`
        (:data:`DENY_ALL`) clears everything above it."""
        allowed: set[str] = set()
        for location in reversed(list(lineage(context))):
            acl = _acl_of(location)
            if acl is None:
                continue
            allowed_here: set[str] = set()
            denied_here: set[str] = set()
            for action, principal, permissions in acl:
                if permission not in _permissions(permissions):
                    continue
                if action == Allow and principal not in denied_here:
                    allowed_here.add(principal)
                elif action == Deny:
                    if principal == Everyone:
                        allowed = set()  # what the ACLs above gave is gone; earlier entries here stand
                        break
                    denied_here.add(principal)
                    allowed.discard(principal)
            allowed |= allowed_here
        return allowed


__all__ = [
    "ALL_PERMISSIONS",
    "DENY_ALL",
    "ACLAllowed",
    "ACLDenied",
    "ACLHelper",
    "Allow",
    "Authenticated",
    "Deny",
    "Everyone",
    "lineage",
]
