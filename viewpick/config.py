"""The Configurator: collects routes, views, renderers and policies, then compiles them."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import venusian

from . import decorators, static
from .app import Application
from .body import DEFAULT_MAX_BODY_BYTES
from .dispatch import ErrorDispatch, compile_routes, server_media_order
from .exceptions import ConfigurationError, Source, caller_source, did_you_mean
from .httpexceptions import HTTPForbidden, HTTPNotFound
from .methods import STANDARD_METHODS
from .negotiation import check_media_type
from .overlap import check_routes
from .predicates import BUILTIN_PREDICATES, PredicateFactory
from .renderers import RendererFactory, Renderers
from .request import Request
from .request import reify as reify_
from .routes import Route, RouteTable
from .security import SecurityPolicy
from .views import VIEW_OPTIONS, ViewDeclaration, compile_view, view_name


class Configurator:
    """Declare an application, then freeze it with :meth:`make_wsgi_app`.

    Declarations may come in any order (a view may name a route or a predicate added
    later); everything is checked when the application is compiled, and each error names
    the declaration at fault with its file and line.
    """

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings: dict[str, Any] = dict(settings or {})
        self._routes: list[Route] = []
        self._views: list[ViewDeclaration] = []
        self._error_views: list[ViewDeclaration] = []
        self._renderers = Renderers(self.settings)
        self._predicates: dict[str, PredicateFactory] = dict(BUILTIN_PREDICATES)
        self._security_policy: SecurityPolicy | None = None
        self._accept_order: list[str] = ["text/html", "application/json"]
        self._request_methods: dict[str, Any] = {}
        self._static_views: list[static.StaticView] = []
        self._route_names: dict[str, Route] = {}
        self._counter = itertools.count()

    def add_route(self, name: str, pattern: str, *, static: bool = False) -> None:
        """Add a route; routes are tried in the order they are added, and the first one that
        fits the path and serves the request's method takes it.

        ``static=True`` (Pyramid's keyword) adds a route only for generating URLs
        (``request.route_url``/``route_path``): it is never matched and has no views. Any other
        route needs a view, or ``make_wsgi_app()`` says so.
        """
        source, _ = caller_source()
        existing = self._route_names.get(name)
        if existing is not None:
            raise ConfigurationError(
                f"route {name!r} ({source}) is already added ({existing.source}); give each route its own name"
            )
        self._add_route(Route(name, pattern, source, url_only=bool(static)))

    def _add_route(self, route: Route) -> None:
        self._routes.append(route)
        self._route_names[route.name] = route

    def add_static_view(self, name: str, path: str, *, cache_max_age: int | None = 3600) -> None:
        """Serve the files of directory ``path`` under the URL prefix ``name`` (GET and HEAD).

        ``path`` is ``'package:subdir'``, an absolute path, or a path relative to the calling
        module's package. ``cache_max_age`` (seconds) sets Cache-Control; None leaves it out.
        """
        source, module = caller_source()
        where = f"add_static_view({name!r}, {path!r}) ({source})"
        try:
            prefix = static.normalise_name(name)
            directory = static.resolve_asset(path, module)
        except ValueError as exc:
            raise ConfigurationError(f"{where}: {exc}") from None
        if not os.path.isdir(directory):
            raise ConfigurationError(
                f"{where}: {directory} is not a directory; create it, or give 'package:subdir', "
                "an absolute path, or a path relative to this module's package"
            )
        if cache_max_age is not None and (type(cache_max_age) is not int or cache_max_age < 0):
            raise ConfigurationError(f"{where}: cache_max_age must be a number of seconds (0 or more) or None")
        view = static.StaticView(prefix, directory, cache_max_age)
        existing = self._route_names.get(view.route_name)
        if existing is not None:
            raise ConfigurationError(f"{where}: a static view named {prefix!r} was already added ({existing.source})")
        self._add_route(Route(view.route_name, f"/{prefix}/*subpath", source))
        self._static_views.append(view)
        self._add_view(view, {"route_name": view.route_name, "request_method": "GET"}, source, module)

    def add_view(self, view: Any, **view_keywords: Any) -> None:
        """Add a view with the same keywords as ``@view_config``.

        Relative template names are resolved from the package of the module calling this.
        """
        source, module = caller_source()
        self._add_view(view, view_keywords, source, module)

    def add_exception_view(self, view: Any, context: type[BaseException] = Exception, **view_keywords: Any) -> None:
        """Answer exceptions of class ``context`` (and its subclasses) raised while handling a
        request with ``view``, chosen by the same predicates as ordinary views.

        Takes the keywords of ``@view_config`` but ``permission``; ``route_name`` limits the
        view to requests that matched that route. The view sees the exception as
        ``request.exception`` and ``request.context``; its answer keeps the error's status
        unless it sets another.
        """
        source, module = caller_source()
        self._add_view(view, view_keywords, source, module, context)

    def add_notfound_view(self, view: Any, **view_keywords: Any) -> None:
        """Answer 404s (no route, no view, or ``HTTPNotFound`` raised) with ``view``; keywords as
        for :meth:`add_exception_view`."""
        source, module = caller_source()
        self._add_view(view, view_keywords, source, module, HTTPNotFound)

    def add_forbidden_view(self, view: Any, **view_keywords: Any) -> None:
        """Answer 403s (a permission denied, or ``HTTPForbidden`` raised) with ``view``; keywords
        as for :meth:`add_exception_view`."""
        source, module = caller_source()
        self._add_view(view, view_keywords, source, module, HTTPForbidden)

    def _add_view(
        self,
        view: Any,
        keywords: Mapping[str, Any],
        source: Source,
        module: str,
        context: type[BaseException] | None = None,
    ) -> None:
        defaults = getattr(view, "__view_defaults__", None) if isinstance(view, type) else None
        given = {key: value for key, value in keywords.items() if value is not None}  # None means "not given"
        options = {**defaults, **given} if defaults else given
        if context is not None and not (isinstance(context, type) and issubclass(context, BaseException)):
            raise ConfigurationError(
                f"error view {view_name(view, options.get('attr'))} ({source}): context must be an exception "
                f"class, like Exception or HTTPNotFound, not {context!r}"
            )
        declaration = ViewDeclaration(view, options, source, module, next(self._counter), context)
        (self._views if context is None else self._error_views).append(declaration)

    def scan(self, target: str | ModuleType | None = None, ignore: Any = None) -> None:
        """Register every ``@view_config`` in a package or module (default: the caller's package).

        Views found are added in source order (file, then line), never in the order the
        scan happens to visit them.
        """
        if target is None:
            frame = sys._getframe(1)
            target = frame.f_globals.get("__package__") or frame.f_globals["__name__"]
        if isinstance(target, str):
            __import__(target)
            target = sys.modules[target]
        found: list[tuple[Source, int, Any, dict[str, Any], str, type[BaseException] | None]] = []
        scanner = venusian.Scanner(found=found)
        scanner.scan(target, categories=(decorators.CATEGORY,), ignore=ignore)
        for source, _, view, keywords, module, context in sorted(
            found, key=lambda item: (item[0].filename, item[0].lineno, item[1])
        ):
            self._add_view(view, keywords, source, module, context)

    def add_renderer(self, name: str, factory: RendererFactory) -> None:
        """Register a renderer factory by name (``'json'``) or file extension (``'.mako'``)."""
        self._renderers.add(name, factory)

    def add_view_predicate(self, name: str, factory: PredicateFactory) -> None:
        """Make ``name`` a view keyword; ``factory(value, config)`` builds the predicate."""
        if name in self._predicates or name in VIEW_OPTIONS:
            raise ConfigurationError(
                f"view predicate {name!r} ({caller_source()[0]}) already exists; choose another name"
            )
        self._predicates[name] = factory

    def add_request_method(
        self, method: Callable[[Request], Any], name: str | None = None, *, reify: bool = False
    ) -> None:
        """Give every request an attribute ``name`` (default: the function's name) computed by
        ``method(request)``: a method when ``reify`` is false, else a value computed once per
        request on first access (a database connection, say)."""
        name = name or getattr(method, "__name__", None)
        if not name or not name.isidentifier():
            raise ConfigurationError(
                f"add_request_method ({caller_source()[0]}) needs a name that is a Python identifier"
            )
        if hasattr(Request, name):
            raise ConfigurationError(
                f"request method {name!r} ({caller_source()[0]}) would hide Request.{name}; choose another name"
            )
        self._request_methods[name] = reify_(method, name) if reify else method

    def set_security_policy(self, policy: SecurityPolicy) -> None:
        """Use ``policy`` for ``request.identity`` and for views with a ``permission``."""
        self._security_policy = policy

    def add_accept_view_order(
        self, media_type: str, weighs_more_than: str | None = None, weighs_less_than: str | None = None
    ) -> None:
        """Place ``media_type`` in the order used when the client states no preference."""
        media_type = check_media_type(media_type)
        above = None if weighs_less_than is None else check_media_type(weighs_less_than)
        below = None if weighs_more_than is None else check_media_type(weighs_more_than)
        order = [t for t in self._accept_order if t != media_type]
        order += [t for t in dict.fromkeys((above, below)) if t is not None and t not in order]
        if below is not None:
            index = order.index(below)
            if above is not None and order.index(above) >= index:
                raise ConfigurationError(
                    f"{media_type} cannot weigh more than {below} and less than {above}: {above} already comes after {below}"
                )
        elif above is not None:
            index = order.index(above) + 1
        else:
            index = len(order)
        order.insert(index, media_type)
        self._accept_order = order

    def make_wsgi_app(self) -> Application:
        """Check and compile everything declared so far into a WSGI application.

        The result does not change if this Configurator is used afterwards.
        """
        kinds = [kind for kind in self._predicates if kind != "permission"] + ["permission"]
        kind_rank = {kind: index for index, kind in enumerate(kinds)}
        route_names = self._route_names.keys()
        renderers = self._renderers.frozen(dict(self.settings))
        views = []
        for declaration in self._views:  # in declaration order
            view = compile_view(declaration, self._predicates, kind_rank, renderers, self)
            if view.route_name not in route_names:
                raise ConfigurationError(
                    f"view {view.describe()} names route {view.route_name!r}, which was never added"
                    f"{did_you_mean(view.route_name, route_names)} (add it with config.add_route(name, pattern))"
                )
            if view.permission is not None and self._security_policy is None:
                raise ConfigurationError(
                    f"view {view.describe()} needs permission {view.permission.permission!r} but no security "
                    "policy is set; call config.set_security_policy(policy) (viewpick fails closed, never open)"
                )
            views.append(view)
        error_views = []
        for declaration in self._error_views:
            view = compile_view(declaration, self._predicates, kind_rank, renderers, self)
            if view.route_name and view.route_name not in route_names:
                raise ConfigurationError(
                    f"error view {view.describe()} names route {view.route_name!r}, which was never added"
                    f"{did_you_mean(view.route_name, route_names)}; add it, or leave route_name out to answer "
                    "errors on every route"
                )
            error_views.append(view)
        server_rank = server_media_order(self._accept_order, [*views, *error_views])
        known_methods = STANDARD_METHODS.union(*(view.methods for view in views))
        routes = RouteTable(self._routes)
        dispatch = compile_routes(self._routes, views, server_rank)
        check_routes(routes, dispatch)
        return Application(
            routes=routes,
            dispatch=dispatch,
            error_dispatch=ErrorDispatch(error_views, server_rank) if error_views else None,
            renderers=renderers,
            settings=renderers.settings,
            security_policy=self._security_policy,
            known_methods=known_methods,
            max_body_bytes=_max_body_bytes(self.settings),
            static_views=tuple(self._static_views),
            request_class=type("Request", (Request,), dict(self._request_methods))
            if self._request_methods
            else Request,
        )


def _max_body_bytes(settings: Mapping[str, Any]) -> int:
    value = settings.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = -1
    if limit < 0:
        raise ConfigurationError(
            f"setting max_body_bytes must be a whole number of bytes, like 10485760, not {value!r}"
        )
    return limit
