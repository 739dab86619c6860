"""Views: a declaration as the developer wrote it, and the immutable form dispatch uses."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .csrf import CSRFCheck, CSRFOptions, view_check
from .exceptions import ConfigurationError, Later, Source, did_you_mean
from .finish import Caching, caching_for
from .methods import IMPLICIT_METHODS
from .predicates import (
    AcceptPredicate,
    ContentTypePredicate,
    PermissionPredicate,
    RequestMethodPredicate,
    ViewPredicate,
)

if TYPE_CHECKING:
    from .renderers import Render, Renderers
    from .request import Request

# Keywords that configure a view rather than select requests.
VIEW_OPTIONS = ("route_name", "renderer", "attr", "require_csrf", "http_cache", "conditional")


@dataclass(frozen=True)
class ViewDeclaration:
    """One ``add_view`` call or ``@view_config`` line, unresolved."""

    view: Any
    options: Mapping[str, Any]
    source: Source
    package: str
    order: int
    #: For an error view, the exception class it answers (``Exception``, ``HTTPNotFound``...).
    context: type[BaseException] | None = None


@dataclass(frozen=True, eq=False)
class View:
    """A compiled view: how to call it, how to render it, and what it asks of a request."""

    name: str
    source: Source
    order: int
    route_name: str
    view: Any
    call: Callable[[Request], Any] = field(repr=False)
    renderer_name: str | None
    render: Render | None = field(repr=False)
    renderer_media_type: str | None = field(repr=False)
    predicates: tuple[tuple[str, ViewPredicate], ...] = field(repr=False)
    rank: tuple[Any, ...] = field(repr=False)
    checks: tuple[ViewPredicate, ...] = field(repr=False)
    methods: frozenset[str] = field(repr=False)
    accept: tuple[str, ...] | None = field(repr=False)
    media_types: tuple[str, ...] = field(repr=False)
    content_type: ContentTypePredicate | None = field(repr=False)
    permission: PermissionPredicate | None = field(repr=False)
    vary: tuple[str, ...] = field(repr=False)
    #: For an error view, the exception class it answers; None for an ordinary view.
    context: type[BaseException] | None = field(default=None, repr=False)
    #: Its ``http_cache`` and ``conditional`` options (:mod:`viewpick.finish`); None without them.
    caching: Caching | None = field(default=None, repr=False)
    #: The CSRF check compiled into ``call`` (None: the view has none).
    csrf: CSRFCheck | None = field(default=None, repr=False)
    #: Its renderer reads nothing of the system values but ``request`` (viewpick's json and string).
    request_only_system: bool = field(default=False, repr=False)

    @property
    def conflict_key(self) -> frozenset[tuple[str, str]]:
        """What conflict detection compares: two views of a route must differ in what they test
        or in the media type they are ranked by."""
        tests = {(kind, predicate.phash()) for kind, predicate in self.predicates}
        return frozenset(tests | {("media type", ",".join(sorted(self.media_types)))})

    def describe(self) -> str:
        """``search (views.py:12)``: the view and where it was declared."""
        return f"{self.name} ({self.source})"

    def __repr__(self) -> str:
        shown = " ".join(predicate.text() for _, predicate in self.predicates)
        renderer = f" renderer={self.renderer_name!r}" if self.renderer_name else ""
        return f"<View {self.name}{' ' + shown if shown else ''}{renderer}>"


def view_name(view: Any, attr: str | None) -> str:
    name = f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', type(view).__name__)}"
    return f"{name}.{attr}" if attr and attr != "__call__" else name


def make_caller(view: Any, attr: str | None, where: object) -> Callable[[Request], Any]:
    """A function of the request that calls the view; classes are instantiated with the request,
    and the instance is kept as ``request.view_instance`` for the renderer's ``view``."""
    if inspect.isclass(view):
        method_name = attr or "__call__"
        if not callable(getattr(view, method_name, None)):
            raise ConfigurationError(f"{where}: class {view.__name__} has no method {method_name!r} to call (attr=)")

        cls: Callable[[Request], Any] = view

        def call_method(request: Request) -> Any:
            instance = request.__dict__["view_instance"] = cls(request)
            return getattr(instance, method_name)()

        return call_method
    target: Callable[[Request], Any] = getattr(view, attr) if attr else view
    if not callable(target):
        raise ConfigurationError(f"{where}: {target!r} is not callable; a view is a function of the request or a class")
    return target


def make_renderer(
    renderers: Renderers, name: str | None, package: str, where: object
) -> tuple[Render | None, str | None, bool]:
    """A view's render function, its media type, and whether it reads only ``request`` of the
    system values (None, None, False for a view without a renderer)."""
    if name is None:
        return None, None, False
    try:
        render, media_type = renderers.make(name, package)
        return render, media_type, renderers.reads_request_only(name)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None


def compile_view(
    declaration: ViewDeclaration,
    predicate_factories: Mapping[str, Callable[[Any, Any], ViewPredicate]],
    kind_rank: Mapping[str, int],
    renderers: Renderers,
    config: Any,
    csrf_options: CSRFOptions | None = None,
) -> View:
    """Resolve a declaration: build its predicates and renderer, and work out its rank."""
    options = declaration.options
    attr = options.get("attr")
    name = view_name(declaration.view, attr)
    where = Later(lambda: f"view {name} ({declaration.source})")
    for keyword in options:
        if keyword not in VIEW_OPTIONS and keyword not in predicate_factories:
            known = [*VIEW_OPTIONS, *predicate_factories]
            raise ConfigurationError(
                f"{where}: unknown view keyword {keyword!r}{did_you_mean(keyword, known)} "
                "(add custom predicates with config.add_view_predicate(name, factory))"
            )
    context = declaration.context
    route_name = options.get("route_name")
    if context is not None:
        if "permission" in options:
            raise ConfigurationError(
                f"{where}: an error view cannot have a permission (it answers a request already refused or "
                "failed, and a denied one would leave the error unanswered); remove permission="
            )
    elif route_name is None:
        raise ConfigurationError(f"{where}: a view needs route_name='...' naming a route added with config.add_route")

    predicates = []
    for kind, factory in predicate_factories.items():
        if kind in options:
            try:
                predicates.append((kind, factory(options[kind], config)))
            except ConfigurationError as exc:
                raise ConfigurationError(f"{where}: {exc}") from None
            except Exception as exc:
                raise ConfigurationError(f"{where}: predicate {kind}={options[kind]!r} failed: {exc}") from exc
    if context is not None and route_name is not None:
        # An error view's route_name scopes it to that route's requests: one more predicate.
        predicates.append(("route_name", MatchedRoutePredicate(route_name)))
        kind_rank = {"route_name": -1, **kind_rank}
    predicates.sort(key=lambda item: kind_rank[item[0]])

    renderer_name = options.get("renderer")
    render, implied_type, request_only_system = make_renderer(renderers, renderer_name, declaration.package, where)

    methods, accept, content_type, permission, checks = IMPLICIT_METHODS, None, None, None, []
    for _, predicate in predicates:
        if isinstance(predicate, RequestMethodPredicate) and context is None:
            methods = predicate.methods
        elif isinstance(predicate, AcceptPredicate):
            accept = predicate.media_types
        elif isinstance(predicate, ContentTypePredicate):
            content_type = predicate
        elif isinstance(predicate, PermissionPredicate):
            permission = predicate
        else:
            checks.append(predicate)
    vary = tuple(dict.fromkeys(header for _, p in predicates for header in getattr(p, "vary", ())))
    # Error views answer requests already refused or failed: no CSRF check, as in Pyramid.
    csrf = view_check(csrf_options, options.get("require_csrf"), methods, where) if context is None else None
    call = make_caller(declaration.view, attr, where)
    call = csrf.wrap(call) if csrf is not None else call
    return View(
        name=name,
        source=declaration.source,
        order=declaration.order,
        route_name=route_name or "",
        view=declaration.view,
        call=call,
        renderer_name=renderer_name,
        render=render,
        renderer_media_type=implied_type,
        predicates=tuple(predicates),
        rank=(-len(predicates), tuple(kind_rank[kind] for kind, _ in predicates), declaration.order),
        checks=tuple(checks),
        methods=methods if context is None else frozenset(),
        accept=accept,
        media_types=accept or ((implied_type,) if implied_type else ()),
        content_type=content_type,
        permission=permission,
        vary=vary,
        context=context,
        caching=caching_for(options, renderers.settings, where),
        csrf=csrf,
        request_only_system=request_only_system,
    )


class MatchedRoutePredicate:
    """An error view's ``route_name``: the request matched that route (a 404 for a path no
    route matches has no route, so only unscoped error views answer it)."""

    def __init__(self, route_name: str) -> None:
        self.route_name = route_name

    def text(self) -> str:
        return f"route_name = {self.route_name}"

    phash = text

    def __call__(self, context: Any, request: Request) -> bool:
        route = request.matched_route
        return route is not None and route.name == self.route_name

    def seen(self, request: Request) -> str:
        route = request.matched_route
        return f"the request matched route {route.name}" if route is not None else "the request matched no route"
