"""The finishing step: what every answer gets on its way out, however it was made.

A rendered view, a Response a view returned, an HTTP exception, a dispatcher refusal (403,
404, 405, 406, 415) and an error view's answer all pass a :class:`Finisher`, which sets:

- **Vary**, the same on every answer of one route: the headers any of its views' predicates
  read (``X-Requested-With``, ...), ``Accept`` (error bodies follow it, and negotiated views
  are chosen by it), the headers error views are chosen by, and, in an application with a
  security policy or a session factory, the policy's headers (``Cookie`` unless its ``vary``
  says otherwise) and the session's ``Cookie``, on every route but static files': any answer
  may depend on who asks. A cache keys on Vary, so a 404 or 405 must name what the 200 of the
  same URL names. On top of that, whatever the request itself says it read:
  ``request.session``, ``request.identity`` and ``request.permits`` add their headers, and any
  code that makes the answer depend on a request header calls
  :meth:`viewpick.request.Request.vary_on`.
- **Caching headers** of the view's ``http_cache`` option, on what the view answered
  (:class:`Caching`).
- **Validators** with the view's ``conditional`` option: a strong ETag from the body, and
  304 (or 412) by the request's preconditions (:mod:`viewpick.preconditions`).

Everything that depends only on configuration is worked out once, at ``make_wsgi_app()``:
the route's Vary is one string, and the fast path of a rendered view
(:func:`viewpick.renderers.fresh`) writes it into the header list it builds, so a
view without ``http_cache`` or ``conditional`` pays nothing for this step.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from datetime import timedelta
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import webob

from .exceptions import ConfigurationError, did_you_mean
from .httpexceptions import HTTPPreconditionFailed
from .preconditions import check
from .response import Response, add_vary
from .settings import as_bool
from .upstream import ready_response

if TYPE_CHECKING:
    from .request import Request
    from .views import View

#: What a security policy's answers are read from when it does not say (its ``vary`` attribute).
IDENTITY_HEADERS = ("Cookie",)

# Cache-Control directives ``http_cache`` takes, as Python names (``no_cache``: ``no-cache``).
DIRECTIVES = frozenset(
    {
        "public",
        "private",
        "no_cache",
        "no_store",
        "no_transform",
        "must_revalidate",
        "proxy_revalidate",
        "must_understand",
        "immutable",
        "max_age",
        "s_maxage",
        "stale_while_revalidate",
        "stale_if_error",
    }
)

# The headers a 304 keeps of the 200 it stands for (RFC 9110, 15.4.5).
NOT_MODIFIED_KEEPS = frozenset(
    {"cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary"}
)


def identity_headers(policy: Any) -> tuple[str, ...]:
    """The request headers a security policy reads identities from: its ``vary`` attribute
    (``('Authorization',)`` for a token policy), else ``Cookie``."""
    headers = getattr(policy, "vary", None)
    return IDENTITY_HEADERS if headers is None else tuple(headers)


class Finisher:
    """What the finishing step gives every answer of one route (or of requests no route took)."""

    def __init__(self, vary: Iterable[str]) -> None:
        self.vary: tuple[str, ...] = tuple(dict.fromkeys(vary))
        self.vary_header = ", ".join(self.vary)

    def __repr__(self) -> str:
        return f"<Finisher Vary: {self.vary_header or '(none)'}>"

    def __call__(self, request: Request, response: webob.Response, view: View | None = None) -> webob.Response:
        """Finish ``response``: Vary, then, for a view's own answer, its caching and validators."""
        read = request.__dict__.get("varied")
        if read:
            add_vary(response, (*self.vary, *read))
        elif self.vary:
            headerlist = response.headerlist
            for name, _ in headerlist:
                if name.lower() == "vary":
                    add_vary(response, self.vary)
                    break
            else:  # the common case: the header as compiled
                headerlist.append(("Vary", self.vary_header))
        if view is not None and view.caching is not None:
            response = view.caching(request, response)
        return response


class Caching:
    """A view's ``http_cache`` and ``conditional`` options, resolved once.

    ``http_cache`` takes Pyramid's forms: seconds (an int or a ``timedelta``) set
    ``Cache-Control: max-age`` and ``Expires``; ``(seconds, {'public': True})`` adds
    directives; ``(None, {...})`` or a dict sets the directives only; 0 or a negative number
    forbids caching (``no-store``). It applies to what the view answered (rendered or
    returned; not to errors it raised), unless the view set
    ``response.cache_control.prevent_auto = True``.
    """

    def __init__(self, cache_control: str | None, max_age: int | None, conditional: bool) -> None:
        self.cache_control = cache_control
        self.max_age = max_age
        self.conditional = conditional
        # (second, Expires value): formatted once a second, not once a request.
        self._expires: tuple[int, str] = (0, "")

    def expires(self) -> str:
        """The Expires header for a response sent now: ``max_age`` seconds ahead."""
        now = int(time.time())
        second, value = self._expires
        if second != now:
            value = formatdate(now + (self.max_age or 0), usegmt=True)
            self._expires = (now, value)  # one assignment: threads see a consistent pair
        return value

    def __repr__(self) -> str:
        return f"<Caching {self.cache_control!r} conditional={self.conditional}>"

    def __call__(self, request: Request, response: webob.Response) -> webob.Response:
        if self.cache_control is not None and not _prevent_auto(response):
            headers = response.headerlist
            headers[:] = [(k, v) for k, v in headers if k.lower() not in ("cache-control", "expires")]
            headers.append(("Cache-Control", self.cache_control))
            if self.max_age is not None:
                headers.append(("Expires", self.expires()))
        if self.conditional and response.status_code == 200:
            return conditional_answer(request, response)
        return response


def _prevent_auto(response: webob.Response) -> bool:
    """Whether the view said ``response.cache_control.prevent_auto = True`` (Pyramid's way)."""
    cache_control = response.__dict__.get("_cache_control_obj")
    return bool(getattr(cache_control, "prevent_auto", False))


def caching_for(options: Mapping[str, Any], settings: Mapping[str, Any], where: object) -> Caching | None:
    """The :class:`Caching` for a view's ``http_cache`` and ``conditional`` options and the
    ``prevent_http_cache`` and ``conditional`` settings; None when there is nothing to do."""
    cache_control, max_age = None, None
    if "http_cache" in options and not as_bool(settings.get("prevent_http_cache", False)):
        try:
            cache_control, max_age = cache_headers(options["http_cache"])
        except ConfigurationError as exc:
            raise ConfigurationError(f"{where}: {exc}") from None
    conditional = options.get("conditional")
    if conditional is None:
        conditional = as_bool(settings.get("conditional", False))
    elif not isinstance(conditional, bool):
        raise ConfigurationError(f"{where}: conditional takes True or False, not {conditional!r}")
    if cache_control is None and not conditional:
        return None
    return Caching(cache_control, max_age, conditional)


def cache_headers(value: Any) -> tuple[str, int | None]:
    """The Cache-Control value and the ``Expires`` offset (None: no Expires) of an ``http_cache``.

    >>> cache_headers(3600)
    ('max-age=3600', 3600)
    >>> cache_headers((60, {'public': True}))
    ('max-age=60, public', 60)
    >>> cache_headers({'private': True, 'max_age': 0})
    ('private, max-age=0', None)
    """
    seconds: Any = value
    directives: Mapping[str, Any] = {}
    if isinstance(value, Mapping):
        seconds, directives = None, value
    elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Mapping):
        seconds, directives = value
    if isinstance(seconds, timedelta):
        seconds = int(seconds.total_seconds())
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise ConfigurationError(
            f"http_cache takes seconds (3600), a timedelta, (seconds, {{'public': True}}) or a dict of "
            f"Cache-Control directives, not {value!r}"
        )
    parts = []
    if seconds is not None:
        if seconds <= 0:
            parts = ["max-age=0", "no-cache", "no-store", "must-revalidate"]
            seconds = 0
        else:
            parts = [f"max-age={seconds}"]
    for name, setting in directives.items():
        if name not in DIRECTIVES:
            raise ConfigurationError(
                f"http_cache: {name!r} is not a Cache-Control directive{did_you_mean(str(name), DIRECTIVES)} "
                f"(known: {', '.join(sorted(DIRECTIVES))})"
            )
        directive = name.replace("_", "-")
        if setting is True:
            parts.append(directive)
        elif setting is not None and setting is not False:
            parts = [p for p in parts if not p.startswith(directive + "=")]
            parts.append(f"{directive}={setting}")
    return ", ".join(dict.fromkeys(parts)), seconds


def body_etag(body: bytes) -> str:
    """A strong ETag for a body: the same bytes give the same tag in every process."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def conditional_answer(request: Request, response: webob.Response) -> webob.Response:
    """``response`` with an ETag (strong, from its body, unless it has one) or the 304 or 412
    the request's preconditions call for. A body still being streamed gets no ETag."""
    etag = last_modified = None
    headerlist = response.headerlist
    for name, value in headerlist:
        lowered = name.lower()
        if lowered == "etag":
            etag = value
        elif lowered == "last-modified":
            last_modified = value
    if etag is None:
        app_iter = response.app_iter
        if not isinstance(app_iter, list):
            return response
        etag = body_etag(b"".join(app_iter))
        headerlist.append(("ETag", etag))
    status = check(request.environ, etag, last_modified)
    if status == 304:
        return not_modified(response)
    if status == 412:
        raise HTTPPreconditionFailed("The resource has changed since the condition was written.")
    return response


def not_modified(response: webob.Response) -> webob.Response:
    """The 304 standing for ``response``: its validators and caching headers, no body."""
    headers = [(k, v) for k, v in response.headerlist if k.lower() in NOT_MODIFIED_KEEPS]
    return ready_response(Response, headers, b"", "304 Not Modified")
