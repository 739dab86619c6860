"""Sessions: ``request.session``, a dict kept between one browser's requests.

``config.set_session_factory(factory)`` turns them on; ``factory(request)`` gives the request's
session the first time ``request.session`` is read, never before, so a request that does not
touch it costs nothing. The interface, for a store of one's own (a database, Redis):

- a session factory is a callable of the request returning a :class:`Session` (or any object
  with the same methods);
- the session saves itself: the factory registers a response callback
  (``request.add_response_callback``) that writes the session when it was changed
  (:attr:`Session.dirty`), and drops it when :meth:`Session.invalidate` was called;
- :class:`Session` does the bookkeeping (what changed, flash queues, invalidation) for any
  store, so a store's factory only loads and saves a plain dict.

:func:`SignedCookieSessionFactory` keeps the whole session in a cookie signed with the
application's secret by WebOb's ``SignedCookieProfile`` (JSON, HMAC): the browser can read
but not alter it. A cookie that was tampered with, has expired or is not a session at all
gives an empty new session, never an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from webob.cookies import SignedCookieProfile

from .response import SameSite

if TYPE_CHECKING:
    import webob

    from .request import Request

log = logging.getLogger("viewpick")

SessionFactory = Callable[["Request"], "Session"]


class Serializer(Protocol):
    """What a session cookie's value is turned into bytes by (WebOb's ``JSONSerializer`` by
    default); ``loads`` raises ``ValueError`` for what it cannot read."""

    def dumps(self, appstruct: Any) -> bytes: ...

    def loads(self, bstruct: bytes) -> Any: ...


FLASH_PREFIX = "_f_"


class Session(dict[str, Any]):
    """A dict that notes whether it was changed, with Pyramid's session methods.

    Changing a key (``session['cart'] = [...]``, ``del``, ``pop``, ``update``...) marks it
    :attr:`dirty`; changing a value in place (``session['cart'].append(x)``) does not: call
    :meth:`changed` then. ``created`` and ``accessed`` are Unix times (seconds).
    """

    def __init__(
        self, state: Mapping[str, Any] | None = None, *, new: bool = True, created: float | None = None
    ) -> None:
        super().__init__(state or {})
        #: True for a session this request started (no valid one came with it).
        self.new = new
        self.created = time.time() if created is None else created
        #: Whether the session must be saved at the end of the request.
        self.dirty = False
        #: Whether :meth:`invalidate` was called (the store drops the old session).
        self.invalidated = False

    def changed(self) -> None:
        """Save the session at the end of the request even though no key was set (a value was
        changed in place)."""
        self.dirty = True

    def invalidate(self) -> None:
        """Empty the session and forget it: its cookie (or stored copy) is deleted. What is put in
        the session afterwards in the same request goes into a new session."""
        super().clear()
        self.invalidated = self.dirty = self.new = True
        self.created = time.time()

    # --- flash messages: Pyramid's queues, kept in the session under "_f_<queue>" ----------------

    def flash(self, msg: Any, queue: str = "", allow_duplicate: bool = True) -> None:
        """Keep ``msg`` for a later request (after a redirect, say) in queue ``queue``."""
        messages = self.setdefault(FLASH_PREFIX + queue, [])
        if allow_duplicate or msg not in messages:
            messages.append(msg)
            self.dirty = True

    def pop_flash(self, queue: str = "") -> list[Any]:
        """The messages of ``queue``, removed from the session."""
        return list(self.pop(FLASH_PREFIX + queue, []))

    def peek_flash(self, queue: str = "") -> list[Any]:
        """The messages of ``queue``, left in the session."""
        return list(self.get(FLASH_PREFIX + queue, []))

    # --- CSRF tokens (see viewpick.csrf): Pyramid's legacy session methods -----------------------

    def new_csrf_token(self) -> str:
        """A new CSRF token for this session, replacing the old one."""
        from .csrf import make_token  # csrf builds on this module

        token = self[CSRF_KEY] = make_token()
        return token

    def get_csrf_token(self) -> str:
        """This session's CSRF token, made on first use."""
        token = self.get(CSRF_KEY)
        return token if isinstance(token, str) else self.new_csrf_token()

    # --- every way of changing a dict marks the session dirty -------------------------------------

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.dirty = True

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.dirty = True

    def clear(self) -> None:
        if self:
            super().clear()
            self.dirty = True

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.dirty = True
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        item = super().popitem()
        self.dirty = True
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self.dirty = True
        return super().setdefault(key, default)

    def update(self, *args: Any, **kw: Any) -> None:
        super().update(*args, **kw)
        self.dirty = True

    def __ior__(self, other: Any) -> Session:  # type: ignore[override,misc]
        self.update(other)
        return self

    def __repr__(self) -> str:
        return f"<Session {'new ' if self.new else ''}{dict.__repr__(self)}>"


CSRF_KEY = "_csrft_"


class SignedCookieSessionFactory:
    """Sessions kept in a signed cookie, as Pyramid's ``SignedCookieSessionFactory``.

    ``secret`` signs the cookie (HMAC by WebOb; keep it secret, and at least 64 characters
    for sha512); ``salt`` keeps these signatures apart from others made with the same secret.
    A session unused for ``timeout`` seconds is empty again (None: never); a session read
    more than ``reissue_time`` seconds after its cookie was set has the cookie set again, so
    a session in use does not time out (default: a tenth of ``timeout``; Pyramid's 0 would
    set a cookie on every response that reads the session). ``max_age`` is the cookie's
    lifetime in the browser (None: until the browser closes). The cookie is ``httponly`` and
    ``SameSite=Lax`` unless told otherwise; set ``secure=True`` for an application served
    over HTTPS only. With ``set_on_exception=False`` a request that failed does not save its
    session. ``serializer`` turns the state into bytes (default JSON: the session holds
    what JSON can).

    A cookie holds at most about 4 kB; a session that does not fit fails its request with a
    logged error - keep large things in a server-side store.
    """

    def __init__(
        self,
        secret: str,
        *,
        cookie_name: str = "session",
        max_age: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = True,
        samesite: SameSite | None = "Lax",
        set_on_exception: bool = True,
        timeout: int | None = 1200,
        reissue_time: int | None = None,
        hashalg: str = "sha512",
        salt: str = "viewpick.session.",
        serializer: Serializer | None = None,
    ) -> None:
        if not secret:
            raise ValueError("SignedCookieSessionFactory needs a secret to sign its cookies with")
        self.timeout = timeout
        if reissue_time is None and timeout is not None:
            reissue_time = timeout // 10
        self.reissue_time = reissue_time
        self.max_age = max_age
        self.set_on_exception = set_on_exception
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
            serializer=serializer,
        )

    def __call__(self, request: Request) -> Session:
        profile = self.profile.bind(request)
        now = time.time()
        loaded = _state(profile.get_value())
        session: Session
        if loaded is not None and (self.timeout is None or now - loaded[0] <= self.timeout):
            accessed, created, state = loaded
            session = Session(state, new=False, created=created)
            renew = self.reissue_time is not None and now - accessed > self.reissue_time
        else:
            session, renew = Session(), False
            # A cookie came but gave no session (tampered, expired, garbage): replace it with nothing.
            session.invalidated = request.cookies.get(profile.cookie_name) is not None

        def save(request: Request, response: webob.Response) -> None:
            if not (session.dirty or session.invalidated or renew):
                return
            if not self.set_on_exception and request.exception is not None:
                return
            if session:
                profile.set_cookies(response, [int(time.time()), session.created, dict(session)])
            elif not session.new or session.invalidated:  # an emptied session: delete its cookie
                profile.set_cookies(response, None)

        request.add_response_callback(save)
        return session


def _state(value: Any) -> tuple[float, float, dict[str, Any]] | None:
    """``(accessed, created, state)`` from a cookie's value; None for anything else (a value
    signed with this secret is ours, but an older version of the format may still come)."""
    if isinstance(value, list) and len(value) == 3:
        accessed, created, state = value
        if isinstance(accessed, int | float) and isinstance(created, int | float) and isinstance(state, dict):
            return float(accessed), float(created), state
    return None


__all__ = ["Session", "SessionFactory", "SignedCookieSessionFactory"]
