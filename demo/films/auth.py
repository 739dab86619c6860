"""Who the request is, and what they may do: a user name in a signed cookie.

Logging in sets the cookie; logging out clears it. It is signed with the application's
secret, so a client cannot forge or alter it, and it carries the time of login, so a copied
cookie stops working after ``MAX_AGE`` even if the browser keeps it. Every logged-in user
may ``edit``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from webob.cookies import SignedCookieProfile

if TYPE_CHECKING:
    from viewpick import Request

COOKIE = "films_auth"
MAX_AGE = 12 * 3600  # seconds


class CookiePolicy:
    """The catalogue's security policy (``config.set_security_policy(CookiePolicy(secret))``)."""

    def __init__(self, secret: str, max_age: int = MAX_AGE) -> None:
        self.max_age = max_age
        self.profile = SignedCookieProfile(
            secret, salt="demo.films.auth", cookie_name=COOKIE, httponly=True, samesite="Lax", max_age=max_age
        )

    def identity(self, request: Request) -> str | None:
        """The logged-in user's name, or None."""
        value = self.profile.bind(request).get_value()
        if not isinstance(value, dict):  # no cookie, or one this secret did not sign
            return None
        return str(value["user"]) if 0 <= time.time() - value["at"] < self.max_age else None

    def permits(self, request: Request, context: Any, permission: str) -> bool:
        return permission == "edit" and request.identity is not None

    def remember(self, request: Request, user: str) -> list[tuple[str, str]]:
        """The headers that log ``user`` in."""
        return self.profile.bind(request).get_headers({"user": user, "at": int(time.time())})

    def forget(self, request: Request) -> list[tuple[str, str]]:
        """The headers that log the user out."""
        return self.profile.bind(request).get_headers(None)


def remember(request: Request, user: str) -> list[tuple[str, str]]:
    """The headers that log ``user`` in, from the application's policy."""
    return request.app.security_policy.remember(request, user)


def forget(request: Request) -> list[tuple[str, str]]:
    """The headers that log the current user out."""
    return request.app.security_policy.forget(request)
