"""Helpers for testing viewpick applications.

Unit tests of views, as Pyramid users write them: :func:`setUp` (or :func:`testConfig`) gives
a Configurator that :class:`DummyRequest` is bound to, so a view called directly with one can
use ``route_url``, ``static_url``, settings and the security policy (a
:class:`DummySecurityPolicy` from ``config.testing_securitypolicy()``)::

    class ViewTests(unittest.TestCase):
        def setUp(self):
            self.config = testing.setUp()
            self.config.add_route("home", "/")

        def tearDown(self):
            testing.tearDown()

        def test_home(self):
            info = home(testing.DummyRequest(params={"q": "kurosawa"}))
            self.assertEqual(info["self_url"], "http://example.com/")

:func:`call_view` sends a request through the application's real dispatcher and hands back
what the chosen view returned *before* rendering, so a test can check what goes into a
template without parsing HTML. When no view takes the request, :class:`NoViewChosen`
carries the dispatcher's explanation, so the failing test says why.

The pytest plugin (:mod:`viewpick.pytest_plugin`, installed with viewpick) gives the
``viewpick_app`` fixture, a WebTest ``TestApp`` built from a factory.
"""

from __future__ import annotations

import json as jsonlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import webob

from .config import Configurator
from .dispatch import Answer
from .explain import Explanation, build_request, decide, describe
from .request import Request, reify
from .sessions import Session

if TYPE_CHECKING:
    from .app import Application
    from .views import View


class NoViewChosen(AssertionError):
    """The dispatcher answered a status itself; ``explanation`` says why."""

    def __init__(self, explanation: Explanation) -> None:
        super().__init__(f"no view was chosen:\n{explanation.as_text()}")
        self.explanation = explanation
        self.status = explanation.status


@dataclass(frozen=True)
class ViewCall:
    """What a view returned for a request, and which view and renderer the dispatcher chose."""

    value: Any
    view: View
    request: Request

    @property
    def renderer(self) -> str | None:
        """The renderer name the view was declared with, e.g. ``'templates/films.mako#results'``."""
        return self.view.renderer_name

    @property
    def view_name(self) -> str:
        """The view's dotted name, e.g. ``'demo.films.views.film_list'``."""
        return self.view.name


def call_view(
    app: Any,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    params: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    xhr: bool = False,
    user: Any = None,
    json: Any = None,
    body: bytes | None = None,
) -> ViewCall:
    """Dispatch a request as the application would and call the view it chooses.

    ``app`` is the application ``make_wsgi_app()`` built (or a WebTest ``TestApp`` around
    it). ``user`` becomes ``request.identity``; ``json`` is sent as an
    ``application/json`` body. Raises :class:`NoViewChosen` when no view takes the request.
    """
    application: Application = getattr(app, "app", app)
    header_pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
    if json is not None:
        body = jsonlib.dumps(json).encode()
        header_pairs.append(("Content-Type", "application/json"))
    request = build_request(
        method,
        path,
        header_pairs,
        params.items() if isinstance(params, Mapping) else params,
        xhr=xhr,
        user=user,
        body=body,
        request_class=application.request_class,
    )
    decided, trace = decide(application, request)
    if isinstance(decided, Answer):
        raise NoViewChosen(describe(application, request, decided, trace))
    return ViewCall(decided.call(request), decided, request)


# --- unit tests of views: Pyramid's testing names ---------------------------------------------

_configs = threading.local()


def _stack() -> list[Configurator]:
    stack: list[Configurator] | None = getattr(_configs, "stack", None)
    if stack is None:
        stack = _configs.stack = []
    return stack


def setUp(settings: Mapping[str, Any] | None = None) -> Configurator:
    """A fresh Configurator that :class:`DummyRequest` objects made until :func:`tearDown` are
    bound to: add the routes, static views and security policy the views under test use."""
    config = Configurator(settings)
    _stack().append(config)
    return config


def tearDown() -> None:
    """Forget the Configurator of the matching :func:`setUp`."""
    stack = _stack()
    if stack:
        stack.pop()


def current_config() -> Configurator | None:
    """The Configurator of the innermost :func:`setUp` not yet torn down, if any."""
    stack = _stack()
    return stack[-1] if stack else None


@contextmanager
def testConfig(settings: Mapping[str, Any] | None = None) -> Iterator[Configurator]:
    """``with testing.testConfig() as config:``: :func:`setUp` and, however the block ends, :func:`tearDown`."""
    config = setUp(settings)
    try:
        yield config
    finally:
        tearDown()


class DummySecurityPolicy:
    """A security policy for tests (``config.testing_securitypolicy(...)`` sets one): the request's
    identity is ``identity`` (else ``userid``), every permission is ``permissive``, and
    ``remember``/``forget`` note what they were asked and return the headers given."""

    def __init__(
        self,
        userid: Any = None,
        identity: Any = None,
        permissive: bool = True,
        remember_result: list[tuple[str, str]] | None = None,
        forget_result: list[tuple[str, str]] | None = None,
    ) -> None:
        self.userid = userid
        self._identity = identity
        self.permissive = permissive
        self.remember_result = remember_result or []
        self.forget_result = forget_result or []
        self.remembered: Any = None
        self.forgotten = False
        #: Every (context, permission) ``permits`` was asked about.
        self.checked: list[tuple[Any, str]] = []

    def identity(self, request: Request) -> Any:
        return self._identity if self._identity is not None else self.userid

    def authenticated_userid(self, request: Request) -> Any:
        return self.userid

    def permits(self, request: Request, context: Any, permission: str) -> bool:
        self.checked.append((context, permission))
        return self.permissive

    def remember(self, request: Request, userid: Any, **kw: Any) -> list[tuple[str, str]]:
        self.remembered = userid
        return self.remember_result

    def forget(self, request: Request, **kw: Any) -> list[tuple[str, str]]:
        self.forgotten = True
        return self.forget_result


class DummyResource:
    """A context for tests: ``DummyResource(__name__, __parent__, __acl__=[...], title=...)``."""

    def __init__(self, __name__: str | None = None, __parent__: Any = None, **kw: Any) -> None:
        self.__name__ = __name__
        self.__parent__ = __parent__
        self.__dict__.update(kw)


class DummyRequest(Request):
    """A real viewpick request for calling a view directly, as Pyramid's ``testing.DummyRequest``.

    ``params`` become the query string, ``post`` (a dict) a form body (and the method POST),
    ``headers`` and ``cookies`` the headers; ``matchdict`` and the keyword arguments (``context``,
    or ``db=...`` for the view to use) become attributes. The host is ``example.com``. The
    request is bound to ``app`` - an application, or a Configurator compiled when first needed -
    or else to the Configurator of :func:`setUp`: ``route_url``, ``static_url``,
    ``request.app.settings``, ``identity``, ``permits`` and the application's request methods
    (``config.add_request_method``) then work as in the application.
    """

    def __init__(
        self,
        params: Mapping[str, Any] | None = None,
        environ: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        path: str = "/",
        cookies: Mapping[str, str] | None = None,
        post: Mapping[str, Any] | None = None,
        matchdict: Mapping[str, Any] | None = None,
        app: Application | Configurator | None = None,
        **kw: Any,
    ) -> None:
        url = path + ("?" + urlencode(list(params.items()), doseq=True) if params else "")
        blank = webob.Request.blank(
            url, dict(environ or {}), base_url="http://example.com", POST=dict(post) if post is not None else None
        )
        super().__init__(blank.environ)
        for name, value in (headers or {}).items():
            self.headers[name] = value
        if cookies:
            jar = SimpleCookie()
            for name, value in cookies.items():
                jar[name] = value
            self.headers["Cookie"] = "; ".join(morsel.OutputString() for morsel in jar.values())
        self.__dict__["matchdict"] = dict(matchdict or {})
        self.__dict__["_bound_to"] = app if app is not None else current_config()
        for name, value in kw.items():
            setattr(self, name, value)

    @reify
    def session(self) -> Session:
        """The bound application's session; without a session factory, an empty
        :class:`~viewpick.sessions.Session` that lives as long as the request (Pyramid's
        ``DummySession``): a view's ``flash`` can be checked with ``peek_flash``."""
        app = self.app
        if app is not None and app.session_factory is not None:
            return app.session_factory(self)
        return Session()

    @property
    def app(self) -> Application | None:
        """The application the request is bound to (a Configurator is compiled on first use)."""
        bound = self.__dict__.get("_bound_to")
        if isinstance(bound, Configurator):  # compiled as it is now; its routes need no views
            bound = self.__dict__["_bound_to"] = bound._build(strict=False)
        return bound

    @app.setter
    def app(self, value: Application | Configurator | None) -> None:
        self.__dict__["_bound_to"] = value

    def __getattr__(self, name: str) -> Any:
        """An attribute given as a keyword, else one the application's ``add_request_method``
        added (``request.db``), as Pyramid's ``apply_request_extensions`` gives."""
        try:
            return super().__getattr__(name)
        except AttributeError:
            if name.startswith("_"):
                raise
            app = self.app
            member = vars(app.request_class).get(name) if app is not None else None
            if member is None:
                raise
            return member.__get__(self, type(self))
