"""The WSGI application: one request in, one response out."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import webob
from webob.exc import HTTPException, WSGIHTTPException

from . import renderers
from .body import DEFAULT_MAX_BODY_BYTES, CappedInput, ReleasingBody, too_large
from .csrf import CookieCSRFStoragePolicy, CSRFStoragePolicy, SessionCSRFStoragePolicy
from .dispatch import NOT_FOUND, Answer, ErrorDispatch, MethodDispatch, RouteDispatch, Trace
from .errors import clip, debug_response, error_response
from .events import BeforeRender, NewRequest, NewResponse, Subscribers
from .explain import Explanation, explain
from .finish import Finisher
from .httpexceptions import status_map
from .overlap import not_served
from .request import Request
from .response import Response
from .settings import as_bool
from .tweens import TweenDeclaration, chain
from .upstream import PARSED_POST_VARS, bare_request

if TYPE_CHECKING:
    from .renderers import Rendered, Renderers
    from .routes import RouteTable
    from .security import SecurityPolicy
    from .sessions import SessionFactory
    from .static import StaticView
    from .views import View

log = logging.getLogger("viewpick")

StartResponse = Callable[..., Any]

SERVER_ERROR = Answer(500, "The server could not complete the request.")
BAD_PATH = Answer(400, "The URL path is not valid UTF-8 once percent-decoded.")
BAD_LENGTH = Answer(400, "The Content-Length header is not a number.")

# The classes whose error views answer only unexpected exceptions (see Application.choose_error_view).
CATCH_ALL: frozenset[type] = frozenset({Exception, BaseException})

# The statuses the dispatcher decides, which ``debug_dispatch`` explains.
EXPLAINED = frozenset({403, 404, 405, 406, 415})


class Application:
    """The frozen application ``Configurator.make_wsgi_app()`` returns."""

    def __init__(
        self,
        routes: RouteTable,
        dispatch: Mapping[str, RouteDispatch],
        error_dispatch: ErrorDispatch | None,
        renderers: Renderers,
        settings: Mapping[str, Any],
        security_policy: SecurityPolicy | None,
        known_methods: Iterable[str],
        request_class: type[Request] = Request,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        any_csrf_check: bool = False,
        static_views: tuple[StaticView, ...] = (),
        tweens: Sequence[TweenDeclaration] = (),
        subscribers: Subscribers | None = None,
        session_factory: SessionFactory | None = None,
        csrf_storage: CSRFStoragePolicy | None = None,
    ) -> None:
        self.routes = routes
        self.dispatch = dispatch
        # None when no error view is declared: the error paths then cost one attribute test.
        self.error_dispatch = error_dispatch
        self.renderers = renderers
        self.settings = settings
        self.security_policy = security_policy
        self.known_methods = frozenset(known_methods)
        self.request_class = request_class
        self.max_body_bytes = max_body_bytes
        self.static_views = static_views
        # ``debug`` turns on every debugging page; ``debug_dispatch`` only the explanations.
        self.debug = as_bool(settings.get("debug", False))
        self.debug_dispatch = self.debug or as_bool(settings.get("debug_dispatch", False))
        self.too_large = Answer(413, too_large(max_body_bytes))
        #: The finishing step of requests no route took: error bodies follow Accept, error views their predicates.
        self.unrouted = Finisher(("Accept", *(error_dispatch.vary if error_dispatch is not None else ())))
        self.subscribers = subscribers or Subscribers([])
        #: What BeforeRender and NewResponse events go to (empty: none is sent).
        self.before_render = self.subscribers.for_type(BeforeRender)
        self.new_response = self.subscribers.for_type(NewResponse)
        self.tweens = tuple(tweens)
        #: What ``request.session`` comes from (None: sessions are off).
        self.session_factory = session_factory
        #: Where CSRF tokens are kept: the one set, else in the session if there are sessions,
        #: else in a cookie of their own.
        self.csrf_storage = csrf_storage or (
            SessionCSRFStoragePolicy() if session_factory else CookieCSRFStoragePolicy()
        )
        #: Whether templates get ``get_csrf_token()`` (CSRF or sessions are configured).
        self.template_csrf = bool(session_factory or csrf_storage or any_csrf_check)
        self.csrf_trusted_origins = tuple(str(settings.get("csrf_trusted_origins", "")).replace(",", " ").split())
        #: The request's way in: :meth:`respond` itself, or the tweens around :meth:`handle`.
        self.handler = self.wrap_handle(self.tweens, self.subscribers.for_type(NewRequest))

    def wrap_handle(
        self, tweens: Sequence[TweenDeclaration], new_request: Sequence[Callable[[Any], Any]]
    ) -> Callable[[Request], webob.Response | Rendered]:
        """:meth:`handle`, sending NewRequest first and wrapped in ``tweens`` (outermost first);
        :meth:`respond` itself when there are neither, so an application without them pays nothing."""
        if not tweens and not new_request:
            return self.respond
        respond, handle = self.respond, self.handle

        def notify(request: Request) -> None:
            event = NewRequest(request)
            for subscriber in new_request:
                subscriber(event)

        def notify_then_respond(request: Request) -> webob.Response | Rendered:
            notify(request)
            return respond(request)  # without tweens, a rendered body still goes out as it is

        def notify_then_handle(request: Request) -> webob.Response:
            notify(request)
            return handle(request)

        outermost: Callable[[Request], webob.Response | Rendered] = (
            chain(notify_then_handle if new_request else handle, tweens, self) if tweens else notify_then_respond
        )

        def guarded(request: Request) -> webob.Response | Rendered:
            try:
                return outermost(request)
            except Exception as exc:  # from a tween or a NewRequest subscriber: answered as a view's would be
                return self.finisher_for(request)(request, self.failed(request, None, exc))

        return guarded

    def notify(self, event: Any) -> None:
        """Send ``event`` to its subscribers (``config.add_subscriber``), e.g. an application's own events."""
        self.subscribers.notify(event)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = bare_request(self.request_class, environ)
        request.__dict__["app"] = self  # what webob's own __setattr__ ends up doing, without its checks
        server_input = environ.get("wsgi.input")
        answer = self.handler(request)
        if request.response_callbacks or self.new_response:
            response = renderers.as_response(answer)
            if request.response_callbacks:
                response = self.run_response_callbacks(request, response)
            if self.new_response:
                response = self.send_new_response(request, response)
            answer = response
        body = self.send(request, answer, start_response)
        if environ.get("wsgi.input") is not server_input or PARSED_POST_VARS in environ:
            return ReleasingBody(body, environ, server_input)
        return body

    def send(
        self, request: Request, response: webob.Response | Rendered, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Call ``response`` as a WSGI application (a response of the application's own may do
        more there, e.g. WebOb's conditional responses), or send a rendered body as the 200 it
        is; should that fail, the error is logged and the client gets a 500, as for a view's error."""
        try:
            if isinstance(response, tuple):
                start_response("200 OK", response[0])
                return [] if request.environ["REQUEST_METHOD"] == "HEAD" else [response[1]]
            return response(request.environ, start_response)
        except Exception as exc:
            request.exception = exc
            log.error("error sending the response to %s %s", request.method, request.path_qs, exc_info=exc)
            exc_info = sys.exc_info()

            def restart_response(status: str, headers: list[tuple[str, str]], _: Any = None) -> Any:
                return start_response(status, headers, exc_info)  # headers may have been set already

            failure = self.finisher_for(request)(request, self.answer(request, SERVER_ERROR))
            return failure(request.environ, restart_response)

    def decide(self, request: Request, trace: Trace | None = None) -> View | Answer:
        """The view that takes ``request``, or the answer to give without one.

        This is the one decision: :meth:`handle` takes the same two steps itself (to keep the
        first one's Vary), and ``viewpick explain`` and the debugging error pages read the
        ``trace`` it leaves of what the dispatcher tried.
        """
        views = self.views_for(request)
        return views if isinstance(views, Answer) else views.select(request, trace)

    def views_for(self, request: Request) -> MethodDispatch | Answer:
        """The views of the request's route that serve its method, or the answer when the
        request gets no further (501, 400, 404, 413, 405)."""
        state = request.__dict__
        environ = state["environ"]
        method = environ["REQUEST_METHOD"]
        raw_path: str = environ.get("PATH_INFO", "")
        path: str | None = raw_path
        if not raw_path.isascii():  # the server's latin-1 text of the path's bytes, which are UTF-8
            try:
                path = raw_path.encode("latin-1").decode("utf-8")
            except UnicodeError:
                path = None
        if method not in self.known_methods:
            # Still the route's, if one fits: a 501 names the same Vary as the URL's other answers.
            found = self.routes.match(path) if path is not None else None
            if found is not None:
                state["matched_route"], state["matchdict"] = found
            return Answer(501, f"The method {clip(method)} is not implemented by this server.")
        if path is None:
            return BAD_PATH
        found = self.routes.match(path)
        if found is None:
            return NOT_FOUND
        route, state["matchdict"] = found
        state["matched_route"] = route
        length = environ.get("CONTENT_LENGTH")
        if length:
            if not length.isdigit():
                return BAD_LENGTH
            if int(length) > self.max_body_bytes:
                return self.too_large
        elif "HTTP_TRANSFER_ENCODING" in environ and environ.get("wsgi.input_terminated"):
            # A body of unknown length (chunked) is capped; with neither header there is no body (RFC 9112 6.3).
            environ["wsgi.input"] = CappedInput(environ["wsgi.input"], self.max_body_bytes)
        route_dispatch = self.dispatch[route.name]
        served = route_dispatch.by_method.get(method)
        views = served or not_served(self.routes, self.dispatch, request, route_dispatch, path, method)
        if served is None:
            route = state["matched_route"]  # the route that serves the method, if one does
        if route.factory is not None and not isinstance(views, Answer):
            state["context"] = route.factory(request)
        return views

    def handle(self, request: Request) -> webob.Response:
        """The response for ``request``, error views included, finished (:mod:`viewpick.finish`:
        Vary, caching headers, validators); never raises. What the innermost tween calls."""
        return renderers.as_response(self.respond(request))

    def respond(self, request: Request) -> webob.Response | Rendered:
        """:meth:`handle`, but a body rendered as it is comes back as a
        :data:`~viewpick.renderers.Rendered` and is sent without a Response made for it."""
        view: View | None = None
        try:
            views = self.views_for(request)
            if isinstance(views, Answer):
                response = self.refuse(request, views)
            else:
                chosen = views.select(request)
                if isinstance(chosen, Answer):
                    response = self.refuse(request, chosen)
                else:
                    view = chosen
                    return self.call(view, request, views.finisher or self.unrouted)
        except Exception as exc:
            response = self.failed(request, view, exc)
        route = request.matched_route  # finisher_for, inlined: every refusal passes here
        return (self.unrouted if route is None else self.dispatch[route.name].finisher)(request, response)

    def finisher_for(self, request: Request) -> Finisher:
        """The finishing step of the route the request matched (:attr:`unrouted` for none)."""
        route = request.matched_route
        return self.dispatch[route.name].finisher if route is not None else self.unrouted

    def failed(self, request: Request, view: View | None, exc: Exception) -> webob.Response:
        """The response when choosing or calling ``view`` raised ``exc``: an error view's answer
        if one takes it, else the built-in one (an HTTP error's negotiated body, a 400 for a
        client's bad text, a logged 500)."""
        request.exception = exc
        request.exc_info = (type(exc), exc, exc.__traceback__)
        error: Exception = exc
        if isinstance(exc, UnicodeDecodeError):
            error = _client_error(request) or exc
        # An unexpected error is logged even when an error view answers it: its traceback must not be lost.
        if not isinstance(error, HTTPException):
            where = f" in view {view.describe()}" if view is not None else " while choosing a view"
            log.error("error handling %s %s%s", request.method, request.path_qs, where, exc_info=exc)
        if self.error_dispatch is not None:
            response = self.error_view(request, error, view)
            if response is not None:
                return response
        if isinstance(error, HTTPException):
            return self.from_http_exception(request, error.wsgi_response)
        return self.crash(request, view, exc)

    def refuse(self, request: Request, answer: Answer) -> webob.Response:
        """The response when no view takes the request: an error view's, if one takes it; else
        the built-in answer, which with ``debug_dispatch`` on explains why."""
        error = self.refusal_error(answer) if self.error_dispatch is not None else None
        if error is not None:
            response = self.error_view(request, error, None)
            if response is not None:
                return response
        if self.debug_dispatch and answer.status in EXPLAINED:
            return self.answer(request, answer, explain(self, request))
        return self.answer(request, answer)

    def refusal_error(self, answer: Answer) -> HTTPException | None:
        """The HTTP exception a refusal is to error views: ``HTTPNotFound`` for a 404, and so on,
        with the refusal's detail and headers (405's Allow); None for an answer that is no error."""
        cls = status_map.get(answer.status) if answer.status >= 400 else None
        return None if cls is None else cls(detail=answer.detail, headers=list(answer.headers))

    def choose_error_view(
        self, request: Request, error: BaseException, trace: Trace | None = None
    ) -> tuple[View | None, MethodDispatch | None, tuple[str, ...]]:
        """The error view for ``error`` (see :class:`ErrorDispatch`); ``viewpick explain`` asks this too.

        Error views for ``Exception`` (or ``BaseException``) answer unexpected exceptions only:
        as in Pyramid, an HTTP exception is an answer, not a crash (a raised ``HTTPFound`` must
        stay a redirect), and its error views are those of its ``httpexceptions`` classes
        (``HTTPException`` for all of them). With ``debug`` on, they give way to the debugging
        page as well.
        """
        if self.error_dispatch is None:
            return None, None, ()
        skip = CATCH_ALL if self.debug or isinstance(error, HTTPException) else frozenset()
        return self.error_dispatch.select(request, error, skip, trace)

    def error_view(
        self,
        request: Request,
        error: BaseException,
        failed_view: View | None,
    ) -> webob.Response | None:
        """The answer of the error view chosen for ``error`` (None when none takes the request).

        The view sees the error as ``request.exception`` and ``request.context``, and a fresh
        ``request.response`` with the error's status and the headers that matter (405's
        Allow, 415's Accept-Post): a rendered answer keeps them unless the view changes them, and
        a Response of the view's own with the error's status gets those it lacks.
        If the error view itself fails, the client gets the built-in 500 and the log both
        tracebacks; an error view never leads to another.
        """
        chosen: View | None = None
        try:
            chosen, views, _ = self.choose_error_view(request, error)
            if chosen is None or views is None:
                return None
            status, headers = 500, []
            if isinstance(error, WSGIHTTPException):
                status = error.code
                headers = [(k, v) for k, v in error.headerlist if k.lower() not in ("content-type", "content-length")]
            request.exception = request.context = error
            request.__dict__["response"] = Response(status=status, headerlist=headers)
            response = renderers.as_response(self.call(chosen, request, self.finisher_for(request)))
            if headers and response.status_code == status and response is not request.__dict__.get("response"):
                # A Response of the view's own, for the same error: it still owes what the status
                # promises (a 405 without Allow is not one).
                present = {name.lower() for name, _ in response.headerlist}
                response.headerlist.extend(header for header in headers if header[0].lower() not in present)
        except HTTPException as answer:  # a forbidden view may raise HTTPFound to the login page
            response = self.from_http_exception(request, answer.wsgi_response)
        except Exception as second:  # the error view, or a predicate of one, failed
            if isinstance(error, HTTPException):  # an unexpected error was logged already
                where = f" from view {failed_view.describe()}" if failed_view is not None else ""
                log.error(
                    "%s for %s %s%s", type(error).__name__, request.method, request.path_qs, where, exc_info=error
                )
            failing = f"error view {chosen.describe()}" if chosen is not None else "choosing an error view"
            log.error("%s failed answering %s", failing, type(error).__name__, exc_info=second)
            response = self.answer(request, SERVER_ERROR)
        return response

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
        return self.finisher_for(request)(request, self.answer(request, SERVER_ERROR)) if failed else response

    def send_new_response(self, request: Request, response: webob.Response) -> webob.Response:
        """Send NewResponse; if a subscriber fails, the client gets a 500 (and the rest still run)."""
        event = NewResponse(request, response)
        failed = False
        for subscriber in self.new_response:
            try:
                subscriber(event)
            except Exception as exc:
                log.error(
                    "NewResponse subscriber %r failed for %s %s",
                    subscriber,
                    request.method,
                    request.path_qs,
                    exc_info=exc,
                )
                failed = True
        return self.finisher_for(request)(request, self.answer(request, SERVER_ERROR)) if failed else response

    def call(self, view: View, request: Request, finish: Finisher) -> webob.Response | Rendered:
        """Call the view and turn what it returns into a response, finished by ``finish``: a
        :data:`~viewpick.renderers.Rendered` when it rendered a body and nothing else."""
        result = view.call(request)
        if isinstance(result, webob.Response):
            response = self.from_http_exception(request, result) if isinstance(result, WSGIHTTPException) else result
        elif view.render is None:
            log.error(
                "view %s returned %s but has no renderer; return a Response or give the view a renderer=",
                view.describe(),
                "a dict" if isinstance(result, dict) else repr(result)[:200],
            )
            return finish(request, self.answer(request, SERVER_ERROR))
        else:
            if self.before_render or "view_instance" in request.__dict__:
                system = renderers.system_values(request, view.view, view.renderer_name, value=result)
            elif view.request_only_system:
                system = {"request": request}
            else:  # what system_values gives when there is nothing to add, without the call
                system = {
                    "request": request,
                    "view": view.view,
                    "renderer_name": view.renderer_name,
                    "context": request.context,
                }
                if self.template_csrf:
                    system["get_csrf_token"] = request.get_csrf_token
            if view.renderer_media_type is None:
                response = renderers.apply(view.render, result, system, request.response, None)
            else:
                body = view.render(result, system)
                state = request.__dict__
                # The view and the template left the response alone and the request added no
                # Vary: the response with the route's Vary in one step (what ``finish`` gives),
                # then the view's caching, if it has any.
                if "response" not in state and "varied" not in state:
                    rendered = renderers.fresh(body, view.renderer_media_type, finish.vary_header)
                    return rendered if view.caching is None else view.caching(request, renderers.as_response(rendered))
                response = renderers.fill(request.response, body, view.renderer_media_type)
        return finish(request, response, view)

    def crash(self, request: Request, view: View | None, exc: BaseException) -> Response:
        """The answer to an unexpected error (:meth:`failed` logged it): a short 500, or with the
        ``debug`` setting on, the exception, its traceback and the view, escaped."""
        if self.debug:
            shown = view.describe() if view is not None else None
            return debug_response(exc, shown, request.environ.get("HTTP_ACCEPT"))
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
        if answer.status == 200:  # OPTIONS: an empty body that still names its type, as WSGI wants
            headerlist = [("Content-Type", "text/plain; charset=UTF-8"), ("Content-Length", "0"), *answer.headers]
            return Response(status=200, headerlist=headerlist)
        accept = request.environ.get("HTTP_ACCEPT")
        return error_response(answer.status, answer.detail, accept, answer.headers, explanation)


def _client_error(request: Request) -> WSGIHTTPException | None:
    """The 4xx the request's own parameters give when they fail to decode (a query string or
    form that is not UTF-8, a form in another charset): then a decoding error is the client's,
    not the app's."""
    try:
        request.params  # noqa: B018 -- reading it decodes the parameters
    except WSGIHTTPException as exc:
        return exc
    return None
