"""The Configurator: collects routes, views, renderers and policies, then compiles them."""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

import venusian

from . import decorators, dotted, events, static, tweens
from .app import Application
from .body import DEFAULT_MAX_BODY_BYTES
from .csrf import CSRFOptions, CSRFStoragePolicy
from .csrf import make_options as make_csrf_options
from .dispatch import ErrorDispatch, compile_routes, server_media_order
from .exceptions import ConfigurationError, Source, caller_source, did_you_mean
from .finish import identity_headers
from .gcpause import collector_paused
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
from .sessions import SessionFactory
from .settings import as_list
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
        self._root_factory: Callable[[Any], Any] | None = None
        self._accept_order: list[str] = ["text/html", "application/json"]
        self._request_methods: dict[str, Any] = {}
        self._static_views: list[static.StaticView] = []
        self._route_names: dict[str, Route] = {}
        self._counter = itertools.count()
        self._route_prefix = ""
        self._tweens: dict[str, tweens.TweenDeclaration] = {}
        self._subscribers: list[tuple[events.Subscriber, type]] = []
        self._included: dict[str, tuple[str, Source]] = {}
        self._session_factory: SessionFactory | None = None
        self._csrf_storage: CSRFStoragePolicy | None = None
        self._csrf_options: CSRFOptions | None = None

    def __enter__(self) -> Configurator:
        """``with Configurator(settings) as config:``, as in Pyramid's tutorials."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def add_route(self, name: str, pattern: str, factory: Any = None, *, static: bool = False) -> None:
        """Add a route; routes are tried in the order they are added, and the first one that
        fits the path and serves the request's method takes it.

        ``factory(request)`` (or its dotted name) gives ``request.context`` for the requests the
        route takes - the resource the security policy's ``permits`` is asked about. It is
        called once the route is chosen, before a view is; it may raise ``HTTPNotFound``.
        Without one, the root factory (:meth:`set_root_factory`) gives the context, if set.

        ``static=True`` (Pyramid's keyword) adds a route only for generating URLs
        (``request.route_url``/``route_path``): it is never matched and has no views. Any other
        route needs a view, or ``make_wsgi_app()`` says so.

        Inside :meth:`include` with a ``route_prefix``, the pattern is put under the prefix
        (``'/{id}'`` under ``'films'`` is ``'/films/{id}'``; ``''`` is ``'/films'`` itself).
        """
        source, _ = caller_source()
        pattern = self._prefixed(pattern)
        existing = self._route_names.get(name)
        if existing is not None:
            raise ConfigurationError(
                f"route {name!r} ({source}) is already added ({existing.source}); give each route its own name"
            )
        factory = _resolved(factory, dotted.caller_package(), f"route {name!r} ({source})")
        if factory is not None and not callable(factory):
            raise ConfigurationError(
                f"route {name!r} ({source}): factory must be a function of the request, not {factory!r}"
            )
        self._add_route(Route(name, pattern, source, factory, url_only=bool(static)))

    def _prefixed(self, pattern: str) -> str:
        if not self._route_prefix:
            return pattern
        return f"/{self._route_prefix}/{pattern.lstrip('/')}" if pattern.strip("/") else f"/{self._route_prefix}"

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
            prefix = static.normalise_name(self._prefixed(name).lstrip("/"))
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

        ``target`` is a module, a dotted name, or a name relative to the caller's package
        (``config.scan('.views')``). Views found are added in source order (file, then line),
        never in the order the scan happens to visit them. The cyclic garbage collector is
        paused while it runs, the imports of the package's modules included (see
        :mod:`viewpick.gcpause`).
        """
        if target is None:
            frame = sys._getframe(1)
            target = frame.f_globals.get("__package__") or frame.f_globals["__name__"]
        if isinstance(target, str):
            target = _resolved(target, dotted.caller_package(), f"config.scan({target!r}) ({caller_source()[0]})")
        found: list[tuple[Source, int, Any, dict[str, Any], str, type[BaseException] | None]] = []
        subscribers: list[tuple[events.Subscriber, type]] = []
        scanner = venusian.Scanner(found=found, subscribers=subscribers)
        with collector_paused():  # see viewpick.gcpause
            scanner.scan(target, categories=(decorators.CATEGORY, decorators.SUBSCRIBER_CATEGORY), ignore=ignore)
            self._subscribers.extend(subscribers)
            for source, _, view, keywords, module, context in sorted(
                found, key=lambda item: (item[0].filename, item[0].lineno, item[1])
            ):
                self._add_view(view, keywords, source, module, context)

    def include(self, callable_or_name: Any, route_prefix: str | None = None) -> None:
        """Add the configuration of another module or function, as Pyramid's ``config.include``.

        ``callable_or_name`` is a function taking the configurator, a module (its
        ``includeme(config)`` is called), or a dotted name of either, which may be relative to the
        caller's package (``config.include('.auth')``). While it runs, its routes and static
        views are put under ``route_prefix`` (prefixes of nested includes add up), and relative
        names in it are read from its own package. Including the same thing again does nothing;
        including it again under another prefix is a configuration error.
        """
        source, _ = caller_source()
        target = _resolved(callable_or_name, dotted.caller_package(), f"config.include ({source})")
        if isinstance(target, ModuleType):
            includeme = getattr(target, "includeme", None)
            if not callable(includeme):
                raise ConfigurationError(
                    f"config.include({callable_or_name!r}) ({source}): module {target.__name__} has no "
                    "includeme(config) function; add one, or include a function"
                )
            target = includeme
        if not callable(target):
            raise ConfigurationError(
                f"config.include({callable_or_name!r}) ({source}) takes a module, a function of the "
                "configurator, or a dotted name of one"
            )
        prefix = "/".join(part for part in (self._route_prefix, (route_prefix or "").strip("/")) if part)
        key = f"{getattr(target, '__module__', '?')}:{getattr(target, '__qualname__', repr(target))}"
        if key in self._included:
            first_prefix, first_source = self._included[key]
            if first_prefix != prefix:
                raise ConfigurationError(
                    f"config.include of {key} ({source}) under {'/' + prefix!r} repeats the include at "
                    f"{first_source} under {'/' + first_prefix!r}: its routes would be added twice; include it once"
                )
            return
        self._included[key] = (prefix, source)
        outer_prefix, self._route_prefix = self._route_prefix, prefix
        try:
            target(self)
        finally:
            self._route_prefix = outer_prefix

    def add_tween(self, factory: Any, over: Any = None, under: Any = None) -> None:
        """Wrap the handling of every request in the tween ``factory(handler, app)`` makes.

        ``factory`` may be a dotted name (relative to the caller's package). ``over`` (closer to
        the server than) and ``under`` (closer to the application than) order it: each is
        ``viewpick.tweens.INGRESS``, ``MAIN``, another tween factory or its dotted name, or a
        sequence of them. Without either, a tween wraps those added before it. See
        :mod:`viewpick.tweens`.
        """
        source, _ = caller_source()
        package = dotted.caller_package()
        resolved = _resolved(factory, package, f"add_tween ({source})")
        if not callable(resolved):
            raise ConfigurationError(
                f"add_tween({factory!r}) ({source}) takes a tween factory, factory(handler, app) -> tween"
            )
        name = tweens.tween_name(resolved)
        existing = self._tweens.get(name)
        if existing is not None:
            raise ConfigurationError(
                f"tween {name} ({source}) is already added ({existing.source}); add each tween factory once"
            )
        hints = [tuple(_absolute_name(item, package) for item in tweens.hint_names(h)) for h in (over, under)]
        self._tweens[name] = tweens.TweenDeclaration(name, resolved, hints[0], hints[1], source)

    def add_subscriber(self, subscriber: Any, iface: Any) -> None:
        """Call ``subscriber(event)`` for every event of type ``iface`` (a class from
        :mod:`viewpick.events`, or an application's own, sent with ``app.notify(event)``); either
        may be a dotted name. Subscribers of one type are called in the order added."""
        package, where = dotted.caller_package(), f"add_subscriber ({caller_source()[0]})"
        subscriber = _resolved(subscriber, package, where)
        iface = _resolved(iface, package, where)
        if not callable(subscriber) or not isinstance(iface, type):
            raise ConfigurationError(
                f"{where} takes a function of the event and an event class, "
                f"like add_subscriber(add_globals, BeforeRender); not {subscriber!r}, {iface!r}"
            )
        self._subscribers.append((subscriber, iface))

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

    def testing_securitypolicy(
        self,
        userid: Any = None,
        identity: Any = None,
        permissive: bool = True,
        remember_result: list[tuple[str, str]] | None = None,
        forget_result: list[tuple[str, str]] | None = None,
    ) -> Any:
        """For tests, as in Pyramid: use a :class:`viewpick.testing.DummySecurityPolicy` (every
        request is ``identity`` or ``userid``, and every permission is ``permissive``) and return it."""
        from .testing import DummySecurityPolicy  # testing builds on this module

        policy = DummySecurityPolicy(userid, identity, permissive, remember_result, forget_result)
        self.set_security_policy(policy)
        return policy

    def set_root_factory(self, factory: Any) -> None:
        """Give every route without a ``factory`` of its own this one: ``factory(request)`` (or its
        dotted name) is ``request.context``, as Pyramid's root factory is. Unset, the context of
        such routes is None."""
        factory = _resolved(factory, dotted.caller_package(), f"set_root_factory ({caller_source()[0]})")
        if not callable(factory):
            raise ConfigurationError(
                f"set_root_factory ({caller_source()[0]}) takes a function of the request, not {factory!r}"
            )
        self._root_factory = factory

    def set_session_factory(self, factory: SessionFactory) -> None:
        """Give requests a ``request.session`` made by ``factory(request)`` on first access, e.g.
        ``SignedCookieSessionFactory(secret)``; see :mod:`viewpick.sessions`."""
        factory = _resolved(factory, dotted.caller_package(), f"set_session_factory ({caller_source()[0]})")
        if not callable(factory):
            raise ConfigurationError(
                f"set_session_factory ({caller_source()[0]}) takes a function of the request that returns a "
                f"session, like SignedCookieSessionFactory(secret); not {factory!r}"
            )
        self._session_factory = factory

    def set_csrf_storage_policy(self, policy: CSRFStoragePolicy) -> None:
        """Keep CSRF tokens with ``policy`` (:class:`viewpick.csrf.CookieCSRFStoragePolicy`, or
        one's own) rather than in the session, or in a cookie when there are no sessions."""
        if not all(
            callable(getattr(policy, name, None)) for name in ("new_csrf_token", "get_csrf_token", "check_csrf_token")
        ):
            raise ConfigurationError(
                f"set_csrf_storage_policy ({caller_source()[0]}) takes an object with new_csrf_token, "
                f"get_csrf_token and check_csrf_token methods, not {policy!r}"
            )
        self._csrf_storage = policy

    def set_default_csrf_options(
        self,
        require_csrf: bool = True,
        token: str | None = "csrf_token",
        header: str | None = "X-CSRF-Token",
        safe_methods: Iterable[str] = ("GET", "HEAD", "OPTIONS", "TRACE"),
        check_origin: bool = True,
        allow_no_origin: bool = False,
        callback: Callable[[Request], bool] | None = None,
        trusted_origins: Iterable[str] = (),
    ) -> None:
        """Check the CSRF token of every view's unsafe requests (``require_csrf=True``) before the
        view runs, as Pyramid's option of the same name; see :mod:`viewpick.csrf`.

        ``token`` is the form field and ``header`` the header the token may come in;
        ``safe_methods`` need none. With ``check_origin``, an HTTPS request's Origin (or
        Referer) must be this site or in ``trusted_origins`` (and the ``csrf_trusted_origins``
        setting); ``allow_no_origin`` lets a request with neither header pass. ``callback(request)``
        returning False skips the check for that request. A view's ``require_csrf=False`` opts out.
        """
        where = f"set_default_csrf_options ({caller_source()[0]})"
        self._csrf_options = make_csrf_options(
            require_csrf, token, header, safe_methods, check_origin, allow_no_origin, trusted_origins, callback, where
        )

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

        The result does not change if this Configurator is used afterwards. The cyclic garbage
        collector is paused while the application is built (see :mod:`viewpick.gcpause`), not
        while its ``ApplicationCreated`` subscribers run.
        """
        with collector_paused():
            app = self._build(strict=True)
        app.notify(events.ApplicationCreated(app))
        return app

    def _build(self, *, strict: bool) -> Application:
        """The application; ``strict=False`` (for :class:`viewpick.testing.DummyRequest`, whose
        unit tests add routes without their views) lets routes without views pass."""
        kinds = [kind for kind in self._predicates if kind != "permission"] + ["permission"]
        kind_rank = {kind: index for index, kind in enumerate(kinds)}
        route_names = self._route_names.keys()
        renderers = self._renderers.frozen(dict(self.settings))
        views = []
        for declaration in self._views:  # in declaration order
            view = compile_view(declaration, self._predicates, kind_rank, renderers, self, self._csrf_options)
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
        routes = self._routes
        if self._root_factory is not None:
            static_routes = {view.route_name for view in self._static_views}  # files need no context
            routes = [
                route
                if route.factory or route.url_only or route.name in static_routes
                else dataclasses.replace(route, factory=self._root_factory)
                for route in routes
            ]
        table = RouteTable(routes)
        error_dispatch = ErrorDispatch(error_views, server_rank) if error_views else None
        also_vary = ("Accept", *(error_dispatch.vary if error_dispatch is not None else ()))
        policy = self._security_policy
        # Who asks (the policy's headers, the session cookie) may shape any answer of any route.
        identity_vary = tuple(
            dict.fromkeys(
                [
                    *(identity_headers(policy) if policy is not None else ()),
                    *(("Cookie",) if self._session_factory else ()),
                ]
            )
        )
        dispatch = compile_routes(routes, views, server_rank, also_vary, identity_vary)
        if strict:
            check_routes(table, dispatch)
        return Application(
            routes=table,
            dispatch=dispatch,
            error_dispatch=error_dispatch,
            renderers=renderers,
            settings=renderers.settings,
            security_policy=self._security_policy,
            known_methods=known_methods,
            max_body_bytes=_max_body_bytes(self.settings),
            static_views=tuple(self._static_views),
            request_class=type("Request", (Request,), dict(self._request_methods))
            if self._request_methods
            else Request,
            tweens=tweens.explicit(as_list(self.settings["tweens"]), list(self._tweens.values()))
            if "tweens" in self.settings
            else tweens.order(list(self._tweens.values())),
            subscribers=events.Subscribers(self._subscribers),
            session_factory=self._session_factory,
            csrf_storage=self._csrf_storage,
            any_csrf_check=self._csrf_options is not None or any(view.csrf for view in views),
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


def _absolute_name(name: str, package: str) -> str:
    """A tween's name in an over/under hint, made absolute: ``'.tweens:timing'`` read in package
    ``myapp`` is ``'myapp.tweens.timing'``."""
    name = name.replace(":", ".")
    return importlib.util.resolve_name(name, package) if name.startswith(".") else name


def _resolved(value: Any, package: str, where: str) -> Any:
    """``value``, or what it names if it is a dotted name; an error names the declaration."""
    try:
        return dotted.maybe_resolve(value, package)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
