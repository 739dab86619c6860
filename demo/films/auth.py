"""Who the request is, and what they may do: a user name in viewpick's signed login cookie.

Logging in sets the cookie (``viewpick.security.remember``); logging out clears it
(``forget``). :class:`~viewpick.security.AuthCookieHelper` signs it with the application's
secret, so a client cannot forge or alter it, and it carries the time of login, so a copied
cookie stops working after ``MAX_AGE`` even if the browser keeps it. Every logged-in user
may ``edit``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from viewpick.security import AuthCookieHelper

if TYPE_CHECKING:
    from viewpick import Request

COOKIE = "films_auth"
MAX_AGE = 12 * 3600  # seconds


class CookiePolicy:
    """The catalogue's security policy (``config.set_security_policy(CookiePolicy(secret))``)."""

    def __init__(self, secret: str, max_age: int = MAX_AGE) -> None:
        self.cookie = AuthCookieHelper(secret, COOKIE, max_age=max_age, salt="demo.films.auth")

    def identity(self, request: Request) -> str | None:
        """The logged-in user's name, or None."""
        found = self.cookie.identify(request)
        return str(found["userid"]) if found else None

    def permits(self, request: Request, context: Any, permission: str) -> bool:
        return permission == "edit" and request.identity is not None

    def remember(self, request: Request, user: str, **kw: Any) -> list[tuple[str, str]]:
        """The headers that log ``user`` in."""
        return self.cookie.remember(request, user)

    def forget(self, request: Request, **kw: Any) -> list[tuple[str, str]]:
        """The headers that log the user out."""
        return self.cookie.forget(request)
