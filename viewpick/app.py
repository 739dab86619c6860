"""The WSGI application: one request in, one response out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import webob
from webob.exc import HTTPException, WSGIHTTPException

from . import renderers
from .body import DEFAULT_MAX_BODY_BYTES, CappedInput, ReleasingBody, too_large
from .dispatch import NOT_FOUND, Answer, MethodDispatch, RouteDispatch
from .errors import error_response
from .explain import Explanation, describe
from .overlap import not_served
from .request import Request
from .response import Response, add_vary
from .settings import as_bool
from .upstream import PARSED_POST_VARS

if TYPE_CHECKING:
    from .renderers import Renderers
    from .routes import RouteTable
    from .security import SecurityPolicy
    from .static import StaticView
    from .views import View

log = logging.getLogger("viewpick")

StartResponse = Callable[..., Any]

SERVER_ERROR = Answer(500, "The server could not complete the request.")
BAD_PATH = Answer(400, "The URL path is not valid UTF-8 once percent-decoded.")
BAD_LENGTH = Answer(400, "The Content-Length header is not a number.")

# The statuses the dispatcher decides, which ``debug_dispatch`` explains.
EXPLAINED = frozenset({403, 404, 405, 406, 415})


class Application:
    """The frozen application ``Configurator.make_wsgi_app()`` returns."""

    def __init__(
        self,
        routes: RouteTable,
        dispatch: Mapping[str, RouteDispatch],
        renderers: Renderers,
        settings: Mapping[str, Any],
        security_policy: SecurityPolicy | None,
        known_methods: Iterable[str],
        request_class: type[Request] = Request,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        static_views: tuple[StaticView, ...] = (),
    ) -> None:
        self.routes = routes
        self.dispatch = dispatch
        self.renderers = renderers
        self.settings = settings
        self.security_policy = security_policy
        self.known_methods = frozenset(known_methods)
        self.request_class = request_class
        self.max_body_bytes = max_body_bytes
        self.static_views = static_views
        self.debug_dispatch = as_bool(settings.get("debug_dispatch", False))
        self.too_large = Answer(413, too_large(max_body_bytes))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = self.request_class(environ)
        request.__dict__["app"] = self  # what webob's own __setattr__ ends up doing, without its checks
        server_input = environ.get("wsgi.input")
        response = self.handle(request)
        if request.response_callbacks:
            response = self.run_response_callbacks(request, response)
        body = response(environ, start_response)
        if environ.get("wsgi.input") is not server_input or PARSED_POST_VARS in environ:
            return ReleasingBody(body, environ, server_input)
        return body

    def decide(self, request: Request) -> View | Answer:
        """The view that takes ``request``, or the answer to give without one.

        This is the one decision: the application acts on it (:meth:`handle` takes its two
        steps itself, to keep the first one's Vary), and ``viewpick explain`` and the
        debugging error pages describe it.
        """
        views = self.views_for(request)
        return views if isinstance(views, Answer) else views.select(request)

    def views_for(self, request: Request) -> MethodDispatch | Answer:
        """The views of the request's route that serve its method, or the answer when the
        request gets no further (501, 400, 404, 413, 405)."""
        environ = request.environ
        method = environ["REQUEST_METHOD"]
        if method not in self.known_methods:
            return Answer(501, f"The method {method} is not implemented by this server.")
        try:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return BAD_PATH
        found = self.routes.match(path)
        if found is None:
            return NOT_FOUND
        request.__dict__["matched_route"], request.__dict__["matchdict"] = found
        length = environ.get("CONTENT_LENGTH")
        if length:
            if not length.isdigit():
                return BAD_LENGTH
            if int(length) > self.max_body_bytes:
                return self.too_large
        elif environ.get("wsgi.input_terminated"):
            environ["wsgi.input"] = CappedInput(environ["wsgi.input"], self.max_body_bytes)
        route_dispatch = self.dispatch[found[0].name]
        return route_dispatch.by_method.get(method) or not_served(
            self.routes, self.dispatch, request, route_dispatch, path, method
        )

    def handle(self, request: Request) -> webob.Response:
        """The response for ``request``; never raises."""
        views: MethodDispatch | Answer = NOT_FOUND
        view: View | None = None
        try:
            views = self.views_for(request)
            if isinstance(views, Answer):
                return self.refuse(request, views)
            chosen = views.select(request)
            if isinstance(chosen, Answer):
                return self.refuse(request, chosen)
            view = chosen
            return self.call(view, request, views)
        except HTTPException as exc:
            request.exception = exc
            response = self.from_http_exception(request, exc.wsgi_response)
        except UnicodeDecodeError as exc:
            request.exception = exc
            if _client_sent_bad_text(request):
                response = self.answer(request, Answer(400, "The request's parameters are not valid UTF-8."))
            else:
                response = self.crash(request, view, exc)
        except Exception as exc:
            request.exception = exc
            response = self.crash(request, view, exc)
        if isinstance(views, MethodDispatch) and views.vary:
            add_vary(response, views.vary)
        return response

    def refuse(self, request: Request, answer: Answer) -> Response:
        """The response when no view takes the request; with ``debug_dispatch`` on, it explains why."""
        if self.debug_dispatch and answer.status in EXPLAINED:
            return self.answer(request, answer, describe(self, request, answer))
        return self.answer(request, answer)

    def run_response_callbacks(self, request: Request, response: webob.Response) -> webob.Response:
        """Call each response callback in the order added; if one fails, the rest still run and
        the client gets a 500 (a failed commit must not look like success)."""
        failed = False
        for callback in request.response_callbacks:
            try:
                callback(request, response)
            except Exception as exc:
                log.error(
                    "response callback %r failed for %s %s", callback, request.method, request.path_qs, exc_info=exc
                )
                failed = True
        return self.answer(request, SERVER_ERROR) if failed else response

    def call(self, view: View, request: Request, views: MethodDispatch) -> webob.Response:
        """Call the view and turn what it returns into a response whose Vary names what the
        choice among ``views`` depended on."""
        result = view.call(request)
        if isinstance(result, webob.Response):
            response = self.from_http_exception(request, result) if isinstance(result, WSGIHTTPException) else result
        elif view.render is None:
            log.error(
                "view %s returned %s but has no renderer; return a Response or give the view a renderer=",
                view.describe(),
                "a dict" if isinstance(result, dict) else repr(result)[:200],
            )
            response = self.answer(request, SERVER_ERROR)
        else:
            system = renderers.system_values(request, view.view, view.renderer_name)
            if view.renderer_media_type is None:
                response = renderers.apply(view.render, result, system, request.response, None)
            else:
                body = view.render(result, system)
                if "response" not in request.__dict__:  # the view and the template left it alone
                    return renderers.fresh_response(body, view.renderer_media_type, views.vary_header)
                response = renderers.fill(request.response, body, view.renderer_media_type)
        if views.vary:
            add_vary(response, views.vary)
        return response

    def crash(self, request: Request, view: View | None, exc: BaseException) -> Response:
        """Log an unexpected error with its traceback; the client gets a short 500."""
        where = f" in view {view.describe()}" if view is not None else " while choosing a view"
        log.error("error handling %s %s%s", request.method, request.path_qs, where, exc_info=exc)
        return self.answer(request, SERVER_ERROR)

    def from_http_exception(self, request: Request, exc: webob.Response) -> webob.Response:
        """A bare ``webob.exc`` error (no body of its own) gets viewpick's short negotiated body
        and keeps its headers; redirects and exceptions with a body are sent as they are."""
        if not isinstance(exc, WSGIHTTPException) or exc.code < 400 or exc.has_body:
            return exc
        headers = [(k, v) for k, v in exc.headerlist if k.lower() not in ("content-type", "content-length")]
        return self.answer(request, Answer(exc.code, exc.detail or exc.explanation, tuple(headers)))

    def answer(self, request: Request, answer: Answer, explanation: Explanation | None = None) -> Response:
        """The response for an answer the dispatcher gave itself."""
        if answer.status == 200:
            response = Response(status=200, headerlist=list(answer.headers))
            response.content_length = 0
        else:
            accept = request.environ.get("HTTP_ACCEPT")
            response = error_response(answer.status, answer.detail, accept, answer.headers, explanation)
        if answer.vary:
            add_vary(response, answer.vary)
        return response


def _client_sent_bad_text(request: Request) -> bool:
    """Whether the request's parameters fail to decode, so a decoding error is the client's, not the app's."""
    try:
        request.params  # noqa: B018 -- reading it decodes the parameters
    except UnicodeDecodeError:
        return True
    return False
