"""The request object views receive."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from urllib.parse import quote, urlencode

import webob

from . import body
from .response import Response
from .static import static_path

if TYPE_CHECKING:
    from .app import Application
    from .routes import Route
    from .security import SecurityPolicy

T = TypeVar("T")


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
    #: The resource the request is about, which renderers receive as ``context`` (and a
    #: security policy's ``permits`` may be given); for an error view, the error it answers
    #: (as in Pyramid); None unless something sets it.
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

    @reify
    def matchdict(self) -> dict[str, Any]:
        """What the matched route's placeholders captured (empty outside routing)."""
        return {}

    @reify
    def response(self) -> Response:
        """The response the view's renderer will fill."""
        return Response()

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

    @property
    def POST(self) -> Any:
        """The form fields of the body; a form that is not UTF-8 answers 400 (415 if it says so)."""
        if "viewpick.form_checked" in self.environ:
            return super().POST
        content_type = self.content_type
        charset = self.charset or "UTF-8"
        if content_type in body.FORM_TYPES and charset.lower().replace("-", "") != "utf8":
            raise body.UnsupportedCharset(f"Form bodies must be UTF-8; this one is {charset}.")
        fields = super().POST
        if content_type == "multipart/form-data":
            body.check_multipart(self.body, fields)
        elif fields:
            body.check_urlencoded(self.body)
        self.environ["viewpick.form_checked"] = True
        return fields

    @reify
    def param_values(self) -> dict[str, Any]:
        """``params`` as a plain dict, a name to the value ``params.get(name)`` gives: what the
        ``request_param`` predicates read, a dict look-up each."""
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

    @reify
    def identity(self) -> Any:
        """The security policy's identity for this request, asked for at most once."""
        policy = self._policy
        return None if policy is None else policy.identity(self)

    @reify
    def _permits(self) -> dict[str, bool]:
        return {}

    def permits(self, permission: str, context: Any = None) -> bool:
        """Whether the security policy grants ``permission``; asked once per permission and request."""
        cache = self._permits
        if permission not in cache:
            policy = self._policy
            cache[permission] = bool(policy is not None and policy.permits(self, context, permission))
        return cache[permission]

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

    def static_path(self, spec: str) -> str:
        """The URL path of a file under a static view: ``'mypkg:static/app.css'`` (or an absolute
        path) gives ``'/static/app.css'``; a file under no static view is a ValueError."""
        return static_path(self, spec)

    def static_url(self, spec: str) -> str:
        """The absolute URL of a file under a static view; see :meth:`static_path`."""
        return self.host_url + static_path(self, spec)


__all__ = ["Request", "reify"]
