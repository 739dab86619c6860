"""Protection against cross-site request forgery: a token forms repeat, checked before the view runs.

Another site can make a browser send a form to this one, cookies and all, but it can read
neither this site's pages nor its cookies, so it cannot fill in the token. The token is
kept per session when a session factory is set (:class:`SessionCSRFStoragePolicy`), else in
a cookie of its own (:class:`CookieCSRFStoragePolicy`); ``config.set_csrf_storage_policy``
picks another. Templates get it as ``request.csrf_token`` or ``get_csrf_token()``.

``config.set_default_csrf_options(require_csrf=True)`` makes every view check it for requests
whose method is not safe (GET, HEAD, OPTIONS, TRACE), before the view is called: the token
comes in the header ``X-CSRF-Token`` or, when that is absent or empty, the form field
``csrf_token`` of a form body, and for HTTPS requests the ``Origin`` (or ``Referer``) must be
this site or a trusted origin. A view opts out with ``require_csrf=False``, or in with
``require_csrf=True`` when the default is off. The check is compiled into the views that need
it; other views, and applications that set nothing, pay nothing. A refusal is
:class:`BadCSRFToken` or :class:`BadCSRFOrigin`, both a **400 Bad Request**
(``HTTPBadRequest``, as in Pyramid), so error views answer it and its body is negotiated like
every error's.

A JSON API whose views only take ``application/json`` bodies (``content_type=
'application/json'``) may opt out: a browser sends such a body to another site only after a
CORS preflight the API does not grant, and a plain form cannot produce one.

The header is looked at first (Pyramid looks at the form first): a request whose token comes
in the header never has its body parsed (WebOb's form parser cost more than the rest of the
check put together), and a body that is not a form (JSON, say) is never read for the field.
A header that is there decides: a wrong one is refused even when the form holds the right token.
Only a page's own script can set the header (another site's would need a CORS preflight this
site does not grant), and a wrong token there is a stale or forged one, never something to
fall back from. The names and otherwise the semantics are Pyramid's (``pyramid.csrf``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from webob.cookies import CookieProfile
from webob.util import strings_differ

from .body import FORM_TYPES
from .exceptions import ConfigurationError
from .httpexceptions import HTTPBadRequest, HTTPException
from .response import SameSite

if TYPE_CHECKING:
    import webob

    from .request import Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


def make_token() -> str:
    """A new random token (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


class BadCSRFToken(HTTPBadRequest):
    """400: an unsafe request did not carry this browser's CSRF token."""

    title = "Bad CSRF Token"
    explanation = (
        "The request did not carry this browser's CSRF token (header or form field); reload the page "
        "with the form and submit it again."
    )


class BadCSRFOrigin(HTTPBadRequest):
    """400: an HTTPS request's Origin (or Referer) is not this site or a trusted origin."""

    title = "Bad CSRF Origin"
    explanation = "The request came from a page of another site."


class CSRFStoragePolicy(Protocol):
    """Where tokens are kept (Pyramid's ``ICSRFStoragePolicy``)."""

    def new_csrf_token(self, request: Request) -> str: ...

    def get_csrf_token(self, request: Request) -> str: ...

    def check_csrf_token(self, request: Request, supplied_token: str) -> bool: ...


class SessionCSRFStoragePolicy:
    """The token is kept in ``request.session`` under ``key``: one per session, so invalidating
    the session (at logout, say) changes it."""

    def __init__(self, key: str = "_csrft_") -> None:
        self.key = key

    def new_csrf_token(self, request: Request) -> str:
        token = request.session[self.key] = make_token()
        return token

    def get_csrf_token(self, request: Request) -> str:
        token = request.session.get(self.key)
        return token if isinstance(token, str) else self.new_csrf_token(request)

    def has_csrf_token(self, request: Request) -> bool:
        return self.key in request.session

    def check_csrf_token(self, request: Request, supplied_token: str) -> bool:
        expected = request.session.get(self.key)
        return isinstance(expected, str) and not strings_differ(expected.encode(), supplied_token.encode())


class _TokenText:
    """A token as a cookie's value, as it is: anything but a token's characters is no token."""

    def dumps(self, value: str) -> bytes:
        return value.encode("ascii")

    def loads(self, data: bytes) -> str:
        text = data.decode("latin-1")
        if not TOKEN.fullmatch(text):
            raise ValueError("not a CSRF token")
        return text


class CookieCSRFStoragePolicy:
    """The token is kept in a cookie of its own (no session needed), set when a page first asks
    for it. Not ``httponly`` by default, so a page's script may copy it into the
    ``X-CSRF-Token`` header; another site's script still cannot read it."""

    def __init__(
        self,
        cookie_name: str = "csrf_token",
        secure: bool = False,
        httponly: bool = False,
        domain: str | None = None,
        max_age: int | None = None,
        path: str = "/",
        samesite: SameSite | None = "Lax",
    ) -> None:
        self.profile = CookieProfile(
            cookie_name,
            secure=secure,
            max_age=max_age,
            httponly=httponly,
            samesite=samesite,
            path=path,
            domains=[domain] if domain else None,
            serializer=_TokenText(),
        )

    def _sent(self, request: Request) -> str | None:
        value = self.profile.bind(request).get_value()
        return value if isinstance(value, str) else None

    def new_csrf_token(self, request: Request) -> str:
        token = request.__dict__["viewpick.csrf_token"] = make_token()
        if "viewpick.csrf_cookie" not in request.__dict__:
            request.__dict__["viewpick.csrf_cookie"] = True
            profile = self.profile

            def set_cookie(request: Request, response: webob.Response) -> None:
                profile.set_cookies(response, request.__dict__["viewpick.csrf_token"])

            request.add_response_callback(set_cookie)
        return token

    def get_csrf_token(self, request: Request) -> str:
        token = request.__dict__.get("viewpick.csrf_token") or self._sent(request)
        return token if token else self.new_csrf_token(request)

    def has_csrf_token(self, request: Request) -> bool:
        return self._sent(request) is not None

    def check_csrf_token(self, request: Request, supplied_token: str) -> bool:
        expected = self._sent(request)  # the one the browser sent, not one made in this request
        return expected is not None and not strings_differ(expected.encode(), supplied_token.encode())


def _storage(request: Request) -> CSRFStoragePolicy:
    if request.app is None:
        raise LookupError("CSRF tokens need a request handled by a viewpick application")
    return request.app.csrf_storage


def get_csrf_token(request: Request) -> str:
    """The request's CSRF token, made (and stored) when it has none."""
    return _storage(request).get_csrf_token(request)


def new_csrf_token(request: Request) -> str:
    """A new CSRF token for the request's browser, replacing the old one."""
    return _storage(request).new_csrf_token(request)


def rotate_csrf_token(request: Request) -> None:
    """Replace the browser's token if it has one (``remember`` and ``forget`` do, so a token
    learnt before logging in is worthless after it); a browser without one gets one when a
    page first asks."""
    if request.app is None:
        return
    storage = _storage(request)
    has = getattr(storage, "has_csrf_token", None)
    if has is None or has(request):
        storage.new_csrf_token(request)


def check_csrf_token(
    request: Request, token: str | None = "csrf_token", header: str | None = "X-CSRF-Token", raises: bool = True
) -> bool:
    """Whether the request carries the browser's token in header ``header`` or, when that is
    absent or empty, in form field ``token`` of a form body; raise :class:`BadCSRFToken` rather
    than return False unless ``raises`` is false. A header that is there decides: a wrong one is
    refused whatever the form holds, and the body is not read."""
    supplied = _supplied_token(request, token, header)
    if supplied and _storage(request).check_csrf_token(request, supplied):
        return True
    if raises:
        where = " or ".join(part for part in (header and f"header {header}", token and f"form field {token!r}") if part)
        raise BadCSRFToken(
            f"The request did not carry this browser's CSRF token ({where}): reload the page that shows "
            "the form and submit it again."
        )
    return False


def _supplied_token(request: Request, token: str | None, header: str | None) -> str:
    """The token the request offers: the header's if it has one, else the form field's. Only a
    form body (by its Content-Type) is parsed for it: a request whose token is in the header,
    or whose body is JSON or anything else, leaves its body unread."""
    if header is not None and (value := request.headers.get(header)):
        return str(value)
    if token is not None and request.content_type in FORM_TYPES:
        field = request.POST.get(token, "")
        return field if isinstance(field, str) else ""  # an upload named like the token is no token
    return ""


def check_csrf_origin(
    request: Request,
    trusted_origins: Iterable[str] | None = None,
    allow_no_origin: bool = False,
    raises: bool = True,
) -> bool:
    """For an HTTPS request, whether its ``Origin`` header (or else its ``Referer``) is this
    site (``request.host``) or one of ``trusted_origins`` (``'host'`` or ``'host:port'``, or the
    ``csrf_trusted_origins`` setting); raise :class:`BadCSRFOrigin` rather than return False
    unless ``raises`` is false. Plain HTTP requests pass: their headers prove nothing."""
    if request.scheme != "https":
        return True
    reason = _origin_problem(request, trusted_origins, allow_no_origin)
    if reason is None:
        return True
    if raises:
        raise BadCSRFOrigin(reason)
    return False


def _origin_problem(request: Request, trusted_origins: Iterable[str] | None, allow_no_origin: bool) -> str | None:
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return None if allow_no_origin else "The HTTPS request has neither an Origin nor a Referer header."
    if origin == "null":
        return "The request's Origin is null (a page of no site, or a privacy-restricted one)."
    parts = urlsplit(origin)
    if parts.scheme != "https":
        return f"The request came from a page that is not HTTPS ({_shown(origin)}) to an HTTPS site."
    allowed = {_host(request.host), *(_host(item) for item in (trusted_origins or ()))}
    if app := request.app:
        allowed.update(_host(item) for item in getattr(app, "csrf_trusted_origins", ()))
    if _host(parts.netloc.rpartition("@")[2]) in allowed:
        return None
    return f"The request came from a page of another site ({_shown(origin)}), which is not trusted."


def _host(netloc: str) -> str:
    netloc = netloc.lower()
    return netloc[:-4] if netloc.endswith(":443") else netloc


def _shown(text: str) -> str:
    """Client text as an error message may repeat it: short and printable."""
    return text[:100].encode("ascii", "backslashreplace").decode("ascii")


@dataclass(frozen=True)
class CSRFOptions:
    """``config.set_default_csrf_options(...)``, checked and frozen."""

    require_csrf: bool = True
    token: str | None = "csrf_token"
    header: str | None = "X-CSRF-Token"
    safe_methods: frozenset[str] = SAFE_METHODS
    check_origin: bool = True
    allow_no_origin: bool = False
    trusted_origins: tuple[str, ...] = ()
    #: ``callback(request)``: False skips the check for that request (one not authenticated by
    #: a cookie, say); None checks every unsafe request.
    callback: Callable[[Request], bool] | None = None


def make_options(
    require_csrf: bool = True,
    token: str | None = "csrf_token",
    header: str | None = "X-CSRF-Token",
    safe_methods: Iterable[str] = tuple(sorted(SAFE_METHODS)),
    check_origin: bool = True,
    allow_no_origin: bool = False,
    trusted_origins: Iterable[str] = (),
    callback: Callable[[Request], bool] | None = None,
    where: str = "set_default_csrf_options",
) -> CSRFOptions:
    """The options, checked: each mistake is a ConfigurationError naming ``where``."""
    for name, value in (
        ("require_csrf", require_csrf),
        ("check_origin", check_origin),
        ("allow_no_origin", allow_no_origin),
    ):
        if not isinstance(value, bool):
            raise ConfigurationError(f"{where}: {name} must be True or False, not {value!r}")
    for name, place in (("token", token), ("header", header)):
        if place is not None and (not isinstance(place, str) or not place):
            raise ConfigurationError(f"{where}: {name} must be a name (or None to not look there), not {place!r}")
    if token is None and header is None:
        raise ConfigurationError(f"{where}: token and header cannot both be None: the token must come somewhere")
    if isinstance(safe_methods, str) or not all(isinstance(m, str) for m in safe_methods):
        raise ConfigurationError(f"{where}: safe_methods must be a sequence of method names, like ('GET', 'HEAD')")
    if isinstance(trusted_origins, str):
        trusted_origins = trusted_origins.replace(",", " ").split()
    if callback is not None and not callable(callback):
        raise ConfigurationError(f"{where}: callback must be a function of the request, not {callback!r}")
    return CSRFOptions(
        require_csrf,
        token,
        header,
        frozenset(m.upper() for m in safe_methods),
        check_origin,
        allow_no_origin,
        tuple(trusted_origins),
        callback,
    )


class CSRFCheck:
    """One view's check, compiled once: wraps the view's call so an unsafe request without the
    token is refused before the view runs."""

    def __init__(self, options: CSRFOptions) -> None:
        self.options = options

    def applies(self, request: Request) -> bool:
        options = self.options
        return request.method not in options.safe_methods and (options.callback is None or options.callback(request))

    def enforce(self, request: Request) -> None:
        """Raise :class:`BadCSRFOrigin` or :class:`BadCSRFToken` unless the request passes."""
        if self.applies(request):
            options = self.options
            if options.check_origin:
                check_csrf_origin(request, options.trusted_origins, options.allow_no_origin)
            check_csrf_token(request, options.token, options.header)

    def wrap(self, call: Callable[[Request], Any]) -> Callable[[Request], Any]:
        enforce = self.enforce

        def checked(request: Request) -> Any:
            enforce(request)
            return call(request)

        return checked

    def verdict(self, request: Request) -> tuple[Exception | None, str]:
        """For ``viewpick explain``: what the check raises for ``request`` (None when it passes)
        and why, without raising."""
        if request.method in self.options.safe_methods:
            return None, f"{request.method} is a safe method: no token needed"
        try:
            if not self.applies(request):
                return None, "the CSRF callback skips this request"
            self.enforce(request)
        except HTTPException as refusal:
            return refusal, f"refused with {refusal.code} {refusal.title}: {refusal.detail}"
        except Exception as exc:  # reading the form failed, or the callback did
            return exc, f"the check raised {type(exc).__name__}: {exc}"
        return None, "the request carries this browser's token"


def view_check(options: CSRFOptions | None, explicit: Any, methods: frozenset[str], where: object) -> CSRFCheck | None:
    """The check a view serving ``methods`` gets: its own ``require_csrf`` if given, else the
    default's; none for a view that serves only safe methods (a static view, say)."""
    if explicit is not None and not isinstance(explicit, bool):
        raise ConfigurationError(f"{where}: require_csrf must be True, False or None (the default), not {explicit!r}")
    required = explicit if explicit is not None else (options is not None and options.require_csrf)
    options = options or CSRFOptions()
    if not required or methods <= options.safe_methods:
        return None
    return CSRFCheck(options)


__all__ = [
    "BadCSRFOrigin",
    "BadCSRFToken",
    "CSRFStoragePolicy",
    "CookieCSRFStoragePolicy",
    "SessionCSRFStoragePolicy",
    "check_csrf_origin",
    "check_csrf_token",
    "get_csrf_token",
    "new_csrf_token",
]
