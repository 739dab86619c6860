"""The request object views receive."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from urllib.parse import quote, urlencode

import webob
from webob.cookies import RequestCookies, parse_cookie  # type: ignore[attr-defined]
from webob.exc import HTTPBadRequest

from . import body
from .errors import clip
from .finish import identity_headers
from .response import Response
from .static import static_path
from .upstream import webob_content_type_setter, webob_query_params

if TYPE_CHECKING:
    from .app import Application
    from .routes import Route
    from .security import SecurityPolicy

T = TypeVar("T")

_webob_get = webob_query_params  # cheaper than super() on a hot path


class reify(Generic[T]):
    """A property computed on first access and then stored on the instance."""

    def __init__(self, wrapped: Callable[[Any], T], name: str | None = None) -> None:
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__
        self.name = name or wrapped.__name__

    @overload
    def __get__(self, inst: None, owner: type | None = None) -> reify[T]: ...
    @overload
    def __get__(self, inst: object, owner: type | None = None) -> T: ...
    def __get__(self, inst: object, owner: type | None = None) -> reify[T] | T:
        if inst is None:
            return self
        value = self.wrapped(inst)
        inst.__dict__[self.name] = value
        return value


class Request(webob.Request):
    """A ``webob.Request`` with what dispatch found: the route, its matchdict, and the app.

    ``response`` is the response a renderer fills; a view may set its status, headers and
    cookies while still returning a dict.
    """

    app: Application | None = None
    matched_route: Route | None = None
    #: The resource the request is about: what the matched route's factory (or the root
    #: factory) gave, which the security policy's ``permits`` is asked about and renderers
    #: receive as ``context``; for an error view, the error it answers (as in Pyramid); None
    #: when nothing sets it.
    context: Any = None
    #: Routes that fit the path but serve no view for the method, passed over in the order
    #: tried; recorded only when more than one route fits (see :mod:`viewpick.overlap`).
    skipped_routes: tuple[Route, ...] = ()
    #: The exception the view raised (a ``webob.exc`` error included), or the dispatcher's refusal
    #: as its ``httpexceptions`` class when an error view answers it; else None.
    exception: BaseException | None = None
    #: ``(type, exception, traceback)`` of the exception a view raised, as ``sys.exc_info()`` gave
    #: it (Pyramid's ``request.exc_info``); else None.
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | None = None
    response_callbacks: tuple[Callable[[Request, webob.Response], Any], ...] = ()
    #: The request headers the answer was found to depend on as it was made (see :meth:`vary_on`).
    varied: tuple[str, ...] = ()
    #: The instance of the view class handling the request (None for a view function).
    view_instance: Any = None

    @reify
    def matchdict(self) -> dict[str, Any]:
        """What the matched route's placeholders captured (empty outside routing)."""
        return {}

    @reify
    def response(self) -> Response:
        """The response the view's renderer will fill (no Content-Type until the view or renderer sets one)."""
        return Response.unset()

    @property
    def json_body(self) -> Any:
        """The body parsed as JSON; a body that is not valid JSON answers 400 saying where."""
        return body.decode_json(self.body, self.charset or "UTF-8")

    @json_body.setter
    def json_body(self, value: Any) -> None:
        self.body = json.dumps(value, separators=(",", ":")).encode(self.charset or "UTF-8")

    @json_body.deleter
    def json_body(self) -> None:
        del self.body

    json = json_body

    def _content_type__get(self) -> str:
        """The body's media type, without parameters, lower-cased and stripped: media types are
        case-insensitive and may have spaces before ``;`` (RFC 9110, 8.3.1), and parameters that
        are empty or malformed (``;;``, a trailing ``;``) are ignored, so WebOb's form parsing and
        the ``content_type`` predicate agree on ``Application/JSON ; charset=utf-8;``."""
        header: str = self.environ.get("CONTENT_TYPE", "")
        return header.partition(";")[0].strip().lower()

    content_type = property(_content_type__get, webob_content_type_setter)

    @property
    def POST(self) -> Any:
        """The form fields of the body; a form that is not UTF-8 answers 400 (415 if it says so)."""
        if "viewpick.form_checked" in self.environ:
            return super().POST
        content_type = self.content_type
        raw = self.environ.get("CONTENT_TYPE", "")
        if content_type in body.FORM_TYPES and not raw.startswith(content_type):
            # WebOb's form parser reads the header itself: give it the type as understood here.
            self.environ["CONTENT_TYPE"] = "; ".join([content_type, *filter(None, map(str.strip, raw.split(";")[1:]))])
        if content_type in body.FORM_TYPES and (self.charset or "").lower().replace("-", "") != "utf8":
            raise body.UnsupportedCharset(f"Form bodies must be UTF-8; this one is {clip(str(self.charset))}.")
        if content_type == "multipart/form-data":
            body.check_boundary(self.environ.get("CONTENT_TYPE", ""))
        try:
            fields = super().POST
        except ValueError:  # what the parser raises for a part it cannot take apart
            raise body.InvalidBody(f"The request body cannot be read as {content_type or 'a form'}.") from None
        if content_type == "multipart/form-data":
            body.check_multipart(self.body, fields)
        elif fields:
            body.check_urlencoded(self.body)
        self.environ["viewpick.form_checked"] = True
        return fields

    @property
    def GET(self) -> Any:
        """The query string's parameters; a query string that is not UTF-8 answers 400."""
        try:
            return _webob_get(self)
        except UnicodeDecodeError:
            raise InvalidRequest("The query string is not valid UTF-8 once percent-decoded.") from None

    @property
    def cookies(self) -> Any:
        """The request's cookies; a cookie that is not UTF-8 answers 400 naming it."""
        cookies = RequestCookies(self.environ)
        if "HTTP_COOKIE" in self.environ:
            try:
                len(cookies)  # decodes them all, once per Cookie header (WebOb keeps them)
            except UnicodeDecodeError:
                raise _bad_cookie(self.environ["HTTP_COOKIE"]) from None
        return cookies

    @cookies.setter
    def cookies(self, value: Any) -> None:
        self.environ.pop("HTTP_COOKIE", None)
        RequestCookies(self.environ).update(value)

    @reify
    def param_values(self) -> dict[str, Any]:
        """``params`` as a plain dict, a name to the value ``params.get(name)`` gives: what the
        ``request_param`` predicates read, a dict look-up each. The form is not looked for
        where WebOb would find no fields: in a GET or HEAD (it parses their query string, never
        their body) and in a request with neither Content-Length nor Transfer-Encoding, which
        has no body (RFC 9112 6.3)."""
        environ = self.environ
        if environ["REQUEST_METHOD"] in ("GET", "HEAD") or (
            environ.get("CONTENT_LENGTH") in (None, "", "0") and "HTTP_TRANSFER_ENCODING" not in environ
        ):
            values = plain_query_values(environ.get("QUERY_STRING", ""))
            return dict(self.GET.items()) if values is None else values
        values = dict(self.POST.items())
        values.update(self.GET.items())
        return values

    def add_response_callback(self, callback: Callable[[Request, webob.Response], Any]) -> None:
        """Call ``callback(request, response)`` once the response is ready, whether a view made it
        or the request failed; callbacks run in the order added (to commit or roll back, say)."""
        self.response_callbacks = (*self.response_callbacks, callback)

    @property
    def _policy(self) -> SecurityPolicy | None:
        return self.app.security_policy if self.app is not None else None

    def vary_on(self, *headers: str) -> None:
        """Say that the answer depends on these request headers, so the response's Vary names
        them and no shared cache gives it to another user: the finishing step adds them
        (:mod:`viewpick.finish`). Reading ``session`` calls it with ``Cookie``; ``identity``,
        ``authenticated_userid`` and ``permits`` with the security policy's headers (``Cookie``
        unless its ``vary`` attribute says otherwise)."""
        varied = self.__dict__.get("varied", ())
        self.__dict__["varied"] = (*varied, *(header for header in headers if header not in varied))

    @reify
    def session(self) -> Any:
        """This browser's session (see :mod:`viewpick.sessions`), made on first access by the
        factory of ``config.set_session_factory``."""
        factory = self.app.session_factory if self.app is not None else None
        if factory is None:  # not AttributeError: webob's __getattr__ would replace the message
            from .exceptions import ConfigurationError

            raise ConfigurationError(
                "request.session needs a session factory: call config.set_session_factory(factory), "
                "e.g. SignedCookieSessionFactory(secret) from viewpick.sessions"
            )
        self.vary_on("Cookie")
        return factory(self)

    @reify
    def identity(self) -> Any:
        """The security policy's identity for this request, asked for at most once."""
        policy = self._policy
        if policy is None:
            return None
        self.vary_on(*identity_headers(policy))
        return policy.identity(self)

    @reify
    def authenticated_userid(self) -> Any:
        """The user id the security policy vouches for: its ``authenticated_userid(request)``
        (Pyramid's name), or the identity itself for a policy without that method; None when
        nobody is logged in."""
        policy = self._policy
        if policy is None:
            return None
        get_userid = getattr(policy, "authenticated_userid", None)
        if get_userid is None:
            return self.identity
        self.vary_on(*identity_headers(policy))
        return get_userid(self)

    @property
    def is_authenticated(self) -> bool:
        """Whether someone is logged in (:attr:`authenticated_userid` is not None)."""
        return self.authenticated_userid is not None

    @property
    def csrf_token(self) -> str:
        """The CSRF token forms carry (see :mod:`viewpick.csrf`); made, and its storage set, on
        first use."""
        return self.get_csrf_token()

    def get_csrf_token(self) -> str:
        """:attr:`csrf_token`, as templates call it (``get_csrf_token()``, Pyramid's name)."""
        from .csrf import get_csrf_token  # csrf builds on requests

        return get_csrf_token(self)

    @reify
    def _permits(self) -> dict[tuple[str, int], tuple[Any, bool]]:
        policy = self._policy
        if policy is not None:  # asked once per request, on the first permits()
            self.vary_on(*identity_headers(policy))
        return {}

    def permits(self, permission: str, context: Any = None) -> bool:
        """Whether the security policy grants ``permission`` on ``context``; the policy is asked
        once per permission and context in a request.

        Contexts are told apart by identity (two equal documents of different owners must not
        share an answer); the cache holds each context, so no other object can take its id.
        """
        cache = self._permits
        key = (permission, id(context))
        found = cache.get(key)
        if found is None:
            policy = self._policy
            found = cache[key] = (context, bool(policy is not None and policy.permits(self, context, permission)))
        return found[1]

    def route_path(self, route_name: str, *elements: Any, **parts: Any) -> str:
        """The path (with SCRIPT_NAME) of route ``route_name`` filled with ``parts``.

        ``*elements`` are appended as further segments; ``_query`` (a mapping or pairs)
        and ``_anchor`` add a query string and a fragment.
        """
        query = parts.pop("_query", None)
        anchor = parts.pop("_anchor", None)
        if self.app is None:
            raise LookupError("route_path needs a request handled by a viewpick application")
        path = self.app.routes.url_path(route_name, parts)
        if elements:
            path = path.rstrip("/") + "/" + "/".join(quote(str(e), safe="") for e in elements)
        if query:
            path += "?" + urlencode(list(query.items()) if isinstance(query, Mapping) else list(query), doseq=True)
        if anchor:
            path += "#" + quote(str(anchor), safe="")
        return self.script_name + path

    def route_url(self, route_name: str, *elements: Any, **parts: Any) -> str:
        """The absolute URL of route ``route_name``; arguments as for :meth:`route_path`."""
        return self.host_url + self.route_path(route_name, *elements, **parts)

    def current_route_path(self, *elements: Any, **parts: Any) -> str:
        """The path of the route that matched, with its matchdict overridden by ``parts``, as in
        Pyramid: ``_route_name`` names another route to fill with them, and the current query
        string is kept unless ``_query`` is given. See :meth:`route_path`."""
        route_name = parts.pop("_route_name", None)
        if route_name is None:
            if self.matched_route is None:
                raise LookupError("current_route_path needs a request that matched a route")
            route_name = self.matched_route.name
        if "_query" not in parts and self.query_string:
            parts["_query"] = list(self.GET.items())
        return self.route_path(route_name, *elements, **{**self.matchdict, **parts})

    def current_route_url(self, *elements: Any, **parts: Any) -> str:
        """The absolute URL of :meth:`current_route_path`."""
        return self.host_url + self.current_route_path(*elements, **parts)

    def static_path(self, spec: str) -> str:
        """The URL path of a file under a static view: ``'mypkg:static/app.css'`` (or an absolute
        path) gives ``'/static/app.css'``; a file under no static view is a ValueError."""
        return static_path(self, spec)

    def static_url(self, spec: str) -> str:
        """The absolute URL of a file under a static view; see :meth:`static_path`."""
        return self.host_url + static_path(self, spec)


def plain_query_values(query: str) -> dict[str, str] | None:
    """The values of a query string with nothing to decode (ASCII, no ``%``, ``+`` or ``;``),
    split by hand: what WebOb's parser gives for it (the last value of each name) at a
    fraction of the cost. None for the others, which WebOb parses."""
    if not query.isascii() or "%" in query or "+" in query or ";" in query:
        return None
    if "&" not in query:  # one parameter, or none
        name, _, value = query.partition("=")
        return {name: value} if query else {}
    values = {}
    for pair in query.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            values[name] = value
    return values


class InvalidRequest(HTTPBadRequest, ValueError):
    """A part of the request other than its body (the query string, a cookie) cannot be
    decoded; like :class:`~viewpick.body.InvalidBody`, a 400 that is also a ``ValueError``."""

    def __init__(self, detail: str) -> None:
        HTTPBadRequest.__init__(self, detail=detail)


def _bad_cookie(header: str) -> InvalidRequest:
    """The 400 naming the first cookie in ``header`` that is not UTF-8."""
    for name, value in parse_cookie(header):
        try:
            name.decode("utf-8"), value.decode("utf-8")
        except UnicodeDecodeError:
            return InvalidRequest(f"The cookie {clip(name.decode('utf-8', 'replace'))!r} is not valid UTF-8.")
    return InvalidRequest("The Cookie header is not valid UTF-8.")


__all__ = ["InvalidRequest", "Request", "reify"]
