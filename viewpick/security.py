"""The security policy interface: who the request is, and what it may do; and logging in.

:func:`remember` and :func:`forget` give the headers that log a user in and out, through the
policy; :class:`AuthCookieHelper` is a ready login cookie for a policy to keep its identity in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from webob.cookies import SignedCookieProfile

from .csrf import rotate_csrf_token
from .response import SameSite

if TYPE_CHECKING:
    import webob

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

    # Optional, as in Pyramid: ``authenticated_userid(request)``, ``remember(request, userid,
    # **kw)`` and ``forget(request, **kw)`` (headers), which :func:`remember`, :func:`forget` and
    # ``request.authenticated_userid`` use.


def remember(request: Request, userid: Any, **kw: Any) -> list[tuple[str, str]]:
    """The headers that log ``userid`` in, from the security policy's ``remember`` (Pyramid's
    function): put them on the response, e.g. ``HTTPSeeOther(url, headers=remember(request, name))``.

    The browser's CSRF token is replaced too, so one learnt before logging in is worthless
    after it. Without a policy, or one without ``remember``, there are no headers.
    """
    headers = _ask(request, "remember", userid, **kw)
    rotate_csrf_token(request)
    return headers


def forget(request: Request, **kw: Any) -> list[tuple[str, str]]:
    """The headers that log the user out, from the security policy's ``forget``; the CSRF token
    is replaced as for :func:`remember`."""
    headers = _ask(request, "forget", **kw)
    rotate_csrf_token(request)
    return headers


def _ask(request: Request, method: str, *args: Any, **kw: Any) -> list[tuple[str, str]]:
    policy = request.app.security_policy if request.app is not None else None
    found = getattr(policy, method, None)
    return list(found(request, *args, **kw)) if found is not None else []


class AuthCookieHelper:
    """A login cookie for a security policy: who is logged in, signed and expiring.

    The cookie holds the user id and the time it was issued, signed with ``secret`` by
    WebOb's ``SignedCookieProfile`` (HMAC; JSON), so a client can read it but not forge or
    alter it. :meth:`identify` trusts it for ``timeout`` seconds after it was issued
    (default: ``max_age``, the cookie's lifetime in the browser; None for both: until the
    browser closes), so a copied cookie stops working even if a browser keeps it. With
    ``reissue_time`` a cookie older than that is issued again when identified: logged-in
    users who keep using the site stay logged in. ``httponly`` and ``SameSite=Lax`` are on
    by default; set ``secure=True`` when the site is served over HTTPS only.

    Pyramid's ``AuthTktCookieHelper`` has the same three methods; this one's cookie is a
    signed JSON value, not mod_auth_tkt's format (``AuthTktCookieHelper`` is an alias)::

        class SecurityPolicy:
            def __init__(self, secret):
                self.cookie = AuthCookieHelper(secret, max_age=12 * 3600)

            def identity(self, request):
                found = self.cookie.identify(request)
                return found["userid"] if found else None

            def remember(self, request, userid, **kw):
                return self.cookie.remember(request, userid, **kw)

            def forget(self, request, **kw):
                return self.cookie.forget(request)
    """

    def __init__(
        self,
        secret: str,
        cookie_name: str = "auth_tkt",
        *,
        max_age: int | None = None,
        timeout: int | None = None,
        reissue_time: int | None = None,
        secure: bool = False,
        httponly: bool = True,
        samesite: SameSite | None = "Lax",
        path: str = "/",
        domain: str | None = None,
        hashalg: str = "sha512",
        salt: str = "viewpick.auth.",
    ) -> None:
        if not secret:
            raise ValueError("AuthCookieHelper needs a secret to sign its cookies with")
        self.timeout = timeout if timeout is not None else max_age
        self.reissue_time = reissue_time
        self.profile = SignedCookieProfile(
            secret,
            salt,
            cookie_name,
            secure=secure,
            max_age=max_age,
            httponly=httponly,
            samesite=samesite,
            path=path,
            domains=[domain] if domain else None,
            hashalg=hashalg,
        )

    def identify(self, request: Request) -> dict[str, Any] | None:
        """``{'userid': ..., 'timestamp': ...}`` from a valid, unexpired cookie, else None
        (no cookie, one that was tampered with or not signed with this secret, or expired)."""
        value = self.profile.bind(request).get_value()
        if not (isinstance(value, dict) and "userid" in value and isinstance(value.get("at"), int | float)):
            return None
        age = time.time() - value["at"]
        if age < -60 or (self.timeout is not None and age > self.timeout):  # from the future, or too old
            return None
        if (
            self.reissue_time is not None
            and age > self.reissue_time
            and "viewpick.auth_reissued" not in request.__dict__
        ):
            headers = self.remember(request, value["userid"])
            request.__dict__["viewpick.auth_reissued"] = True  # until remember or forget replaces it
            request.add_response_callback(_reissue(headers))
        return {"userid": value["userid"], "timestamp": value["at"]}

    def remember(self, request: Request, userid: Any, max_age: int | None = None, **kw: Any) -> list[tuple[str, str]]:
        """The headers that set the cookie for ``userid`` (a string or number: it is stored as JSON)."""
        if not isinstance(userid, str | int):
            raise TypeError(f"the user id in a login cookie must be a string or a number, not {userid!r}")
        request.__dict__["viewpick.auth_reissued"] = False
        profile = self.profile.bind(request)
        value = {"userid": userid, "at": int(time.time())}
        return list(profile.get_headers(value, max_age=max_age) if max_age is not None else profile.get_headers(value))

    def forget(self, request: Request, **kw: Any) -> list[tuple[str, str]]:
        """The headers that delete the cookie."""
        request.__dict__["viewpick.auth_reissued"] = False
        return list(self.profile.bind(request).get_headers(None))


def _reissue(headers: list[tuple[str, str]]) -> Callable[[Request, webob.Response], None]:
    def reissue(request: Request, response: webob.Response) -> None:
        if request.__dict__.get("viewpick.auth_reissued") is True:  # not logged out or in again since
            response.headerlist.extend(headers)

    return reissue


#: Pyramid's name for it; see :class:`AuthCookieHelper`.
AuthTktCookieHelper = AuthCookieHelper
